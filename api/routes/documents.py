"""Documents and the statements each contributed, with spans and quotes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from defence_kg.api.deps import SettingsDep, StoreDep, WriteKey, store_writer
from defence_kg.api.models import ErrorOut
from defence_kg.errors import BadQuery, DocumentError, TooLarge
from defence_kg.graph.analysis import document_reads
from defence_kg.graph.publish import documents
from defence_kg.loaders.documents.models import DocumentMeta
from defence_kg.loaders.documents.read import SUFFIXES
from defence_kg.loaders.schema import MAX_ID_LENGTH

router = APIRouter(prefix="/api/documents", tags=["documents"])


class DocumentOut(BaseModel):
    id: str = Field(examples=["eeas-pesco-factsheet"])
    iri: str
    title: str = Field(examples=["Permanent Structured Cooperation (PESCO) factsheet"])
    url: str | None = None
    date: str | None = Field(default=None, examples=["2024"])
    publisher: str | None = Field(default=None, examples=["European External Action Service"])
    media_type: str = Field(examples=["text/plain"])
    statements: int = Field(examples=[18])


class DocumentsOut(BaseModel):
    documents: list[DocumentOut]


class StatementOut(BaseModel):
    id: str
    relation: str = Field(examples=["joining"])
    subject: str | None = Field(
        default=None, examples=["DK"], description="Entity id; '?name' for an unresolved candidate."
    )
    object: str | None = Field(default=None, examples=["pesco"])
    quote: str = Field(examples=["In May 2023, Denmark joined as the 26th participating Member State"])
    start: int = Field(description="Offset of the quote in the document's text.")
    end: int
    method: str = Field(examples=["cue-join"])
    confidence: float = Field(examples=[0.9])
    date: str | None = Field(default=None, examples=["2023-05"])
    value: float | None = None
    unit: str | None = None
    modality: Literal["asserted", "planned", "intended", "negated", "reported"] = Field(
        default="asserted",
        description="How the text states it; only asserted memberships, participations, joinings "
        "and invitations become memberships.",
    )


class StatementsOut(BaseModel):
    statements: list[StatementOut]


@router.get("", response_model=DocumentsOut)
def list_documents(*, store: StoreDep) -> dict:
    """Every loaded document with the number of statements it contributed."""
    return {"documents": document_reads.documents(store)}


@router.get(
    "/{document_id}/statements",
    response_model=StatementsOut,
    responses={404: {"model": ErrorOut, "description": "No document with that id."}},
)
def document_statements(
    *,
    store: StoreDep,
    document_id: Annotated[str, Path(max_length=MAX_ID_LENGTH, examples=["eeas-pesco-factsheet"])],
) -> dict:
    """What one document contributed: each statement with its span, quote, method, confidence."""
    return {"statements": document_reads.statements(store, document_id)}


class LoadOut(BaseModel):
    documents: list[dict]
    errors: list[dict]
    waited_seconds: float = Field(0.0, description="Seconds this write waited for another writer.")


def safe_name(filename: str | None) -> str:
    """A file name with no directory part and only harmless characters ('../../x' -> 'x')."""
    base = re.split(r"[\\/]", filename or "")[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, "txt"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-") or "document"
    suffix = suffix.lower() if f".{suffix.lower()}" in SUFFIXES else "txt"
    return f"{stem[:80]}.{suffix}"


def _load(request: Request, path: FilePath, meta: DocumentMeta, max_bytes: int) -> documents.LoadReport:
    """Load one file into the app's store, under the store's write lock (in a worker thread)."""
    with store_writer(request) as writer:
        return documents.load_documents(writer, [path], meta, max_bytes=max_bytes)


@router.post(
    "",
    status_code=201,
    response_model=LoadOut,
    dependencies=[WriteKey],
    responses={
        401: {"model": ErrorOut, "description": "No or wrong API key."},
        413: {"model": ErrorOut, "description": "Larger than the size limit."},
        422: {"model": ErrorOut, "description": "The document cannot be read."},
    },
)
async def upload_document(
    *,
    request: Request,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Text, Markdown, HTML or PDF.")],
    title: Annotated[str | None, Form()] = None,
    url: Annotated[str | None, Form()] = None,
    date: Annotated[str | None, Form(examples=["2024-05"])] = None,
    publisher: Annotated[str | None, Form()] = None,
) -> dict:
    """Load one document through the same pipeline as `defence-kg load` (needs the API key)."""
    try:
        meta = DocumentMeta(title=title, url=url, date=date, publisher=publisher)
    except ValidationError as error:
        raise BadQuery(f"bad document details: {error.errors()[0]['msg']}") from None
    with tempfile.TemporaryDirectory() as folder:
        path = FilePath(folder) / safe_name(file.filename)
        size = 0
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > settings.max_document_bytes:
                    raise TooLarge(f"{path.name}: larger than {settings.max_document_bytes:,} bytes")
                out.write(chunk)
        report = await run_in_threadpool(_load, request, path, meta, settings.max_document_bytes)
    if report.errors:
        error = report.errors[0]
        raise DocumentError(path.name, error.problem)
    return report.as_json()
