"""Overlap assessments on the real bundled graph with the corpus loaded: the pairs the corpus
names come out with their evidence, scores add up and are reproducible, dates change membership,
the stored graph follows build and load, and the API and CLI answer or refuse clearly."""

from __future__ import annotations

import datetime as dt
import json
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from defence_kg.api.main import create_app
from defence_kg.cli import app
from defence_kg.errors import NotFound
from defence_kg.graph.analysis import lookup
from defence_kg.graph.analysis.overlap_graph import OVERLAP_GRAPH, derive_overlaps, overlap_triples
from defence_kg.graph.analysis.overlap_index import read_overlap_data
from defence_kg.graph.analysis.overlaps import (
    WEIGHTS,
    all_overlaps,
    assess,
    overlap_detail,
    overlap_pairs,
    pair_scores,
)
from defence_kg.graph.publish import documents as docs
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.publish.validate import load_ontology, validate
from defence_kg.graph.queries.overlap_queries import STORED_FOR_ENTITY
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

from .conftest import shared_file

CROC = "pesco-eufor-crisis-response-operation-core"
MM = "pesco-military-mobility"
DAY = dt.date(2026, 11, 1)
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def reference_only():
    store = OxigraphStore(None)
    store.rebuild(build_graphs(), derive=derive_overlaps)
    return store


@pytest.fixture(scope="module")
def loaded(reference_only):
    store = OxigraphStore(None)
    store.rebuild(build_graphs(), derive=derive_overlaps)
    report = docs.load_documents(store, [shared_file("corpus", "manifest.yaml").parent], max_bytes=20_000_000)
    assert not report.errors
    return store


@pytest.fixture(scope="module")
def client(loaded):
    with TestClient(create_app(Settings(store_path=None), store=loaded)) as test_client:
        yield test_client


def kinds(overlap):
    return {(e.kind, e.document is not None) for e in overlap.evidence}


@pytest.mark.parametrize(
    ("a", "b", "kind", "from_document", "words"),
    [
        (CROC, "fnc", "overlap", True, "similar goals"),
        (CROC, "e2i", "duplication", False, "duplications"),
        ("card", "ndpp", "complementarity", True, "synchronised defence"),
        (MM, "nato", "complementarity", False, "Military Mobility"),
        ("eu-rdc", "nato", "duplication", False, "one set of forces"),
    ],
)
def test_the_pairs_the_corpus_names_come_out_with_their_evidence(loaded, a, b, kind, from_document, words):
    ranked = overlap_pairs(loaded, entity=a, at=DAY)
    [pair] = [o for o in ranked if o.b == b]
    assert (kind, from_document) in kinds(pair)
    assert any(words in (e.quote or "") for e in pair.evidence)
    assert pair.cross_line
    evidence = next(c for c in pair.components if c.name == "evidence")
    assert evidence.score > 0 and kind in evidence.explanation


def test_rapid_deployment_capacity_and_the_nato_response_force(loaded):
    """No source read compares the two directly: they meet on function, across the EU-NATO line."""
    pair = overlap_detail(loaded, "eu-rdc", "nrf", at=DAY)
    function = next(c for c in pair.components if c.name == "function")
    assert function.details["shared"] == ["force-generation"] and function.score == 1
    assert pair.cross_line and pair.score >= 0.4
    assert "nrf" in [o.b for o in overlap_pairs(loaded, entity="eu-rdc", at=DAY, limit=5)]


def test_document_evidence_arrives_with_the_load(reference_only, loaded):
    before = overlap_detail(reference_only, "card", "ndpp", at=DAY)
    after = overlap_detail(loaded, "card", "ndpp", at=DAY)
    assert not before.evidence and after.evidence
    assert after.score > before.score


def test_components_add_up_and_weights_are_as_documented(loaded):
    pairs = overlap_pairs(loaded, at=DAY)
    assert len(pairs) > 1000
    assert sum(WEIGHTS.values()) == pytest.approx(1)
    for pair in pairs:
        assert pair.score == pytest.approx(sum(c.contribution for c in pair.components), abs=1e-3)
        for c in pair.components:
            assert 0 <= c.score <= 1 and c.explanation
            assert c.weight == WEIGHTS[c.name]
            assert c.contribution in (pytest.approx(c.weight * c.score, abs=1e-4), 0.0)
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)


def test_scores_are_reproducible(loaded):
    first = [o.model_dump() for o in overlap_pairs(loaded, at=DAY)]
    again = [o.model_dump() for o in overlap_pairs(loaded, at=DAY)]
    assert first == again


def test_the_inverted_index_finds_exactly_the_non_zero_pairs(loaded):
    """Against every pair of every entity: the index misses none and adds none."""
    data = read_overlap_data(loaded)
    indexed, _ = pair_scores(data, DAY)
    brute = {}
    for a, b in combinations(sorted(data.entities), 2):
        if not data.nested(a, b) and (score := assess(data, a, b, DAY).score) > 0:
            brute[(a, b)] = score
    assert indexed == brute  # the same pairs with the same scores as the full assessments


def _shared(loaded, a, b, day):
    ids = [{m["id"] for m in lookup.members(loaded, x, at=day) if m["type"] == "State"} for x in (a, b)]
    return sorted(ids[0] & ids[1])


@pytest.mark.parametrize(
    ("a", "b", "before", "after", "joiner"),
    [
        (MM, "nato", dt.date(2023, 4, 3), dt.date(2023, 4, 5), "FI"),
        (MM, "nato", dt.date(2024, 3, 6), dt.date(2024, 3, 8), "SE"),
        ("pesco", "nato", dt.date(2023, 5, 22), dt.date(2023, 5, 23), "DK"),
    ],
)
def test_the_date_changes_the_membership_component(reference_only, a, b, before, after, joiner):
    """On the reference data alone (a document dates Denmark's entry only to "May 2023")."""
    loaded = reference_only
    early, late = (overlap_detail(loaded, a, b, at=day) for day in (before, after))
    shared_early, shared_late = (
        next(c for c in o.components if c.name == "membership").details["shared"] for o in (early, late)
    )
    assert joiner not in shared_early and joiner in shared_late
    assert shared_early == _shared(loaded, a, b, before) and shared_late == _shared(loaded, a, b, after)
    assert late.score > early.score and late.at == after


def test_same_framework_is_not_cross_line_and_nested_pairs_are_left_out(loaded):
    pair = overlap_detail(
        loaded, MM, "pesco-network-of-logistic-hubs-in-europe-and-support-to-operations", at=DAY
    )
    institution = next(c for c in pair.components if c.name == "institution")
    assert not pair.cross_line and institution.score == 0 and "Same framework" in institution.explanation
    others = {o.b for o in overlap_pairs(loaded, entity=MM, at=DAY)}
    assert "pesco" not in others and "csdp" not in others and "eu" not in others
    assert "nato" in others


def test_unknown_ids_are_refused(loaded):
    with pytest.raises(NotFound):
        overlap_pairs(loaded, entity="no-such-thing")
    with pytest.raises(NotFound):
        overlap_detail(loaded, "DE", "nato")  # a state is not an initiative


def test_every_pesco_project_has_a_sourced_domain_or_is_listed_as_a_gap(loaded):
    data = read_overlap_data(loaded)
    gaps = (DATA / "PESCO_GAPS.md").read_text()
    for entity in data.entities:
        if entity.startswith("pesco-") and entity not in data.domains:
            assert f"`{entity}`" in gaps, entity
    for entity, candidate in data.entities.items():
        if candidate.type == "Initiative" and entity.startswith(("fnc", "jef", "e2i", "ndpp", "card")):
            assert data.domains.get(entity), entity


def test_edf_projects_take_their_domain_from_the_call_code(loaded):
    rows = loaded.select(
        "PREFIX dkg: <https://w3id.org/defence-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?call ?domain ?source WHERE { "
        "?p a dkg:EdfProject ; dkg:call ?call ; dkg:capabilityDomain ?d . "
        "?x dkg:assignedEntity ?p ; dkg:assignedDomain ?d ; prov:wasDerivedFrom ?source . "
        "?d <http://www.w3.org/2004/02/skos/core#notation> ?domain }"
    ).rows
    assert rows
    for row in rows:
        token = {"UWW": "maritime", "NAVAL": "maritime", "CYBER": "cyber", "SPACE": "space"}
        for code, domain in token.items():
            if f"-{code}-" in row["call"]:
                assert any(r["domain"] == domain for r in rows if r["call"] == row["call"])
        assert "/source/edf-record-" in row["source"]


def test_the_stored_graph_is_recomputed_on_load_and_conforms_to_the_shapes(reference_only, loaded):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/defence-kg/ontology#supportedBy> ?c }"
    assert loaded.select(query).rows[0]["n"] > reference_only.select(query).rows[0]["n"]
    rows = loaded.select(STORED_FOR_ENTITY, {"entity": ox.NamedNode(lookup.entity_iri("ndpp"))}).rows
    assert rows[0]["other"] == "card" and rows[0]["crossLine"] is True
    # the assessments with the reference data their claims live in (document statements of
    # the count kind have no object, so the loaded store as a whole is not checked)
    reference = [t for triples in build_graphs().values() for t in triples]
    stored = overlap_triples(all_overlaps(read_overlap_data(reference_only), DAY))
    validate(reference + stored, load_ontology())  # raises ValidationFailed otherwise
    assert OVERLAP_GRAPH and str(OVERLAP_GRAPH) in loaded.named_graphs()


def test_api_ranked_and_detail(client):
    ranked = client.get("/api/overlaps", params={"entity": "card", "at": "2026-11-01", "limit": 5})
    assert ranked.status_code == 200
    body = ranked.json()
    assert body["at"] == "2026-11-01" and len(body["overlaps"]) <= 5
    scores = [o["score"] for o in body["overlaps"]]
    assert scores == sorted(scores, reverse=True) and "ndpp" in [o["b"] for o in body["overlaps"]]
    detail = client.get("/api/overlaps", params={"a": "card", "b": "ndpp"}).json()["overlaps"]
    assert len(detail) == 1 and {c["name"] for c in detail[0]["components"]} >= {"membership", "evidence"}
    assert detail[0]["evidence"][0]["document"] == "cepob-2021-pesco-nato-us"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"entity": "no-such-initiative"}, 404),
        ({"a": "card", "b": "nope"}, 404),
        ({"entity": "card", "at": "2026-13-45"}, 422),
        ({"a": "card"}, 422),
        ({"limit": 0}, 422),
    ],
)
def test_api_errors(client, params, status):
    response = client.get("/api/overlaps", params=params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_cli_resolves_names_and_prints_json(tmp_path):
    runner = CliRunner()
    path = tmp_path / "store"
    built = runner.invoke(app, ["build", "--store", str(path)])
    assert built.exit_code == 0 and "derived/overlaps" in built.stdout
    result = runner.invoke(
        app, ["overlaps", "CARD", "--store", str(path), "-f", "json", "--at", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["entity"] == "card" and body["overlaps"][0]["a"] == "card"
    table = runner.invoke(
        app, ["overlaps", "Joint Expeditionary Force", "--store", str(path), "--limit", "3"]
    )
    assert table.exit_code == 0 and "Overlaps of jef" in table.stdout
    bad = runner.invoke(app, ["overlaps", "CARD", "--store", str(path), "--at", "soon"])
    assert bad.exit_code == 1 and "not a date" in bad.output
    unknown = runner.invoke(app, ["overlaps", "zzzz-nothing", "--store", str(path)])
    assert unknown.exit_code == 1 and "no initiative" in unknown.output
