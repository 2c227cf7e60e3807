"""Capability domains: the SKOS scheme and every sourced assignment of an entity to a domain.

Curated assignments come from data/capability_domains.yaml. EDF, ASAP and EDIRPA projects get theirs
from the category their call code names (EDF-2023-DA-UWW-ASW: underwater warfare), with the
project's own Funding & Tenders record as the source.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.namespace import PROV

from defence_kg.loaders.schema import CapabilityDomainsFile, EdfProject
from defence_kg.ontology import DKG, ID

Triple = tuple[URIRef, URIRef, URIRef | Literal]

# EDF call categories (the work-programme codes in the call identifier) and the domains they fund.
# PROTMOB (force protection and mobility) mixes vehicles and aircraft, so it names no domain;
# SI and STEP are call strands, not categories.
EDF_CATEGORY_DOMAINS: dict[str, tuple[str, ...]] = {
    "AIR": ("air",),
    "AIRDEF": ("air-and-missile-defence",),
    "AMD": ("air-and-missile-defence",),
    "C4ISR": ("c4isr",),
    "SENS": ("c4isr",),
    "CYBER": ("cyber",),
    "GROUND": ("land",),
    "NAVAL": ("maritime",),
    "UWW": ("maritime",),
    "SIMTRAIN": ("training",),
    "SPACE": ("space",),
    "MCBRN": ("medical", "cbrn"),
    "DIGIT": ("research-and-technology",),
    "DIS": ("research-and-technology",),
    "ENERENV": ("research-and-technology",),
    "MATCOMP": ("research-and-technology",),
}
# Programmes whose every project is about industrial capacity or joint procurement.
PROGRAMME_DOMAINS = {"ASAP": ("industry-and-procurement",), "EDIRPA": ("industry-and-procurement",)}


def source_iri(source_id: str) -> URIRef:
    return ID[f"source/{source_id}"]


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def domain_iri(domain_id: str) -> URIRef:
    return ID[f"domain/{domain_id}"]


def edf_domains(project: EdfProject) -> list[str]:
    """The domains an EDF-family project's call code names, in the order found."""
    found = list(PROGRAMME_DOMAINS.get(project.programme, ()))
    for token in project.call.upper().split("-")[2:]:
        found.extend(EDF_CATEGORY_DOMAINS.get(token, ()))
    return list(dict.fromkeys(found))


def assignment_triples(entity: URIRef, domain_id: str, sources: list[URIRef]) -> Iterator[Triple]:
    """`entity dkg:capabilityDomain domain`, and a sourced dkg:DomainAssignment node for it."""
    domain = domain_iri(domain_id)
    yield entity, DKG.capabilityDomain, domain
    node = ID[f"domain-assignment/{entity.split('/')[-1]}/{domain_id}"]
    yield node, RDF.type, DKG.DomainAssignment
    yield node, DKG.assignedEntity, entity
    yield node, DKG.assignedDomain, domain
    for source in sources:
        yield node, PROV.wasDerivedFrom, source


def domain_triples(
    data: CapabilityDomainsFile, edf: list[EdfProject], known_domains: set[str] | None = None
) -> Iterator[Triple]:
    """The scheme's concepts, the curated assignments and those derived from EDF call codes."""
    for domain in data.domains:
        node = domain_iri(domain.id)
        yield node, RDF.type, DKG.CapabilityDomain
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, DKG.capabilityDomains
        yield node, SKOS.notation, Literal(domain.id)
        yield node, SKOS.prefLabel, en(domain.label)
        yield node, SKOS.definition, en(domain.definition)
    for assignment in data.assignments:
        for domain_id in assignment.domains:
            sources = [source_iri(s) for s in assignment.sources]
            yield from assignment_triples(ID[assignment.entity], domain_id, sources)
    known = known_domains or {d.id for d in data.domains}
    for project in edf:
        record = source_iri(f"edf-record-{project.project_id}")
        for domain_id in edf_domains(project):
            if domain_id in known:
                yield from assignment_triples(ID[f"edf-{project.project_id}"], domain_id, [record])
