"""The installed distribution lives in one namespace and ships its data and ontology."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest


def test_no_generic_top_level_names_are_importable_outside_the_repo(tmp_path):
    code = (
        "import importlib.util as u, json; "
        "print(json.dumps({n: u.find_spec(n) is not None for n in "
        "['graph', 'api', 'loaders', 'ontology', 'data', 'defence_kg.graph', 'defence_kg.api']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == (
        '{"graph": false, "api": false, "loaders": false, "ontology": false, '
        '"data": false, "defence_kg.graph": true, "defence_kg.api": true}'
    )


def test_console_command_is_declared():
    scripts = {e.name: e.value for e in metadata.entry_points(group="console_scripts")}
    assert scripts["defence-kg"] == "defence_kg.cli:app"


def test_command_runs(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "defence_kg.cli", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in ("build", "query", "stats", "export", "serve", "convert-edf"):
        assert command in out


RESOURCES = {".py", ".yaml", ".ttl", ".rq", ".html", ".js", ".css"}


@pytest.mark.slow
def test_the_wheel_carries_every_file_the_code_reads(tmp_path):
    """A wheel (what a non-editable install gets) holds every module, data, ontology, query and
    page file of the mapped folders, sub-folders included (a sub-package missing from
    `packages` is caught here: the editable install would still find it)."""
    repo = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(repo)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    config = tomllib.loads((repo / "pyproject.toml").read_text())
    folders = config["tool"]["setuptools"]["package-dir"]
    wanted = set()
    for package, folder in folders.items():
        for path in (repo / folder).rglob("*"):
            if path.suffix in RESOURCES and not {"node_modules", "__pycache__"} & set(path.parts):
                wanted.add(package.replace(".", "/") + "/" + path.relative_to(repo / folder).as_posix())
    assert wanted, "no resource files found"
    assert not wanted - inside, sorted(wanted - inside)
