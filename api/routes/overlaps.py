"""Overlap and duplication between initiatives and projects: ranked pairs and one pair in detail."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from defence_kg.api.deps import CacheDep, StoreDep
from defence_kg.api.models import ErrorOut
from defence_kg.api.tables import OVERLAP_COLUMNS, Format, download, overlaps_table, wanted_format
from defence_kg.errors import InvalidParameter
from defence_kg.graph.analysis.overlaps import Overlap, overlap_detail, overlap_pairs
from defence_kg.loaders.schema import MAX_ID_LENGTH

router = APIRouter(prefix="/api", tags=["overlaps"])

EXAMPLE = {
    "at": "2026-12-01",
    "overlaps": [
        {
            "a": "card",
            "b": "ndpp",
            "a_label": "Coordinated Annual Review on Defence",
            "b_label": "NATO Defence Planning Process",
            "a_family": "EU",
            "b_family": "NATO",
            "at": "2026-12-01",
            "score": 0.6,
            "cross_line": True,
            "components": [
                {
                    "name": "function",
                    "score": 1.0,
                    "weight": 0.3,
                    "contribution": 0.3,
                    "explanation": "Both work in Defence planning and capability development.",
                    "details": {"shared": ["defence-planning"]},
                }
            ],
            "evidence": [
                {
                    "kind": "complementarity",
                    "quote": "synchronised defence planning between the NDPP and the CARD ...",
                    "document": "cepob-2021-pesco-nato-us",
                    "source": "cepob-2021-pesco-nato-us",
                    "statement": "https://w3id.org/defence-kg/id/statement/cepob-2021-pesco-nato-us/0a1b2c3d4e5f",
                }
            ],
        }
    ],
}


class OverlapsOut(BaseModel):
    at: dt.date = Field(description="The day the memberships were taken on.")
    overlaps: list[Overlap]


Id = Annotated[str | None, Query(max_length=MAX_ID_LENGTH, description="Entity id.", examples=["card"])]


@router.get(
    "/overlaps",
    response_model=OverlapsOut,
    responses={
        200: {
            "content": {
                "application/json": {"example": EXAMPLE},
                "text/csv": {"example": "a,a_label,a_family,b,b_label,b_family,at,score,..."},
            },
            "description": "JSON, or with `format=csv|xlsx` (or the Accept header) a spreadsheet.",
        },
        404: {"model": ErrorOut, "description": "No initiative, organisation or project with that id."},
        422: {"model": ErrorOut, "description": "A malformed date, or `a` without `b`."},
    },
)
def get_overlaps(
    *,
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    entity: Annotated[
        str | None,
        Query(max_length=MAX_ID_LENGTH, description="Only pairs with this entity.", examples=["pesco"]),
    ] = None,
    a: Id = None,
    b: Annotated[
        str | None,
        Query(max_length=MAX_ID_LENGTH, description="With `a`: this pair in detail.", examples=["ndpp"]),
    ] = None,
    at: Annotated[
        dt.date | None, Query(description="Memberships on this day (default today).", examples=["2022-01-01"])
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Pairs at most.")] = 50,
    min_score: Annotated[float, Query(ge=0, le=1, description="Only pairs scoring at least this.")] = 0.0,
    format: Annotated[
        Format | None, Query(description="`csv` or `xlsx` for a spreadsheet (or `Accept: text/csv`).")
    ] = None,
) -> dict | Response:
    """Ranked overlaps (all pairs or one entity's), or with `a` and `b` one pair in detail."""
    day = at or dt.date.today()
    if (a is None) != (b is None):
        raise InvalidParameter("give both `a` and `b` for one pair, or neither")
    if a is not None and b is not None:
        found = [
            cache.get(store.version, ("overlap", a, b, day), lambda: overlap_detail(store, a, b, at=day))
        ]
    else:
        key = ("overlaps", entity, day, limit, min_score)
        found = cache.get(
            store.version,
            key,
            lambda: overlap_pairs(store, entity=entity, at=day, limit=limit, min_score=min_score),
        )
    answer = wanted_format(request, format)
    if answer is not Format.json:
        rows = overlaps_table(o.model_dump(mode="json") for o in found)
        return download(answer, f"overlaps-{entity or a or 'all'}-{day}", OVERLAP_COLUMNS, rows)
    return {"at": day, "overlaps": found}
