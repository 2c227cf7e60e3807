"""The current overlap assessments as RDF, in their own named graph (graph/derived/overlaps).

`defence-kg build` and `defence-kg load` recompute them inside the store version they publish
(see `derive_overlaps`), so the assessments always match the data they were computed from and a
failure publishes neither. Only pairs worth reading are stored: a score of at least
STORED_MIN_SCORE, or any pair with a claim as evidence; the API computes every other pair on demand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV

from defence_kg.graph.analysis.overlap_index import read_overlap_data
from defence_kg.graph.analysis.overlaps import WEIGHTS, Overlap, assess, pair_scores
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.ontology import DKG, GRAPH, ID

OVERLAP_GRAPH = GRAPH["derived/overlaps"]
STORED_MIN_SCORE = 0.4
ACTIVITY = ID["activity/overlap-assessment"]

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def assessment_iri(a: str, b: str) -> URIRef:
    first, second = sorted((a, b))
    return ID[f"overlap/{first}/{second}"]


def assessment_triples(overlap: Overlap) -> Iterator[Triple]:
    node = assessment_iri(overlap.a, overlap.b)
    yield node, RDF.type, DKG.OverlapAssessment
    yield node, RDFS.label, Literal(f"Overlap of {overlap.a_label} and {overlap.b_label}", lang="en")
    for entity in (overlap.a, overlap.b):
        yield node, DKG.overlapOf, ID[entity]
    yield node, DKG.score, _decimal(overlap.score)
    yield node, DKG.crossLine, Literal(overlap.cross_line)
    yield node, DKG.asOf, Literal(overlap.at.isoformat(), datatype=XSD.date)
    yield node, PROV.wasGeneratedBy, ACTIVITY
    for component in overlap.components:
        part = URIRef(f"{node}/{component.name}")
        yield node, DKG.component, part
        yield part, RDF.type, DKG.OverlapComponent
        yield part, DKG.componentName, Literal(component.name)
        yield part, DKG.score, _decimal(component.score)
        yield part, DKG.weight, _decimal(component.weight)
        yield part, DKG.contribution, _decimal(component.contribution)
        yield part, DKG.explanation, Literal(component.explanation, lang="en")
        if component.name == "function":
            for domain in component.details["shared"]:
                yield part, DKG.sharedDomain, ID[f"domain/{domain}"]
        if component.name == "membership":
            for state in component.details["shared"]:
                yield part, DKG.sharedMember, ID[state]
    for evidence in overlap.evidence:
        yield node, DKG.supportedBy, URIRef(evidence.statement)


def overlap_triples(overlaps: Iterable[Overlap]) -> list[Triple]:
    """The stored assessments and the activity that generated them. No clock time: `dkg:asOf`
    dates each assessment, so a rebuild from the same data on the same day gives the same quads."""
    weights = ", ".join(f"{name} {weight}" for name, weight in WEIGHTS.items())
    triples: list[Triple] = [
        (ACTIVITY, RDF.type, PROV.Activity),
        (ACTIVITY, RDFS.label, Literal("defence-kg overlap assessment", lang="en")),
        (ACTIVITY, RDFS.comment, Literal(f"Weights: {weights}. Stored from score {STORED_MIN_SCORE}.")),
    ]
    for overlap in overlaps:
        if overlap.score >= STORED_MIN_SCORE or overlap.evidence:
            triples.extend(assessment_triples(overlap))
    return triples


def derive_overlaps(fresh: ox.Store, at: dt.date | None = None) -> dict[URIRef, list[Triple]]:
    """The overlap graph computed from a store version about to be published."""
    day = at or dt.date.today()
    data = read_overlap_data(OxigraphStore.wrap(fresh))
    scores, members = pair_scores(data, day)
    kept = sorted(pair for pair, score in scores.items() if score >= STORED_MIN_SCORE or pair in data.claims)
    return {OVERLAP_GRAPH: overlap_triples(assess(data, a, b, day, members) for a, b in kept)}
