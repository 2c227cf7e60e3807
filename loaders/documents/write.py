"""Stage 6: one named graph per document, every statement with its evidence."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SKOS

from defence_kg.loaders.documents.models import Extraction, Relation
from defence_kg.loaders.schema import parse_partial_date
from defence_kg.loaders.to_rdf import Triple, instant
from defence_kg.ontology import DKG, GRAPH, ID, TIME

PREDICATE = {
    "membership": ORG.memberOf,
    "participation": ORG.memberOf,
    "joining": DKG.joined,
    "leaving": DKG.left,
    "invitation": DKG.invitedTo,
    "coordination": DKG.coordinates,
    "funding": DKG.funds,
    "count": DKG.count,
    "overlap": DKG.overlapsWith,
    "duplication": DKG.duplicates,
    "complementarity": DKG.complements,
    "cooperation": DKG.cooperatesWith,
}
# Asserted statements that say who takes part in what become org:Memberships with this role, so
# the members and memberships routes show them next to the curated ones; the other modalities
# stay statements with their quotes.
MEMBERSHIP_ROLE = {
    "membership": DKG.Member,
    "participation": DKG.Participant,
    "joining": DKG.Participant,
    "invitation": DKG.Invited,
}


def document_graph(doc_id: str) -> URIRef:
    return GRAPH[f"document/{doc_id}"]


def document_iri(doc_id: str) -> URIRef:
    return ID[f"document/{doc_id}"]


def _entity(key: str, doc_id: str) -> URIRef | None:
    if key.startswith("?"):
        return None if key == "?unspecified" else ID[f"candidate/{key[1:]}"]
    return ID[key]


def _statement_iri(doc_id: str, relation: Relation) -> URIRef:
    key = f"{relation.type}|{relation.subject}|{relation.object}|{relation.value}"
    return ID[f"statement/{doc_id}/{hashlib.sha1(key.encode()).hexdigest()[:12]}"]


def statement_triples(doc: URIRef, doc_id: str, relation: Relation) -> Iterator[Triple]:
    node = _statement_iri(doc_id, relation)
    yield node, RDF.type, DKG.Statement
    yield node, DKG.relation, Literal(relation.type)
    subject = _entity(relation.subject, doc_id)
    if subject is not None:
        yield node, DKG.claimSubject, subject
    yield node, DKG.claimPredicate, PREDICATE[relation.type]
    if relation.type == "count":
        yield node, DKG.unit, Literal(relation.object)
    else:
        obj = _entity(relation.object, doc_id)
        if obj is not None:
            yield node, DKG.claimObject, obj
    yield node, PROV.wasDerivedFrom, doc
    yield node, DKG.quote, Literal(relation.quote)
    yield node, DKG.start, Literal(relation.start, datatype=XSD.integer)
    yield node, DKG.end, Literal(relation.end, datatype=XSD.integer)
    yield node, DKG.method, Literal(relation.method)
    yield node, DKG.confidence, Literal(Decimal(str(relation.confidence)))
    yield node, DKG.modality, Literal(relation.modality)
    if relation.date:
        yield node, DKG.date, Literal(relation.date)
    if relation.value is not None:
        yield node, DKG.value, Literal(Decimal(str(relation.value)))
    if relation.unit and relation.type != "count":
        yield node, DKG.unit, Literal(relation.unit)
    if relation.modality != "asserted":  # planned, intended, negated, reported: the statement only
        return
    if subject is not None and relation.type in PREDICATE and relation.type != "count":
        obj = _entity(relation.object, doc_id)
        if obj is not None:
            yield subject, PREDICATE[relation.type], obj
    role = MEMBERSHIP_ROLE.get(relation.type)
    if role is not None and subject is not None and not relation.object.startswith("?unspec"):
        yield from _membership(doc, doc_id, node, relation, subject, role)


def _membership(
    doc: URIRef, doc_id: str, statement: URIRef, relation: Relation, subject: URIRef, role: URIRef
) -> Iterator[Triple]:
    organisation = _entity(relation.object, doc_id)
    if organisation is None:
        return
    local = "/".join(str(n).rsplit("/", 1)[-1] for n in (organisation, subject))
    node = ID[f"membership/document/{doc_id}/{local}/{role.split('#')[-1]}"]
    yield node, RDF.type, ORG.Membership
    yield node, ORG.member, subject
    yield node, ORG.organization, organisation
    yield node, ORG.role, role
    yield node, DKG.quote, Literal(relation.quote)
    yield node, PROV.wasDerivedFrom, doc
    yield node, DKG.evidence, statement
    if relation.date:
        interval = URIRef(f"{node}/during")
        begin, begin_triples = instant(parse_partial_date(relation.date), interval, "begin")
        yield node, ORG.memberDuring, interval
        yield interval, RDF.type, TIME.Interval
        yield interval, TIME.hasBeginning, begin
        yield from begin_triples


def document_triples(extraction: Extraction) -> list[Triple]:
    """The named graph's content for one processed document."""
    document = extraction.document
    doc = document_iri(document.id)
    meta = document.meta
    title = meta.title or Path(document.path).name
    triples: list[Triple] = [
        (doc, RDF.type, DKG.Document),
        (doc, DCTERMS.identifier, Literal(document.id)),
        (doc, DCTERMS.title, Literal(title)),
        (doc, SKOS.prefLabel, Literal(title)),
        (doc, DCTERMS.format, Literal(document.media_type)),
        (doc, DKG.sha256, Literal(document.sha256)),
    ]
    if meta.url:
        triples.append((doc, FOAF.page, URIRef(meta.url)))
    if meta.publisher:
        triples.append((doc, DCTERMS.publisher, Literal(meta.publisher)))
    if meta.date:
        triples.append((doc, DCTERMS.issued, Literal(meta.date)))
    for candidate in extraction.candidates:
        node = ID[f"candidate/{candidate.key[1:]}"]
        triples += [
            (node, RDF.type, DKG.Candidate),
            (node, SKOS.prefLabel, Literal(candidate.label)),
            (node, DKG.unresolved, Literal(True)),
            (node, PROV.wasDerivedFrom, doc),
        ]
        if candidate.acronym:
            triples.append((node, SKOS.altLabel, Literal(candidate.acronym)))
    for relation in extraction.relations:
        triples.extend(statement_triples(doc, document.id, relation))
    return list(dict.fromkeys(triples))
