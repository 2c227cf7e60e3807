"""Interactive graph views (HTML pages drawn with vis-network) and the landing page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from defence_kg.api import picture_page, view_page
from defence_kg.api.deps import CacheDep, StoreDep
from defence_kg.api.models import ErrorOut
from defence_kg.api.tables import Format, download
from defence_kg.graph.analysis import document_reads, lookup, picture_data, view_data
from defence_kg.graph.analysis.view_data import View
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


Ids = Annotated[
    str | None,
    Query(max_length=2000, description="Comma-separated entity ids.", examples=["eu,nato,pesco,eda,jef,e2i"]),
]
TableFormat = Annotated[
    Format | None, Query(description="`csv` or `xlsx`: the same as a spreadsheet, `json` as JSON rows.")
]
PictureDate = Annotated[
    dt.date | None, Query(description="The day shown (YYYY-MM-DD), default today.", examples=["2024-06-01"])
]
MATRIX_COLUMNS = [
    "state",
    "state_label",
    "column",
    "column_label",
    "role",
    "from",
    "to",
    "basis",
    "confidence",
    "sources",
    "document_sources",
]
GROUP_COLUMNS = ["group", "frameworks", "state", "state_label", "document_only"]


def _matrix_lines(m: picture_data.Matrix) -> list[list[Any]]:
    labels = {c.id: c.label for c in m.columns} | {s["id"]: s["label"] for s in m.states}
    return [
        [
            c.state,
            labels[c.state],
            c.column,
            labels[c.column],
            r["role"],
            r["from"],
            r["to"],
            r["basis"],
            r["confidence"],
            "; ".join(s["id"] for s in r["sources"]),
            "; ".join(s["id"] for s in r["sources"] if s.get("basis") == "document"),
        ]
        for c in m.cells
        for r in c.rows
    ]


def _group_lines(o: picture_data.Overview) -> list[list[Any]]:
    names = {f["id"]: f["acronym"] or f["label"] for f in o.frameworks}
    return [
        [number, " + ".join(names[f] for f in g.frameworks), s["id"], s["label"], s["document"]]
        for number, g in enumerate(o.groups, 1)
        for s in g.states
    ]


def _table(kind: Format, name: str, columns: list[str], lines: list[list[Any]]) -> Response:
    if kind is Format.json:
        from fastapi.responses import JSONResponse

        return JSONResponse({"rows": [dict(zip(columns, line, strict=True)) for line in lines]})
    return download(kind, name, columns, lines)


@router.get("/matrix", response_class=HTMLResponse, responses=PAGE)
async def matrix(
    *,
    store: StoreDep,
    cache: CacheDep,
    at: PictureDate = None,
    columns: Ids = None,
    family: Annotated[
        str | None, Query(max_length=200, description="Only columns of these families.")
    ] = None,
    type: Annotated[str | None, Query(max_length=200, description="Only columns of these types.")] = None,
    basis: Annotated[str | None, Query(max_length=20, description="`reference` or `document` only.")] = None,
    format: TableFormat = None,
) -> Response:
    """Membership matrix: states by organisations, initiatives and projects, a cell per membership
    on the date coloured by role (curated or only from documents); or the same rows as CSV/XLSX."""
    day = at or dt.date.today()
    key = ("matrix", day, columns, family, type, basis)

    def build() -> picture_data.Matrix:
        return picture_data.matrix(store, day, columns, family, type, basis)

    if format is not None:
        m = await run_in_threadpool(cache.get, store.version, (*key, "data"), build)
        return _table(format, f"matrix-{day}", MATRIX_COLUMNS, _matrix_lines(m))
    html = await run_in_threadpool(cache.get, store.version, key, lambda: picture_page.render_matrix(build()))
    return page(html)


@router.get("/timeline", response_class=RedirectResponse, include_in_schema=False)
async def timeline_of(id: Annotated[str, Query(max_length=120)] = "nato") -> RedirectResponse:
    """The timeline form's target: on to /views/timeline/{id}."""
    from urllib.parse import quote

    return RedirectResponse(f"/views/timeline/{quote(id.strip(), safe='')}", status_code=303)


@router.get("/timeline/{entity_id}", response_class=HTMLResponse, responses={**PAGE, **NOT_FOUND})
async def timeline(
    *,
    store: StoreDep,
    cache: CacheDep,
    entity_id: Annotated[
        str,
        Path(
            description="Entity id: an organisation, initiative, project or state.",
            examples=["nato"],
            max_length=120,
        ),
    ],
) -> HTMLResponse:
    """Timeline: each member a bar from joining to leaving (or, for a state, everything it
    belongs to), accessions and exits marked, waves of projects (PESCO) as lines."""
    day = dt.date.today()
    html = await run_in_threadpool(
        cache.get,
        store.version,
        ("timeline", entity_id, day),
        lambda: picture_page.render_timeline(picture_data.timeline(store, entity_id, day)),
    )
    return page(html)


@router.get("/frameworks", response_class=HTMLResponse, responses=PAGE)
async def frameworks(
    *,
    store: StoreDep,
    cache: CacheDep,
    at: PictureDate = None,
    frameworks: Ids = None,
    format: TableFormat = None,
) -> Response:
    """Framework overview: which states belong to which combination of the main frameworks (EU,
    NATO, PESCO, EDA, JEF, E2I and any other with three states or more), each group listing them."""
    day = at or dt.date.today()
    key = ("frameworks", day, frameworks)

    def build() -> picture_data.Overview:
        return picture_data.frameworks(store, day, frameworks)

    if format is not None:
        o = await run_in_threadpool(cache.get, store.version, (*key, "data"), build)
        return _table(format, f"frameworks-{day}", GROUP_COLUMNS, _group_lines(o))
    html = await run_in_threadpool(
        cache.get, store.version, key, lambda: picture_page.render_frameworks(build())
    )
    return page(html)


def wants_html(request: Request) -> bool:
    """Whether the client asks for HTML first (a browser), rather than JSON."""
    accept = request.headers.get("accept", "").lower()
    html, json_at = accept.find("text/html"), accept.find("application/json")
    return html >= 0 and (json_at < 0 or html < json_at)


async def landing(
    store: StoreDep, cache: CacheDep, q: str | None, browser_url: str | None = None
) -> HTMLResponse:
    """The landing page, with search results for `q` (and a link to Neo4j Browser if served)."""

    def compute() -> str:
        results = lookup.search(store, q, None, 30) if q and q.strip() else None
        return view_page.landing(q, results, document_reads.documents(store), browser_url)

    html = await run_in_threadpool(cache.get, store.version, ("landing", q, browser_url), compute)
    return page(html)
