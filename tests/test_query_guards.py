"""Queries that would reach the network are refused unless enabled (SPARQL SERVICE, update LOAD,
Cypher LOAD CSV and network procedures, on both Cypher backends), also when hidden from a naive
scan; pathological queries are stopped by the time limit while a running server keeps answering
others sent at the same time."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from defence_kg.api.main import create_app
from defence_kg.graph.store.neo4j_sync import sync
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings
from tests.conftest import neo4j_store
from tests.served import serve

PORT9 = "<http://127.0.0.1:9/sparql>"  # Oxigraph refuses port 9 before connecting: safe to name
HIDDEN_SERVICE = [
    f"SELECT * WHERE {{ SERVICE {PORT9} {{ ?s ?p ?o }} }}",
    f"select * where {{ sErViCe silent {PORT9} {{ ?s ?p ?o }} }}",
    # a quote inside an IRI: a naive string-stripper sees one string from ' to '
    f"SELECT * WHERE {{ <http://a/'> <http://p/> ?o . SERVICE {PORT9} {{ ?s ?p ?o }} "
    "<http://b/'> <http://p/> ?o }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    f"SELECT * WHERE {{ # comment\nSERVICE{PORT9}{{?s ?p ?o}} }}",
    f'SELECT * WHERE {{ ?s ?p "x" . SERVICE {PORT9} {{ ?s ?p ?o }} ?s ?p "y" }}',
]
UPDATES = [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:x:g>",
    f"INSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE {PORT9} {{ ?s ?p ?o }} }}",
]
CYPHER_NETWORK = [
    "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS line RETURN line",
    "load csv with headers from 'file:///etc/passwd' as row return row",
    "CALL { LOAD CSV FROM 'http://169.254.169.254/latest/meta-data' AS l RETURN l } RETURN 1",
    "CALL apoc.load.json('http://127.0.0.1:9/x') YIELD value RETURN value",
    "CALL apoc.load.jdbc('jdbc:mysql://127.0.0.1:9/db', 'SELECT 1') YIELD row RETURN row",
    "CALL apoc.import.csv([{fileName: 'http://127.0.0.1:9/x'}], [], {})",
    "CALL dbms.routing.getRoutingTable({}) YIELD ttl RETURN ttl",
]


@pytest.fixture(scope="module")
def api(built_graphs):
    store = OxigraphStore(None)
    store.rebuild(built_graphs)
    settings = Settings(store_path=None, api_key="k", enable_update=True)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


@pytest.mark.parametrize("query", HIDDEN_SERVICE)
def test_service_is_refused_however_it_is_written(api, query):
    answer = api.get("/sparql", params={"query": query})
    assert answer.status_code == 403 and "SERVICE" in answer.json()["detail"], answer.text


def test_service_goes_through_when_enabled(built_graphs):
    store = OxigraphStore(None)
    store.rebuild(built_graphs)
    with TestClient(create_app(Settings(store_path=None, allow_service=True), store=store)) as client:
        answer = client.get("/sparql", params={"query": HIDDEN_SERVICE[0]})
    # Oxigraph then tries it, and refuses port 9 itself: a clear 503, not a crash
    assert answer.status_code == 503 and "port 9" in answer.json()["detail"], answer.text


@pytest.mark.parametrize("update", UPDATES)
def test_update_load_and_service_are_refused_even_with_the_key(api, update):
    headers = {"X-API-Key": "k", "Content-Type": "application/sparql-update"}
    answer = api.post("/sparql/update", content=update, headers=headers)
    assert answer.status_code == 403 and "DEFENCE_KG_ALLOW_SERVICE" in answer.json()["detail"]
    assert not any("urn:x:g" in g for g in api.app.state.store.named_graphs())


@pytest.mark.parametrize("query", CYPHER_NETWORK)
def test_cypher_network_reaching_constructs_are_refused_by_the_guard(api, query):
    """Refused before any Neo4j is asked (the app's Neo4j here is not even running)."""
    answer = api.post("/cypher", json={"query": query})
    assert answer.status_code == 403, answer.text


@pytest.mark.slow
@pytest.mark.parametrize("query", CYPHER_NETWORK)
def test_cypher_network_reaching_constructs_are_refused_on_neo4j(request, built_graphs, query):
    server = request.getfixturevalue("neo4j_server")
    store = OxigraphStore(None)
    settings = Settings(store_path=None, neo4j_uri=server.uri)
    with TestClient(create_app(settings, store=store)) as client:
        answer = client.post("/cypher", json={"query": query})
    assert answer.status_code in (400, 403), answer.text
    assert answer.status_code == 403 or "no procedure" in answer.text.lower() or "Unknown" in answer.text


@pytest.mark.slow
def test_runaway_queries_are_stopped_while_others_are_answered(request, tmp_path, built_graphs):
    store = OxigraphStore(tmp_path / "store")
    store.rebuild(built_graphs)
    target = neo4j_store(request)  # /cypher is answered by the session's Neo4j, holding the graph
    sync(store.quads(), target)
    target.close()
    store.close()
    uri = request.getfixturevalue("neo4j_server").uri
    runaway_sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    runaway_cypher = "MATCH (a:Resource), (b:Resource), (c:Resource) WHERE a.uri < b.uri RETURN count(*) AS n"
    with serve(tmp_path / "store", tmp_path / "server.log", query_timeout="3", neo4j_uri=uri) as base:
        slow: list[httpx.Response] = []

        def send(kind: str) -> None:
            if kind == "sparql":
                slow.append(httpx.get(f"{base}/sparql", params={"query": runaway_sparql}, timeout=60))
            else:
                slow.append(httpx.post(f"{base}/cypher", json={"query": runaway_cypher}, timeout=60))

        threads = [threading.Thread(target=send, args=(k,)) for k in ("sparql", "cypher", "sparql")]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        quick = []
        while any(t.is_alive() for t in threads):
            started = time.monotonic()
            answer = httpx.get(f"{base}/api/entities/nato/members?at=2022-01-01", timeout=30)
            quick.append((answer.status_code, time.monotonic() - started))
            time.sleep(0.2)
        for thread in threads:
            thread.join()
        assert sorted(a.status_code for a in slow) == [503, 503, 503], [a.text for a in slow]
        assert all("limit" in a.json()["detail"] for a in slow)
        assert quick and all(code == 200 for code, _ in quick)
        ask = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert ask.status_code == 200 and ask.json()["boolean"] is True
