"""The bulk path of a full sync: the property graph as CSV files, then `neo4j-admin database import full`.

For a local database that is empty or out of date while its server is down (the managed Neo4j
before it starts). The files hold exactly what the transactional path (`neo4j_store.py`) would
write: `:Resource` nodes with `graphs` and `_g__` twins, relationships with `graphs` where their
start node is shared, the `_NamedGraph` hashes, the namespace prefixes, and the `MEMBER_OF`
relationships derived here in Python instead of by a Cypher pass afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import StoreError
from defence_kg.graph.queries import cypher_queries as q
from defence_kg.graph.store.neo4j_server import JVM_FLAGS, build
from defence_kg.graph.store.neo4j_sync import content_hash, source_graphs
from defence_kg.graph.store.property_graph import KNOWN_PREFIXES, Namespaces, graph_rows

ARRAY = "\x1f"  # the array delimiter: a control character no value may contain (checked)
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
IMPORT_FLAGS = ["-Xms256m", "-Xmx1g", *JVM_FLAGS[2:]]  # the import sizes its own buffers off-heap
_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string", dt.date: "date"}


class NotImportable(StoreError):
    """The graph holds something the CSV import cannot carry exactly (the transactional path can)."""


@dataclass
class ImportReport:
    """What a bulk import wrote, and the seconds each part took."""

    nodes: int = 0
    relationships: int = 0
    memberships: int = 0
    quads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Node:
    labels: list[str] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)
    props: dict[str, list[Any]] = field(default_factory=dict)
    owners: dict[str, list[str]] = field(default_factory=dict)  # key -> the graph of each value


def _cell(values: list[Any], where: str) -> str:
    """One array property as CSV text (values joined by ARRAY); NotImportable if it cannot be."""
    kinds = {type(v) for v in values}
    if len(kinds) != 1:
        raise NotImportable(f"{where}: values of several types in one array")
    out = []
    for value in values:
        if isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, dt.date):
            out.append(value.isoformat())
        elif isinstance(value, float):
            out.append(repr(value))
        else:
            text = str(value)
            if text == "" or ARRAY in text or text != text.strip():
                raise NotImportable(f"{where}: a value {text[:40]!r} the CSV import would alter")
            out.append(text)
    return ARRAY.join(out)


def _merge(graphs: dict[str, list[ox.Triple]]) -> tuple[dict[str, _Node], dict, dict, Namespaces]:
    """Nodes and relationships of every named graph, merged as the transactional path merges them."""
    ns = Namespaces()
    nodes: dict[str, _Node] = {}
    rels: dict[tuple[str, str, str], list[str]] = {}
    meta: dict[str, tuple[str, int]] = {}
    for graph in sorted(graphs):
        rows = graph_rows(graphs[graph], ns)
        meta[graph] = (content_hash(graphs[graph]), rows.quads)
        for uri, row in rows.nodes.items():
            node = nodes.get(uri)
            if node is None:
                node = nodes[uri] = _Node()
            node.graphs.append(graph)
            node.labels += [label for label in row["labels"] if label not in node.labels]
            for key, values in row["props"].items():
                node.props.setdefault(key, []).extend(values)
                node.owners.setdefault(key, []).extend([graph] * len(values))
        for rel_type, pairs in rows.relationships.items():
            for pair in pairs:
                rels.setdefault((pair["s"], rel_type, pair["o"]), []).append(graph)
    return nodes, rels, meta, ns


def _memberships(nodes: dict[str, _Node], rels: dict[tuple[str, str, str], list[str]]) -> list[list[Any]]:
    """The MEMBER_OF rows DERIVE_MEMBERSHIPS would create: one per member, organisation, role,
    beginning and end of each org:Membership node."""
    out: dict[str, dict[str, list[str]]] = {}
    for s, rel_type, o in rels:
        out.setdefault(s, {}).setdefault(rel_type, []).append(o)

    def first(uri: str | None, key: str) -> Any:
        node = nodes.get(uri) if uri else None
        values = node.props.get(key) if node else None
        return values[0] if values else None

    rows = []
    for uri, node in nodes.items():
        if "Membership" not in node.labels:
            continue
        links = out.get(uri, {})
        periods = links.get("org__memberDuring", [])
        begins = [b for p in periods for b in out.get(p, {}).get("time__hasBeginning", [])] or [None]
        ends = [e for p in periods for e in out.get(p, {}).get("time__hasEnd", [])] or [None]
        sources = (
            _cell(sorted(set(links.get("prov__wasDerivedFrom", []))), uri)
            if links.get("prov__wasDerivedFrom")
            else ""
        )
        for s in links.get("org__member", []):
            for o in links.get("org__organization", []):
                for role in links.get("org__role", []) or [None]:
                    notation = first(role, "skos__notation")
                    role_text = notation if notation is not None else role
                    for b in begins:
                        for e in ends:
                            dates = [first(b, "time__inXSDDate"), first(e, "time__inXSDDate")]
                            if any(d is not None and not isinstance(d, dt.date) for d in dates):
                                raise NotImportable(f"{uri}: a membership date that is not an xsd:date")
                            rows.append(
                                [
                                    s,
                                    o,
                                    q.DERIVED,
                                    "" if role_text is None else str(role_text),
                                    *["" if d is None else d.isoformat() for d in dates],
                                    sources,
                                    uri,
                                ]
                            )
    return rows


def write_files(quads: Iterable[ox.Quad], folder: Path) -> tuple[list[str], ImportReport]:
    """Write the import CSVs into `folder`; the `--nodes=`/`--relationships=` arguments naming them."""
    report = ImportReport()
    graphs = source_graphs(quads)
    nodes, rels, meta, ns = _merge(graphs)
    folder.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    shapes: dict[tuple[tuple[str, str], ...], list[list[str]]] = {}
    for uri, node in nodes.items():
        shared = len(node.graphs) > 1
        cells = {}
        for key, values in node.props.items():
            kind = _TYPES.get(type(values[0]))
            if kind is None:
                raise NotImportable(f"{uri}: {key} holds {type(values[0]).__name__} values")
            cells[(key, kind)] = _cell(values, f"{uri} {key}")
            if shared:
                cells[(q.GRAPHS_OF + key, "string")] = _cell(node.owners[key], uri)
        shape = tuple(sorted(cells))
        row = [uri, ARRAY.join([q.RESOURCE, *node.labels]), _cell(node.graphs, uri)]
        shapes.setdefault(shape, []).append(row + [cells[k] for k in shape])
    for number, (shape, rows) in enumerate(shapes.items()):
        header = ["uri:ID", ":LABEL", "graphs:string[]", *[f"{key}:{kind}[]" for key, kind in shape]]
        args.append(f"--nodes={_write(folder / f'nodes-{number}.csv', header, rows)}")
        report.nodes += len(rows)
    rel_rows = [
        [s, o, rel_type, _cell(graphs_of, s) if len(nodes[s].graphs) > 1 else ""]
        for (s, rel_type, o), graphs_of in rels.items()
    ]
    header = [":START_ID", ":END_ID", ":TYPE", "graphs:string[]"]
    args.append(f"--relationships={_write(folder / 'relationships.csv', header, rel_rows)}")
    report.relationships = len(rel_rows)
    derived_rows = _memberships(nodes, rels)
    header = [
        ":START_ID",
        ":END_ID",
        ":TYPE",
        "role",
        "from:date",
        "to:date",
        "sources:string[]",
        "membership",
    ]
    args.append(f"--relationships={_write(folder / 'memberships.csv', header, derived_rows)}")
    report.memberships = len(derived_rows)
    hashes = {graph: h for graph, (h, _) in meta.items()}
    graph_rows_ = [[g, q.GRAPH_NODE, h, str(n), "true"] for g, (h, n) in meta.items()]
    header = ["uri:ID(graph)", ":LABEL", "hash", "quads:long", "complete:boolean"]
    args.append(f"--nodes={_write(folder / 'graphs.csv', header, graph_rows_)}")
    derived = hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()
    extra = {p: v for p, v in ns.prefixes.items() if p not in KNOWN_PREFIXES}
    meta_rows = [["sync", "_SyncState", derived] + [""] * len(extra)]
    if extra:
        meta_rows.append(["ns", q.NAMESPACES_NODE, "", *extra.values()])
    header = [":ID(meta)", ":LABEL", "derived", *extra]
    args.append(f"--nodes={_write(folder / 'meta.csv', header, meta_rows)}")
    report.quads = sum(n for _, n in meta.values())
    return args, report


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(home: Path, database: str, args: list[str], java: str = "java") -> None:
    """`neo4j-admin database import full` into `home` (its server stopped), replacing the database."""
    lib = build()
    command = [
        java,
        *IMPORT_FLAGS,
        "-cp",
        f"{lib}/*",
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        database,
        "--overwrite-destination=true",
        "--multiline-fields=true",
        f"--array-delimiter={ARRAY}",
        "--threads=2",
        *args,
    ]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise StoreError(f"neo4j-admin import into {home} failed:\n{(done.stdout + done.stderr)[-3000:]}")


def bulk_import(
    quads: Iterable[ox.Quad], home: Path, database: str = "neo4j", java: str = "java"
) -> ImportReport:
    """Files, then the import; `seconds` holds the time of each ("files", "import")."""
    start = time.perf_counter()
    folder = home / "import-files"
    args, report = write_files(quads, folder)
    report.seconds["files"] = time.perf_counter() - start
    start = time.perf_counter()
    try:
        run_import(home, database, args, java)
    finally:
        for path in folder.glob("*.csv"):
            path.unlink()
    report.seconds["import"] = time.perf_counter() - start
    return report


def database_exists(home: Path, database: str = "neo4j") -> bool:
    """True when `home` holds a store of `database` (its server may then start on it)."""
    return (home / "data" / "databases" / database / "neostore").exists()


def recorded_version(home: Path) -> str | None:
    """The store version the managed database was last brought up to (None when unknown)."""
    try:
        return json.loads((home / "synced.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def record_version(home: Path, version: str) -> None:
    (home / "synced.json").write_text(json.dumps({"version": version}))
