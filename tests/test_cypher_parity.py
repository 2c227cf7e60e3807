"""The same questions in SPARQL on the embedded store and in Cypher on a real Neo4j (synced from
the same bundled graph, through the transactional path and through the bulk import) give the same
answers; the Cypher questions' answers that must hold are checked on Neo4j."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from defence_kg.graph.analysis.overlap_graph import derive_overlaps
from defence_kg.graph.answers.cypher_read import CypherResult, Neo4jReader
from defence_kg.graph.store.neo4j_sync import sync
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings
from tests.conftest import _BUILT, neo4j_store

ID = "https://w3id.org/defence-kg/id/"
AT = "WHERE m.from <= date($at) AND (m.to IS NULL OR m.to >= date($at))"
README_EXAMPLE = (
    "MATCH (s:State)-[m:MEMBER_OF {role: 'member'}]->"
    "(:InternationalOrganisation {uri: 'https://w3id.org/defence-kg/id/nato'})\n"
    "WHERE m.from <= date('2022-01-01') AND (m.to IS NULL OR m.to >= date('2022-01-01'))\n"
    "RETURN s.`skos__prefLabel@en`, m.from ORDER BY m.from"
)

OVERLAPS_EXAMPLE = (
    "MATCH (e {uri: $entity})<-[:dkg__overlapOf]-(a:OverlapAssessment)-[:dkg__overlapOf]->(o) "
    "WHERE o.uri <> $entity "
    "RETURN o.dcterms__identifier[0] AS other, a.dkg__score[0] AS score, a.dkg__crossLine[0] AS cross_line "
    "ORDER BY score DESC, other"
)

QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    # memberships as of a date, through MEMBER_OF from/to
    "nato-2022": (
        f"MATCH (s:State)-[m:MEMBER_OF {{role: 'member'}}]->({{uri: $org}}) {AT} "
        "RETURN s.dkg__iso2[0] AS iso2",
        {"org": ID + "nato", "at": "2022-01-01"},
    ),
    "nato-today-count": (
        f"MATCH (s:State)-[m:MEMBER_OF {{role: 'member'}}]->({{uri: $org}}) {AT} RETURN count(s) AS n",
        {"org": ID + "nato", "at": "2026-01-01"},
    ),
    "pesco-before-denmark": (
        f"MATCH (s)-[m:MEMBER_OF]->({{uri: $org}}) {AT} RETURN count(DISTINCT s) AS n",
        {"org": ID + "pesco", "at": "2023-05-22"},
    ),
    "pesco-after-denmark": (
        f"MATCH (s)-[m:MEMBER_OF]->({{uri: $org}}) {AT} RETURN count(DISTINCT s) AS n",
        {"org": ID + "pesco", "at": "2023-05-23"},
    ),
    "eu-on-date-with-uk": (
        f"MATCH (s:State)-[m:MEMBER_OF {{role: 'member'}}]->(o:InternationalOrganisation) {AT} "
        "AND o.uri ENDS WITH '/eu' RETURN s.dkg__iso2[0] AS iso2 ORDER BY iso2",
        {"at": "2019-06-01"},
    ),
    "memberships-ended": (
        "MATCH (s:State)-[m:MEMBER_OF]->(o) WHERE m.to IS NOT NULL "
        "RETURN s.dkg__iso2[0] AS s, o.uri AS o, m.role AS role, toString(m.from) AS f, toString(m.to) AS t",
        {},
    ),
    "sweden-memberships": (
        "MATCH (s:State {uri: $se})-[m:MEMBER_OF]->(o) "
        "RETURN o.uri AS o, m.role AS role, m.from AS since, size(m.sources) AS sources",
        {"se": ID + "SE"},
    ),
    "joined-year": (
        "MATCH (s:State)-[m:MEMBER_OF {role: 'member'}]->({uri: $org}) "
        "RETURN m.from.year AS year, count(*) AS n ORDER BY year",
        {"org": ID + "nato"},
    ),
    # EU not NATO (the README's first question)
    "eu-not-nato": (
        "MATCH (s:State)-[m:MEMBER_OF {role: 'member'}]->({uri: $eu}) WHERE m.to IS NULL "
        "AND NOT EXISTS { MATCH (s)-[n:MEMBER_OF {role: 'member'}]->({uri: $nato}) WHERE n.to IS NULL } "
        "RETURN s.`skos__prefLabel@en`[0] AS state, m.from AS eu_since ORDER BY state",
        {"eu": ID + "eu", "nato": ID + "nato"},
    ),
    "nato-not-eu": (
        "MATCH (s:State)-[:MEMBER_OF {role: 'member'}]->(:InternationalOrganisation {uri: $nato}) "
        "OPTIONAL MATCH (s)-[e:MEMBER_OF {role: 'member'}]->({uri: $eu}) "
        "WITH s, collect(e) AS eu WHERE size(eu) = 0 OR all(x IN eu WHERE x.to IS NOT NULL) "
        "RETURN s.dkg__iso2[0] AS iso2",
        {"eu": ID + "eu", "nato": ID + "nato"},
    ),
    # PESCO projects with third states (the README's PESCO question)
    "pesco-third-states": (
        "MATCH (s:State)-[m:MEMBER_OF {role: 'third_state_participant'}]->(p:PescoProject) "
        "UNWIND m.sources AS source "
        "RETURN p.skos__notation[0] AS project, s.dkg__iso2[0] AS state, m.from AS since, "
        "split(source, '/')[-1] AS source ORDER BY project, since, state, source",
        {},
    ),
    "third-states-per-project": (
        "MATCH (s)-[m:MEMBER_OF {role: 'third_state_participant'}]->(p:PescoProject) "
        "WITH p, s ORDER BY s.dkg__iso2[0] "
        "RETURN p.skos__notation[0] AS project, collect(DISTINCT s.dkg__iso2[0]) AS states",
        {},
    ),
    "third-states-anywhere": (
        "MATCH (s:State)-[:MEMBER_OF {role: 'third_state_participant'}]->() "
        "RETURN DISTINCT s.dkg__iso2[0] AS iso2",
        {},
    ),
    # coordinators
    "coordinators": (
        "MATCH (s:State)-[m:MEMBER_OF {role: 'coordinator'}]->(p:PescoProject) "
        "RETURN s.dkg__iso2[0] AS state, count(p) AS projects ORDER BY projects DESC, state LIMIT 10",
        {},
    ),
    "coordinated-by-france": (
        "MATCH (:State {uri: $fr})-[:MEMBER_OF {role: 'coordinator'}]->(p:PescoProject) "
        "RETURN p.skos__notation[0] AS code ORDER BY code",
        {"fr": ID + "FR"},
    ),
    "projects-without-coordinator": (
        "MATCH (p:PescoProject) WHERE NOT EXISTS { (s)-[:MEMBER_OF {role: 'coordinator'}]->(p) } "
        "RETURN count(p) AS n",
        {},
    ),
    "roles": (
        "MATCH ()-[m:MEMBER_OF]->() RETURN m.role AS role, count(*) AS n",
        {},
    ),
    # counts per label and relationship type
    "nodes-per-label": ("MATCH (n:Resource) UNWIND labels(n) AS label RETURN label, count(*) AS n", {}),
    "count-states": ("MATCH (s:State) RETURN count(*) AS states", {}),
    "count-resources": ("MATCH (n:Resource) RETURN count(n) AS n", {}),
    "rels-per-type": (
        "MATCH (:Resource)-[r]->(:Resource) RETURN type(r) AS type, count(*) AS n",
        {},
    ),
    "member-of-count": ("MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS n", {}),
    "type-relationship": (
        "MATCH (s:State)-[:rdf__type]->(c) RETURN c.uri AS class, count(*) AS n",
        {},
    ),
    # labels and properties with language tags
    "france": (
        "MATCH (s:State {uri: $fr}) RETURN s.`skos__prefLabel@en` AS label, s.dkg__iso2 AS iso2, "
        "s.`_g__skos__prefLabel@en` AS graphs",
        {"fr": ID + "FR"},
    ),
    "language-keys": (
        "MATCH (n:State) UNWIND keys(n) AS key WITH key WHERE key CONTAINS '@' RETURN key, count(*) AS n",
        {},
    ),
    "alt-labels": (
        "MATCH (o:InternationalOrganisation) RETURN o.`skos__prefLabel@en`[0] AS label, "
        "size(coalesce(o.`skos__altLabel@en`, [])) AS alt",
        {},
    ),
    "labels-starting": (
        "MATCH (s:State) WHERE s.`skos__prefLabel@en`[0] STARTS WITH 'S' "
        "RETURN toUpper(s.`skos__prefLabel@en`[0]) AS name ORDER BY name",
        {},
    ),
    "regex-names": (
        "MATCH (s:State) WHERE s.`skos__prefLabel@en`[0] =~ '.*land$' RETURN s.dkg__iso2[0] AS iso2",
        {},
    ),
    "state-node": (
        "MATCH (s:State {uri: $fr})-[:MEMBER_OF {role: 'member'}]->(o {uri: $org}) RETURN s, o.uri AS o",
        {"fr": ID + "FR", "org": ID + "nato"},
    ),
    "relationship-value": (
        "MATCH (:State {uri: $se})-[m:MEMBER_OF]->({uri: $org}) RETURN m.role AS role, m.from AS f, "
        "m.membership AS membership, m.sources[0] IN m.sources AS has",
        {"se": ID + "SE", "org": ID + "nato"},
    ),
    # the RDF side: memberships as nodes, two-hop paths, variable length, CASE, UNION
    "membership-nodes": (
        "MATCH (m:Membership)-[:org__member]->(s:State {uri: $de}), (m)-[:org__organization]->(o) "
        "MATCH (m)-[:org__memberDuring]->()-[:time__hasBeginning]->(b) "
        "RETURN o.uri AS o, b.time__inXSDDate[0] AS since",
        {"de": ID + "DE"},
    ),
    "sources-of-memberships": (
        "MATCH (:Membership)-[:prov__wasDerivedFrom]->(src:Source) "
        "RETURN src.dcterms__identifier[0] AS source, count(*) AS n ORDER BY n DESC, source LIMIT 5",
        {},
    ),
    "part-of-chain": (
        "MATCH (p {uri: $pesco})-[:dcterms__isPartOf*1..3]->(parent) RETURN DISTINCT parent.uri AS parent",
        {"pesco": ID + "pesco"},
    ),
    "incoming-part-of": (
        "MATCH (x)-[:dcterms__isPartOf]->({uri: $pesco}) RETURN count(x) AS parts",
        {"pesco": ID + "pesco"},
    ),
    "case-wave": (
        "MATCH (p:PescoProject) RETURN CASE WHEN p.dkg__wave[0] <= 2 THEN 'early' "
        "ELSE 'later' END AS period, count(*) AS n",
        {},
    ),
    "union": (
        "MATCH (s:State {uri: $fr}) RETURN s.dkg__iso2[0] AS code "
        "UNION MATCH (s:State {uri: $de}) RETURN s.dkg__iso2[0] AS code",
        {"fr": ID + "FR", "de": ID + "DE"},
    ),
    "unwind-list": (
        "UNWIND ['FR', 'DE', 'XX'] AS code OPTIONAL MATCH (s:State {uri: $base + code}) "
        "RETURN code, s.dkg__iso2[0] AS found",
        {"base": ID},
    ),
    "skip-limit": (
        "MATCH (s:State) RETURN s.dkg__iso2[0] AS iso2 ORDER BY iso2 SKIP 5 LIMIT 4",
        {},
    ),
    "list-comprehension": (
        "MATCH (s:State {uri: $se})-[m:MEMBER_OF]->() "
        "RETURN [x IN m.sources WHERE x CONTAINS 'nato' | split(x, '/')[-1]] AS nato_sources, m.role AS role",
        {"se": ID + "SE"},
    ),
    "string-functions": (
        "MATCH (s:State) WHERE s.dkg__iso2[0] IN ['FR', 'DE'] "
        "RETURN substring(s.`skos__prefLabel@en`[0], 0, 3) AS short, "
        "replace(toLower(s.`skos__prefLabel@en`[0]), 'a', '4') AS odd, trim('  x ') AS t",
        {},
    ),
    "arithmetic": (
        "MATCH (s:State) WITH count(s) AS n RETURN n, n / 2 AS half, n % 5 AS rest, n * 1.5 AS f, -n AS neg",
        {},
    ),
    "readme-example": (README_EXAMPLE, {}),
    # the stored overlap assessments (graph/derived/overlaps), as the README's example asks them
    "overlaps-of-card": (OVERLAPS_EXAMPLE, {"entity": ID + "card"}),
    "overlap-components": (
        "MATCH (a:OverlapAssessment)-[:dkg__component]->(c:OverlapComponent) "
        "WHERE a.dkg__crossLine[0] = true AND a.dkg__score[0] >= 0.6 "
        "RETURN a.uri AS pair, c.dkg__componentName[0] AS part, c.dkg__contribution[0] AS contribution",
        {},
    ),
}


PREFIXES = """\
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <https://w3id.org/defence-kg/id/>
"""
ON_DATE = """\
  ?m org:organization ?org ; org:member ?s ; org:role/skos:notation ?role ;
     org:memberDuring/time:hasBeginning/time:inXSDDate ?from .
  OPTIONAL { ?m org:memberDuring/time:hasEnd/time:inXSDDate ?to }
  FILTER (?from <= "AT"^^<http://www.w3.org/2001/XMLSchema#date>
          && (!BOUND(?to) || ?to >= "AT"^^<http://www.w3.org/2001/XMLSchema#date>))"""
QUERIES_DIR = Path(__file__).resolve().parents[1] / "graph" / "queries"
SPARQL = {  # name in QUERIES -> the same question in SPARQL
    "nato-today-count": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a dkg:State . BIND(id:nato AS ?org) "
    + ON_DATE.replace("AT", "2026-01-01")
    + " FILTER (?role = 'member') }",
    "pesco-before-denmark": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { BIND(id:pesco AS ?org) "
    + ON_DATE.replace("AT", "2023-05-22")
    + " }",
    "pesco-after-denmark": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { BIND(id:pesco AS ?org) "
    + ON_DATE.replace("AT", "2023-05-23")
    + " }",
    "eu-not-nato": (QUERIES_DIR / "eu-not-nato.rq").read_text(),
    "pesco-third-states": (QUERIES_DIR / "pesco-third-states.rq").read_text(),
    "coordinated-by-france": "SELECT ?code WHERE { ?m org:member id:FR ; org:organization ?p ; "
    "org:role/skos:notation 'coordinator' . ?p a dkg:PescoProject OPTIONAL { ?p skos:notation ?code } }",
}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.fixture(scope="module")
def source(built_graphs: dict[Any, Any]) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs, derive=derive_overlaps)
    return store


@pytest.fixture(scope="module")
def reader(
    request: pytest.FixtureRequest, source: OxigraphStore, built_graphs: dict[Any, Any]
) -> Iterator[Neo4jReader]:
    """A reader on the session's Neo4j after syncing the bundled graph with the project's sync."""
    target = neo4j_store(request)
    target.clear()  # type: ignore[attr-defined]  # a first sync: what other tests left is gone
    sync(source.quads(), target)  # type: ignore[arg-type]
    server = request.getfixturevalue("neo4j_server")
    yield Neo4jReader(Settings(neo4j_uri=server.uri, store_path=None))
    if "neo4j" in _BUILT:  # the session's `store` fixture expects the built graph back
        target.clear()  # type: ignore[attr-defined]
        target.replace_graphs(built_graphs)
    target.close()


def _sorted(result: CypherResult) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in result.rows)


def test_there_are_enough_queries() -> None:
    assert len(QUERIES) >= 30


@pytest.mark.parametrize("name", sorted(SPARQL))
def test_sparql_and_cypher_give_the_same_answers(
    name: str, source: OxigraphStore, reader: Neo4jReader
) -> None:
    text, parameters = QUERIES[name]
    cypher = reader.run(text, parameters, 10, 10_000)
    sparql = source.select(SPARQL[name] if "PREFIX" in SPARQL[name] else PREFIXES + SPARQL[name])
    assert cypher.rows, "a parity question must have an answer"
    assert sorted(json.dumps([_plain(r[c]) for c in sparql.columns]) for r in sparql.rows) == _sorted(cypher)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_cypher_question_has_an_answer(name: str, reader: Neo4jReader) -> None:
    text, parameters = QUERIES[name]
    assert reader.run(text, parameters, 10, 10_000).rows


def test_answers_that_must_hold(reader: Neo4jReader) -> None:
    def rows(name: str) -> list[list[Any]]:
        text, parameters = QUERIES[name]
        return reader.run(text, parameters, 10, 10_000).rows

    assert rows("nato-today-count") == [[32]]
    assert rows("pesco-before-denmark") == [[25]] and rows("pesco-after-denmark") == [[26]]
    assert [r[0] for r in rows("eu-not-nato")] == ["Austria", "Cyprus", "Ireland", "Malta"]
    assert len(rows("pesco-third-states")) == 9
    assert len(rows("readme-example")) == 30
    assert "ndpp" in [r[0] for r in rows("overlaps-of-card")]
