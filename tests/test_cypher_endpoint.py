"""POST /cypher on Neo4j: answer shape, row cap, time limit, 400 for what does not parse, 403
for every write and administration construct, 503 without Neo4j, Neo4j's own Cypher (paths,
shortestPath, COUNT { }, pattern predicates)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from defence_kg.api.main import create_app
from defence_kg.graph.answers import cypher_read
from defence_kg.graph.store.neo4j_server import free_port
from defence_kg.graph.store.neo4j_sync import sync
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings
from tests.conftest import neo4j_store

ID = "https://w3id.org/defence-kg/id/"
README = (Path(__file__).resolve().parents[1] / "docs" / "cypher.md").read_text()
STATES = "MATCH (s:State) RETURN s.dkg__iso2[0] AS iso2 ORDER BY iso2"
SLOW = "MATCH (a:Resource), (b:Resource) WHERE a.uri < b.uri RETURN count(*) AS n"
WRITES = {
    "CREATE (n:X) RETURN n": "CREATE",
    "MERGE (n:State {uri: 'x'}) RETURN n": "MERGE",
    "MATCH (n:State) DELETE n": "DELETE",
    "MATCH (n:State) DETACH DELETE n": "DETACH DELETE",
    "MATCH (n:State) SET n.x = 1 RETURN n": "SET",
    "MATCH (n:State) REMOVE n.uri RETURN n": "REMOVE",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line": "LOAD CSV",
    "MATCH (n:State) FOREACH (x IN [1] | SET n.y = x)": "FOREACH",
    "CALL apoc.create.node(['X'], {}) YIELD node RETURN node": "apoc.create.node",
    "CALL dbms.setConfigValue('a', 'b')": "dbms.setConfigValue",
    "CALL db.createLabel('X')": "db.createLabel",
    "CREATE INDEX i FOR (n:State) ON (n.uri)": "CREATE INDEX",
    "DROP INDEX i": "DROP",
    "SHOW USERS": "SHOW",
    "GRANT ROLE reader TO neo4j": "GRANT",
    "MATCH (n) CALL { WITH n SET n.x = 1 } RETURN n": "SET",
}


@pytest.fixture(scope="module")
def source(built_graphs: dict[Any, Any]) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    return store


def _client(source: OxigraphStore, **options: Any) -> TestClient:
    settings = Settings(**{"store_path": None, "query_timeout": 5, "max_rows": 10, **options})
    return TestClient(create_app(settings, store=source))


@pytest.fixture(scope="module")
def neo4j(request: pytest.FixtureRequest, source: OxigraphStore) -> Iterator[TestClient]:
    target = neo4j_store(request)
    sync(source.quads(), target)  # type: ignore[arg-type]
    target.close()
    server = request.getfixturevalue("neo4j_server")
    with _client(source, neo4j_uri=server.uri) as client:
        yield client


@pytest.fixture
def client(neo4j: TestClient) -> TestClient:
    return neo4j


def test_answer_shape_and_parameters(client: TestClient) -> None:
    query = (
        "MATCH (s:State {uri: $uri})-[m:MEMBER_OF {role: 'member'}]->(o {uri: $org}) "
        "RETURN s.`skos__prefLabel@en`[0] AS state, m.from AS since, s AS node"
    )
    parameters = {"uri": "https://w3id.org/defence-kg/id/SE", "org": "https://w3id.org/defence-kg/id/nato"}
    answer = client.post("/cypher", json={"query": query, "parameters": parameters})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["columns"] == ["state", "since", "node"] and body["truncated"] is False
    [[state, since, node]] = body["rows"]
    assert (state, since) == ("Sweden", "2024-03-07")
    assert node["labels"] == ["Resource", "State"] and node["properties"]["dkg__iso2"] == ["SE"]


def test_row_cap_and_truncated_flag(client: TestClient) -> None:
    body = client.post("/cypher", json={"query": STATES}).json()
    assert len(body["rows"]) == 10 and body["truncated"] is True
    body = client.post("/cypher", json={"query": STATES + " LIMIT 10"}).json()
    assert len(body["rows"]) == 10 and body["truncated"] is False


def test_time_limit(source: OxigraphStore, neo4j: TestClient, request: pytest.FixtureRequest) -> None:
    uri = request.getfixturevalue("neo4j_server").uri
    with _client(source, query_timeout=0.3, neo4j_uri=uri) as client:
        answer = client.post("/cypher", json={"query": SLOW})
    assert answer.status_code == 503, answer.text
    assert "time limit" in answer.json()["detail"]


@pytest.mark.parametrize("query", sorted(WRITES))
def test_writes_are_forbidden(client: TestClient, query: str) -> None:
    answer = client.post("/cypher", json={"query": query})
    assert answer.status_code == 403, answer.text
    assert WRITES[query] in answer.json()["detail"]


def test_neo4j_refuses_by_query_type(neo4j: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the lexical guard, EXPLAIN's query type still stops a write."""
    monkeypatch.setattr(cypher_read, "check_read_only", lambda text, **_: [])
    answer = neo4j.post("/cypher", json={"query": "CREATE (n:Intruder) RETURN n"})
    assert answer.status_code == 403 and "'rw'" in answer.json()["detail"]
    monkeypatch.undo()
    count = neo4j.post("/cypher", json={"query": "MATCH (n:Intruder) RETURN count(n) AS n"}).json()
    assert count["rows"] == [[0]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("MATCH (n RETURN n", "syntax"),
        ("MATCH (n:State) RETURN m", "not defined"),
        ("RETURN $missing AS x", "missing"),
        ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
        ("MATCH (n:State) RETURN n; MATCH (m) RETURN m", "one query"),
    ],
)
def test_bad_queries_are_400(client: TestClient, query: str, message: str) -> None:
    answer = client.post("/cypher", json={"query": query})
    assert answer.status_code == 400, answer.text
    assert message.lower() in answer.json()["detail"].lower()


def test_neo4j_cypher_paths_count_subqueries_and_pattern_predicates(client: TestClient) -> None:
    """What the retired embedded engine refused: shortestPath, COUNT { } and a pattern predicate."""
    query = (
        "MATCH (a:State {uri: $fr}), (b:State {uri: $us}) "
        "MATCH p = shortestPath((a)-[*..4]-(b)) "
        "WHERE (a)-[:MEMBER_OF {role: 'member'}]->({uri: $nato}) "
        "RETURN length(p) AS hops, COUNT { (a)-[:MEMBER_OF {role: 'coordinator'}]->(:PescoProject) } AS led"
    )
    parameters = {"fr": f"{ID}FR", "us": f"{ID}US", "nato": f"{ID}nato"}
    answer = client.post("/cypher", json={"query": query, "parameters": parameters})
    assert answer.status_code == 200, answer.text
    [[hops, led]] = answer.json()["rows"]
    assert hops == 2  # both members of NATO: FR -MEMBER_OF-> nato <-MEMBER_OF- US
    plain = "MATCH (:State {uri: $fr})-[:MEMBER_OF {role: 'coordinator'}]->(p:PescoProject) RETURN count(p)"
    assert (
        led > 0
        and [[led]] == client.post("/cypher", json={"query": plain, "parameters": parameters}).json()["rows"]
    )


def test_neo4j_unavailable_is_503(source: OxigraphStore) -> None:
    with _client(source, neo4j_uri=f"bolt://127.0.0.1:{free_port()}") as client:
        answer = client.post("/cypher", json={"query": STATES})
    assert answer.status_code == 503
    assert "unavailable" in answer.json()["detail"]


def test_readme_example_gives_what_the_readme_prints(client: TestClient) -> None:
    match = re.search(r"-d '(\{\"query\":.*?\})'\n(\{.*?\})\n", README, re.S)
    assert match is not None
    body, printed = json.loads(match.group(1)), json.loads(match.group(2))
    assert client.post("/cypher", json=body).json() == printed
