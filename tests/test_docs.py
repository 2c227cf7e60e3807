"""The README documents every setting and every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from defence_kg.cli import app
from defence_kg.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name):
    assert f"`DEFENCE_KG_{name.upper()}`" in README


@pytest.mark.parametrize("name", sorted(get_command(app).commands))  # type: ignore[attr-defined]
def test_every_command_is_in_the_readme(name):
    assert f"`defence-kg {name}" in README


def test_every_setting_has_help():
    for name, field in Settings.model_fields.items():
        assert field.description, name
