"""Dependencies of the routes, as named Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from defence_kg.graph.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings


def get_store(request: Request) -> OxigraphStore:
    """The app's store, reopened first if `defence-kg build` published a new version."""
    store: OxigraphStore = request.app.state.store
    store.refresh()
    return store


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[OxigraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
