"""The managed Neo4j of `defence-kg serve` (its own server, not the session's): bulk import into an
empty database that reads back as the store's quads, /cypher from it with the store version, a
write synced, the server killed mid-use (503, then served again), and startup without Java."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from defence_kg.api.main import create_app
from defence_kg.graph.answers.cypher_service import version_name
from defence_kg.graph.store.neo4j_server import java_available
from defence_kg.graph.store.neo4j_store import Neo4jStore
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

NATO = (
    "MATCH (s:State)-[m:MEMBER_OF {role: 'member'}]->({uri: 'https://w3id.org/defence-kg/id/nato'}) "
    "WHERE m.to IS NULL RETURN count(s) AS n"
)
XX = "MATCH (n {uri: 'https://w3id.org/defence-kg/id/XX'}) RETURN n.dkg__iso2 AS iso2"


def _wait(client: TestClient, query: str, until: float = 240.0) -> Any:
    deadline = time.monotonic() + until
    while time.monotonic() < deadline:
        answer = client.post("/cypher", json={"query": query})
        if answer.status_code == 200:
            return answer
        assert answer.status_code == 503, answer.text
        time.sleep(0.5)
    pytest.fail(f"/cypher did not answer within {until:.0f} s: {answer.text}")


def test_without_java_everything_else_works_and_cypher_says_how(
    built_graphs: dict[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    settings = Settings(store_path=None, neo4j_managed=True, java="/nonexistent/bin/java")
    assert settings.managed_neo4j
    with (
        caplog.at_level(logging.WARNING, "defence_kg.cypher"),
        TestClient(create_app(settings, store)) as client,
    ):
        assert client.get("/api/entities/nato/members").status_code == 200
        answer = client.post("/cypher", json={"query": NATO})
        assert answer.status_code == 503
        assert "Java" in answer.json()["detail"] and "DEFENCE_KG_NEO4J_URI" in answer.json()["detail"]
    said = [r for r in caplog.records if "Cypher needs Java" in r.getMessage()]
    assert len(said) == 1


def test_uri_given_means_no_managed_server() -> None:
    assert not Settings(neo4j_uri="bolt://127.0.0.1:7999").managed_neo4j
    assert not Settings(neo4j_managed=False).managed_neo4j


def test_managed_neo4j_imports_syncs_and_comes_back(tmp_path: Path, built_graphs: dict[Any, Any]) -> None:
    if not java_available():
        pytest.skip("no Java/Maven here to start Neo4j")
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    home = tmp_path / "neo4j"
    settings = Settings(store_path=None, neo4j_managed=True, neo4j_home=home, query_timeout=10)
    with TestClient(create_app(settings, store)) as client:
        service = client.app.state.cypher  # type: ignore[attr-defined]
        body = _wait(client, NATO).json()
        assert body["rows"] == [[32]] and body["sync_error"] is None
        assert body["store_version"] == version_name(store)

        # Neo4j Browser (from Maven Central) is served offline at the managed server's HTTP port
        browser = httpx.get(service.browser_url, timeout=30)
        assert browser.status_code == 200 and "<title>Neo4j Browser</title>" in browser.text
        landing = client.get("/", headers={"accept": "text/html"}).text
        assert f'href="{service.browser_url}"' in landing
        assert "import" in service.timings, "an empty database is filled by neo4j-admin import"

        # the bulk import holds exactly what the store holds (the RDF read-back parity)
        target = Neo4jStore(uri=service.server.uri, settings=settings)
        assert set(target.quads()) == {q for q in store.quads() if q.graph_name.value}
        target.close()

        # a write that publishes a store version reaches /cypher, which says which version it reflects
        graph = URIRef("https://w3id.org/defence-kg/graph/test-managed")
        iso2 = URIRef("https://w3id.org/defence-kg/ontology#iso2")
        store.replace_graphs({graph: [(URIRef("https://w3id.org/defence-kg/id/XX"), iso2, Literal("XX"))]})
        deadline = time.monotonic() + 120
        while client.post("/cypher", json={"query": XX}).json()["store_version"] != version_name(store):
            assert time.monotonic() < deadline, "the write never reached Neo4j"
            time.sleep(0.5)
        assert client.post("/cypher", json={"query": XX}).json()["rows"] == [[["XX"]]]

        # killed: 503 while it is down, served again once the service has restarted it
        service.server.kill()
        answer = client.post("/cypher", json={"query": NATO})
        assert answer.status_code == 503, answer.text
        assert _wait(client, NATO).json()["rows"] == [[32]]
    assert not service.server.alive, "the server stops with the service"
