"""One row per party, role and period: memberships merged across their sources.

The same state often comes back from several membership nodes: the curated reference data says
it once, each loaded document that states it adds its own node. A row here is one party, role
and period; it rests on the curated data (`"basis": "reference"`) when any curated membership
holds it, else only on documents (`"basis": "document"`, with the best statement confidence).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

REFERENCE, DOCUMENT = "reference", "document"
BASES = (REFERENCE, DOCUMENT)


@dataclass
class Record:
    """One org:Membership node as read from the store, before merging."""

    iri: str
    entity: str  # the bound side (organisation for /members, member for /memberships)
    other: dict[str, Any]  # id, label, type, iso2 of the party listed
    role: str
    start: str | None = None  # full ISO dates, as stored
    end: str | None = None
    start_text: str | None = None  # at the source's precision (YYYY-MM, YYYY)
    end_text: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    confidence: float | None = None

    @property
    def basis(self) -> str:
        """`document` when every source is a loaded document, else `reference`."""
        if self.sources and all(s.get("basis") == DOCUMENT for s in self.sources):
            return DOCUMENT
        return REFERENCE


def _within(record: Record, start: str | None, end: str | None) -> bool:
    """Whether a document's date falls in the period [start, end], compared at the document's
    precision ("2023-05" falls in a period that starts on 2023-05-23)."""
    day = record.start_text
    if day is None or start is None:
        return False
    return start[: len(day)] <= day and (end is None or day <= end[: len(day)])


def _row(records: list[Record]) -> dict[str, Any]:
    """The merged row of records that share party, role and period (the first one sets them)."""
    first = records[0]
    row: dict[str, Any] = {**first.other, "role": first.role, "from": first.start_text}
    if first.end_text is not None:
        row["to"] = first.end_text
    sources: dict[str, dict[str, Any]] = {}
    for record in records:
        for source in record.sources:
            sources.setdefault(source["id"], dict(source))
    basis = REFERENCE if any(r.basis == REFERENCE for r in records) else DOCUMENT
    row["basis"] = basis
    confidences = [r.confidence for r in records if r.basis == DOCUMENT and r.confidence is not None]
    if basis == DOCUMENT and confidences:
        row["confidence"] = max(confidences)
    row["sources"] = sorted(sources.values(), key=lambda s: (s.get("basis") == DOCUMENT, s["id"]))
    row["_start"], row["_end"] = first.start, first.end
    return row


def merge(records: list[Record]) -> list[dict[str, Any]]:
    """One row per (party, role, period): a document's membership joins the curated period its
    date falls in (an undated one the open or latest period); the rest of the documents' for a
    party and role form one document-only row, from the earliest date they give."""
    groups: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        groups.setdefault((record.other["id"], record.role), []).append(record)
    rows = []
    for group in groups.values():
        periods: dict[tuple[str | None, str | None], list[Record]] = {}
        for record in sorted(group, key=lambda r: r.start or ""):
            if record.basis == REFERENCE:
                periods.setdefault((record.start, record.end), []).append(record)
        loose = []
        for record in (r for r in group if r.basis == DOCUMENT):
            if record.start_text is None and periods:
                open_ = [k for k in periods if k[1] is None]
                periods[open_[-1] if open_ else list(periods)[-1]].append(record)
                continue
            target = next((k for k in periods if _within(record, *k)), None)
            if target is None:
                loose.append(record)
            else:
                periods[target].append(record)
        rows += [_row(members) for members in periods.values()]
        if loose:
            loose.sort(key=lambda r: (r.start is None, r.start or ""))
            rows.append(_row(loose))
    return rows


def detail_row(record: Record) -> dict[str, Any]:
    """One membership node as a row of its own (`detail=sources`), with its IRI."""
    row = _row([record])
    if record.basis == DOCUMENT and record.confidence is not None:
        row["confidence"] = record.confidence
    row["membership"] = record.iri
    return row


def holds(row: dict[str, Any], at: dt.date | None) -> bool:
    """Whether a row's period contains `at` (no date: always; no start: never on a date)."""
    if at is None:
        return True
    day, start, end = at.isoformat(), row.get("_start"), row.get("_end")
    return start is not None and start <= day and (end is None or end >= day)


def public(row: dict[str, Any]) -> dict[str, Any]:
    """The row without its internal full dates, and without empty keys."""
    return {k: v for k, v in row.items() if not k.startswith("_") and (v is not None or k == "from")}
