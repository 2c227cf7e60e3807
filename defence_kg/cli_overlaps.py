"""Helpers of `defence-kg overlaps`: finding the entity a name means, and the result table."""

from __future__ import annotations

import datetime as dt

from rich.table import Table

from defence_kg.errors import NotFound
from defence_kg.graph.analysis import lookup
from defence_kg.graph.analysis.overlaps import Overlap
from defence_kg.graph.queries.sparql_queries import INITIATIVE_KINDS
from defence_kg.graph.store.base import Store

OVERLAP_TYPES = ("Initiative", "Organisation", "Project", *INITIATIVE_KINDS)


def resolve_overlap_entity(store: Store, name: str) -> str:
    """The id of the initiative, organisation or project `name` is (an id, label or acronym)."""
    for hit in lookup.search(store, name, limit=50):
        if hit["type"] in OVERLAP_TYPES:
            return hit["id"]
    raise NotFound(f"no initiative, organisation or project matches {name!r}")


def overlap_table(entity: str, day: dt.date, found: list[Overlap]) -> Table:
    """One row per pair: the other side, score, contribution of each component, evidence."""
    table = Table(
        "other",
        "family",
        "score",
        "cross-line",
        "membership",
        "function",
        "institution",
        "evidence",
        "claims",
        title=f"Overlaps of {entity} on {day}",
        caption=f"{len(found)} pairs; each component shows its contribution (weight x score)",
    )
    for overlap in found:
        other, family = (
            (overlap.b_label, overlap.b_family)
            if overlap.a == entity
            else (overlap.a_label, overlap.a_family)
        )
        parts = {c.name: f"{c.contribution:.3f}" for c in overlap.components}
        table.add_row(
            other,
            family or "",
            f"{overlap.score:.3f}",
            "yes" if overlap.cross_line else "",
            *(parts.get(n, "") for n in ("membership", "function", "institution", "evidence")),
            ", ".join(sorted({e.kind for e in overlap.evidence})),
        )
    return table
