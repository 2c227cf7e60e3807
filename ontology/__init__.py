"""The defence-kg vocabulary: OWL ontology, SHACL shapes and typed namespaces."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/defence-kg/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
TIME = Namespace("http://www.w3.org/2006/time#")


class DKG(DefinedNamespace):
    """Terms of the defence-kg ontology; a misspelt term raises AttributeError."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # classes
    State: URIRef
    InternationalOrganisation: URIRef
    Initiative: URIRef
    Project: URIRef
    PescoProject: URIRef
    EdfProject: URIRef
    Body: URIRef
    Programme: URIRef
    Formation: URIRef
    Grouping: URIRef
    CentreOfExcellence: URIRef
    Operation: URIRef
    MilitaryOperation: URIRef
    CivilianMission: URIRef
    Company: URIRef
    Source: URIRef
    Family: URIRef
    ProjectStatus: URIRef
    Claim: URIRef
    CapabilityDomain: URIRef
    DomainAssignment: URIRef
    OverlapAssessment: URIRef
    OverlapComponent: URIRef
    # roles
    roles: URIRef
    Member: URIRef
    Participant: URIRef
    Coordinator: URIRef
    Observer: URIRef
    ThirdStateParticipant: URIRef
    Invited: URIRef
    Partner: URIRef
    Host: URIRef
    # families and statuses
    families: URIRef
    FamilyEU: URIRef
    FamilyNATO: URIRef
    FamilyAdHoc: URIRef
    FamilyNational: URIRef
    FamilyUS: URIRef
    FamilyMultinational: URIRef
    statuses: URIRef
    Active: URIRef
    Closed: URIRef
    Merged: URIRef
    # datatype properties
    iso2: URIRef
    wikidata: URIRef
    capital: URIRef
    metonym: URIRef
    demonym: URIRef
    combiningForm: URIRef
    wave: URIRef
    adopted: URIRef
    closed: URIRef
    established: URIRef
    ended: URIRef
    domain: URIRef
    datePrecision: URIRef
    call: URIRef
    topic: URIRef
    year: URIRef
    euContribution: URIRef
    overallBudget: URIRef
    pic: URIRef
    sme: URIRef
    quote: URIRef
    # object properties
    family: URIRef
    status: URIRef
    country: URIRef
    coordinates: URIRef
    coordinatedBy: URIRef
    funds: URIRef
    establishedBy: URIRef
    implements: URIRef
    supports: URIRef
    cooperatesWith: URIRef
    overlapsWith: URIRef
    duplicates: URIRef
    complements: URIRef
    claimSubject: URIRef
    claimPredicate: URIRef
    claimObject: URIRef
    # documents and statements
    Document: URIRef
    Statement: URIRef
    Candidate: URIRef
    relation: URIRef
    start: URIRef
    end: URIRef
    method: URIRef
    confidence: URIRef
    modality: URIRef
    date: URIRef
    value: URIRef
    unit: URIRef
    sha256: URIRef
    evidence: URIRef
    unresolved: URIRef
    joined: URIRef
    left: URIRef
    invitedTo: URIRef
    count: URIRef
    # capability domains and overlap assessments
    capabilityDomains: URIRef
    capabilityDomain: URIRef
    assignedEntity: URIRef
    assignedDomain: URIRef
    overlapOf: URIRef
    score: URIRef
    crossLine: URIRef
    asOf: URIRef
    component: URIRef
    componentName: URIRef
    weight: URIRef
    contribution: URIRef
    explanation: URIRef
    supportedBy: URIRef
    sharedMember: URIRef
    sharedDomain: URIRef


def ontology_path() -> Path:
    """Path of the OWL ontology in Turtle."""
    return Path(str(resources.files(__name__) / "defence-kg.ttl"))


def shapes_path() -> Path:
    """Path of the SHACL shapes in Turtle."""
    return Path(str(resources.files(__name__) / "shapes.ttl"))
