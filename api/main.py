"""Assembles the FastAPI application from its routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from defence_kg import __version__
from defence_kg.api.deps import CacheDep, StoreDep
from defence_kg.api.routes import cypher, docs, documents, entities, overlaps, sparql, views
from defence_kg.api.security import SecurityHeaders
from defence_kg.api.view_page import VIEW_ASSETS, VIS_ASSETS
from defence_kg.errors import DefenceKGError
from defence_kg.graph.answers.cache import VersionCache
from defence_kg.graph.answers.cypher_read import Neo4jReader
from defence_kg.graph.answers.cypher_service import CypherService
from defence_kg.graph.answers.query_runner import QueryRunner
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings, get_settings

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
DESCRIPTION = """\
Who takes part in what in European defence, since when, and on what source.
Every membership carries its dates and its sources. See the README for a tour."""


def create_app(settings: Settings | None = None, store: OxigraphStore | None = None) -> FastAPI:
    """The API over `store`, or over the on-disk store the settings name (opened read-only)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is None:
            app.state.store = OxigraphStore(settings.store_path, read_only=True)
        app.state.runner = QueryRunner(app.state.store, settings.query_timeout, settings.query_workers)
        app.state.cypher = None
        if settings.managed_neo4j:
            own = app.state.store if settings.store_path is None or store is not None else None
            source = own or OxigraphStore(settings.store_path, read_only=True)
            app.state.cypher = CypherService(settings, source)
            app.state.cypher.start()
        yield
        if app.state.cypher is not None:
            app.state.cypher.stop()
        app.state.runner.close()
        Neo4jReader.close_all()

    app = FastAPI(
        title="defence-kg",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.cache = VersionCache(settings.cache_size)
    if store is not None:
        app.state.store = store

    @app.exception_handler(DefenceKGError)
    async def project_error(_request: Request, error: DefenceKGError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=error.status_code)

    index_example = {
        "name": "defence-kg",
        "version": __version__,
        "docs": "/docs",
        "redoc": "/redoc",
        "sparql": "/sparql",
        "search": "/api/search?q=PESCO",
    }

    index_page = {"text/html": {"example": views.PAGE_EXAMPLE.replace("Membership map", "defence-kg")}}

    @app.get(
        "/",
        tags=["meta"],
        responses={200: {"content": {"application/json": {"example": index_example}, **index_page}}},
    )
    async def index(
        request: Request,
        store: StoreDep,
        cache: CacheDep,
        q: Annotated[str | None, Query(description="Search text (landing page).", max_length=200)] = None,
    ) -> Any:
        """Where to go from here: a landing page for browsers, these links as JSON otherwise."""
        if views.wants_html(request):
            cypher = request.app.state.cypher
            return await views.landing(store, cache, q, cypher.browser_url if cypher else None)
        return dict(index_example)

    app.include_router(entities.router)
    app.include_router(documents.router)
    app.include_router(overlaps.router)
    app.include_router(sparql.router)
    app.include_router(cypher.router)
    app.include_router(views.router)
    docs.mount(app)
    app.mount("/assets/vendor", StaticFiles(directory=VENDOR, check_dir=False), name="vendor")
    app.mount("/assets/vis", StaticFiles(directory=VIS_ASSETS), name="vis-network")
    app.mount("/assets/views", StaticFiles(directory=VIEW_ASSETS), name="views")
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    app.add_middleware(SecurityHeaders)  # outermost: errors and CORS answers get the headers too
    return app
