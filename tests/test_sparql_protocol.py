"""The SPARQL 1.1 Protocol at /sparql: methods, dataset, formats, negotiation, errors, limits,
the query page, keys for writes; and real clients against a running server."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from xml.etree import ElementTree

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from defence_kg.api.main import create_app
from defence_kg.data import bundled_data_dir
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.reference import read_reference
from defence_kg.settings import Settings

STATES = (
    "PREFIX dkg: <https://w3id.org/defence-kg/ontology#> "
    "SELECT ?code WHERE { ?s dkg:iso2 ?code } ORDER BY ?code"
)
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
MEMBERSHIPS_GRAPH = "https://w3id.org/defence-kg/graph/reference/memberships"
STATE_COUNT = len(read_reference(bundled_data_dir()).states.states)  # one prefLabel per state
STATES_GRAPH = "https://w3id.org/defence-kg/graph/reference/states"


@pytest.fixture(scope="module")
def graphs():
    return build_graphs()


@pytest.fixture(scope="module")
def api(graphs):
    store = OxigraphStore(None)
    store.rebuild(graphs)
    settings = Settings(store_path=None, max_rows=500, api_key="s3cret-key", enable_update=True)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def codes(body: dict) -> list[str]:
    return [b["code"]["value"] for b in body["results"]["bindings"]]


def test_get_post_form_and_post_body_agree(api):
    by_get = api.get("/sparql", params={"query": STATES}).json()
    by_form = api.post("/sparql", data={"query": STATES}).json()
    by_body = api.post("/sparql", content=STATES, headers={"Content-Type": "application/sparql-query"}).json()
    assert codes(by_get) == codes(by_form) == codes(by_body)
    assert "DE" in codes(by_get)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("text/*;q=0.5, application/json;q=0.1", "text/csv"),
    ],
)
def test_select_formats_by_accept_with_q_values(api, accept, media):
    response = api.get("/sparql", params={"query": STATES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    text = response.text
    if media.endswith("json"):
        assert "DE" in codes(json.loads(text))
    elif media.endswith("xml"):
        root = ElementTree.fromstring(text)
        assert root.tag.endswith("sparql")
        assert "DE" in {e.text for e in root.iter() if e.tag.endswith("literal")}
    elif media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"code": "DE"} in rows
    else:
        assert text.splitlines()[0] == "?code" and '"DE"' in text


@pytest.mark.parametrize(
    ("accept", "parse"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(api, accept, parse):
    query = (
        "CONSTRUCT { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } WHERE { "
        "?s <https://w3id.org/defence-kg/ontology#iso2> ?c ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    )
    response = api.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == accept
    assert len(Graph().parse(data=response.content, format=parse)) == STATE_COUNT


def test_406_when_nothing_fits(api):
    response = api.get("/sparql", params={"query": STATES}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_dataset_parameters_are_honoured(api):
    only_states = api.get("/sparql", params={"query": STATES, "default-graph-uri": STATES_GRAPH})
    assert "DE" in codes(only_states.json())
    none = api.get("/sparql", params={"query": STATES, "default-graph-uri": MEMBERSHIPS_GRAPH})
    assert codes(none.json()) == []
    named = api.get("/sparql", params={"query": GRAPHS, "named-graph-uri": STATES_GRAPH}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [STATES_GRAPH]


def test_malformed_query_is_400_with_the_parsers_message(api):
    response = api.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "syntax" in response.json()["detail"].lower()


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/x>",
        "PREFIX x: <urn:x> DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_on_the_query_endpoint(api, update):
    assert api.get("/sparql", params={"query": update}).status_code == 403
    assert api.post("/sparql", data={"update": update}).status_code == 403
    assert (
        api.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}).status_code
        == 403
    )


def test_service_is_refused_by_default(api):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert api.get("/sparql", params={"query": query}).status_code == 403


def test_row_cap_is_signalled(api):
    response = api.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.headers["x-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 500


def test_query_page_for_browsers_and_service_description_for_others(api):
    page = api.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.headers["content-type"].startswith("text/html")
    assert "/assets/vendor/yasgui/yasgui.min.js" in page.text and "eu not nato" in page.text
    assert "cdn" not in page.text.lower()
    description = api.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=description.text, format="turtle")
    assert any("sparql-service-description" in str(o) for o in graph.objects())


def test_update_endpoint_needs_the_key(api):
    update = 'INSERT DATA { GRAPH <urn:g:test> { <urn:a> <urn:b> "c" } }'
    headers = {"Content-Type": "application/sparql-update"}
    assert api.post("/sparql/update", content=update, headers=headers).status_code == 401
    wrong = {**headers, "X-API-Key": "wrong"}
    assert api.post("/sparql/update", content=update, headers=wrong).status_code == 401
    right = {**headers, "Authorization": "Bearer s3cret-key"}
    assert api.post("/sparql/update", content=update, headers=right).status_code == 204
    ask = api.get("/sparql", params={"query": "ASK { GRAPH <urn:g:test> { <urn:a> ?p ?o } }"})
    assert ask.json()["boolean"] is True


def test_writes_are_refused_when_no_key_is_configured(graphs):
    store = OxigraphStore(None)
    store.rebuild(graphs)
    with TestClient(create_app(Settings(store_path=None, enable_update=True), store=store)) as c:
        response = c.post(
            "/sparql/update",
            content="CLEAR ALL",
            headers={"X-API-Key": "", "Content-Type": "application/sparql-update"},
        )
        assert response.status_code == 401 and "no API key" in response.json()["detail"]
        upload = c.post("/api/documents", files={"file": ("a.txt", b"Denmark joined PESCO.")})
        assert upload.status_code == 401


def test_document_upload_with_key_size_limit_and_path_traversal(graphs):
    store = OxigraphStore(None)
    store.rebuild(graphs)
    settings = Settings(store_path=None, api_key="k", max_document_bytes=2000)
    with TestClient(create_app(settings, store=store)) as c:

        def pesco_sources() -> set[str]:
            rows = c.get("/api/entities/DK/memberships").json()["memberships"]
            return {s["id"] for r in rows if r["organisation"] == "pesco" for s in r["sources"]}

        assert "passwd" not in pesco_sources()  # answered, and cached for this version
        ok = c.post(
            "/api/documents",
            headers={"X-API-Key": "k"},
            files={"file": ("../../etc/passwd.txt", b"In May 2023, Denmark joined PESCO.")},
            data={"title": "A note", "date": "2023-06"},
        )
        assert ok.status_code == 201, ok.text
        [doc] = ok.json()["documents"]
        assert doc["id"] == "passwd" and "etc" not in doc["path"].split("/")[-1]
        listed = c.get("/api/documents").json()["documents"]
        assert any(d["title"] == "A note" for d in listed)
        assert "passwd" in pesco_sources(), "a new store version is never answered from cache"
        big = c.post("/api/documents", headers={"X-API-Key": "k"}, files={"file": ("big.txt", b"x" * 3000)})
        assert big.status_code == 413
        binary = c.post(
            "/api/documents", headers={"X-API-Key": "k"}, files={"file": ("b.txt", b"\x00\x01" * 50)}
        )
        assert binary.status_code == 422 and "binary" in binary.json()["detail"]


def test_cors_is_closed_by_default_and_configurable(graphs):
    store = OxigraphStore(None)
    store.rebuild(graphs)
    origin = {"Origin": "http://analyst.example"}
    with TestClient(create_app(Settings(store_path=None), store=store)) as c:
        assert "access-control-allow-origin" not in c.get("/api/search?q=DE", headers=origin).headers
    settings = Settings(store_path=None, cors_origins=["http://analyst.example"])
    with TestClient(create_app(settings, store=store)) as c:
        response = c.get("/api/search?q=DE", headers=origin)
        assert response.headers["access-control-allow-origin"] == "http://analyst.example"


# --------------------------------------------------------------------------- a running server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, graphs):
    folder = tmp_path_factory.mktemp("served")
    store = OxigraphStore(folder / "store")
    store.rebuild(graphs)
    store.close()
    port = _free_port()
    env = {
        **os.environ,
        "DEFENCE_KG_STORE_PATH": str(folder / "store"),
        "DEFENCE_KG_QUERY_TIMEOUT": "2",
        "DEFENCE_KG_MAX_ROWS": "1000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "defence_kg.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(process.stderr.read().decode() if process.stderr else "no server")
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_sparqlwrapper_against_a_running_server(server):
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(STATES)
    client.setReturnFormat(JSON)
    assert "DE" in [b["code"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    client.setReturnFormat(XML)
    assert client.queryAndConvert().documentElement.tagName == "sparql"
    client.setReturnFormat(CSV)
    assert b"DE" in client.queryAndConvert()
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"]


def test_rdflib_sparqlstore_against_a_running_server(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    rows = list(graph.query(STATES))
    assert "DE" in {str(r[0]) for r in rows}
    assert len(rows) == STATE_COUNT


def test_time_limit_stops_the_query_and_the_server_keeps_answering(server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    response = httpx.get(f"{server}/sparql", params={"query": runaway}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and "limit" in response.json()["detail"]
    assert elapsed < 10
    quick = httpx.get(f"{server}/sparql", params={"query": STATES}, timeout=10)
    assert quick.status_code == 200 and "DE" in codes(quick.json())
    assert httpx.get(f"{server}/api/entities/nato", timeout=10).status_code == 200
