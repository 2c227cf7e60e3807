"""Entity, membership, part and search look-ups over any SPARQL-capable store."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import BadQuery, NotFound
from defence_kg.graph.analysis import membership_rows as mr
from defence_kg.graph.queries import sparql_queries as q
from defence_kg.graph.store.base import Store
from defence_kg.loaders.schema import MAX_ID_LENGTH
from defence_kg.ontology import ID

XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
ID_PATTERN = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9-]{{0,{MAX_ID_LENGTH - 1}}}$")
ROLES = (
    "member",
    "participant",
    "coordinator",
    "observer",
    "third_state_participant",
    "invited",
    "partner",
    "host",
)


def entity_iri(entity_id: str) -> str:
    return str(ID[entity_id])


def _node(entity_id: str) -> ox.NamedNode:
    if not ID_PATTERN.match(entity_id):
        raise NotFound(f"no entity with id {entity_id!r}")
    return ox.NamedNode(entity_iri(entity_id))


def _most_specific_type(classes: list[str]) -> str:
    for cls, type_name in q.TYPE_OF_CLASS.items():
        if cls in classes:
            return type_name
    return "Thing"


def _date_text(value: str | None, precision: str | None) -> str | None:
    if value is None:
        return None
    return {"month": value[:7], "year": value[:4]}.get(precision or "day", value)


def sources_of(store: Store, iri: str) -> list[dict[str, Any]]:
    rows = store.select(q.SOURCES_OF, {"node": ox.NamedNode(iri)}).rows
    return [_source(r["id"], r["title"], r["url"], r["quote"]) for r in rows]


def _source(ident: str, title: str, url: str | None, quote: str | None) -> dict[str, Any]:
    source: dict[str, Any] = {"id": ident, "title": title}
    if url:
        source["url"] = url
    if quote:
        source["quote"] = quote
    return source


def entity(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity's labels, identifiers and sources; NotFound for an unknown id."""
    node = _node(entity_id)
    rows = store.select(q.ENTITY, {"entity": node}).rows
    if not rows:
        raise NotFound(f"no entity with id {entity_id!r}")
    first = rows[0]
    result: dict[str, Any] = {
        "id": first["identifier"],
        "iri": node.value,
        "label": first["label"],
        "type": _most_specific_type([r["class"] for r in rows]),
        "alt_labels": [r["alt"] for r in store.select(q.ALT_LABELS, {"entity": node}).rows],
    }
    for key in ("iso2", "wikidata", "acronym", "family", "description"):
        if first.get(key):
            result[key] = first[key]
    result["sources"] = sources_of(store, node.value)
    return result


def _require(store: Store, entity_id: str) -> ox.NamedNode:
    node = _node(entity_id)
    if not store.select(q.EXISTS, {"entity": node}).rows:
        raise NotFound(f"no entity with id {entity_id!r}")
    return node


def _records(store: Store, rows: list[dict[str, Any]], entity: str | None) -> list[mr.Record]:
    """Membership records from rows of MEMBERS, MEMBERSHIPS or STATE_MEMBERSHIP_RECORDS (one per
    membership and class of the other party), with their dates, sources and confidence."""
    records: dict[str, mr.Record] = {}
    classes: dict[str, list[str]] = {}
    for row in rows:
        record = records.get(row["m"])
        if record is None:
            other = {"id": row["other"].removeprefix(str(ID)), "label": row["label"], "type": ""}
            if row.get("iso2"):
                other["iso2"] = row["iso2"]
            owner = entity or str(row["entity"]).removeprefix(str(ID))
            record = records[row["m"]] = mr.Record(row["m"], owner, other, row["role"])
        classes.setdefault(row["m"], []).append(row["class"])
    if not records:
        return []
    details = store.select(q.bind_many(q.MEMBERSHIP_DETAILS, "m", [ox.NamedNode(m) for m in records])).rows
    quotes: dict[str, str] = {}
    for row in details:
        record = records[row["m"]]
        kind = row["kind"]
        if kind == "from":
            record.start, record.start_text = row["date"], _date_text(row["date"], row["precision"])
        elif kind == "to":
            record.end, record.end_text = row["date"], _date_text(row["date"], row["precision"])
        elif kind == "quote":
            quotes[row["m"]] = row["quote"]
        elif kind == "confidence":
            record.confidence = max(float(row["confidence"]), record.confidence or 0.0)
        elif all(s["id"] != row["sourceId"] for s in record.sources):
            source = _source(row["sourceId"], row["title"], row["url"], None)
            source["basis"] = mr.DOCUMENT if row.get("document") else mr.REFERENCE
            record.sources.append(source)
    for key, record in records.items():
        record.other["type"] = _most_specific_type(classes[key])
        for source in record.sources:
            if key in quotes:
                source["quote"] = quotes[key]
            if source["basis"] == mr.DOCUMENT and record.confidence is not None:
                source["confidence"] = record.confidence
    return list(records.values())


def _membership_rows(
    store: Store,
    query: str,
    entity_id: str,
    at: dt.date | None,
    role: str | None,
    basis: str | None,
    detail: bool,
) -> list[dict[str, Any]]:
    """Merged rows (one per party, role and period) or, with `detail`, one per membership node;
    on `at` only, of `role` only, resting on `basis` only (`reference` leaves out what only
    documents say)."""
    if basis is not None and basis not in mr.BASES:
        raise BadQuery(f"basis must be one of {', '.join(mr.BASES)}, not {basis!r}")
    node = _require(store, entity_id)
    rows = [r for r in store.select(query, {"entity": node}).rows if role is None or r["role"] == role]
    records = _records(store, rows, entity_id)
    merged = [mr.detail_row(r) for r in records] if detail else mr.merge(records)
    out = [mr.public(row) for row in merged if mr.holds(row, at) and (basis is None or row["basis"] == basis)]
    out.sort(key=lambda i: (i["label"], i["role"], i.get("from") or ""))
    return out


def members(
    store: Store,
    entity_id: str,
    at: dt.date | None = None,
    role: str | None = None,
    *,
    basis: str | None = None,
    detail: bool = False,
) -> list[dict[str, Any]]:
    """Who is or was a member of (or takes part in) an entity; with `at`, only on that date.
    One row per member, role and period with its sources merged; `detail`: one per source node."""
    return _membership_rows(store, q.MEMBERS, entity_id, at, role, basis, detail)


def memberships(
    store: Store,
    entity_id: str,
    at: dt.date | None = None,
    role: str | None = None,
    *,
    basis: str | None = None,
    detail: bool = False,
) -> list[dict[str, Any]]:
    """What an entity is or was a member of or takes part in; with `at`, only on that date."""
    rows = _membership_rows(store, q.MEMBERSHIPS, entity_id, at, role, basis, detail)
    for row in rows:
        row["organisation"] = row["id"]
    return rows


def dated_rows(store: Store, entity_id: str, *, of_member: bool) -> list[dict[str, Any]]:
    """The merged rows of `members` (or, `of_member`, of `memberships`), all dates, each keeping
    its full first and last day (`_start`, `_end`) for drawing on a time axis."""
    node = _require(store, entity_id)
    rows = store.select(q.MEMBERSHIPS if of_member else q.MEMBERS, {"entity": node}).rows
    merged = mr.merge(_records(store, rows, entity_id))
    for row in merged:
        if of_member:
            row["organisation"] = row["id"]
        for k in [k for k, v in row.items() if v is None and k != "from"]:
            del row[k]
    return merged


def state_memberships(store: Store) -> list[dict[str, Any]]:
    """Every membership of a state, merged per organisation, state, role and period, all dates;
    each row has `organisation` and keeps its full dates (`_start`, `_end`) for `holds`."""
    records = _records(store, store.select(q.STATE_MEMBERSHIP_RECORDS).rows, None)
    by_entity: dict[str, list[mr.Record]] = {}
    for record in records:
        by_entity.setdefault(record.entity, []).append(record)
    out = []
    for entity, group in sorted(by_entity.items()):
        for row in mr.merge(group):
            row["organisation"] = entity
            out.append(row)
    return out


def parts(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """The projects or components of an initiative (PESCO projects of PESCO, ...)."""
    node = _require(store, entity_id)
    grouped: dict[str, dict[str, Any]] = {}
    for row in store.select(q.PARTS, {"entity": node}).rows:
        item = grouped.setdefault(
            row["part"],
            {
                "id": row["identifier"],
                "iri": row["part"],
                "label": row["label"],
                "classes": [],
            },
        )
        item["classes"].append(row["class"])
        for key in ("acronym", "status", "adopted", "closed", "wave"):
            if row.get(key) is not None:
                item[key] = row[key]
    for item in grouped.values():
        item["type"] = _most_specific_type(item.pop("classes"))
    return list(grouped.values())


_NAMES: list[tuple[Any, list[tuple[str, dict[str, Any]]]]] = []  # (pyoxigraph store, its names)
_NAMES_LOCK = threading.Lock()


def _names(store: Store) -> list[tuple[str, dict[str, Any]]]:
    """Every (lower-cased name, row) of the store's entities, read once per store version (each
    version is a new pyoxigraph store): a substring scan in memory takes about a millisecond, the
    same filter in SPARQL ~60 ms. Concurrent first searches wait for one reading."""
    version = getattr(store, "raw_store", None)
    if version is None:
        return [(str(row["matched"]).lower(), row) for row in store.select(q.SEARCH, {}).rows]
    with _NAMES_LOCK:
        if not _NAMES or _NAMES[0][0] is not version:
            names = [(str(row["matched"]).lower(), row) for row in store.select(q.SEARCH, {}).rows]
            _NAMES[:] = [(version, names)]
        return _NAMES[0][1]


def search(store: Store, text: str, type_name: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Entities whose labels, acronyms, ISO codes or aliases contain `text`; exact matches first."""
    needle = text.strip().lower()
    if not needle:
        return []
    found: dict[str, dict[str, Any]] = {}
    for lowered, row in _names(store):
        if needle not in lowered:
            continue
        item = found.setdefault(
            row["entity"],
            {
                "id": row["identifier"],
                "label": row["label"],
                "iri": row["entity"],
                "classes": set(),
                "rank": 3,
            },
        )
        if row["iso2"]:
            item["iso2"] = row["iso2"]
        item["classes"].add(row["class"])
        rank = 0 if lowered == needle else 1 if lowered.startswith(needle) else 2
        item["rank"] = min(item["rank"], rank)
    results = []
    for item in found.values():
        item["type"] = _most_specific_type(sorted(item.pop("classes")))
        if type_name and item["type"] != type_name:
            continue
        results.append(item)
    results.sort(key=lambda r: (r.pop("rank"), len(r["label"]), r["label"]) if "rank" in r else (9, 0, ""))
    return results[:limit]
