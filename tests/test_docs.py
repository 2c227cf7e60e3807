"""The docs (README.md, docs/*.md) document every setting and every command, and their links hold."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.main import get_command

from defence_kg.cli import app
from defence_kg.settings import Settings

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
README = "\n".join(p.read_text() for p in PAGES)  # every page, for what must be documented somewhere


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name):
    assert f"`DEFENCE_KG_{name.upper()}`" in README


@pytest.mark.parametrize("name", sorted(get_command(app).commands))  # type: ignore[attr-defined]
def test_every_command_is_in_the_readme(name):
    assert f"`defence-kg {name}" in README


def test_every_setting_has_help():
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_every_route_has_a_description_and_an_example():
    import json

    from fastapi.testclient import TestClient

    from defence_kg.api.main import create_app
    from defence_kg.graph.store.oxigraph_store import OxigraphStore

    with TestClient(create_app(Settings(store_path=None), store=OxigraphStore(None))) as client:
        spec = client.get("/openapi.json").json()
    components = spec.get("components", {}).get("schemas", {})
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("description") or operation.get("summary"), (method, path)
            text, seen = json.dumps(operation), set()
            while True:  # follow schema references transitively
                refs = {r.split('"')[0] for r in text.split('"$ref": "#/components/schemas/')[1:]}
                if not refs - seen:
                    break
                for ref in refs - seen:
                    seen.add(ref)
                    text += json.dumps(components.get(ref, {}))
            assert "example" in text, f"{method.upper()} {path} has no example"


def test_no_file_keeps_merge_conflict_markers():
    repo = Path(__file__).resolve().parents[1]
    files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True)
    marked = []
    for name in files.stdout.splitlines():
        path = repo / name
        if path.suffix in {".png", ".xlsx", ".pdf"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"(?m)^(<{7} |>{7} |={7}$)", text):
            marked.append(name)
    assert not marked, f"merge conflict markers left in {marked}"


def test_the_readme_stays_short_and_every_link_between_pages_holds():
    assert len((REPO / "README.md").read_text().splitlines()) <= 300
    for page in PAGES:
        for target in re.findall(r"\]\((?!https?:|mailto:|#)([^)#\s]+)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
