"""The command line: build, query in three formats, stats, export, serve's app, errors."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from defence_kg.cli import app

NATO_ON = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX id: <https://w3id.org/defence-kg/id/>
SELECT ?name WHERE {
  ?m org:organization id:nato ; org:member ?s ; org:memberDuring/time:hasBeginning/time:inXSDDate ?from .
  ?s skos:prefLabel ?name .
  FILTER(?from <= "2022-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
} ORDER BY ?name"""

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path, result.output


def test_build_prints_counts_per_graph(built):
    _, output = built
    assert "reference/memberships" in output and "quads in store" in output


def test_query_table_json_csv(built):
    path, _ = built
    as_json = runner.invoke(app, ["query", NATO_ON, "--store", str(path), "-f", "json"])
    rows = json.loads(as_json.stdout)["rows"]
    assert len(rows) == 30 and rows[0] == {"name": "Albania"}
    as_csv = runner.invoke(app, ["query", NATO_ON, "--store", str(path), "-f", "csv"])
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["name"] for r in parsed] == [r["name"] for r in rows]
    table = runner.invoke(app, ["query", NATO_ON, "--store", str(path)])
    assert "Albania" in table.stdout and "30 rows" in table.stdout


def test_query_limit_flags_truncation(built):
    path, _ = built
    result = runner.invoke(app, ["query", NATO_ON, "--store", str(path), "-f", "json", "--limit", "5"])
    body = json.loads(result.stdout)
    assert len(body["rows"]) == 5 and body["truncated"] is True


def test_bad_query_is_a_clear_error(built):
    path, _ = built
    result = runner.invoke(app, ["query", "SELECT WHERE", "--store", str(path)])
    assert result.exit_code == 1 and "error" in result.output


def test_stats(built):
    path, _ = built
    result = runner.invoke(app, ["stats", "--store", str(path), "-f", "json"])
    body = json.loads(result.stdout)
    graphs = {g["graph"].rsplit("/", 1)[-1]: g["n"] for g in body["graphs"]}
    assert graphs["memberships"] > 500 and body["quads"] == sum(graphs.values())


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("nq", lambda data: Dataset().parse(data=data, format="nquads")),
        ("trig", lambda data: Dataset().parse(data=data, format="trig")),
        ("turtle", lambda data: Graph().parse(data=data, format="turtle")),
        ("nt", lambda data: Graph().parse(data=data, format="nt")),
        ("jsonld", lambda data: Dataset().parse(data=data, format="json-ld")),
    ],
)
def test_export_formats_parse_back(built, tmp_path, fmt, parse):
    path, _ = built
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(app, ["export", "--store", str(path), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    parsed = parse(out.read_bytes())
    store = ox.Store.read_only(str(path.resolve()))
    distinct = len({(q.subject, q.predicate, q.object) for q in store})
    if fmt in ("turtle", "nt"):
        assert len(parsed) == distinct
    else:
        assert sum(len(g) for g in parsed.graphs()) == len(store)


def test_commands_on_a_missing_store_explain_what_to_do(tmp_path):
    result = runner.invoke(app, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "defence-kg build" in result.output


def test_build_with_bad_data_exits_nonzero_naming_the_file(tmp_path, data_copy):
    (data_copy / "entities.yaml").write_text("entities:\n  - id: Bad Id\n")
    result = runner.invoke(app, ["build", "--store", str(tmp_path / "s"), "--data", str(data_copy)])
    assert result.exit_code == 1
    assert "entities.yaml:2" in result.output
