"""Security headers on every kind of response, pages free of inline script, and secrets never in
any log line or error message."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from defence_kg.api.main import create_app
from defence_kg.api.security import HEADERS
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

PAGES = ["/sparql", "/docs", "/redoc"]
OTHERS = [
    ("GET", "/", 200),
    ("GET", "/openapi.json", 200),
    ("GET", "/api/search?q=NATO", 200),
    ("GET", "/api/entities/nope", 404),
    ("GET", "/api/entities/DE/members?at=bad", 422),
    ("GET", "/sparql?query=SELECT", 400),
    ("GET", "/assets/pages/sparql.js", 200),
    ("GET", "/assets/docs/swagger-ui.css", 200),
    ("GET", "/no/such/route", 404),
    ("POST", "/api/documents", 401),
]


@pytest.fixture(scope="module")
def api() -> TestClient:
    store = OxigraphStore(None)
    store.rebuild(build_graphs())
    settings = Settings(store_path=None, api_key="the-write-key-4711", enable_update=True)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_the_headers_and_no_inline_script(api, path):
    page = api.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name, value in HEADERS.items():
        assert page.headers[name] == value
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
    assert "http" not in policy, "only the server's own assets are allowed"
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, (path, body[:80])
        assert "src=" not in attributes or body.strip() == ""
    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert url.startswith("/"), f"{path} refers to {url} outside the server"
        if url.startswith("/assets/") and "vendor" not in url:
            assert api.get(url).status_code == 200, url


@pytest.mark.parametrize(("method", "path", "status"), OTHERS)
def test_every_other_response_carries_the_headers(api, method, path, status):
    answer = api.request(method, path)
    assert answer.status_code == status, answer.text
    for name, value in HEADERS.items():
        assert answer.headers[name] == value, (path, name)


def test_the_api_key_is_never_logged_nor_echoed(api, caplog):
    """Requests with the right key, wrong keys and no key: no key appears in any log record or
    answer, nor in the settings' repr (a running server's own logs: test_served_pages.py)."""
    key = "the-write-key-4711"
    wrong = "the-write-key-4712"
    update = "INSERT DATA { GRAPH <urn:x:log-test> { <urn:x:a> <urn:x:b> 1 } }"
    with caplog.at_level(logging.DEBUG):
        answers = [
            api.post(
                "/sparql/update",
                content=update,
                headers={"Content-Type": "application/sparql-update", "X-API-Key": given},
            )
            for given in (key, wrong, "", key[:-1])
        ]
        answers.append(
            api.post("/sparql/update", content=update, headers={"Authorization": f"Bearer {wrong}"})
        )
        answers.append(
            api.post("/api/documents", headers={"X-API-Key": wrong}, files={"file": ("a.txt", b"x")})
        )
    assert [a.status_code for a in answers[:5]] == [204, 401, 401, 401, 401]
    for answer in answers:
        assert key not in answer.text and key not in str(answer.headers)
        assert wrong not in answer.text and wrong not in str(answer.headers)
    logged = "\n".join(f"{r.name}: {r.getMessage()} {r.args}" for r in caplog.records)
    assert key not in logged and wrong not in logged
    assert key not in repr(api.app.state.settings) and key not in str(api.app.state.settings.model_dump())
