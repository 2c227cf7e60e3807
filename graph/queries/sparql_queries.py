"""SPARQL text of every query the project runs.

Parameters are bound by `bind()`, which puts a VALUES block serialised by pyoxigraph at the top of
the WHERE clause: user input is never pasted into query text, and the bound values restrict the
query from its first step on (Oxigraph's SEP-0007 substitutions join them in only at the end).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PREFIXES = """\
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# The classes the API exposes, most specific first, with the type name it reports.
TYPE_OF_CLASS = {
    "https://w3id.org/defence-kg/ontology#State": "State",
    "https://w3id.org/defence-kg/ontology#InternationalOrganisation": "Organisation",
    "https://w3id.org/defence-kg/ontology#Programme": "Programme",
    "https://w3id.org/defence-kg/ontology#Formation": "Formation",
    "https://w3id.org/defence-kg/ontology#Grouping": "Grouping",
    "https://w3id.org/defence-kg/ontology#CentreOfExcellence": "CentreOfExcellence",
    "https://w3id.org/defence-kg/ontology#MilitaryOperation": "Operation",
    "https://w3id.org/defence-kg/ontology#CivilianMission": "Operation",
    "https://w3id.org/defence-kg/ontology#Operation": "Operation",
    "https://w3id.org/defence-kg/ontology#Initiative": "Initiative",
    "https://w3id.org/defence-kg/ontology#PescoProject": "Project",
    "https://w3id.org/defence-kg/ontology#EdfProject": "Project",
    "https://w3id.org/defence-kg/ontology#Project": "Project",
    "https://w3id.org/defence-kg/ontology#Body": "Body",
    "https://w3id.org/defence-kg/ontology#Company": "Company",
    "https://w3id.org/defence-kg/ontology#Document": "Document",
}
# The kinds that specialise dkg:Initiative: whatever takes an initiative takes them too.
INITIATIVE_KINDS = ("Programme", "Formation", "Grouping", "CentreOfExcellence", "Operation")
CLASSES_OF_TYPE: dict[str, list[str]] = {}
for _cls, _type in TYPE_OF_CLASS.items():
    CLASSES_OF_TYPE.setdefault(_type, []).append(_cls)

_ENTITY_CLASSES = " ".join(f"<{c}>" for c in TYPE_OF_CLASS)

ENTITY = (
    PREFIXES
    + f"""
SELECT ?label ?class ?identifier ?iso2 ?wikidata ?description ?acronym ?family WHERE {{
  ?entity a ?class ; skos:prefLabel ?label ; dcterms:identifier ?identifier .
  VALUES ?class {{ {_ENTITY_CLASSES} }}
  OPTIONAL {{ ?entity dkg:iso2 ?iso2 }}
  OPTIONAL {{ ?entity dkg:wikidata ?wikidata }}
  OPTIONAL {{ ?entity dcterms:description ?description }}
  OPTIONAL {{ ?entity skos:notation ?acronym FILTER(!BOUND(?iso2)) }}
  OPTIONAL {{ ?entity dkg:family/skos:notation ?family }}
}}"""
)

EXISTS = "SELECT ?entity WHERE { ?entity ?p ?o } LIMIT 1"

ALT_LABELS = (
    PREFIXES
    + """
SELECT DISTINCT ?alt WHERE { ?entity skos:altLabel ?alt } ORDER BY ?alt"""
)

SOURCES_OF = (
    PREFIXES
    + """
SELECT DISTINCT ?source ?id ?title ?url ?quote WHERE {
  ?node prov:wasDerivedFrom ?source .
  ?source dcterms:identifier ?id ; dcterms:title ?title .
  OPTIONAL { ?source foaf:page ?url }
  OPTIONAL { ?node dkg:quote ?quote }
} ORDER BY ?id"""
)


def _memberships(side: str, other: str) -> str:
    """Memberships seen from `side` (the bound entity), listing the `other` party. Dates,
    sources and quotes come from MEMBERSHIP_DETAILS: Oxigraph evaluates an OPTIONAL's right side
    on its own before joining, so optional dates here would cost a scan of every interval."""
    return (
        PREFIXES
        + f"""
SELECT ?m ?other ?label ?class ?iso2 ?role WHERE {{
  ?m org:{side} ?entity ; org:{other} ?other ; org:role ?roleNode .
  ?roleNode skos:notation ?role .
  ?other a ?class ; skos:prefLabel ?label .
  VALUES ?class {{ {_ENTITY_CLASSES} }}
  OPTIONAL {{ ?other dkg:iso2 ?iso2 }}
}}"""
    )


MEMBERS = _memberships("organization", "member")
MEMBERSHIPS = _memberships("member", "organization")

# Every membership of a state, with the organisation (?entity): the matrix, timelines and overview.
STATE_MEMBERSHIP_RECORDS = (
    PREFIXES
    + """
SELECT ?m ?entity ?other ?label ?class ?iso2 ?role WHERE {
  ?m org:organization ?entity ; org:member ?other ; org:role/skos:notation ?role .
  ?other a dkg:State ; skos:prefLabel ?label .
  BIND(dkg:State AS ?class)
  OPTIONAL { ?other dkg:iso2 ?iso2 }
}"""
)

# For a VALUES list of memberships (?m): one row per start, end, source, quote and document
# evidence. A source that is a dkg:Document has ?document true (the membership rests on a
# loaded document, not on the curated reference data); ?confidence is that of its statement.
MEMBERSHIP_DETAILS = (
    PREFIXES
    + """
SELECT ?m ?kind ?date ?precision ?sourceId ?title ?url ?quote ?document ?confidence WHERE {
  { ?m org:memberDuring/time:hasBeginning ?instant . ?instant time:inXSDDate ?date .
    BIND("from" AS ?kind) OPTIONAL { ?instant dkg:datePrecision ?precision } }
  UNION
  { ?m org:memberDuring/time:hasEnd ?instant . ?instant time:inXSDDate ?date .
    BIND("to" AS ?kind) OPTIONAL { ?instant dkg:datePrecision ?precision } }
  UNION
  { ?m prov:wasDerivedFrom ?source . ?source dcterms:identifier ?sourceId ; dcterms:title ?title .
    BIND("source" AS ?kind) OPTIONAL { ?source foaf:page ?url }
    OPTIONAL { ?source a dkg:Document . BIND(true AS ?document) } }
  UNION
  { ?m dkg:quote ?quote . BIND("quote" AS ?kind) }
  UNION
  { ?m dkg:evidence/dkg:confidence ?confidence . BIND("confidence" AS ?kind) }
} ORDER BY ?m ?sourceId"""
)


def bind_many(query: str, name: str, terms: list[Any]) -> str:
    """`query` with `?name` bound to each of `terms` (pyoxigraph terms, serialised by it)."""
    head, brace, rest = query.partition("WHERE {")
    if not brace:
        raise ValueError("a parameterised query needs a 'WHERE {' clause")
    values = " ".join(str(term) for term in terms)
    return f"{head}WHERE {{\n  VALUES ?{name} {{ {values} }}{rest}"


PARTS = (
    PREFIXES
    + f"""
SELECT ?part ?identifier ?label ?class ?acronym ?status ?adopted ?closed ?wave WHERE {{
  ?part dcterms:isPartOf ?entity ; dcterms:identifier ?identifier ; skos:prefLabel ?label ;
        a ?class .
  VALUES ?class {{ {_ENTITY_CLASSES} }}
  OPTIONAL {{ ?part skos:notation ?acronym }}
  OPTIONAL {{ ?part dkg:status/skos:notation ?status }}
  OPTIONAL {{ ?part dkg:adopted ?adopted }}
  OPTIONAL {{ ?part dkg:closed ?closed }}
  OPTIONAL {{ ?part dkg:wave ?wave }}
}} ORDER BY ?wave ?label"""
)

# Candidates for a search: any label, alternative or hidden label, notation or identifier
# containing the text; ranking happens in Python (exact matches first).
# The first and last day of membership ?m, each optional: shared by the queries that read intervals.
INTERVAL = """\
  OPTIONAL { ?m org:memberDuring/time:hasBeginning/time:inXSDDate ?from }
  OPTIONAL { ?m org:memberDuring/time:hasEnd/time:inXSDDate ?to }
"""

SEARCH = (
    PREFIXES
    + f"""
SELECT ?entity ?identifier ?label ?class ?iso2 ?matched WHERE {{
  ?entity a ?class ; skos:prefLabel ?label ; dcterms:identifier ?identifier .
  VALUES ?class {{ {_ENTITY_CLASSES} }}
  ?entity ?property ?matched .
  VALUES ?property {{ skos:prefLabel skos:altLabel skos:notation dcterms:identifier dkg:iso2
                     dkg:capital dkg:metonym dkg:demonym }}
  OPTIONAL {{ ?entity dkg:iso2 ?iso2 }}
}}"""
)  # every name of every entity: read once per store version, searched in memory

COUNT_BY_CLASS = (
    PREFIXES
    + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"""
)

COUNT_BY_GRAPH = """
SELECT ?graph (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph"""


def bind(query: str, bindings: Mapping[str, Any]) -> str:
    """`query` with its parameters bound; a value of None leaves the variable unbound (UNDEF)."""
    if not bindings:
        return query
    head, brace, rest = query.partition("WHERE {")
    if not brace:
        raise ValueError("a parameterised query needs a 'WHERE {' clause")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join("UNDEF" if v is None else str(v) for v in bindings.values())
    return f"{head}WHERE {{\n  VALUES ({names}) {{ ({values}) }}{rest}"


DOCUMENTS = (
    PREFIXES
    + """
SELECT ?doc ?id ?title ?url ?date ?publisher ?format ?sha256
       (COUNT(DISTINCT ?statement) AS ?statements) WHERE {
  ?doc a dkg:Document ; dcterms:identifier ?id ; dcterms:title ?title ; dcterms:format ?format ;
       dkg:sha256 ?sha256 .
  OPTIONAL { ?doc foaf:page ?url }
  OPTIONAL { ?doc dcterms:issued ?date }
  OPTIONAL { ?doc dcterms:publisher ?publisher }
  OPTIONAL { ?statement a dkg:Statement ; prov:wasDerivedFrom ?doc }
} GROUP BY ?doc ?id ?title ?url ?date ?publisher ?format ?sha256 ORDER BY ?id"""
)

STATEMENTS = (
    PREFIXES
    + """
SELECT ?statement ?relation ?subject ?object ?quote ?start ?end ?method ?confidence ?date
       ?value ?unit ?modality WHERE {
  ?statement a dkg:Statement ; prov:wasDerivedFrom ?doc ; dkg:relation ?relation ;
             dkg:quote ?quote ; dkg:start ?start ; dkg:end ?end ; dkg:method ?method ;
             dkg:confidence ?confidence .
  OPTIONAL { ?statement dkg:claimSubject/dcterms:identifier ?subjectId }
  OPTIONAL { ?statement dkg:claimSubject ?subjectNode }
  OPTIONAL { ?statement dkg:claimObject/dcterms:identifier ?objectId }
  OPTIONAL { ?statement dkg:claimObject ?objectNode }
  BIND(COALESCE(?subjectId, STR(?subjectNode)) AS ?subject)
  BIND(COALESCE(?objectId, STR(?objectNode)) AS ?object)
  OPTIONAL { ?statement dkg:date ?date }
  OPTIONAL { ?statement dkg:value ?value }
  OPTIONAL { ?statement dkg:unit ?unit }
  OPTIONAL { ?statement dkg:modality ?stated }
  BIND(COALESCE(?stated, "asserted") AS ?modality)
} ORDER BY ?start ?relation ?subject ?object"""
)

# Curated memberships only (named graphs under graph/reference/): what a coverage count rests on;
# ?state is the member state, or the country of a member company.
REFERENCE_MEMBERSHIPS = (
    PREFIXES
    + f"""
SELECT ?entity ?class ?member ?state ?role ?dated WHERE {{
  ?entity a ?class ; dcterms:identifier ?id .
  VALUES ?class {{ {_ENTITY_CLASSES} }}
  OPTIONAL {{
    GRAPH ?g {{ ?m org:organization ?entity ; org:member ?member ; org:role ?role . }}
    FILTER(STRSTARTS(STR(?g), "https://w3id.org/defence-kg/graph/reference/"))
    OPTIONAL {{ ?member a dkg:State . BIND(?member AS ?own) }}
    OPTIONAL {{ ?member dkg:country ?country }}  # a company stands for its country
    BIND(COALESCE(?own, ?country) AS ?state)
    BIND(EXISTS {{ ?m org:memberDuring/time:hasBeginning ?b }} AS ?dated)
  }}
}}"""
)
