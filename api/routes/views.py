"""Interactive graph views (HTML pages drawn with vis-network) and the landing page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from defence_kg.api import view_page
from defence_kg.api.deps import CacheDep, StoreDep
from defence_kg.api.models import ErrorOut
from defence_kg.graph import documents, lookup, view_data
from defence_kg.graph.view_data import View
from defence_kg.loaders.schema import MAX_ID_LENGTH

router = APIRouter(prefix="/views", tags=["views"])
PAGE_EXAMPLE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>defence-kg · Membership map'
)
PAGE = {
    200: {"content": {"text/html": {"example": PAGE_EXAMPLE}}, "description": "The view as an HTML page."},
}
NOT_FOUND = {404: {"model": ErrorOut, "description": "No entity or document with that id."}}

AtDate = Annotated[
    dt.date | None,
    Query(description="Only memberships valid on this day (YYYY-MM-DD).", examples=["2022-01-01"]),
]
Depth = Annotated[
    int, Query(ge=1, le=view_data.MAX_DEPTH, description="Links to follow from the entity.", examples=[2])
]

MinScore = Annotated[
    float, Query(ge=0, le=1, description="Only pairs scoring at least this (0 to 1).", examples=[0.4])
]


def page(html: str) -> HTMLResponse:
    """An HTML answer (the security middleware adds the Content-Security-Policy)."""
    return HTMLResponse(html)


async def _view(store: StoreDep, cache: CacheDep, key: tuple[Any, ...], build: Any) -> HTMLResponse:
    def compute() -> str:
        view: View = build()
        return view_page.render(view)

    html = await run_in_threadpool(cache.get, store.version, ("view", *key), compute)
    return page(html)


@router.get("/membership", response_class=HTMLResponse, responses=PAGE)
async def membership_map(*, store: StoreDep, cache: CacheDep, at: AtDate = None) -> HTMLResponse:
    """Membership map: states and the organisations, initiatives and projects they belong to."""
    return await _view(store, cache, ("membership", at), lambda: view_data.membership_view(store, at))


@router.get("/overlap", response_class=HTMLResponse, responses=PAGE)
async def overlap_map(
    *, store: StoreDep, cache: CacheDep, at: AtDate = None, min_score: MinScore = view_data.DEFAULT_MIN_SCORE
) -> HTMLResponse:
    """Overlap map: initiatives linked by overlap score, with components and evidence."""
    key = ("overlap", at, min_score)
    return await _view(store, cache, key, lambda: view_data.overlap_view(store, at, min_score))


@router.get("/ego/{entity_id}", response_class=HTMLResponse, responses={**PAGE, **NOT_FOUND})
async def ego(
    *,
    store: StoreDep,
    cache: CacheDep,
    entity_id: Annotated[
        str, Path(description="Entity id (ISO code or slug).", examples=["pesco"], max_length=MAX_ID_LENGTH)
    ],
    depth: Depth = 1,
    at: AtDate = None,
) -> HTMLResponse:
    """Ego view: an entity and everything within `depth` links of it."""
    key = ("ego", entity_id, depth, at)
    return await _view(store, cache, key, lambda: view_data.ego_view(store, entity_id, depth, at))


@router.get("/document/{doc_id}", response_class=HTMLResponse, responses={**PAGE, **NOT_FOUND})
async def document(
    *,
    store: StoreDep,
    cache: CacheDep,
    doc_id: Annotated[
        str, Path(description="Document id.", examples=["eeas-pesco-factsheet"], max_length=MAX_ID_LENGTH)
    ],
) -> HTMLResponse:
    """Document view: the statements one loaded document contributed."""
    return await _view(store, cache, ("document", doc_id), lambda: view_data.document_view(store, doc_id))


def wants_html(request: Request) -> bool:
    """Whether the client asks for HTML first (a browser), rather than JSON."""
    accept = request.headers.get("accept", "").lower()
    html, json_at = accept.find("text/html"), accept.find("application/json")
    return html >= 0 and (json_at < 0 or html < json_at)


async def landing(store: StoreDep, cache: CacheDep, q: str | None) -> HTMLResponse:
    """The landing page, with search results for `q`."""

    def compute() -> str:
        results = lookup.search(store, q, None, 30) if q and q.strip() else None
        return view_page.landing(q, results, documents.documents(store))

    html = await run_in_threadpool(cache.get, store.version, ("landing", q), compute)
    return page(html)
