"""Loading documents into a store (graph.analysis.document_reads reads them back)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import URIRef

from defence_kg.errors import DocumentError
from defence_kg.graph.analysis.overlap_graph import derive_overlaps
from defence_kg.graph.queries import sparql_queries as q
from defence_kg.graph.store.base import Triple
from defence_kg.graph.store.convert import to_quads
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.gazetteer import build_gazetteer
from defence_kg.loaders.documents.models import DocumentMeta, Extraction
from defence_kg.loaders.documents.pipeline import expand, extract_file
from defence_kg.loaders.documents.write import document_graph, document_iri, document_triples

DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass
class LoadReport:
    """Per document: id, iri, path, statements, status (loaded, replaced, unchanged)."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    waited: float = 0.0  # seconds spent waiting for another writer

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "errors": [{"path": e.path, "problem": e.problem} for e in self.errors],
            "waited_seconds": round(self.waited, 3),
        }


def manifest_meta(folder: Path) -> dict[str, DocumentMeta]:
    """Per-file details from a folder's manifest.yaml ({documents: [{file, title, publisher,
    date, url}]}), as the shared corpus ships it; a missing or odd manifest gives nothing."""
    path = folder / "manifest.yaml"
    if not path.is_file():
        return {}
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")).get("documents") or []
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return {}
    out = {}
    for entry in entries:
        if not isinstance(entry, dict) or "file" not in entry:
            continue
        date = DATE.match(str(entry.get("date") or ""))
        out[str(entry["file"])] = DocumentMeta(
            title=entry.get("title"),
            url=entry.get("url"),
            publisher=entry.get("publisher"),
            date=date.group(0) if date else None,
        )
    return out


def _stored_hashes(store: OxigraphStore) -> dict[str, str]:
    return {row["id"]: row["sha256"] for row in store.select(q.DOCUMENTS).rows}


def _same_content(store: OxigraphStore, graph: URIRef, triples: list[Triple]) -> bool:
    """Whether the stored graph already holds exactly these triples: the same text read by a
    changed extractor (new rules, modality) is re-extracted, not reported unchanged."""
    name = ox.NamedNode(str(graph))
    stored = {
        (t.subject, t.predicate, t.object) for t in store.raw_store.quads_for_pattern(None, None, None, name)
    }
    scratch = ox.Store()  # the store's canonical literal forms ("46" for 46.0 as xsd:decimal)
    scratch.extend(to_quads(graph, triples))
    fresh = {(t.subject, t.predicate, t.object) for t in scratch.quads_for_pattern(None, None, None, name)}
    return stored == fresh


def load_documents(
    store: OxigraphStore,
    paths: Iterable[Path],
    meta: DocumentMeta | None = None,
    *,
    max_bytes: int,
    encoding: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> LoadReport:
    """Load files (folders recursively): each good file's graph is written, bad ones reported.

    All new graphs are published together in one store version, with the overlap assessments
    recomputed in it, so a crash writes nothing; a document whose text is unchanged is left
    alone; a changed one has its graph replaced.
    """
    report = LoadReport()
    gazetteer = build_gazetteer(store)
    extractions: dict[str, Extraction] = {}
    paths = list(paths)
    manifests = {p: manifest_meta(p) for p in paths if p.is_dir()}
    given = meta.model_dump(exclude_none=True) if meta else {}
    for path in expand(paths):
        if progress:
            progress(path)
        described = next(
            (
                m[path.name]
                for folder, m in manifests.items()
                if path.name in m and path.is_relative_to(folder)
            ),
            None,
        )
        found = described.model_dump(exclude_none=True) if described else {}
        details = DocumentMeta(**{**found, **given})
        try:
            extraction = extract_file(path, gazetteer, details, max_bytes=max_bytes, encoding=encoding)
        except DocumentError as error:
            report.errors.append(error)
            continue
        doc = extraction.document
        if doc.id in extractions:
            doc = doc.model_copy(update={"id": f"{doc.id}-{doc.sha256[:8]}"})
            extraction = extraction.model_copy(update={"document": doc})
        extractions[doc.id] = extraction

    def changed_graphs(current: OxigraphStore) -> dict[URIRef, list[Triple]]:
        """Under the write lock: what to write, given what the writers before this one stored."""
        stored = _stored_hashes(current)
        graphs: dict[URIRef, list[Triple]] = {}
        report.documents.clear()
        for doc_id, extraction in extractions.items():
            previous = stored.get(doc_id)
            graph, triples = document_graph(doc_id), document_triples(extraction)
            same = previous == extraction.document.sha256 and _same_content(current, graph, triples)
            status = "unchanged" if same else "replaced" if previous else "loaded"
            if status != "unchanged":
                graphs[graph] = triples
            report.documents.append(
                {
                    "id": doc_id,
                    "iri": str(document_iri(doc_id)),
                    "path": extraction.document.path,
                    "statements": len(extraction.relations),
                    "status": status,
                }
            )
        return graphs

    if extractions:
        store.replace_graphs(changed_graphs, derive=derive_overlaps)
        report.waited = store.last_wait
    return report
