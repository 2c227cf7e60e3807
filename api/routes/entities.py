"""Entities, their members, memberships and parts."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query

from defence_kg.api.deps import CacheDep, StoreDep
from defence_kg.api.models import (
    EntityOut,
    ErrorOut,
    MembershipsOut,
    MembersOut,
    PartsOut,
    SearchResults,
)
from defence_kg.graph import lookup
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


@router.get(
    "/entities/{entity_id}", response_model=EntityOut, response_model_exclude_none=True, responses=NOT_FOUND
)
async def get_entity(*, store: StoreDep, cache: CacheDep, entity_id: EntityId) -> dict:
    """One entity with its labels, identifiers and sources."""
    return await cache.aget(store.version, ("entity", entity_id), lambda: lookup.entity(store, entity_id))


@router.get(
    "/entities/{entity_id}/members",
    response_model=MembersOut,
    response_model_exclude_none=True,
    response_model_by_alias=True,
    responses=NOT_FOUND,
)
async def get_members(
    *, store: StoreDep, cache: CacheDep, entity_id: EntityId, at: AtDate = None, role: RoleFilter = None
) -> dict:
    """Members and participants of an organisation, initiative or project, with dates and sources."""
    wanted = role.value if role else None
    rows = await cache.aget(
        store.version,
        ("members", entity_id, at, wanted),
        lambda: lookup.members(store, entity_id, at, wanted),
    )
    return {"members": rows}


@router.get(
    "/entities/{entity_id}/memberships",
    response_model=MembershipsOut,
    response_model_exclude_none=True,
    response_model_by_alias=True,
    responses=NOT_FOUND,
)
async def get_memberships(
    *, store: StoreDep, cache: CacheDep, entity_id: EntityId, at: AtDate = None, role: RoleFilter = None
) -> dict:
    """What an entity is or was a member of or takes part in, with dates and sources."""
    wanted = role.value if role else None
    rows = await cache.aget(
        store.version,
        ("memberships", entity_id, at, wanted),
        lambda: lookup.memberships(store, entity_id, at, wanted),
    )
    return {"memberships": rows}


@router.get(
    "/entities/{entity_id}/parts",
    response_model=PartsOut,
    response_model_exclude_none=True,
    responses=NOT_FOUND,
)
async def get_parts(*, store: StoreDep, cache: CacheDep, entity_id: EntityId) -> dict:
    """Projects or components of an initiative, such as the PESCO projects of PESCO."""
    parts = await cache.aget(store.version, ("parts", entity_id), lambda: lookup.parts(store, entity_id))
    return {"parts": parts}
