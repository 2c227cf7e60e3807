"""Embedded Cypher candidates on the bundled graph: the project's interpreter, grand-cypher over a
networkx projection and LadybugDB, same property graph, same questions (each in the dialect the
engine accepts), median of 20 runs. `pip install grand-cypher real-ladybug` first.

    .venv/bin/python bench/bench_cypher.py
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from defence_kg.graph import embedded_cypher as ec
from defence_kg.graph.build import build
from defence_kg.graph.oxigraph_store import OxigraphStore

NATO = "https://w3id.org/defence-kg/id/nato"
EU = "https://w3id.org/defence-kg/id/eu"
QUESTIONS: dict[str, dict[str, str | None]] = {
    "NATO members on 2022-01-01": {
        "project": f"MATCH (s:State)-[m:MEMBER_OF {{role: 'member'}}]->(o {{uri: '{NATO}'}}) "
        "WHERE m.from <= date('2022-01-01') AND (m.to IS NULL OR m.to >= date('2022-01-01')) "
        "RETURN s.dkg__iso2[0] AS iso2",
        # no date(), no list index: dates as ISO text, iso2 as a scalar copy
        "grand": f'MATCH (s:State)-[m:MEMBER_OF]->(o) WHERE o.uri == "{NATO}" AND m.role == "member" '
        'AND m.from <= "2022-01-01" RETURN s.iso2',
        "ladybug": f"MATCH (s:Resource)-[m:MEMBER_OF]->(o:Resource) WHERE o.uri = '{NATO}' AND "
        "list_contains(s.labels, 'State') AND m.role = 'member' AND m.from <= date('2022-01-01') "
        "AND (m.to IS NULL OR m.to >= date('2022-01-01')) RETURN s.iso2",
    },
    "EU members outside NATO": {
        "project": f"MATCH (s:State)-[m:MEMBER_OF {{role: 'member'}}]->({{uri: '{EU}'}}) WHERE m.to IS NULL "
        "AND NOT EXISTS { MATCH (s)-[n:MEMBER_OF {role: 'member'}]->"
        f"({{uri: '{NATO}'}}) WHERE n.to IS NULL }} RETURN s.dkg__iso2[0] AS iso2",
        "grand": None,  # EXISTS { } has no WHERE on the inner relationship's null `to`
        "ladybug": f"MATCH (s:Resource)-[m:MEMBER_OF]->(e:Resource) WHERE e.uri = '{EU}' "
        "AND m.role = 'member' AND m.to IS NULL AND NOT EXISTS { MATCH (s)-[n:MEMBER_OF]->(o:Resource) WHERE "
        f"o.uri = '{NATO}' AND n.role = 'member' AND n.to IS NULL }} RETURN s.iso2",
    },
    "memberships per organisation": {
        "project": "MATCH (:State)-[m:MEMBER_OF]->(o) RETURN o.uri AS o, count(*) AS n ORDER BY n DESC",
        "grand": "MATCH (s:State)-[m:MEMBER_OF]->(o) RETURN o.uri, COUNT(m) ORDER BY COUNT(m) DESC",
        "ladybug": "MATCH (s:Resource)-[m:MEMBER_OF]->(o:Resource) WHERE list_contains(s.labels, 'State') "
        "RETURN o.uri, count(*) AS n ORDER BY n DESC",
    },
    "nodes per label": {
        "project": "MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n",
        "grand": None,  # no UNWIND, no labels()
        "ladybug": "MATCH (n:Resource) UNWIND n.labels AS l RETURN l, count(*) AS n",
    },
    "French label (language-tagged key)": {
        "project": "MATCH (s:State {uri: 'https://w3id.org/defence-kg/id/FR'}) RETURN s.`skos__prefLabel@en`",
        "grand": None,  # keys are bare names: no `backticks`, no '@'
        "ladybug": "MATCH (s:Resource) WHERE s.uri = 'https://w3id.org/defence-kg/id/FR' "
        "RETURN s.`skos__prefLabel@en`",
    },
}


def timed(run: Callable[[], Any], repeat: int = 20) -> tuple[float, Any]:
    result = run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def networkx_graph(pg: ec.PropertyGraph) -> Any:
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in pg.nodes:
        attrs = {re.sub(r"\W", "_", k): v for k, v in node.props.items()}
        attrs["iso2"] = (node.props.get("dkg__iso2") or [None])[0]
        graph.add_node(node.id, __labels__=set(node.labels), **attrs)
    for rel in pg.rels:
        props = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in rel.props.items()}
        graph.add_edge(rel.start.id, rel.end.id, __labels__={rel.type}, **props)
    return graph


def ladybug_db(pg: ec.PropertyGraph) -> Any:
    import real_ladybug as lb

    db = lb.Database(":memory:")
    conn = lb.Connection(db)
    conn.execute(
        "CREATE NODE TABLE Resource(id INT64 PRIMARY KEY, uri STRING, labels STRING[], iso2 STRING, "
        "`skos__prefLabel@en` STRING[])"
    )
    conn.execute("CREATE REL TABLE MEMBER_OF(FROM Resource TO Resource, role STRING, `from` DATE, `to` DATE)")
    conn.execute("CREATE REL TABLE LINK(FROM Resource TO Resource, type STRING)")
    rows = [
        {
            "id": n.id,
            "uri": n.props["uri"],
            "labels": n.labels,
            "iso2": (n.props.get("dkg__iso2") or [None])[0],
            "label": n.props.get("skos__prefLabel@en"),
        }
        for n in pg.nodes
    ]
    conn.execute(
        "UNWIND $rows AS r CREATE (:Resource {id: r.id, uri: r.uri, labels: r.labels, iso2: r.iso2, "
        "`skos__prefLabel@en`: r.label})",
        {"rows": rows},
    )
    members = [r for r in pg.rels if r.type == ec.DERIVED]
    conn.execute(
        "UNWIND $rows AS r MATCH (a:Resource {id: r.s}), (b:Resource {id: r.o}) "
        "CREATE (a)-[:MEMBER_OF {role: r.role, `from`: r.f, `to`: r.t}]->(b)",
        {
            "rows": [
                {
                    "s": r.start.id,
                    "o": r.end.id,
                    "role": r.props.get("role"),
                    "f": r.props.get("from"),
                    "t": r.props.get("to"),
                }
                for r in members
            ]
        },
    )
    return conn


def main() -> None:
    store = OxigraphStore(None)
    build(store)
    start = time.perf_counter()
    pg = ec.project(store)
    print(
        f"projection: {len(pg.nodes)} nodes, {len(pg.rels)} relationships, "
        f"{time.perf_counter() - start:.2f} s"
    )
    engines: dict[str, Callable[[str], Callable[[], Any]]] = {
        "project": lambda q: lambda: ec.run(pg, q, {}, 60, 100_000).rows,
    }
    try:
        from grandcypher import GrandCypher

        start = time.perf_counter()
        nx_graph = networkx_graph(pg)
        print(f"networkx graph: {time.perf_counter() - start:.2f} s")
        engines["grand"] = lambda q: lambda: GrandCypher(nx_graph).run(q)
    except ImportError:
        print("grand-cypher not installed")
    try:
        start = time.perf_counter()
        conn = ladybug_db(pg)
        print(f"LadybugDB load: {time.perf_counter() - start:.2f} s")
        engines["ladybug"] = lambda q: lambda: conn.execute(q).get_all()
    except ImportError:
        print("real-ladybug not installed")
    print(f"| question | {' | '.join(engines)} |")
    for question, texts in QUESTIONS.items():
        cells = []
        for engine, make in engines.items():
            text = texts.get(engine)
            if text is None:
                cells.append("not expressible")
                continue
            try:
                ms, _ = timed(make(text), 5 if engine == "grand" else 20)
                cells.append(f"{ms:.1f} ms")
            except Exception as exc:
                cells.append(f"error: {type(exc).__name__}: {str(exc)[:60]}")
        print(f"| {question} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
