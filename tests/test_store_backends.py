"""The store interface, the same tests on every backend (Oxigraph in memory, a real Neo4j)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef, namespace

from defence_kg.graph.store.oxigraph_store import OxigraphStore

A, B, P, Q = (URIRef(f"urn:x:{n}") for n in ("a", "b", "p", "q"))
G1, G2 = URIRef("urn:g:1"), URIRef("urn:g:2")
VARIED = [
    (A, P, B),
    (A, Q, B),
    (A, P, Literal("plain")),
    (A, P, Literal("second value")),
    (A, P, Literal("France", lang="en")),
    (A, P, Literal("Frankreich", lang="de")),
    (A, P, Literal("42", datatype=namespace.XSD.integer)),
    (A, Q, Literal("true", datatype=namespace.XSD.boolean)),
    (A, Q, Literal("2024-03-07", datatype=namespace.XSD.date)),
    (A, Q, Literal("1234567.89", datatype=namespace.XSD.decimal)),
    (A, URIRef("urn:y#year"), Literal("2023", datatype=namespace.XSD.gYear)),
    (A, URIRef("urn:y#odd"), Literal("x", datatype=URIRef("urn:custom:type"))),
    (B, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("urn:c#State")),
]


def quads(store) -> set[ox.Quad]:
    out = io.BytesIO()
    store.export(out, "nq")
    return set(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))


def test_replace_graphs_named_graphs_and_count(empty_store):
    empty_store.replace_graphs({G1: VARIED, G2: [(A, P, B), (B, P, Literal("b"))]})
    assert empty_store.named_graphs() == ["urn:g:1", "urn:g:2"]
    assert empty_store.count("urn:g:1") == len(VARIED) and empty_store.count("urn:g:2") == 2
    assert empty_store.count() == len(VARIED) + 2
    empty_store.replace_graphs({G1: [(A, P, Literal("only"))]})
    assert empty_store.count("urn:g:1") == 1 and empty_store.count("urn:g:2") == 2
    empty_store.replace_graphs({G2: []})
    assert empty_store.named_graphs() == ["urn:g:1"] and empty_store.count() == 1


def test_export_keeps_every_literal_and_graph(empty_store):
    empty_store.replace_graphs({G1: VARIED, G2: VARIED[:3]})
    reference = OxigraphStore(None)
    reference.replace_graphs({G1: VARIED, G2: VARIED[:3]})
    assert quads(empty_store) == quads(reference)


def test_replacing_a_graph_twice_changes_nothing(empty_store):
    empty_store.replace_graphs({G1: VARIED, G2: VARIED})
    before = quads(empty_store)
    empty_store.replace_graphs({G1: VARIED})
    assert quads(empty_store) == before


def test_the_built_graph_is_the_same_on_every_backend(store, built_graphs):
    """The reference graphs; `defence-kg build` adds the derived overlap graph (graph/derived/)."""
    reference = OxigraphStore(None)
    reference.replace_graphs(built_graphs)
    derived = [g for g in store.named_graphs() if "/graph/derived/" in g]
    assert [g for g in store.named_graphs() if g not in derived] == reference.named_graphs()
    assert derived == (
        ["https://w3id.org/defence-kg/graph/derived/overlaps"] if store.name == "oxigraph" else []
    )
    for graph in reference.named_graphs():
        assert store.count(graph) == reference.count(graph), graph


def test_select_only_where_sparql_is_supported(store):
    if store.supports_sparql:
        assert store.select("ASK { ?s ?p ?o }").boolean is True
    else:
        with pytest.raises(NotImplementedError, match="does not answer SPARQL"):
            store.select("ASK { ?s ?p ?o }")
