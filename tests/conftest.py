"""Shared fixtures: the real bundled data built into an in-memory store, and an API client."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defence_kg.api.main import create_app
from defence_kg.data import bundled_data_dir
from defence_kg.graph.build import build
from defence_kg.graph.oxigraph_store import OxigraphStore
from defence_kg.graph.store import BACKENDS, open_store
from defence_kg.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DEFENCE_KG_SHARED", REPO.parent / "shared"))


def shared_file(*parts: str) -> Path:
    """A file of ../shared; a missing one fails in CI and skips elsewhere."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI must have shared/ beside the repository")
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture(scope="session", params=sorted(BACKENDS))
def store(request: pytest.FixtureRequest) -> OxigraphStore:
    """Every store backend, in memory, holding the graph built from the bundled data."""
    target = open_store(request.param, None)
    build(target)  # type: ignore[arg-type]
    return target  # type: ignore[return-value]


@pytest.fixture(scope="session")
def client(store: OxigraphStore) -> Iterator[TestClient]:
    settings = Settings(store_path=None, query_timeout=5, max_rows=500)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, for tests that break a file."""
    target = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
