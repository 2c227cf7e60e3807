"""Sync to a real Neo4j: parity with the embedded store, idempotence, incremental per named
graph, Cypher a user expects, and a server killed mid-sync."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from defence_kg.errors import StoreError
from defence_kg.graph.neo4j_server import Neo4jServer
from defence_kg.graph.neo4j_store import Neo4jStore
from defence_kg.graph.neo4j_sync import sync
from defence_kg.graph.oxigraph_store import OxigraphStore
from tests.conftest import neo4j_store

MEMBERSHIPS = "https://w3id.org/defence-kg/graph/reference/memberships"


@pytest.fixture
def source(built_graphs) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    return store


@pytest.fixture
def neo4j(request, source) -> Neo4jStore:
    target = neo4j_store(request)
    target.clear()  # type: ignore[attr-defined]
    return target  # type: ignore[return-value]


def test_sync_parity_idempotence_and_cypher(source, neo4j):
    first = sync(source.quads(), neo4j)
    assert {g.action for g in first.graphs} == {"added"} and first.memberships == 2095
    assert set(neo4j.quads()) == set(source.quads())
    again = sync(source.quads(), neo4j)
    assert again.changed == 0 and again.memberships is None
    assert set(neo4j.quads()) == set(source.quads())
    rows = neo4j.read(
        "MATCH (s:State {uri: 'https://w3id.org/defence-kg/id/SE'})-[m:MEMBER_OF]->"
        "(:InternationalOrganisation {uri: 'https://w3id.org/defence-kg/id/nato'}) "
        "RETURN m.role AS role, toString(m.from) AS since, size(m.sources) AS sources"
    )
    assert rows == [{"role": "member", "since": "2024-03-07", "sources": 2}]
    labels = neo4j.read("MATCH (n:Resource {uri: 'https://w3id.org/defence-kg/id/FR'}) RETURN n")
    assert labels[0]["n"]["skos__prefLabel@en"] == ["France"]


def test_only_a_changed_graph_is_resynced(source, neo4j):
    sync(source.quads(), neo4j)
    extra = (URIRef("https://w3id.org/defence-kg/id/FR"), URIRef("urn:x:note"), Literal("changed"))
    triples = [q.triple for q in source.quads() if q.graph_name.value == MEMBERSHIPS]
    source.replace_graphs({URIRef(MEMBERSHIPS): [*map(_rdflib, triples), extra]})
    report = sync(source.quads(), neo4j)
    assert [(g.graph, g.action) for g in report.graphs if g.action != "unchanged"] == [
        (MEMBERSHIPS, "replaced")
    ]
    assert set(neo4j.quads()) == set(source.quads())


def _rdflib(triple: ox.Triple) -> tuple:
    obj = triple.object
    if isinstance(obj, ox.Literal):
        value = (
            Literal(obj.value, lang=obj.language)
            if obj.language
            else Literal(obj.value, datatype=obj.datatype.value)
        )
    else:
        value = URIRef(obj.value)
    return URIRef(triple.subject.value), URIRef(triple.predicate.value), value


def test_neo4j_killed_mid_sync_then_rerun_completes(source, tmp_path):
    server = Neo4jServer(home=tmp_path / "neo4j").start()
    try:
        target = Neo4jStore(uri=server.uri, batch_size=2000, retry_seconds=1)
        calls = []

        def kill_on_third_batch(graph: str, quads: int) -> None:
            calls.append(graph)
            if len(calls) == 3:
                server.kill()

        with pytest.raises(StoreError, match="sync stopped; graphs completed before"):
            sync(source.quads(), target, kill_on_third_batch)
        target.close()
        server.start()
        target = Neo4jStore(uri=server.uri, batch_size=2000, retry_seconds=1)
        states = target.graph_states()
        assert any(s["hash"] is None for s in states.values()), "the interrupted graph is not marked done"
        report = sync(source.quads(), target)
        assert report.changed >= 1 and report.memberships == 2095
        assert set(target.quads()) == set(source.quads())
        target.close()
    finally:
        server.stop()
