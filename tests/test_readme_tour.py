"""The README tour shows real output: its saved queries give exactly the rows it prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.needs("sparql")  # the saved queries are SPARQL

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()
QUERIES = sorted((REPO / "graph" / "queries").glob("*.rq"))


def printed_rows(query_file: Path) -> list[list[str]]:
    """The table the README prints after running `query_file`."""
    start = README.index(f"cat graph/queries/{query_file.name}")
    table = README[start:].split("rows\n```", 1)[0]
    rows = []
    for line in table.splitlines():
        if line.startswith("│"):
            rows.append([cell.strip() for cell in line.strip("│").split("│")])
    return rows


@pytest.mark.parametrize("query_file", QUERIES, ids=lambda p: p.stem)
def test_saved_query_gives_the_rows_the_readme_prints(store, query_file):
    result = store.select(query_file.read_text())
    actual = [[str(row[c]) for c in result.columns] for row in result.rows]
    assert actual == printed_rows(query_file)
    assert re.search(rf"{len(actual)} rows", README)


def test_the_tour_has_queries():
    assert len(QUERIES) >= 2
