"""Pydantic models of the reference data files (see data/README.md); unknown keys are errors."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    model_serializer,
    model_validator,
)

SLUG = r"^[a-z0-9][a-z0-9-]*$"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartialDate(Strict):
    """A date as precise as its source: a day, a month or a year."""

    value: dt.date
    precision: Literal["day", "month", "year"]

    def __str__(self) -> str:
        iso = self.value.isoformat()
        return {"day": iso, "month": iso[:7], "year": iso[:4]}[self.precision]

    @model_serializer
    def _as_text(self) -> str:
        return str(self)


def _partial_date(raw: object) -> object:
    if isinstance(raw, PartialDate | dict):
        return raw
    if isinstance(raw, dt.datetime):
        raise ValueError("give a date, not a date and time")
    if isinstance(raw, dt.date):
        return {"value": raw, "precision": "day"}
    text = str(raw).strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    try:
        value = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date: {exc}") from None
    precision = "day" if day else "month" if month else "year"
    return {"value": value, "precision": precision}


Date = Annotated[PartialDate, BeforeValidator(_partial_date)]


def parse_partial_date(text: str) -> PartialDate:
    """'2023-05-23', '2023-05' or '2023' as a PartialDate; ValueError otherwise."""
    return PartialDate.model_validate(_partial_date(text))


# Every id the API hands out must fit its routes: data ids stay within this length.
MAX_ID_LENGTH = 200
Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
Iso2 = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
QID = Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")]
EntityRef = Annotated[str, Field(pattern=r"^([A-Z]{2}|[a-z0-9][a-z0-9-]*)$")]


def _unique(values: list[str]) -> list[str]:
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        raise ValueError(f"listed twice: {', '.join(dupes)}")
    return values


SourceIds = Annotated[list[Slug], Field(min_length=1), AfterValidator(_unique)]


class Role(StrEnum):
    member = "member"
    participant = "participant"
    coordinator = "coordinator"
    observer = "observer"
    third_state_participant = "third_state_participant"
    invited = "invited"
    partner = "partner"
    host = "host"


class EntityType(StrEnum):
    organisation = "Organisation"
    initiative = "Initiative"
    body = "Body"
    project = "Project"
    programme = "Programme"
    formation = "Formation"
    grouping = "Grouping"
    centre = "CentreOfExcellence"
    operation = "Operation"


class OperationKind(StrEnum):
    """An EU CSDP deployment: a military operation or mission, or a civilian mission."""

    military = "military"
    civilian = "civilian"


class Family(StrEnum):
    eu = "EU"
    nato = "NATO"
    ad_hoc = "ad hoc"
    national = "national"
    us = "US"
    multinational = "multinational"


class Predicate(StrEnum):
    part_of = "part_of"
    sub_organisation_of = "sub_organisation_of"
    established_by = "established_by"
    funds = "funds"
    coordinates = "coordinates"
    overlaps = "overlaps"
    complements = "complements"
    duplicates = "duplicates"
    cooperates_with = "cooperates_with"
    implements = "implements"
    supports = "supports"


class Source(Strict):
    id: Slug
    title: str = Field(min_length=3)
    url: HttpUrl | None = None
    publisher: str | None = None
    date: Date | None = None
    licence: str | None = None


class SourcesFile(Strict):
    sources: list[Source]


class State(Strict):
    iso2: Iso2
    name: str = Field(min_length=2)
    official_name: str | None = None
    wikidata: QID | None = None
    aliases: list[str] = []
    capital: str | None = None
    metonyms: list[str] = []
    demonyms: list[str] = []
    combining_forms: list[str] = []
    sources: SourceIds


class StatesFile(Strict):
    states: list[State]


class Relation(Strict):
    predicate: Predicate
    object: EntityRef
    sources: SourceIds
    quote: str | None = None


class Entity(Strict):
    id: Slug
    type: EntityType
    family: Family
    label: str = Field(min_length=2)
    acronym: str | None = None
    alt_labels: list[str] = []
    wikidata: QID | None = None
    description: str | None = None
    established: Date | None = None
    ended: Date | None = None
    operation: OperationKind | None = None
    sources: SourceIds
    relations: list[Relation] = []

    @model_validator(mode="after")
    def _operation_kind(self) -> Entity:
        if (self.type == EntityType.operation) != (self.operation is not None):
            raise ValueError("'operation' (military or civilian) is given for, and only for, type Operation")
        if self.ended and self.established and self.ended.value < self.established.value:
            raise ValueError("'ended' is before 'established'")
        return self


class EntitiesFile(Strict):
    entities: list[Entity]


class MemberEntry(Strict):
    member: EntityRef
    from_: Date = Field(alias="from")
    to: Date | None = None
    sources: SourceIds | None = None
    quote: str | None = None


class MembershipGroup(Strict):
    organisation: EntityRef
    role: Role
    sources: SourceIds
    members: list[MemberEntry] = Field(min_length=1)


class MembershipsFile(Strict):
    memberships: list[MembershipGroup]


class ProjectMember(Strict):
    """A state in a project; without `from` it takes part from the project's adoption."""

    state: Iso2
    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None
    sources: SourceIds | None = None


def _project_member(raw: object) -> object:
    return {"state": raw} if isinstance(raw, str) else raw


Participant = Annotated[ProjectMember, BeforeValidator(_project_member)]


class PescoProject(Strict):
    id: Annotated[str, Field(pattern=r"^pesco-[a-z0-9][a-z0-9-]*$", max_length=MAX_ID_LENGTH)]
    name: str = Field(min_length=3)
    acronym: str | None = None
    wave: int = Field(ge=1, le=20)
    adopted: Date
    domain: str | None = None
    coordinators: list[Iso2] = []
    participants: list[Participant] = []
    observers: list[Participant] = []
    third_states: list[Participant] = []
    invited: list[Participant] = []
    status: Literal["active", "closed", "merged"] = "active"
    closed: Date | None = None
    # the sources bound the closure only from above: closed on or before this date
    closed_by: Date | None = None
    sources: SourceIds


class PublishedCount(Strict):
    """A number of PESCO projects under way on a date, as an official source published it."""

    date: Date
    projects: int = Field(ge=0)
    sources: SourceIds
    note: str | None = None


class ImpliedClosures(Strict):
    """Closures that published counts imply but no source names: at least N projects, in a period."""

    after: Date
    by: Date
    at_least: int = Field(ge=1)
    sources: SourceIds
    note: str | None = None


class PescoProjectsFile(Strict):
    published_counts: list[PublishedCount] = []
    implied_closures: list[ImpliedClosures] = []
    projects: list[PescoProject]


class CapabilityDomain(Strict):
    """One concept of the capability-domain scheme."""

    id: Slug
    label: str = Field(min_length=2)
    definition: str = Field(min_length=3)


class DomainAssignment(Strict):
    """An entity works in these capability domains, on these sources."""

    entity: EntityRef
    domains: list[Slug] = Field(min_length=1)
    sources: SourceIds


class CapabilityDomainsFile(Strict):
    domains: list[CapabilityDomain] = Field(min_length=1)
    assignments: list[DomainAssignment] = []


class DomainAssignmentsFile(Strict):
    """More assignments, in a file of data/capability_domains/ (the scheme stays in the main file)."""

    assignments: list[DomainAssignment] = Field(min_length=1)


class EdfParticipant(Strict):
    pic: str = Field(pattern=r"^\d{6,12}$")
    name: str = Field(min_length=1)
    country: Iso2 | None = None
    role: Literal["coordinator", "participant", "affiliated", "associated"]
    eu_contribution: float | None = None
    sme: bool | None = None


class EdfProject(Strict):
    project_id: str = Field(pattern=r"^\d{6,12}$")
    acronym: str
    title: str
    programme: Literal["EDF", "EDIDP", "EDIRPA", "ASAP", "EDIP"]
    call: str
    topic: str | None = None
    year: int
    start: Date | None = None
    end: Date | None = None
    eu_contribution: float | None = None
    overall_budget: float | None = None
    url: HttpUrl | None = None
    participants: list[EdfParticipant]


class EdfProjectsFile(Strict):
    source: Source
    coverage: str
    projects: list[EdfProject]


class EdfSelection(Strict):
    """The Commission's published result of one EDF call year: how many projects it selected."""

    year: int = Field(ge=2021, le=2100)
    selected: int = Field(ge=1)
    announced: Date
    eu_funding_eur: float | None = None
    sources: SourceIds


class EdfResult(Strict):
    """One selected EDF project as public results describe it (curated, not from the export)."""

    acronym: str = Field(min_length=2)
    title: str | None = None
    year: int = Field(ge=2021, le=2100)
    topic: str | None = None
    coordinator: str | None = None
    coordinator_country: Iso2 | None = None
    countries: list[Iso2] = []
    countries_complete: bool = False
    sources: SourceIds


class EdfResultsFile(Strict):
    selections: list[EdfSelection] = Field(min_length=1)
    projects: list[EdfResult] = []
