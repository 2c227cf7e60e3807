"""`defence-kg coverage` and /api/coverage: what the curated data covers per kind, as the README shows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from defence_kg.graph.analysis import document_reads
from defence_kg.graph.analysis.coverage import KINDS, coverage
from defence_kg.graph.publish import documents as docs
from defence_kg.graph.store.oxigraph_store import OxigraphStore

pytestmark = pytest.mark.needs("sparql")

REPO = Path(__file__).resolve().parents[1]


def _codes(entries: list) -> set[str]:
    return {e if isinstance(e, str) else e["state"] for e in entries or []}


def test_pesco_line_is_what_the_project_file_says(store):
    """Recomputed from data/pesco_projects.yaml, independently of the graph."""
    projects = yaml.safe_load((REPO / "data" / "pesco_projects.yaml").read_text())["projects"]
    line = next(k for k in coverage(store) if k.kind == "PescoProject")
    states = [
        _codes(p.get("coordinators"))
        | _codes(p.get("participants"))
        | _codes(p.get("observers"))
        | _codes(p.get("third_states"))
        for p in projects
    ]
    assert line.entities == len(projects)
    assert line.with_lead == sum(1 for p in projects if p.get("coordinators"))
    assert line.with_two_states == sum(1 for s in states if len(s) >= 2)
    assert line.with_members == sum(1 for s in states if s)


def test_each_entity_counts_once_under_its_most_specific_kind(store):
    lines = {k.kind: k for k in coverage(store)}
    assert "State" not in lines and "Company" not in lines
    kinds = " ".join(f"dkg:{kind}" for kind, _ in KINDS)
    distinct = store.select(
        "PREFIX dkg: <https://w3id.org/defence-kg/ontology#> "
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {kinds} }} ?x a ?c }}"
    ).rows[0]["n"]
    assert sum(k.entities for k in lines.values()) == int(distinct)  # none counted twice
    for line in lines.values():
        assert line.entities >= line.with_members >= line.with_dated_members
        assert line.with_members >= line.with_two_states


def test_what_a_document_claims_is_not_coverage(tmp_path, built_graphs):
    store = OxigraphStore(None)
    store.rebuild(built_graphs)
    before = {k.kind: k.as_dict() for k in coverage(store)}
    (tmp_path / "brief.txt").write_text(
        "Two new members for the Satellite Centre\n\nNorway and Iceland joined the European Union "
        "Satellite Centre on 3 March 2024. Sweden and Finland are members of the EU Rapid Deployment "
        "Capacity.\n",
        encoding="utf-8",
    )
    report = docs.load_documents(store, [tmp_path], max_bytes=1_000_000)
    assert not report.errors
    found = {(s["relation"], s["subject"], s["object"]) for s in document_reads.statements(store, "brief")}
    assert {("joining", "NO", "satcen"), ("joining", "IS", "satcen")} <= found  # claimed, in the graph
    assert {k.kind: k.as_dict() for k in coverage(store)} == before


def test_api_and_command_give_the_same_answer(client, tmp_path):
    answer = client.get("/api/coverage")
    assert answer.status_code == 200
    body = answer.json()
    assert {k["kind"] for k in body["kinds"]} >= {"PescoProject", "Formation", "CentreOfExcellence"}
    assert all((REPO / path).is_file() for path in body["gaps"])
    store_dir = tmp_path / "store"
    subprocess.run(
        [sys.executable, "-m", "defence_kg.cli", "build", "--store", str(store_dir)],
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [sys.executable, "-m", "defence_kg.cli", "coverage", "--store", str(store_dir), "-f", "json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert json.loads(out) == body


def test_the_readme_prints_the_coverage_of_the_bundled_data(store):
    readme = (REPO / "README.md").read_text()
    block = readme[readme.index("$ .venv/bin/defence-kg coverage") :].split("```", 3)[2]
    printed = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in block.splitlines()
        if line.startswith("│")
    ]
    actual = [
        [
            k.label,
            *(
                str(v)
                for v in (k.entities, k.with_members, k.with_dated_members, k.with_two_states, k.with_lead)
            ),
        ]
        for k in coverage(store)
    ]
    assert printed == actual
