"""Cypher text and batching of the Neo4j store, without a server (the driver is faked)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from defence_kg.graph import cypher_queries as q
from defence_kg.graph.neo4j_store import Neo4jStore
from defence_kg.graph.property_graph import Namespaces, literal_entry


def test_relationship_type_is_escaped_in_the_text():
    assert q.identifier("a`b") == "`a``b`"
    assert q.merge_relationships("org__member") == (
        "UNWIND $rows AS row\n"
        "MATCH (s:Resource {uri: row.s})\n"
        "MATCH (o:Resource {uri: row.o})\n"
        "MERGE (s)-[r:`org__member`]->(o)\n"
        "  ON CREATE SET r.graphs = [$graph]\n"
        "  ON MATCH SET r.graphs = CASE WHEN $graph IN r.graphs THEN r.graphs ELSE r.graphs + $graph END"
    )


def test_literal_keys():
    ns = Namespaces()
    assert literal_entry("skos__prefLabel", ox.Literal("France", language="en"), ns) == (
        "skos__prefLabel@en",
        "France",
    )
    year = ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    assert literal_entry("dkg__year", year, ns) == ("dkg__year^^xsd__gYear", "2023")


class FakeTx:
    def __init__(self, log: list[tuple[str, Any]]) -> None:
        self.log = log

    def run(self, query: str, params: Any = None, **kwargs: Any) -> Any:
        self.log.append((query, len((params or kwargs).get("rows", []))))
        return self

    def consume(self) -> None:
        return None

    def __iter__(self):
        return iter([])


class FakeSession:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, work):
        self.log.append(("commit", 0))
        return work(FakeTx(self.log))


def test_writes_are_batched_nodes_first():
    store = Neo4jStore(uri="bolt://127.0.0.1:1", batch_size=2)
    log: list[tuple[str, Any]] = []
    store.driver = type("D", (), {"session": lambda self, **kw: FakeSession(log)})()  # type: ignore[assignment]
    a, b, p = (ox.NamedNode(f"urn:x#{n}") for n in "abp")
    rows = __import__("defence_kg.graph.property_graph", fromlist=["graph_rows"]).graph_rows(
        [ox.Triple(a, p, b), ox.Triple(a, p, ox.Literal("x"))], Namespaces()
    )
    store._add("urn:g", rows, lambda n: None)
    assert log == [
        ("commit", 0),
        (q.MERGE_NODES, 2),
        ("commit", 0),
        (q.merge_relationships("ns0__p"), 1),
    ]
