"""Runs the document stages and writes each document's graph, one file at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from defence_kg.errors import DefenceKGError, DocumentError
from defence_kg.loaders.documents.clean import OffsetMap, clean
from defence_kg.loaders.documents.gazetteer import Gazetteer
from defence_kg.loaders.documents.mentions import find_mentions
from defence_kg.loaders.documents.models import DocumentMeta, Extraction, RawDocument
from defence_kg.loaders.documents.read import SUFFIXES, read
from defence_kg.loaders.documents.relations import extract
from defence_kg.loaders.documents.split import split


def process(document: RawDocument, gazetteer: Gazetteer) -> Extraction:
    """Clean, split, link and extract; spans and quotes point into `document.text`."""
    cleaned = clean(document.text)
    offsets = OffsetMap(cleaned)
    sentences = split(cleaned.text)
    mentions, candidates = find_mentions(cleaned.text, gazetteer, [(s.start, s.end) for s in sentences])

    def quote(start: int, end: int) -> tuple[int, int, str]:
        a, b = offsets.span(start, end)
        return a, b, document.text[a:b]

    relations = extract(sentences, mentions, quote, document.meta.date, gazetteer.battlegroups, candidates)
    for index, mention in enumerate(mentions):
        a, b = offsets.span(mention.start, mention.end)
        mentions[index] = mention.model_copy(update={"start": a, "end": b})
    for index, candidate in enumerate(candidates):
        a, b = offsets.span(candidate.start, candidate.end)
        candidates[index] = candidate.model_copy(update={"start": a, "end": b})
    return Extraction(
        document=document,
        sentences=len(sentences),
        mentions=mentions,
        relations=relations,
        candidates=candidates,
    )


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to load: the paths given, folders searched recursively for known suffixes."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            files.append(path)
    return files


@dataclass
class LoadReport:
    loaded: list[dict] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)


def extract_file(
    path: Path,
    gazetteer: Gazetteer,
    meta: DocumentMeta | None = None,
    *,
    max_bytes: int,
    encoding: str | None = None,
) -> Extraction:
    document = read(path, meta, max_bytes=max_bytes, encoding=encoding)
    try:
        return process(document, gazetteer)
    except DefenceKGError:
        raise
    except (ValueError, RecursionError, MemoryError) as exc:  # never half-written: nothing yet
        raise DocumentError(str(path), f"extraction failed: {exc}") from None
