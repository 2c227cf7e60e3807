"""Cypher text of every query the Neo4j store runs.

Values always travel as parameters (`$rows`, `$graph`, ...), never in the text. Labels,
relationship types and property keys that come from the data use Neo4j 5.26's dynamic forms
(`:$(expr)`, `n[key]`), except in the bulk writes, where they are written into the text as escaped
identifiers (`identifier`) because static ones plan much faster. Writes are batched with
`UNWIND $rows`.
"""

from __future__ import annotations

RESOURCE = "Resource"
GRAPH_NODE = "_NamedGraph"
NAMESPACES_NODE = "_NsPrefDef"
GRAPHS_OF = "_g__"  # prefix of the key listing the named graph of each value of a literal property
DERIVED = "MEMBER_OF"

CONSTRAINTS = (
    f"CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:{RESOURCE}) REQUIRE n.uri IS UNIQUE",
    f"CREATE CONSTRAINT named_graph_uri IF NOT EXISTS FOR (g:{GRAPH_NODE}) REQUIRE g.uri IS UNIQUE",
)

# ---------------------------------------------------------------- named graphs and namespaces

GRAPH_STATES = f"MATCH (g:{GRAPH_NODE}) RETURN g.uri AS uri, g.hash AS hash, g.quads AS quads"

BEGIN_GRAPH = f"MERGE (g:{GRAPH_NODE} {{uri: $graph}}) SET g.hash = null, g.complete = false"

FINISH_GRAPH = f"""\
MATCH (g:{GRAPH_NODE} {{uri: $graph}})
SET g.hash = $hash, g.quads = $quads, g.complete = true"""

DROP_GRAPH_NODE = f"MATCH (g:{GRAPH_NODE} {{uri: $graph}}) DELETE g"

NAMESPACES = f"MATCH (ns:{NAMESPACES_NODE}) RETURN properties(ns) AS prefixes"

SAVE_NAMESPACES = f"MERGE (ns:{NAMESPACES_NODE}) SET ns += $prefixes"

SYNC_STATE = "MATCH (s:_SyncState) RETURN s.derived AS derived"

SET_SYNC_STATE = "MERGE (s:_SyncState) SET s.derived = $derived"

# ---------------------------------------------------------------- removing one named graph

REMOVE_RELATIONSHIPS = """\
MATCH ()-[r]->() WHERE $graph IN r.graphs
WITH r LIMIT $batch
SET r.graphs = [x IN r.graphs WHERE x <> $graph]
WITH r WHERE size(r.graphs) = 0
DELETE r
RETURN count(*) AS deleted"""

REMOVE_NODE_VALUES = f"""\
MATCH (n:{RESOURCE}) WHERE $graph IN n.graphs
WITH n LIMIT $batch
FOREACH (key IN [k IN keys(n) WHERE k STARTS WITH '{GRAPHS_OF}'] |
  SET n[substring(key, {len(GRAPHS_OF)})] =
        [i IN range(0, size(n[key]) - 1) WHERE n[key][i] <> $graph | n[substring(key, {len(GRAPHS_OF)})][i]],
      n[key] = [x IN n[key] WHERE x <> $graph])
SET n.graphs = [x IN n.graphs WHERE x <> $graph]
WITH n, [k IN keys(n) WHERE k STARTS WITH '{GRAPHS_OF}' AND size(n[k]) = 0] AS empty
FOREACH (key IN empty | REMOVE n[key], n[substring(key, {len(GRAPHS_OF)})])
WITH n, size(n.graphs) = 1 AS sole
FOREACH (key IN CASE WHEN sole THEN [k IN keys(n) WHERE k STARTS WITH '{GRAPHS_OF}'] ELSE [] END |
  REMOVE n[key])
WITH n, sole
OPTIONAL MATCH (n)-[r]->() WHERE sole AND r.graphs IS NOT NULL
REMOVE r.graphs
RETURN collect(DISTINCT n.uri) AS uris"""

RELABEL = f"""\
UNWIND $uris AS uri
MATCH (n:{RESOURCE} {{uri: uri}})
OPTIONAL MATCH (n)-[:rdf__type]->(c:{RESOURCE})
WITH n, [t IN collect(c.uri) | last(split(last(split(t, '#')), '/'))] AS types
WITH n, [t IN types WHERE t <> ''] AS keep
REMOVE n:$([l IN labels(n) WHERE l <> '{RESOURCE}' AND NOT l IN keep])
SET n:$(keep)"""

DELETE_ORPHANS = f"""\
MATCH (n:{RESOURCE}) WHERE size(n.graphs) = 0
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted"""

# ---------------------------------------------------------------- adding one named graph

HAS_RESOURCES = f"MATCH (n:{RESOURCE}) RETURN count(n) > 0 AS any"

EXISTING_NODES = f"""\
UNWIND $uris AS uri
MATCH (n:{RESOURCE} {{uri: uri}})
RETURN collect([uri, elementId(n)]) AS found"""

SHARE_NODES = f"""\
UNWIND $uris AS uri
MATCH (n:{RESOURCE} {{uri: uri}}) WHERE size(n.graphs) = 1 AND NOT $graph IN n.graphs
FOREACH (key IN [k IN keys(n) WHERE NOT k IN ['uri', 'graphs'] AND NOT k STARTS WITH '{GRAPHS_OF}'] |
  SET n['{GRAPHS_OF}' + key] = [v IN n[key] | n.graphs[0]])
WITH n
OPTIONAL MATCH (n)-[r]->() WHERE r.graphs IS NULL AND type(r) <> '{DERIVED}'
SET r.graphs = n.graphs"""

MERGE_NODES = f"""\
UNWIND $rows AS row
MERGE (n:{RESOURCE} {{uri: row.uri}})
  ON CREATE SET n.graphs = [$graph]
  ON MATCH SET n.graphs = CASE WHEN $graph IN n.graphs THEN n.graphs ELSE n.graphs + $graph END
SET n:$(row.labels)
WITH n, row
FOREACH (key IN keys(row.props) |
  SET n[key] = coalesce(n[key], []) + row.props[key],
      n['{GRAPHS_OF}' + key] = coalesce(n['{GRAPHS_OF}' + key], []) + [v IN row.props[key] | $graph])"""


def identifier(name: str) -> str:
    """A label, relationship type or property key as a Cypher identifier: backticks, inner ones doubled."""
    return "`" + name.replace("`", "``") + "`"


def create_nodes(labels: tuple[str, ...], keys: tuple[str, ...], dates: tuple[bool, ...] = ()) -> str:
    """New nodes of one shape (labels and literal keys), rows `[uri, values of key 1, ...]`.

    For nodes no other named graph holds (checked first), so CREATE, not MERGE; the labels and
    keys are written into the text, escaped. A node of one named graph has no `_g__` twins: its
    values belong to its one graph (`SHARE_NODES` writes the twins when a second graph comes).
    Keys flagged in `dates` travel as ISO strings that Neo4j turns into dates (cheaper to send).
    Returns the element ids in row order, for the relationships that follow.
    """
    label_text = "".join(":" + identifier(label) for label in labels)
    flags = dates or (False,) * len(keys)
    props = "".join(
        f", {identifier(key)}: {f'[v IN row[{i}] | date(v)]' if date else f'row[{i}]'}"
        for i, (key, date) in enumerate(zip(keys, flags, strict=True), start=1)
    )
    return f"""\
UNWIND $rows AS row
CREATE (n:{RESOURCE}{label_text} {{uri: row[0], graphs: [$graph]{props}}})
RETURN collect(elementId(n)) AS ids"""


def create_relationships(rel_type: str, *, by_end: bool = False, shared_start: bool = False) -> str:
    """Relationships of one type that cannot exist yet (an end is a node just created).

    Rows are `[one node's element id, [element ids of the nodes at the other end]]`: grouped by
    their start node, or by their end node when `by_end` (a few organisations with many members);
    each shared end is sent and looked up once. The type is written into the text, escaped. A
    relationship names its graph (`graphs`) only when its start node belongs to several
    (`shared_start`); otherwise it belongs to its start node's one graph.
    """
    one, other = ("o", "s") if by_end else ("s", "o")
    props = " {graphs: [$graph]}" if shared_start else ""
    return f"""\
UNWIND $rows AS row
MATCH ({one}) WHERE elementId({one}) = row[0]
UNWIND row[1] AS id
MATCH ({other}) WHERE elementId({other}) = id
CREATE (s)-[:{identifier(rel_type)}{props}]->(o)"""


def merge_relationships(rel_type: str) -> str:
    """Relationships of one type between nodes other named graphs hold too (may exist already),
    rows `[start element id, end element id]`.

    The type is written into the text (escaped): MERGE with a dynamic type, `$(row.type)`, is
    quadratic on nodes with many relationships in Neo4j 5.26, a static one is not.
    """
    return f"""\
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row[0]
MATCH (o) WHERE elementId(o) = row[1]
MERGE (s)-[r:{identifier(rel_type)}]->(o)
  ON CREATE SET r.graphs = [$graph]
  ON MATCH SET r.graphs = CASE WHEN $graph IN r.graphs THEN r.graphs ELSE r.graphs + $graph END"""


# ---------------------------------------------------------------- convenience relationships

DELETE_DERIVED = f"""\
MATCH ()-[r:{DERIVED}]->()
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS deleted"""

MEMBERSHIP_URIS = f"MATCH (m:{RESOURCE}:Membership) RETURN m.uri AS uri"

DERIVE_MEMBERSHIPS = f"""\
UNWIND $uris AS uri
MATCH (m:{RESOURCE} {{uri: uri}})-[:org__member]->(s:{RESOURCE})
MATCH (m)-[:org__organization]->(o:{RESOURCE})
OPTIONAL MATCH (m)-[:org__role]->(role:{RESOURCE})
OPTIONAL MATCH (m)-[:org__memberDuring]->()-[:time__hasBeginning]->(b:{RESOURCE})
OPTIONAL MATCH (m)-[:org__memberDuring]->()-[:time__hasEnd]->(e:{RESOURCE})
OPTIONAL MATCH (m)-[:prov__wasDerivedFrom]->(src:{RESOURCE})
WITH m, s, o, role, b, e, src ORDER BY src.uri
WITH m, s, o, role, b, e, collect(DISTINCT src.uri) AS sources
CREATE (s)-[:{DERIVED} {{
  role: coalesce(role.skos__notation[0], role.uri),
  from: b.time__inXSDDate[0],
  to: e.time__inXSDDate[0],
  sources: sources,
  membership: m.uri
}}]->(o)"""

# ---------------------------------------------------------------- reading back

COUNT_RELATIONSHIPS = f"""\
MATCH (s)-[r]->() WHERE type(r) <> '{DERIVED}'
WITH coalesce(r.graphs, s.graphs) AS graphs WHERE $graph IS NULL OR $graph IN graphs
RETURN sum(CASE WHEN $graph IS NULL THEN size(graphs) ELSE 1 END) AS n"""

COUNT_VALUES = f"""\
MATCH (n:{RESOURCE}) WHERE $graph IS NULL OR $graph IN n.graphs
UNWIND [k IN keys(n) WHERE NOT k IN ['uri', 'graphs'] AND NOT k STARTS WITH '{GRAPHS_OF}'] AS key
UNWIND coalesce(n['{GRAPHS_OF}' + key], [v IN n[key] | n.graphs[0]]) AS g
WITH g WHERE $graph IS NULL OR g = $graph
RETURN count(*) AS n"""

EXPORT_NODES = f"MATCH (n:{RESOURCE}) RETURN properties(n) AS props"

EXPORT_RELATIONSHIPS = f"""\
MATCH (s:{RESOURCE})-[r]->(o:{RESOURCE}) WHERE type(r) <> '{DERIVED}'
RETURN s.uri AS s, type(r) AS type, o.uri AS o, coalesce(r.graphs, s.graphs) AS graphs"""

CLEAR = """\
MATCH (n) WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted"""
