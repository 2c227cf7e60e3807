"""Sync to a real Neo4j: parity with the embedded store, idempotence, incremental per named
graph, Cypher a user expects, and a server killed mid-sync."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from defence_kg.errors import StoreError
from defence_kg.graph.store.neo4j_server import Neo4jServer
from defence_kg.graph.store.neo4j_store import Neo4jStore
from defence_kg.graph.store.neo4j_sync import sync
from defence_kg.graph.store.oxigraph_store import OxigraphStore
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


def memberships_in(store: OxigraphStore) -> int:
    """How many org:Membership nodes the source graph holds (counted by SPARQL, not by sync)."""
    query = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <http://www.w3.org/ns/org#Membership> }"
    return int(store.select(query).rows[0]["n"])


def test_sync_parity_idempotence_and_cypher(source, neo4j):
    first = sync(source.quads(), neo4j)
    assert {g.action for g in first.graphs} == {"added"} and first.memberships == memberships_in(source)
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
        assert report.changed >= 1 and report.memberships == memberships_in(source)
        assert set(target.quads()) == set(source.quads())
        target.close()
    finally:
        server.stop()


def test_graph_of_values_and_relationships_is_written_only_where_a_node_is_shared(neo4j):
    a, b, p, q = (ox.NamedNode(f"urn:x#{n}") for n in ("a", "b", "p", "q"))
    one, two = "urn:g:one", "urn:g:two"
    first = [ox.Triple(a, p, b), ox.Triple(a, q, ox.Literal("from one"))]
    second = [ox.Triple(a, q, ox.Literal("from two")), ox.Triple(b, p, a)]

    def state() -> tuple[dict, list]:
        node = neo4j.read("MATCH (n:Resource {uri: 'urn:x#a'}) RETURN properties(n) AS p")[0]["p"]
        rels = neo4j.read("MATCH (:Resource)-[r]->() RETURN type(r) AS t, r.graphs AS g ORDER BY t, g")
        return node, [(r["t"], r["g"]) for r in rels]

    def expected(*graphs: tuple[str, list[ox.Triple]]) -> set[ox.Quad]:
        return {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in graphs for t in ts}

    neo4j.replace_graph(one, first)
    node, rels = state()
    assert not [k for k in node if k.startswith("_g__")] and rels == [("ns0__p", None)]
    assert set(neo4j.quads()) == expected((one, first))

    neo4j.replace_graph(two, second)  # a and b now belong to both graphs: everything says which
    node, rels = state()
    assert node["ns0__q"] == ["from one", "from two"] and node["_g__ns0__q"] == [one, two]
    assert rels == [("ns0__p", [one]), ("ns0__p", [two])]
    assert set(neo4j.quads()) == expected((one, first), (two, second))
    assert (neo4j.count(one), neo4j.count(two), neo4j.count()) == (2, 2, 4)

    neo4j.remove_graph(two)  # back to one graph: the implied form again
    node, rels = state()
    assert node["ns0__q"] == ["from one"] and not [k for k in node if k.startswith("_g__")]
    assert rels == [("ns0__p", None)]
    assert set(neo4j.quads()) == expected((one, first))
    assert neo4j.count(one) == neo4j.count() == 2
