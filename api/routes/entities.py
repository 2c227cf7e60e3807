"""Entities, their members, memberships and parts."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from defence_kg.api.deps import CacheDep, StoreDep
from defence_kg.api.models import (
    CoverageOut,
    EntityOut,
    ErrorOut,
    MembershipsOut,
    MembersOut,
    PartsOut,
    SearchResults,
)
from defence_kg.api.tables import (
    MEMBERSHIP_COLUMNS,
    PART_COLUMNS,
    Format,
    download,
    membership_table,
    parts_table,
    wanted_format,
)
from defence_kg.graph.analysis import coverage, lookup
from defence_kg.loaders.schema import MAX_ID_LENGTH, Role

router = APIRouter(prefix="/api", tags=["entities"])
NOT_FOUND = {404: {"model": ErrorOut, "description": "No entity with that id."}}


class TypeName(StrEnum):
    State = "State"
    Organisation = "Organisation"
    Initiative = "Initiative"
    Programme = "Programme"
    Formation = "Formation"
    Grouping = "Grouping"
    CentreOfExcellence = "CentreOfExcellence"
    Operation = "Operation"
    Project = "Project"
    Body = "Body"
    Company = "Company"
    Document = "Document"


EntityId = Annotated[
    str,
    Path(
        description="Entity id: ISO code for states (DE), else a slug.",
        examples=["nato", "DE", "pesco-military-mobility"],
        max_length=MAX_ID_LENGTH,
    ),
]
AtDate = Annotated[
    dt.date | None,
    Query(description="Only memberships valid on this day (YYYY-MM-DD).", examples=["2022-01-01"]),
]
RoleFilter = Annotated[Role | None, Query(description="Only this role.")]


class Basis(StrEnum):
    reference = "reference"
    document = "document"


class Detail(StrEnum):
    sources = "sources"


BasisFilter = Annotated[
    Basis | None,
    Query(
        description="`reference`: leave out what only loaded documents say; `document`: only that.",
        examples=["reference"],
    ),
]
DetailQuery = Annotated[
    Detail | None,
    Query(description="`sources`: one row per membership node (per source), not merged."),
]
FormatQuery = Annotated[
    Format | None,
    Query(description="`csv` or `xlsx` for a spreadsheet (or send `Accept: text/csv`); JSON by default."),
]
TABLES = {
    200: {
        "content": {
            "text/csv": {"example": "entity,id,label,type,iso2,role,from,to,basis,..."},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        },
        "description": "JSON, or with `format=csv|xlsx` (or the Accept header) a spreadsheet.",
    }
}


@router.get("/search", response_model=SearchResults, response_model_exclude_none=True)
async def search(
    *,
    store: StoreDep,
    cache: CacheDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Text to find.", examples=["Denmark"])],
    type: Annotated[TypeName | None, Query(description="Only this type.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict:
    """Find entities by label, acronym, ISO code or alias; exact matches first."""
    kind = type.value if type else None
    hits = await cache.aget(
        store.version, ("search", q, kind, limit), lambda: lookup.search(store, q, kind, limit)
    )
    return {"results": hits}


@router.get("/coverage", response_model=CoverageOut)
async def get_coverage(*, store: StoreDep, cache: CacheDep) -> dict:
    """Per kind of structure, how many the curated data holds, with members, dated, led; and
    where the gaps are written down. Document claims do not count."""
    kinds = await cache.aget(
        store.version, ("coverage",), lambda: [k.as_dict() for k in coverage.coverage(store)]
    )
    return {"kinds": kinds, "gaps": list(coverage.GAPS_FILES)}


@router.get(
    "/entities/{entity_id}", response_model=EntityOut, response_model_exclude_none=True, responses=NOT_FOUND
)
async def get_entity(*, store: StoreDep, cache: CacheDep, entity_id: EntityId) -> dict:
    """One entity with its labels, identifiers and sources."""
    return await cache.aget(store.version, ("entity", entity_id), lambda: lookup.entity(store, entity_id))


async def _membership_answer(
    request: Request,
    cache: CacheDep,
    store: StoreDep,
    kind: str,
    entity_id: str,
    at: dt.date | None,
    role: Role | None,
    basis: Basis | None,
    detail: Detail | None,
    format: Format | None,
) -> dict | Response:
    wanted, base = (role.value if role else None), (basis.value if basis else None)
    read = lookup.members if kind == "members" else lookup.memberships
    rows = await cache.aget(
        store.version,
        (kind, entity_id, at, wanted, base, detail is not None),
        lambda: read(store, entity_id, at, wanted, basis=base, detail=detail is not None),
    )
    answer = wanted_format(request, format)
    if answer is Format.json:
        return {kind: rows}
    name = f"{entity_id}-{kind}" + (f"-{at}" if at else "")
    return download(answer, name, MEMBERSHIP_COLUMNS, membership_table(entity_id, rows))


@router.get(
    "/entities/{entity_id}/members",
    response_model=MembersOut,
    response_model_exclude_none=True,
    response_model_by_alias=True,
    responses={**NOT_FOUND, **TABLES},
)
async def get_members(
    *,
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    entity_id: EntityId,
    at: AtDate = None,
    role: RoleFilter = None,
    basis: BasisFilter = None,
    detail: DetailQuery = None,
    format: FormatQuery = None,
) -> dict | Response:
    """Members and participants of an organisation, initiative or project: one row per member, role
    and period with its sources merged and its `basis` (curated `reference` or only `document`)."""
    return await _membership_answer(
        request, cache, store, "members", entity_id, at, role, basis, detail, format
    )


@router.get(
    "/entities/{entity_id}/memberships",
    response_model=MembershipsOut,
    response_model_exclude_none=True,
    response_model_by_alias=True,
    responses={**NOT_FOUND, **TABLES},
)
async def get_memberships(
    *,
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    entity_id: EntityId,
    at: AtDate = None,
    role: RoleFilter = None,
    basis: BasisFilter = None,
    detail: DetailQuery = None,
    format: FormatQuery = None,
) -> dict | Response:
    """What an entity is or was a member of or takes part in, one row per organisation, role and
    period, with dates, `basis` and sources."""
    return await _membership_answer(
        request, cache, store, "memberships", entity_id, at, role, basis, detail, format
    )


@router.get(
    "/entities/{entity_id}/parts",
    response_model=PartsOut,
    response_model_exclude_none=True,
    responses={**NOT_FOUND, **TABLES},
)
async def get_parts(
    *, request: Request, store: StoreDep, cache: CacheDep, entity_id: EntityId, format: FormatQuery = None
) -> dict | Response:
    """Projects or components of an initiative, such as the PESCO projects of PESCO."""
    parts = await cache.aget(store.version, ("parts", entity_id), lambda: lookup.parts(store, entity_id))
    answer = wanted_format(request, format)
    if answer is Format.json:
        return {"parts": parts}
    return download(answer, f"{entity_id}-parts", PART_COLUMNS, parts_table(entity_id, parts))
