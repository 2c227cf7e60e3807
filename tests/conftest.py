"""Shared fixtures: the real bundled data built into an in-memory store, and an API client."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from defence_kg.api.main import create_app
from defence_kg.data import bundled_data_dir
from defence_kg.errors import StoreError
from defence_kg.graph.publish.build import build, build_graphs
from defence_kg.graph.store.base import BACKENDS, Store, backend_class, open_store
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

# One real Neo4j per session (the `neo4j_server` fixture): apps made in tests start none of their
# own; the managed mode has tests of its own (tests/test_cypher_service.py).
os.environ.setdefault("DEFENCE_KG_NEO4J_MANAGED", "false")

# Hypothesis: 40 examples per property in the suite; `make fuzz` loads the `fuzz` profile.
hypothesis_settings.register_profile("suite", max_examples=40, deadline=None)
hypothesis_settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("DEFENCE_KG_FUZZ_EXAMPLES", "1500")), deadline=None
)
hypothesis_settings.load_profile("suite")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DEFENCE_KG_SHARED", REPO.parent / "shared"))


def shared_file(*parts: str) -> Path:
    """A file of ../shared; a missing one fails in CI and skips elsewhere."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI must have shared/ beside the repository")
        pytest.skip(f"{path} not present")
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the backend runs of a test marked `needs("sparql")` for backends without that
    capability: such a run does not exist (reported as deselected, never as a skip)."""
    kept, dropped = [], []
    for item in items:
        needs = item.get_closest_marker("needs")
        params = getattr(getattr(item, "callspec", None), "params", {})
        backend = params.get("store") or params.get("empty_store")
        unsupported = backend is not None and any(
            not getattr(backend_class(backend), f"supports_{c}") for c in (needs.args if needs else ())
        )
        (dropped if unsupported else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Any]:
    """A real Neo4j 5.26 on a free port for the whole session; in CI it must start."""
    from defence_kg.graph.store.neo4j_server import Neo4jServer, java_available

    if not java_available():
        if os.environ.get("CI"):
            pytest.fail("Java and Maven are needed to start Neo4j in CI")
        pytest.skip("no Java/Maven here to start Neo4j")
    try:
        server = Neo4jServer().start()
    except StoreError as error:
        pytest.fail(f"Neo4j did not start: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_graphs() -> dict[Any, Any]:
    """The reference graphs built from the bundled data (read, converted, SHACL-checked once)."""
    return build_graphs()


def neo4j_store(request: pytest.FixtureRequest, **options: Any) -> Store:
    """A Neo4jStore on the session's server, with short retries so faults show quickly."""
    from defence_kg.graph.store.neo4j_store import Neo4jStore

    server = request.getfixturevalue("neo4j_server")
    return Neo4jStore(uri=server.uri, retry_seconds=2, **options)


_BUILT: dict[str, Store] = {}


@pytest.fixture(scope="session", params=sorted(BACKENDS))
def store(request: pytest.FixtureRequest, built_graphs: dict[Any, Any]) -> Store:
    """Every store backend holding the graph built from the bundled data (Oxigraph in memory)."""
    if request.param == "oxigraph":
        target = open_store("oxigraph", None)
        build(target)  # type: ignore[arg-type]
        return target
    target = neo4j_store(request)
    target.clear()  # type: ignore[attr-defined]
    target.replace_graphs(built_graphs)
    _BUILT["neo4j"] = target
    return target


@pytest.fixture(params=sorted(BACKENDS))
def empty_store(request: pytest.FixtureRequest, built_graphs: dict[Any, Any]) -> Iterator[Store]:
    """Every store backend, empty; Neo4j gets the built graph back afterwards for `store`."""
    if request.param == "oxigraph":
        yield open_store("oxigraph", None)
        return
    target = neo4j_store(request)
    target.clear()  # type: ignore[attr-defined]
    yield target
    if "neo4j" in _BUILT:
        target.clear()  # type: ignore[attr-defined]
        target.replace_graphs(built_graphs)
    target.close()


@pytest.fixture(scope="session")
def client(store: OxigraphStore) -> Iterator[TestClient]:
    """The API over the built store (SPARQL backends only: tests using it need "sparql")."""
    settings = Settings(store_path=None, query_timeout=5, max_rows=500)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, for tests that break a file."""
    target = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """Two large sets of quads compared: their sizes and a few differences. pytest's own diff of
    sets this size runs for tens of minutes (difflib is quadratic) and says less."""
    sets = (set, frozenset)
    if (
        op != "=="
        or not isinstance(left, sets)
        or not isinstance(right, sets)
        or len(left) + len(right) < 500
    ):
        return None
    extra, missing = sorted(map(str, left - right)), sorted(map(str, right - left))
    return [
        f"sets of {len(left)} and {len(right)} differ: {len(extra)} only left, {len(missing)} only right",
        *(f"only left:  {item[:200]}" for item in extra[:5]),
        *(f"only right: {item[:200]}" for item in missing[:5]),
    ]
