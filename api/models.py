"""Response models: the JSON contract of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class SourceRef(Model):
    id: str = Field(examples=["cfsp-2023-1015"])
    title: str = Field(examples=["Council Decision (CFSP) 2023/1015 ..."])
    url: str | None = Field(default=None, examples=["https://eur-lex.europa.eu/eli/dec/2023/1015/oj"])
    quote: str | None = None
    basis: str | None = Field(
        default=None, examples=["reference"], description="`reference` (curated data) or `document`."
    )
    confidence: float | None = Field(default=None, description="A document's statement confidence.")


class SearchHit(Model):
    id: str = Field(examples=["DK"])
    label: str = Field(examples=["Denmark"])
    type: str = Field(examples=["State"])
    iri: str = Field(examples=["https://w3id.org/defence-kg/id/DK"])
    iso2: str | None = None


class SearchResults(Model):
    results: list[SearchHit]


class EntityOut(Model):
    id: str = Field(examples=["pesco"])
    iri: str = Field(examples=["https://w3id.org/defence-kg/id/pesco"])
    label: str = Field(examples=["Permanent Structured Cooperation"])
    type: str = Field(examples=["Initiative"])
    alt_labels: list[str] = Field(examples=[["PESCO"]])
    iso2: str | None = None
    wikidata: str | None = None
    acronym: str | None = None
    family: str | None = Field(default=None, examples=["EU"])
    description: str | None = None
    sources: list[SourceRef]


class MembershipOut(Model):
    id: str = Field(examples=["DK"], description="The other party: member or organisation.")
    label: str = Field(examples=["Denmark"])
    type: str = Field(examples=["State"])
    iso2: str | None = None
    role: str = Field(examples=["participant"])
    from_: str | None = Field(
        default=None,
        alias="from",
        examples=["2023-05-23"],
        description="First day; YYYY-MM or YYYY when the source is vaguer.",
    )
    to: str | None = Field(default=None, examples=[None], description="Last day, if it ended.")
    organisation: str | None = Field(default=None, description="Set on /memberships.")
    basis: str = Field(
        examples=["reference"],
        description="`reference`: the curated reference data holds it; `document`: only loaded documents.",
    )
    confidence: float | None = Field(
        default=None, description="For `document` rows: the best confidence of the statements behind it."
    )
    membership: str | None = Field(default=None, description="With `detail=sources`: the membership node.")
    sources: list[SourceRef]


class MembersOut(Model):
    members: list[MembershipOut]


class MembershipsOut(Model):
    memberships: list[MembershipOut]


class PartOut(Model):
    id: str = Field(examples=["pesco-military-mobility"])
    iri: str
    label: str = Field(examples=["Military Mobility"])
    type: str = Field(examples=["Project"])
    acronym: str | None = None
    status: str | None = Field(default=None, examples=["active"])
    adopted: str | None = Field(default=None, examples=["2018-03-06"])
    closed: str | None = None
    wave: int | None = Field(default=None, examples=[1])


class PartsOut(Model):
    parts: list[PartOut]


class ErrorOut(Model):
    detail: str = Field(examples=["no entity with id 'xx'"])


class KindCoverageOut(Model):
    kind: str = Field(
        examples=["PescoProject"],
        description="The ontology class (most specific) the entities are counted under.",
    )
    label: str = Field(examples=["PESCO projects"])
    entities: int
    with_members: int = Field(description="Entities with at least one curated member or participant.")
    with_dated_members: int = Field(description="... of which at least one membership has a start date.")
    with_two_states: int = Field(description="Entities with two or more curated member states.")
    with_lead: int = Field(description="Entities with a curated coordinator, lead nation or host.")


class CoverageOut(Model):
    kinds: list[KindCoverageOut]
    gaps: list[str] = Field(
        examples=[["data/PESCO_GAPS.md"]], description="The files that say what is missing, per structure."
    )
