"""The bundled reference data files (YAML), see data/README.md."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_data_dir() -> Path:
    """Folder holding the reference data shipped with the package."""
    return Path(str(resources.files(__name__)))
