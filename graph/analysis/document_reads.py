"""Reading back the documents a store holds and the statements each contributed."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from defence_kg.errors import NotFound
from defence_kg.graph.analysis.lookup import ID_PATTERN
from defence_kg.graph.queries import sparql_queries as q
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.write import document_iri


def documents(store: OxigraphStore) -> list[dict[str, Any]]:
    rows = store.select(q.DOCUMENTS).rows
    return [
        {
            "id": r["id"],
            "iri": r["doc"],
            "title": r["title"],
            "url": r["url"],
            "date": r["date"],
            "publisher": r["publisher"],
            "media_type": r["format"],
            "statements": r["statements"],
        }
        for r in rows
    ]


def statements(store: OxigraphStore, doc_id: str) -> list[dict[str, Any]]:
    if not ID_PATTERN.match(doc_id):
        raise NotFound(f"no document with id {doc_id!r}")
    doc = ox.NamedNode(str(document_iri(doc_id)))
    if not store.select(q.EXISTS, {"entity": doc}).rows:
        raise NotFound(f"no document with id {doc_id!r}")
    rows = store.select(q.STATEMENTS, {"doc": doc}).rows
    base = str(document_iri("")).rsplit("/document/", 1)[0] + "/"
    out = []
    for row in rows:
        item = {
            k: row[k]
            for k in (
                "relation",
                "subject",
                "object",
                "quote",
                "start",
                "end",
                "method",
                "confidence",
                "date",
                "value",
                "unit",
                "modality",
            )
        }
        for key in ("subject", "object"):
            if isinstance(item[key], str) and item[key].startswith(base):
                item[key] = "?" + item[key].rsplit("/", 1)[-1]
        item["id"] = row["statement"].rsplit("/", 1)[-1]
        out.append(item)
    return out
