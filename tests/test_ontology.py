"""The ontology parses, matches its typed namespace, and reuses the W3C vocabularies."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph
from rdflib.namespace import ORG, SKOS

from defence_kg.loaders.schema import Role
from defence_kg.ontology import DKG, ontology_path, shapes_path


def test_every_namespace_term_is_defined_in_the_ontology_and_back():
    graph = Graph().parse(ontology_path())
    defined = {s for s in graph.subjects() if str(s).startswith(str(DKG._NS))}
    declared = {DKG._NS[name] for name in DKG.__annotations__}
    assert defined == declared


def test_misspelt_term_fails():
    with pytest.raises(AttributeError):
        DKG.Memeber  # noqa: B018


def test_roles_are_org_roles_with_notations():
    graph = Graph().parse(ontology_path())
    roles = set(graph.subjects(RDF.type, ORG.Role))
    notations = {str(graph.value(r, SKOS.notation)) for r in roles}
    assert notations == {role.value for role in Role}
    assert "host" in notations


def test_new_kinds_are_initiatives():
    """Programmes, formations, groupings, centres and operations specialise dkg:Initiative, and
    military operations and civilian missions specialise dkg:Operation."""
    graph = Graph().parse(ontology_path())
    for kind in (DKG.Programme, DKG.Formation, DKG.Grouping, DKG.CentreOfExcellence, DKG.Operation):
        assert (kind, RDFS.subClassOf, DKG.Initiative) in graph
    for kind in (DKG.MilitaryOperation, DKG.CivilianMission):
        assert (kind, RDFS.subClassOf, DKG.Operation) in graph


def test_classes_specialise_org_classes():
    graph = Graph().parse(ontology_path())
    assert (DKG.State, RDF.type, OWL.Class) in graph
    assert (DKG.Initiative, None, ORG.OrganizationalCollaboration) in graph
    assert (DKG.Body, None, ORG.FormalOrganization) in graph


def test_shapes_parse():
    assert len(Graph().parse(shapes_path())) > 50
