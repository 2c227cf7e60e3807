"""SPARQL text of the queries that gather what overlap assessments are computed from."""

from __future__ import annotations

from defence_kg.graph.queries.sparql_queries import INTERVAL, PREFIXES

# Initiatives, organisations and projects: what can overlap.
CANDIDATES = (
    PREFIXES
    + """
SELECT ?entity ?id ?label ?class ?family WHERE {
  ?entity a ?class ; dcterms:identifier ?id ; skos:prefLabel ?label .
  VALUES ?class { dkg:InternationalOrganisation dkg:Initiative dkg:Project dkg:PescoProject dkg:EdfProject }
  OPTIONAL { ?entity dkg:family/skos:notation ?family }
}"""
)

PARENTS = (
    PREFIXES
    + """
SELECT ?child ?parent WHERE { ?child dcterms:isPartOf ?parent }"""
)


def _state_memberships(condition: str = "") -> str:
    """States taking part (member, participant, coordinator, third-state participant, host) with
    their dates, memberships restricted by `condition` (a graph pattern on ?m)."""
    return (
        PREFIXES
        + """
SELECT ?organisation ?iso2 ?from ?to WHERE {
  ?m org:organization ?organisation ; org:member ?state ; org:role ?role .
  VALUES ?role { dkg:Member dkg:Participant dkg:Coordinator dkg:ThirdStateParticipant dkg:Host }
  ?state dkg:iso2 ?iso2 .
"""
        + condition
        + INTERVAL
        + """}"""
    )


STATE_MEMBERSHIPS = _state_memberships()
# Only memberships with a source other than a loaded document (the curated data): a state taking
# part on a day by STATE_MEMBERSHIPS but not by these rests only on documents.
CURATED_STATE_MEMBERSHIPS = _state_memberships(
    "  FILTER EXISTS { ?m prov:wasDerivedFrom ?source . FILTER NOT EXISTS { ?source a dkg:Document } }\n"
)

# EDF-family projects take part through companies: the countries of those companies.
COMPANY_COUNTRIES = (
    PREFIXES
    + """
SELECT ?organisation ?iso2 ?from ?to WHERE {
  ?m org:organization ?organisation ; org:member ?company .
  ?company a dkg:Company ; dkg:country/dkg:iso2 ?iso2 .
"""
    + INTERVAL
    + """}"""
)

DOMAINS = (
    PREFIXES
    + """
SELECT ?entity ?domain ?label WHERE {
  ?entity dkg:capabilityDomain ?concept .
  ?concept skos:notation ?domain ; skos:prefLabel ?label .
}"""
)

# Overlap, duplication and complementarity claims: curated (dkg:Claim) and from documents
# (dkg:Statement), one row per source; a document's planned, intended, negated or reported
# statement ("avoiding duplication of work with NATO") is no evidence.
CLAIMS = (
    PREFIXES
    + """
SELECT ?claim ?subject ?object ?predicate ?quote ?sourceId ?isDocument WHERE {
  ?claim a ?kind ; dkg:claimSubject ?subject ; dkg:claimPredicate ?predicate ; dkg:claimObject ?object .
  VALUES ?kind { dkg:Claim dkg:Statement }
  VALUES ?predicate { dkg:overlapsWith dkg:duplicates dkg:complements }
  ?claim prov:wasDerivedFrom ?source .
  ?source dcterms:identifier ?sourceId .
  OPTIONAL { ?claim dkg:quote ?quote }
  OPTIONAL { ?source a dkg:Document . BIND(true AS ?isDocument) }
  FILTER NOT EXISTS { ?claim dkg:modality ?modality FILTER(?modality != "asserted") }
}"""
)

# The stored assessments of one entity, best first (the README's SPARQL example).
STORED_FOR_ENTITY = (
    PREFIXES
    + """
SELECT ?other ?score ?crossLine WHERE {
  ?assessment a dkg:OverlapAssessment ; dkg:overlapOf ?entity, ?otherNode ; dkg:score ?score ;
              dkg:crossLine ?crossLine .
  FILTER(?otherNode != ?entity)
  ?otherNode dcterms:identifier ?other .
} ORDER BY DESC(?score) ?other"""
)
