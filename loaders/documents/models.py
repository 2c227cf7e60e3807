"""Typed results passed between the document pipeline's stages."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RelationType = Literal[
    "membership",
    "participation",
    "joining",
    "leaving",
    "invitation",
    "coordination",
    "funding",
    "count",
    "overlap",
    "duplication",
    "complementarity",
    "cooperation",
]
Modality = Literal["asserted", "planned", "intended", "negated", "reported"]


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentMeta(Stage):
    """What the user says about a document (all optional)."""

    title: str | None = None
    url: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    publisher: str | None = None


class RawDocument(Stage):
    """A file read and decoded: the text every character span points into."""

    id: str
    path: str
    media_type: Literal["text/plain", "text/markdown", "text/html", "application/pdf"]
    text: str
    sha256: str
    meta: DocumentMeta = DocumentMeta()


class CleanText(Stage):
    """Text with noise removed; `segments` map it back to the original: each entry is
    (clean_start, original_start, length) of a run copied unchanged or one-for-one."""

    text: str
    segments: list[tuple[int, int, int]]


class Sentence(Stage):
    start: int
    end: int
    text: str


class Mention(Stage):
    """A name found in the clean text and the entity it stands for (None: unresolved)."""

    start: int
    end: int
    text: str
    entity: str | None
    kind: str = Field(description="label, acronym, alias, metonym, demonym, compound, defined")
    entity_type: str | None = None
    family: str | None = None
    confidence: float = 1.0
    qualifies_project: bool = Field(
        default=False, description="used as in 'a PESCO project': names the framework"
    )


class Relation(Stage):
    type: RelationType
    subject: str
    object: str
    start: int = Field(description="start of the evidence in the original text")
    end: int
    quote: str
    method: str
    confidence: float
    date: str | None = None
    value: float | None = None
    unit: str | None = None
    modality: Modality = "asserted"


class Candidate(Stage):
    """A named thing the graph does not know yet, kept as an unresolved entity."""

    key: str
    label: str
    acronym: str | None = None
    start: int
    end: int


class Extraction(Stage):
    document: RawDocument
    sentences: int
    mentions: list[Mention]
    relations: list[Relation]
    candidates: list[Candidate]
