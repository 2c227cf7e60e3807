"""Dependencies of the routes, as named Annotated aliases. They are async because they only read
app state: a sync dependency would cost a thread-pool round trip on every request."""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request

from defence_kg.errors import Unauthorized
from defence_kg.graph.answers.cache import VersionCache
from defence_kg.graph.answers.query_runner import QueryRunner
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings


async def get_store(request: Request) -> OxigraphStore:
    """The app's store, reopened first if `defence-kg build` published a new version."""
    store: OxigraphStore = request.app.state.store
    store.refresh()
    return store


@contextlib.contextmanager
def store_writer(request: Request) -> Iterator[OxigraphStore]:
    """A writer of the app's store: for one on disk a store of its own (waiting for the write
    lock up to `write_wait`, closed afterwards); an in-memory store is written in place."""
    store: OxigraphStore = request.app.state.store
    if store.path is None:
        yield store
        return
    settings: Settings = request.app.state.settings
    log = logging.getLogger("defence_kg.api")

    def waiting(holder: object) -> None:
        log.info("a write waits for the store's write lock, held by %s", holder or "another writer")

    with OxigraphStore(
        store.path, read_only=False, write_wait=settings.write_wait, on_wait=waiting
    ) as writer:
        yield writer


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_runner(request: Request) -> QueryRunner:
    return request.app.state.runner


async def get_cache(request: Request) -> VersionCache:
    return request.app.state.cache


async def require_key(
    request: Request,
    x_api_key: Annotated[str | None, Header(description="The write key (DEFENCE_KG_API_KEY).")] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """Refuse a write unless it presents the configured key (compared in constant time)."""
    settings: Settings = request.app.state.settings
    if settings.api_key is None:
        raise Unauthorized("writes are disabled: no API key is configured (DEFENCE_KG_API_KEY)")
    given = x_api_key
    if given is None and authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    expected = settings.api_key.get_secret_value().encode()
    if not given or not hmac.compare_digest(given.encode(), expected):
        raise Unauthorized("a valid API key is required (X-API-Key or Authorization: Bearer)")


StoreDep = Annotated[OxigraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
CacheDep = Annotated[VersionCache, Depends(get_cache)]
WriteKey = Depends(require_key)
