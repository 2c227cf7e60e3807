"""Cypher text and batching of the Neo4j store, without a server (the driver is faked)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from defence_kg.graph.queries import cypher_queries as q
from defence_kg.graph.store.neo4j_store import Neo4jStore
from defence_kg.graph.store.property_graph import Namespaces, graph_rows, literal_entry


def test_relationship_type_is_escaped_in_the_text():
    assert q.identifier("a`b") == "`a``b`"
    assert q.create_relationships("org__member", by_end=True) == (
        "UNWIND $rows AS row\n"
        "MATCH (o) WHERE elementId(o) = row[0]\n"
        "UNWIND row[1] AS id\n"
        "MATCH (s) WHERE elementId(s) = id\n"
        "CREATE (s)-[:`org__member`]->(o)"
    )
    assert q.create_relationships("org__member", shared_start=True).endswith(
        "CREATE (s)-[:`org__member` {graphs: [$graph]}]->(o)"
    )
    assert q.create_relationships("a`b").startswith(
        "UNWIND $rows AS row\nMATCH (s) WHERE elementId(s) = row[0]"
    )
    assert q.merge_relationships("org__member") == (
        "UNWIND $rows AS row\n"
        "MATCH (s) WHERE elementId(s) = row[0]\n"
        "MATCH (o) WHERE elementId(o) = row[1]\n"
        "MERGE (s)-[r:`org__member`]->(o)\n"
        "  ON CREATE SET r.graphs = [$graph]\n"
        "  ON MATCH SET r.graphs = CASE WHEN $graph IN r.graphs THEN r.graphs ELSE r.graphs + $graph END"
    )


def test_new_nodes_are_created_with_static_labels_and_keys():
    assert q.create_nodes(("State", "a`b"), ("skos__prefLabel@en", "dkg__from"), (False, True)) == (
        "UNWIND $rows AS row\n"
        "CREATE (n:Resource:`State`:`a``b` {uri: row[0], graphs: [$graph], "
        "`skos__prefLabel@en`: row[1], `dkg__from`: [v IN row[2] | date(v)]})\n"
        "RETURN collect(elementId(n)) AS ids"
    )
    assert q.create_nodes((), ()) == (
        "UNWIND $rows AS row\nCREATE (n:Resource {uri: row[0], graphs: [$graph]})\n"
        "RETURN collect(elementId(n)) AS ids"
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
        self.rows: list[Any] = []

    def run(self, query: str, params: Any = None, **kwargs: Any) -> Any:
        self.rows = (params or kwargs).get("rows", [])
        self.log.append((query, self.rows))
        return self

    def consume(self) -> None:
        return None

    def single(self, strict: bool = False) -> dict[str, Any]:
        return {"ids": [f"id:{row[0]}" for row in self.rows]}

    def __iter__(self):
        return iter([{"any": False}])

    def data(self) -> dict[str, Any]:
        return {"any": False}


class FakeSession:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, work):
        self.log.append(("commit", []))
        return work(FakeTx(self.log))

    def execute_read(self, work):
        return [{"any": False}]


def test_writes_are_batched_nodes_first_by_element_id():
    store = Neo4jStore(uri="bolt://127.0.0.1:1", batch_size=2, workers=1)
    log: list[tuple[str, Any]] = []
    store.driver = type("D", (), {"session": lambda self, **kw: FakeSession(log)})()  # type: ignore[assignment]
    a, b, c, p = (ox.NamedNode(f"urn:x#{n}") for n in "abcp")
    rows = graph_rows(
        [ox.Triple(a, p, b), ox.Triple(a, p, ox.Literal("x")), ox.Triple(c, p, b)], Namespaces()
    )
    quads: list[int] = []
    store._add("urn:g", rows, quads.append)
    with_literal, plain = q.create_nodes((), ("ns0__p",), (False,)), q.create_nodes((), ())
    assert log == [
        ("commit", []),
        (with_literal, [["urn:x#a", ["x"]]]),
        (plain, [["urn:x#b"]]),
        ("commit", []),
        (plain, [["urn:x#c"]]),
        ("commit", []),
        (q.create_relationships("ns0__p", by_end=True), [["id:urn:x#b", ["id:urn:x#a", "id:urn:x#c"]]]),
    ]
    assert quads == [1, 0, 2]


def test_every_node_and_relationship_is_written_once_in_full_batches():
    store = Neo4jStore(uri="bolt://127.0.0.1:1", batch_size=3, workers=2)
    log: list[tuple[str, Any]] = []
    store.driver = type("D", (), {"session": lambda self, **kw: FakeSession(log)})()  # type: ignore[assignment]
    hub, p = ox.NamedNode("urn:x#hub"), ox.NamedNode("urn:x#p")
    triples = [ox.Triple(ox.NamedNode(f"urn:x#{i}"), p, ox.Literal(str(i))) for i in range(4)]
    triples += [ox.Triple(ox.NamedNode(f"urn:x#{i}"), p, hub) for i in range(10)]
    store._add("urn:g", graph_rows(triples, Namespaces()), lambda n: None)
    transactions: list[list[tuple[str, Any]]] = []
    for query, rows in log:
        if query == "commit":
            transactions.append([])
        else:
            transactions[-1].append((query, rows))
    created = [row[0] for tx in transactions for query, rows in tx if "CREATE (n" in query for row in rows]
    assert sorted(created) == sorted(["urn:x#hub", *(f"urn:x#{i}" for i in range(10))])
    ends = [
        end
        for tx in transactions
        for query, rows in tx
        if "CREATE (s)" in query
        for row in rows
        for end in row[1]
    ]
    assert sorted(ends) == sorted(f"id:urn:x#{i}" for i in range(10))
    for tx in transactions:
        assert sum(len(row[1]) if "CREATE (s)" in query else 1 for query, rows in tx for row in rows) <= 3
