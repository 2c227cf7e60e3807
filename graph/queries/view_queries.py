"""SPARQL text of the graph views (membership map, ego view, overlap map, document view).

Parameters are bound with `sparql_queries.bind` / `bind_many` (VALUES blocks serialised by
pyoxigraph), never pasted.
"""

from __future__ import annotations

from defence_kg.graph.queries.sparql_queries import INTERVAL, PREFIXES

# Every membership of a state: the membership map's edges. Dates come along because the map
# needs all of them; the as-of filter is applied in Python, like `lookup.members`.
STATE_MEMBERSHIPS = (
    PREFIXES
    + """
SELECT ?m ?member ?org ?role ?from ?to WHERE {
  ?m a org:Membership ; org:member ?member ; org:organization ?org ; org:role/skos:notation ?role .
  ?member a dkg:State .
"""
    + INTERVAL
    + """}"""
)

# For a VALUES list of nodes (?node): label, identifier, classes, family, capability domain and ISO
# code. Domains are the labels of `dkg:capabilityDomain` concepts and the project `dkg:domain`
# text, so the domain filter appears as soon as either kind of data exists.
NODE_DETAILS = (
    PREFIXES
    + """
SELECT ?node ?label ?identifier ?class ?family ?domain ?iso2 ?acronym WHERE {
  ?node skos:prefLabel ?label .
  OPTIONAL { ?node dcterms:identifier ?identifier }
  OPTIONAL { ?node a ?class }
  OPTIONAL { ?node dkg:family/skos:notation ?family }
  OPTIONAL { { ?node dkg:domain ?domain } UNION { ?node dkg:capabilityDomain/skos:prefLabel ?domain } }
  OPTIONAL { ?node dkg:iso2 ?iso2 }
  OPTIONAL { ?node skos:notation ?acronym }
}"""
)

# For a VALUES list of nodes (?node): every neighbour, by membership (either side), claim (either
# side, reference claims and document statements alike) or part-of link. Membership dates come
# from `sparql_queries.MEMBERSHIP_DETAILS`: optional dates here cost a scan of every interval.
NEIGHBOURS = (
    PREFIXES
    + """
SELECT ?node ?other ?kind ?label ?outgoing ?m WHERE {
  {
    ?m org:member ?node ; org:organization ?other ; org:role/skos:notation ?label .
    BIND("membership" AS ?kind) BIND(true AS ?outgoing)
  } UNION {
    ?m org:organization ?node ; org:member ?other ; org:role/skos:notation ?label .
    BIND("membership" AS ?kind) BIND(false AS ?outgoing)
  } UNION {
    ?c dkg:claimSubject ?node ; dkg:claimPredicate ?p ; dkg:claimObject ?other .
    BIND("claim" AS ?kind) BIND(true AS ?outgoing) BIND(REPLACE(STR(?p), "^.*[#/]", "") AS ?label)
  } UNION {
    ?c dkg:claimObject ?node ; dkg:claimPredicate ?p ; dkg:claimSubject ?other .
    BIND("claim" AS ?kind) BIND(false AS ?outgoing) BIND(REPLACE(STR(?p), "^.*[#/]", "") AS ?label)
  } UNION {
    ?node dcterms:isPartOf ?other . BIND("part" AS ?kind) BIND(true AS ?outgoing) BIND("isPartOf" AS ?label)
  } UNION {
    ?other dcterms:isPartOf ?node . BIND("part" AS ?kind) BIND(false AS ?outgoing) BIND("isPartOf" AS ?label)
  }
}"""
)

DOCUMENT_TITLE = (
    PREFIXES
    + """
SELECT ?title WHERE { ?doc a dkg:Document ; dcterms:title ?title }"""
)
