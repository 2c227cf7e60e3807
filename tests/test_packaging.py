"""The installed distribution lives in one namespace and ships its data and ontology."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata


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
