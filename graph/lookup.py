"""Entity, membership, part and search look-ups over any SPARQL-capable store."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import NotFound
from defence_kg.graph import sparql_queries as q
from defence_kg.graph.store import Store
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


def _membership_rows(
    store: Store, query: str, entity_id: str, at: dt.date | None, role: str | None
) -> list[dict[str, Any]]:
    node = _require(store, entity_id)
    grouped: dict[str, dict[str, Any]] = {}
    classes: dict[str, list[str]] = {}
    for row in store.select(query, {"entity": node}).rows:
        if role is not None and row["role"] != role:
            continue
        item = grouped.setdefault(
            row["m"],
            {
                "id": row["other"].removeprefix(str(ID)),
                "label": row["label"],
                "type": "",
                "role": row["role"],
                "from": None,
                "to": None,
                "sources": [],
            },
        )
        if row["iso2"]:
            item["iso2"] = row["iso2"]
        classes.setdefault(row["m"], []).append(row["class"])
    if not grouped:
        return []
    details = store.select(q.bind_many(q.MEMBERSHIP_DETAILS, "m", [ox.NamedNode(m) for m in grouped])).rows
    dates: dict[tuple[str, str], str] = {}
    quotes: dict[str, str] = {}
    for row in details:
        item = grouped[row["m"]]
        if row["kind"] in ("from", "to"):
            dates[(row["m"], row["kind"])] = row["date"]
            item[row["kind"]] = _date_text(row["date"], row["precision"])
        elif row["kind"] == "quote":
            quotes[row["m"]] = row["quote"]
        elif all(s["id"] != row["sourceId"] for s in item["sources"]):
            item["sources"].append(_source(row["sourceId"], row["title"], row["url"], None))
    day = at.isoformat() if at else None
    out = []
    for key, item in grouped.items():
        start, end = dates.get((key, "from")), dates.get((key, "to"))
        if day is not None and (start is None or start > day or (end is not None and end < day)):
            continue
        if key in quotes:
            for source in item["sources"]:
                source["quote"] = quotes[key]
        item["type"] = _most_specific_type(classes[key])
        if item["to"] is None:
            del item["to"]
        out.append(item)
    out.sort(key=lambda i: (i["label"], i["role"], i.get("from") or ""))
    return out


def members(
    store: Store, entity_id: str, at: dt.date | None = None, role: str | None = None
) -> list[dict[str, Any]]:
    """Who is or was a member of (or takes part in) an entity; with `at`, only on that date."""
    return _membership_rows(store, q.MEMBERS, entity_id, at, role)


def memberships(
    store: Store, entity_id: str, at: dt.date | None = None, role: str | None = None
) -> list[dict[str, Any]]:
    """What an entity is or was a member of or takes part in; with `at`, only on that date."""
    rows = _membership_rows(store, q.MEMBERSHIPS, entity_id, at, role)
    for row in rows:
        row["organisation"] = row["id"]
    return rows


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
