"""graph/ is split by concern and its subpackages depend on each other one way only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parents[1] / "graph"
# what each subpackage may import from the others (its own modules always)
ALLOWED = {
    "queries": set(),
    "store": {"queries"},
    "answers": {"queries", "store"},
    "analysis": {"queries", "store", "answers"},
    "publish": {"queries", "store", "answers", "analysis"},
}
MAX_LINES = 600


def graph_imports(path: Path) -> set[str]:
    """The graph subpackages a module imports (at any depth of its code)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["defence_kg", "graph"] and len(parts) > 2:
                found.add(parts[2])
    return found


MODULES = sorted(p for p in GRAPH.rglob("*.py") if p.parent != GRAPH)


def test_every_module_lives_in_a_documented_subpackage():
    assert {p.stem for p in GRAPH.glob("*.py")} == {"__init__"}
    assert {p.name for p in GRAPH.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(ALLOWED)
    for package in ALLOWED:
        assert ast.get_docstring(ast.parse((GRAPH / package / "__init__.py").read_text())), package


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GRAPH)))
def test_imports_point_one_way(path):
    package = path.relative_to(GRAPH).parts[0]
    wrong = graph_imports(path) - ALLOWED[package] - {package}
    assert not wrong, f"graph/{package} may not import graph/{', graph/'.join(sorted(wrong))}"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (GRAPH.parent).rglob("*.py") if not {".venv", "node_modules", "build"} & set(p.parts)),
    ids=lambda p: str(p.relative_to(GRAPH.parent)),
)
def test_no_module_is_over_600_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines"
