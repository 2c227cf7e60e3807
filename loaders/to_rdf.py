"""Turn validated reference data into RDF: one named graph per data file, every fact sourced."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV

from defence_kg.loaders.domains import domain_triples
from defence_kg.loaders.reference import PROGRAMME_IDS, ReferenceData
from defence_kg.loaders.schema import EdfProject, Entity, PartialDate, PescoProject, Source, State
from defence_kg.ontology import DKG, GRAPH, ID, TIME

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Graphs = dict[URIRef, list[Triple]]

ENTITY_CLASS = {
    "Organisation": DKG.InternationalOrganisation,
    "Initiative": DKG.Initiative,
    "Body": DKG.Body,
    "Project": DKG.Project,
    "Programme": DKG.Programme,
    "Formation": DKG.Formation,
    "Grouping": DKG.Grouping,
    "CentreOfExcellence": DKG.CentreOfExcellence,
    "Operation": DKG.Operation,
}
# The new kinds are dkg:Initiative subclasses; their nodes carry dkg:Initiative as well (the
# RDFS entailment, materialised), so every query over initiatives finds them unchanged.
SUPERCLASS = {
    "Programme": DKG.Initiative,
    "Formation": DKG.Initiative,
    "Grouping": DKG.Initiative,
    "CentreOfExcellence": DKG.Initiative,
    "Operation": DKG.Initiative,
}
OPERATION_CLASS = {"military": DKG.MilitaryOperation, "civilian": DKG.CivilianMission}
FAMILY = {
    "EU": DKG.FamilyEU,
    "NATO": DKG.FamilyNATO,
    "ad hoc": DKG.FamilyAdHoc,
    "national": DKG.FamilyNational,
    "US": DKG.FamilyUS,
    "multinational": DKG.FamilyMultinational,
}
ROLE = {
    "member": DKG.Member,
    "participant": DKG.Participant,
    "coordinator": DKG.Coordinator,
    "observer": DKG.Observer,
    "third_state_participant": DKG.ThirdStateParticipant,
    "invited": DKG.Invited,
    "partner": DKG.Partner,
    "host": DKG.Host,
}
PREDICATE = {
    "part_of": DCTERMS.isPartOf,
    "sub_organisation_of": ORG.subOrganizationOf,
    "established_by": DKG.establishedBy,
    "funds": DKG.funds,
    "coordinates": DKG.coordinates,
    "overlaps": DKG.overlapsWith,
    "complements": DKG.complements,
    "duplicates": DKG.duplicates,
    "cooperates_with": DKG.cooperatesWith,
    "implements": DKG.implements,
    "supports": DKG.supports,
}
STATUS = {"active": DKG.Active, "closed": DKG.Closed, "merged": DKG.Merged}
EDF_ROLE = {"coordinator": DKG.Coordinator, "participant": DKG.Participant}
EDF_ROLE_DEFAULT = DKG.Participant
WIKIDATA = "http://www.wikidata.org/entity/"


def graph_iri(kind: str) -> URIRef:
    """IRI of the named graph holding one data file's facts."""
    return GRAPH[f"reference/{kind.replace('_', '-')}"]


def source_iri(source_id: str) -> URIRef:
    return ID[f"source/{source_id}"]


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.value.isoformat(), datatype=XSD.date)


def _sources(subject: URIRef, ids: Iterable[str]) -> Iterator[Triple]:
    for source_id in ids:
        yield subject, PROV.wasDerivedFrom, source_iri(source_id)


def source_triples(source: Source) -> Iterator[Triple]:
    node = source_iri(source.id)
    yield node, RDF.type, DKG.Source
    yield node, DCTERMS.identifier, Literal(source.id)
    yield node, DCTERMS.title, Literal(source.title)
    if source.url:
        yield node, FOAF.page, URIRef(str(source.url))
    if source.publisher:
        yield node, DCTERMS.publisher, Literal(source.publisher)
    if source.date:
        yield node, DCTERMS.issued, date_literal(source.date)
    if source.licence:
        yield node, DCTERMS.license, Literal(source.licence)


def _labels(node: URIRef, ident: str, label: str, alt: Iterable[str]) -> Iterator[Triple]:
    yield node, DCTERMS.identifier, Literal(ident)
    yield node, SKOS.prefLabel, en(label)
    yield node, RDFS.label, en(label)
    for text in dict.fromkeys(a for a in alt if a and a != label):
        yield node, SKOS.altLabel, en(text)


def _wikidata(node: URIRef, qid: str | None) -> Iterator[Triple]:
    if qid:
        yield node, DKG.wikidata, Literal(qid)
        yield node, OWL.sameAs, URIRef(WIKIDATA + qid)


def state_triples(state: State) -> Iterator[Triple]:
    node = ID[state.iso2]
    yield node, RDF.type, DKG.State
    alt = [state.official_name or "", *state.aliases]
    yield from _labels(node, state.iso2, state.name, alt)
    yield node, DKG.iso2, Literal(state.iso2)
    yield from _wikidata(node, state.wikidata)
    if state.capital:
        yield node, DKG.capital, en(state.capital)
    for prop, values in (
        (DKG.metonym, state.metonyms),
        (DKG.demonym, state.demonyms),
        (DKG.combiningForm, state.combining_forms),
    ):
        for value in values:
            yield node, prop, en(value)
    yield from _sources(node, state.sources)


def _claim(
    subject: URIRef, predicate: URIRef, obj: URIRef, sources: Iterable[str], quote: str | None
) -> Iterator[Triple]:
    """The relation itself plus a sourced, qualified claim node describing it."""
    yield subject, predicate, obj
    local = predicate.split("#")[-1].split("/")[-1]
    claim = ID[f"claim/{subject.split('/')[-1]}/{local}/{obj.split('/')[-1]}"]
    yield claim, RDF.type, DKG.Claim
    yield claim, DKG.claimSubject, subject
    yield claim, DKG.claimPredicate, predicate
    yield claim, DKG.claimObject, obj
    if quote:
        yield claim, DKG.quote, en(quote)
    yield from _sources(claim, sources)


def entity_triples(entity: Entity) -> Iterator[Triple]:
    node = ID[entity.id]
    yield node, RDF.type, ENTITY_CLASS[entity.type]
    if entity.type in SUPERCLASS:
        yield node, RDF.type, SUPERCLASS[entity.type]
    if entity.operation:
        yield node, RDF.type, OPERATION_CLASS[entity.operation]
    yield from _labels(node, entity.id, entity.label, [entity.acronym or "", *entity.alt_labels])
    if entity.acronym:
        yield node, SKOS.notation, Literal(entity.acronym)
    yield node, DKG.family, FAMILY[entity.family]
    yield from _wikidata(node, entity.wikidata)
    if entity.description:
        yield node, DCTERMS.description, en(entity.description)
    if entity.established:
        yield node, DKG.established, date_literal(entity.established)
    if entity.ended:
        yield node, DKG.ended, date_literal(entity.ended)
    yield from _sources(node, entity.sources)
    for relation in entity.relations:
        yield from _claim(
            node, PREDICATE[relation.predicate], ID[relation.object], relation.sources, relation.quote
        )


def instant(date: PartialDate, interval: URIRef, end: str) -> tuple[URIRef, list[Triple]]:
    """The beginning or end (`end`: "begin" or "end") of one interval, a node of its own: a date
    node shared by every named graph that used the date would put its triples in each of them,
    and a query over the union of the graphs would then return that interval once per graph."""
    node = URIRef(f"{interval}/{end}")
    triples: list[Triple] = [
        (node, RDF.type, TIME.Instant),
        (node, TIME.inXSDDate, date_literal(date)),
    ]
    if date.precision != "day":
        triples.append((node, DKG.datePrecision, Literal(date.precision)))
    return node, triples


def membership_triples(
    member: URIRef,
    organisation: URIRef,
    role: URIRef,
    start: PartialDate,
    end: PartialDate | None,
    sources: Iterable[str],
    quote: str | None = None,
) -> Iterator[Triple]:
    """An org:Membership with its OWL-Time interval and sources."""
    key = f"{organisation.split('/')[-1]}/{member.split('/')[-1]}/{role.split('#')[-1]}/{start}"
    node = ID[f"membership/{key}"]
    interval = ID[f"membership/{key}/during"]
    yield node, RDF.type, ORG.Membership
    yield node, ORG.member, member
    yield node, ORG.organization, organisation
    yield node, ORG.role, role
    yield node, ORG.memberDuring, interval
    yield interval, RDF.type, TIME.Interval
    begin, begin_triples = instant(start, interval, "begin")
    yield interval, TIME.hasBeginning, begin
    yield from begin_triples
    if end is not None:
        finish, end_triples = instant(end, interval, "end")
        yield interval, TIME.hasEnd, finish
        yield from end_triples
    if quote:
        yield node, DKG.quote, en(quote)
    yield from _sources(node, sources)


def pesco_triples(project: PescoProject) -> Iterator[Triple]:
    node = ID[project.id]
    yield node, RDF.type, DKG.PescoProject
    yield from _labels(node, project.id, project.name, [project.acronym or ""])
    if project.acronym:
        yield node, SKOS.notation, Literal(project.acronym)
    yield node, DKG.family, DKG.FamilyEU
    yield node, DCTERMS.isPartOf, ID["pesco"]
    yield node, DKG.wave, Literal(project.wave, datatype=XSD.integer)
    yield node, DKG.adopted, date_literal(project.adopted)
    yield node, DKG.status, STATUS[project.status]
    if project.domain:
        yield node, DKG.domain, en(project.domain)
    if project.closed:
        yield node, DKG.closed, date_literal(project.closed)
    yield from _sources(node, project.sources)
    coordinators = set(project.coordinators)
    for kind, role in (
        ("participants", DKG.Participant),
        ("observers", DKG.Observer),
        ("third_states", DKG.ThirdStateParticipant),
        ("invited", DKG.Invited),
    ):
        for entry in getattr(project, kind):
            start = entry.from_ or project.adopted
            end = entry.to or project.closed
            sources = entry.sources or project.sources
            state = ID[entry.state]
            yield from membership_triples(state, node, role, start, end, sources)
            if kind == "participants" and entry.state in coordinators:
                yield from membership_triples(state, node, DKG.Coordinator, start, end, sources)
                yield state, DKG.coordinates, node


def _edf_record(record: str, export: str, project: EdfProject) -> Iterator[Triple]:
    """The project's own record in the export: the source its facts are derived from."""
    node = source_iri(record)
    yield node, RDF.type, DKG.Source
    yield node, DCTERMS.identifier, Literal(record)
    yield (
        node,
        DCTERMS.title,
        Literal(
            f"EU Funding & Tenders record of {project.acronym} ({project.project_id}), call {project.call}"
        ),
    )
    yield node, DCTERMS.isPartOf, source_iri(export)
    if project.url:
        yield node, FOAF.page, URIRef(str(project.url))


def edf_triples(data: ReferenceData, known_states: set[str]) -> Iterator[Triple]:
    assert data.edf_projects is not None
    source = data.edf_projects.source.id
    for project in data.edf_projects.projects:
        node = ID[f"edf-{project.project_id}"]
        programme = ID[PROGRAMME_IDS[project.programme]]
        yield node, RDF.type, DKG.EdfProject
        yield from _labels(node, f"edf-{project.project_id}", project.acronym, [project.title])
        yield node, SKOS.notation, Literal(project.acronym)
        yield node, DCTERMS.title, en(project.title)
        yield node, DKG.family, DKG.FamilyEU
        yield node, DCTERMS.isPartOf, programme
        yield programme, DKG.funds, node
        yield node, DKG.call, Literal(project.call)
        if project.topic:
            yield node, DKG.topic, en(project.topic)
        yield node, DKG.year, Literal(str(project.year), datatype=XSD.gYear)
        for prop, amount in (
            (DKG.euContribution, project.eu_contribution),
            (DKG.overallBudget, project.overall_budget),
        ):
            if amount is not None:
                yield node, prop, Literal(Decimal(str(amount)))
        if project.url:
            yield node, FOAF.page, URIRef(str(project.url))
        record = f"edf-record-{project.project_id}"
        yield from _edf_record(record, source, project)
        yield from _sources(node, [record])
        start = project.start or PartialDate(value=dt.date(project.year, 1, 1), precision="year")
        for participant in project.participants:
            company = ID[f"pic-{participant.pic}"]
            yield company, RDF.type, DKG.Company
            yield from _labels(company, f"pic-{participant.pic}", participant.name, [])
            yield company, DKG.pic, Literal(participant.pic)
            if participant.country in known_states:
                yield company, DKG.country, ID[participant.country]
            if participant.sme is not None:
                yield company, DKG.sme, Literal(participant.sme)
            yield from _sources(company, [record])
            role = EDF_ROLE.get(participant.role, EDF_ROLE_DEFAULT)
            yield from membership_triples(company, node, role, start, project.end, [record])


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def edf_result_triples(data: ReferenceData) -> Iterator[Triple]:
    """Curated EDF results: the projects the export lacks, with their coordinator and countries."""
    assert data.edf_results is not None
    exported = {
        (p.acronym.casefold(), p.year)
        for p in (data.edf_projects.projects if data.edf_projects else [])
        if p.programme == "EDF"
    }
    for project in data.edf_results.projects:
        if (project.acronym.casefold(), project.year) in exported:
            continue  # the export's own record, with its participant list, is the better source
        ident = f"edf-{project.year}-{_slug(project.acronym)}"
        node = ID[ident]
        yield node, RDF.type, DKG.EdfProject
        yield from _labels(node, ident, project.acronym, [project.title or ""])
        yield node, SKOS.notation, Literal(project.acronym)
        if project.title:
            yield node, DCTERMS.title, en(project.title)
        yield node, DKG.family, DKG.FamilyEU
        yield node, DCTERMS.isPartOf, ID["edf"]
        yield ID["edf"], DKG.funds, node
        if project.topic:
            yield node, DKG.topic, en(project.topic)
        yield node, DKG.year, Literal(str(project.year), datatype=XSD.gYear)
        yield from _sources(node, project.sources)
        for code in project.countries:
            yield node, DKG.country, ID[code]
        if project.coordinator:
            company = ID[f"edf-org-{_slug(project.coordinator)}"]
            yield company, RDF.type, DKG.Company
            yield from _labels(company, f"edf-org-{_slug(project.coordinator)}", project.coordinator, [])
            if project.coordinator_country:
                yield company, DKG.country, ID[project.coordinator_country]
            yield from _sources(company, project.sources)
            start = PartialDate(value=dt.date(project.year, 1, 1), precision="year")
            yield from membership_triples(company, node, DKG.Coordinator, start, None, project.sources)


def reference_graphs(data: ReferenceData) -> Graphs:
    """All reference facts as triples, grouped by named graph (one per data file)."""
    assert data.states and data.entities and data.memberships
    graphs: Graphs = {}
    graphs[graph_iri("sources")] = [t for s in data.sources.values() for t in source_triples(s)]
    graphs[graph_iri("states")] = [t for s in data.states.states for t in state_triples(s)]
    graphs[graph_iri("entities")] = [t for e in data.entities.entities for t in entity_triples(e)]
    members: list[Triple] = []
    for group in data.memberships.memberships:
        for entry in group.members:
            members.extend(
                membership_triples(
                    ID[entry.member],
                    ID[group.organisation],
                    ROLE[group.role],
                    entry.from_,
                    entry.to,
                    entry.sources or group.sources,
                    entry.quote,
                )
            )
    graphs[graph_iri("memberships")] = members
    if data.pesco_projects:
        graphs[graph_iri("pesco_projects")] = [
            t for p in data.pesco_projects.projects for t in pesco_triples(p)
        ]
    if data.edf_projects:
        states = {s.iso2 for s in data.states.states}
        graphs[graph_iri("edf_projects")] = list(edf_triples(data, states))
    if data.edf_results:
        graphs[graph_iri("edf_results")] = list(edf_result_triples(data))
    if data.capability_domains:
        edf = data.edf_projects.projects if data.edf_projects else []
        graphs[graph_iri("capability_domains")] = list(domain_triples(data.capability_domains, edf))
    return {g: list(dict.fromkeys(ts)) for g, ts in graphs.items()}
