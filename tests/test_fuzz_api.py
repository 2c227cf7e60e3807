"""Schemathesis over the OpenAPI schema: no generated request may cause a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from defence_kg.api.main import create_app
from defence_kg.graph.build import build_graphs
from defence_kg.graph.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings


def _app():
    store = OxigraphStore(None)
    store.rebuild(build_graphs())
    return create_app(Settings(store_path=None, max_rows=200, query_timeout=5, api_key="k"), store=store)


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx, value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
def test_no_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
