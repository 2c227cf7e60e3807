"""Documents and the statements each contributed, with spans and quotes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from defence_kg.api.deps import StoreDep
from defence_kg.api.models import ErrorOut
from defence_kg.graph import documents

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


class StatementsOut(BaseModel):
    statements: list[StatementOut]


@router.get("", response_model=DocumentsOut)
def list_documents(*, store: StoreDep) -> dict:
    """Every loaded document with the number of statements it contributed."""
    return {"documents": documents.documents(store)}


@router.get(
    "/{document_id}/statements",
    response_model=StatementsOut,
    responses={404: {"model": ErrorOut, "description": "No document with that id."}},
)
def document_statements(
    *, store: StoreDep, document_id: Annotated[str, Path(max_length=120, examples=["eeas-pesco-factsheet"])]
) -> dict:
    """What one document contributed: each statement with its span, quote, method, confidence."""
    return {"statements": documents.statements(store, document_id)}
