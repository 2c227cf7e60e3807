"""Schemathesis over the OpenAPI schema: no generated request may cause a server error."""

from __future__ import annotations

import secrets
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from defence_kg.api.main import create_app
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

TRIED: Counter[str] = Counter()  # read by `make fuzz`
STORE = OxigraphStore(None)
STORE.rebuild(build_graphs())
BEFORE = frozenset(STORE.quads())


# A key no generated request can guess: every write must be refused, so nothing may change.
SETTINGS = Settings(store_path=None, max_rows=200, query_timeout=5, api_key=secrets.token_hex(16))


@pytest.fixture(scope="module", autouse=True)
def _cypher_on_a_real_neo4j(neo4j_server):
    """/cypher is fuzzed against the session's real Neo4j (the schema is made at import time,
    before the server exists, so the URI is set here)."""
    SETTINGS.neo4j_uri = neo4j_server.uri


def _app():
    return create_app(SETTINGS, store=STORE)


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx, value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@pytest.mark.slow
@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_server_error(case):
    TRIED["API (schemathesis)"] += 1
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.slow
def test_the_fuzzed_store_is_unchanged():
    assert frozenset(STORE.quads()) == BEFORE
    TRIED["store unchanged"] += 1
