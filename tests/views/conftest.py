"""Fixtures of the view tests: the bundled graph plus the corpus documents plus hostile labels and
quotes (XSS payloads) on a few made-up entities, in one in-memory store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, XSD, Literal, Namespace, URIRef

from defence_kg.api.main import create_app
from defence_kg.graph.publish.documents import load_documents
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.ontology import ID
from defence_kg.settings import Settings
from tests.conftest import shared_file

DKG = Namespace("https://w3id.org/defence-kg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
HOSTILE_GRAPH = URIRef("https://w3id.org/defence-kg/graph/test/hostile")

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "line\u2028separator\u2029<!-- x",
    "<b onmouseover=alert(1)>bold</b> & co",
]


def hostile_triples() -> list[tuple[Any, Any, Any]]:
    """One made-up initiative per payload (label, alternative label), Germany taking part in each
    since 2020, and a document statement per payload saying it overlaps PESCO, quoting it."""
    doc = ID["document/hostile-test"]
    triples: list[tuple[Any, Any, Any]] = [
        (doc, RDF.type, DKG.Document),
        (doc, DCTERMS.identifier, Literal("hostile-test")),
        (doc, DCTERMS.title, Literal("<script>alert('title')</script> test document")),
    ]
    for number, payload in enumerate(PAYLOADS):
        node, membership = ID[f"hostile-{number}"], ID[f"membership/hostile-{number}/DE"]
        start = ID[f"membership/hostile-{number}/DE/start"]
        statement = ID[f"statement/hostile-test/{number}"]
        triples += [
            (node, RDF.type, DKG.Initiative),
            (node, SKOS.prefLabel, Literal(payload, lang="en")),
            (node, SKOS.altLabel, Literal(payload)),
            (node, DCTERMS.identifier, Literal(f"hostile-{number}")),
            (node, DKG.family, DKG.FamilyAdHoc),
            (membership, RDF.type, ORG.Membership),
            (membership, ORG.member, ID.DE),
            (membership, ORG.organization, node),
            (membership, ORG.role, DKG.Participant),
            (membership, ORG.memberDuring, ID[f"membership/hostile-{number}/DE/interval"]),
            (ID[f"membership/hostile-{number}/DE/interval"], TIME.hasBeginning, start),
            (start, TIME.inXSDDate, Literal("2020-01-01", datatype=XSD.date)),
            (statement, RDF.type, DKG.Statement),
            (statement, DKG.relation, Literal("overlap")),
            (statement, DKG.claimSubject, node),
            (statement, DKG.claimPredicate, DKG.overlapsWith),
            (statement, DKG.claimObject, ID.pesco),
            (statement, DKG.quote, Literal(f"{payload} overlaps with PESCO {payload}")),
            (statement, DKG.start, Literal(0, datatype=XSD.integer)),
            (statement, DKG.end, Literal(10, datatype=XSD.integer)),
            (statement, DKG.method, Literal("test")),
            (statement, DKG.confidence, Literal("0.5", datatype=XSD.decimal)),
            (statement, PROV.wasDerivedFrom, doc),
        ]
    return triples


@pytest.fixture(scope="session")
def view_store(built_graphs: dict[Any, Any]) -> OxigraphStore:
    """The bundled graph, the shared corpus loaded as documents, and the hostile entities."""
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    report = load_documents(store, [shared_file("corpus")], max_bytes=10_000_000)
    assert not report.errors
    store.replace_graphs({HOSTILE_GRAPH: hostile_triples()})
    return store


@pytest.fixture(scope="session")
def view_client(view_store: OxigraphStore) -> Iterator[TestClient]:
    settings = Settings(store_path=None, query_timeout=5, max_rows=500)
    with TestClient(create_app(settings, store=view_store)) as client:
        yield client
