"""The bulk path of a full sync: the property graph as CSV files, then `neo4j-admin database import full`.

For a local database that is empty or out of date while its server is down (the managed Neo4j
before it starts). The files hold exactly what the transactional path (`neo4j_store.py`) would
write: `:Resource` nodes with `graphs` and `_g__` twins, relationships with `graphs` where their
start node is shared, the `_NamedGraph` hashes, the namespace prefixes, and the `MEMBER_OF`
relationships derived here in Python instead of by a Cypher pass afterwards.

Speed (a million triples in about two seconds of Python): each named graph is read as N-Triples
text serialised by pyoxigraph in Rust (no Python object per term), each line is cut with string
methods, and nodes get their store ids here (`--id-type=actual`), so the relationship file holds
numbers instead of two IRIs and the import maps no ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import json
import os
import subprocess
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import StoreError
from defence_kg.graph.queries import cypher_queries as q
from defence_kg.graph.store.neo4j_server import JVM_FLAGS, build, class_archive, keep_archive
from defence_kg.graph.store.property_graph import (
    KNOWN_PREFIXES,
    RDF_TYPE,
    TYPE_KEY,
    XSD,
    Namespaces,
    _native,
    _split_mixed,
    local_name,
)

ARRAY = "\x1f"  # the array delimiter: a control character no value may contain (checked)
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
IMPORT_FLAGS = [
    "-Xms256m",
    "-Xmx1g",  # the import sizes its own buffers off-heap
    # a run of seconds: the JIT's quick tier only (its optimising tier costs more than it gains
    # here), and the simplest collector for a small heap on two cores
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    *[flag for flag in JVM_FLAGS[2:] if flag != "-XX:+UseG1GC"],
]
IMPORT_OPTIONS = [
    "--overwrite-destination=true",
    f"--array-delimiter={ARRAY}",
    # the ids given here, 0 to n - 1 over all the node files, are the nodes' ids in the store: no
    # string ids for the import to map, nor numbers (a million triples: 1.2 s less CPU)
    "--id-type=actual",
    # more threads than the two cores: the stages overlap reading, encoding and writing
    "--threads=4",
    # off-heap buffers in proportion to a small graph (it takes up to 90% of free memory else,
    # and allocating them cost as much as the import of a million triples)
    "--max-off-heap-memory=256m",
]
_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string", dt.date: "date"}
_STRING = XSD + "string"


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
class _Graph:
    """One named graph cut into nodes (literal properties by key), labels and relationships."""

    nodes: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    relationships: list[tuple[str, str, str]] = field(default_factory=list)
    hash: str = ""
    quads: int = 0


@dataclass
class _Merged:
    """Every named graph's nodes and relationships merged, as the transactional path merges them."""

    props: dict[str, dict[str, list[Any]]]
    labels: dict[str, list[str]]
    graphs: dict[str, list[str]]  # <uri> -> its named graphs (empty when there is only one)
    owners: dict[str, dict[str, list[str]]]  # shared node -> key -> the graph of each value
    relationships: list[tuple[str, str, str]]  # distinct: lines are, and so are their keys
    relationship_graphs: dict[tuple[str, str, str], list[str]] | None  # None: all of `only`
    only: str | None  # the one named graph of every node, when there is only one


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the millions of lists and tuples made here hold no
    cycles, and its passes over them would take a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Source = ox.Store | Mapping[str, Iterable[ox.Triple | ox.Quad]] | Iterable[ox.Quad]


def ntriples_by_graph(source: Source) -> dict[str, list[str]]:
    """The distinct N-Triples lines (without ` .`) of each named graph, serialised by pyoxigraph:
    a store graph by graph (the default graph is not synced), a mapping of graph names to triples
    (or quads, their graph ignored) as given, other quads grouped by their named graph first."""
    if isinstance(source, ox.Store):
        return {
            g.value: _lines(source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g), deduplicate=False)
            for g in source.named_graphs()
            if isinstance(g, ox.NamedNode)
        }
    if not isinstance(source, Mapping):
        grouped: dict[str, list[ox.Triple]] = {}
        for quad in source:
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode):
                grouped.setdefault(graph.value, []).append(quad.triple)
        source = grouped
    out = {g: _lines(ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES)) for g, ts in source.items()}
    return {g: lines for g, lines in out.items() if lines}


def _lines(data: bytes, deduplicate: bool = True) -> list[str]:
    """The lines of pyoxigraph's N-Triples, each without its final ` .`, repeated ones left out
    (`deduplicate=False` for a store's dump, whose lines are distinct already)."""
    lines = [line[:-2] for line in data.decode().splitlines()]
    return list(dict.fromkeys(lines)) if deduplicate else lines


def lines_hash(lines: list[str]) -> str:
    """`neo4j_sync.content_hash` of a graph from its N-Triples lines (pyoxigraph's `str(triple)`)."""
    text = "\n".join(sorted(lines))
    return hashlib.sha256(f"{text}\n".encode()).hexdigest()


def _unescape(text: str) -> str:
    """The value of an N-Triples string body as pyoxigraph writes it (JSON's escapes: \\" \\\\ \\n
    \\r \\t \\b \\f \\uXXXX)."""
    return json.loads(f'"{text}"', strict=False)


def _iri(term: str, where: str) -> str:
    """The IRI of an N-Triples term `<...>`; StoreError for a blank node, triple term or literal."""
    if term[0] == "<" and term[1] != "<":
        return term[1:-1]
    if term[0] == "_":
        raise StoreError(f"the Neo4j store does not take blank nodes ({where} {term})")
    raise StoreError(f"a {where} must be an IRI, not {term}")


class _Literals:
    """The property key suffix and Neo4j value of literal objects (`literal_entry` on text)."""

    def __init__(self, ns: Namespaces) -> None:
        self.ns = ns
        self.typed: dict[str, tuple[str, Any]] = {}  # "lexical"^^<datatype> -> suffix, value
        self.multiline = False  # whether a value holds a line break (the import then reads slower)

    def text(self, body: str) -> str:
        """The value of a string body (unescaped when it holds escapes)."""
        if "\\" not in body:
            return body
        value = _unescape(body)
        if "\n" in value or "\r" in value:
            self.multiline = True
        return value

    def entry(self, obj: str) -> tuple[str, Any]:
        """`obj` is `"lexical"`, `"lexical"@lang` or `"lexical"^^<datatype>`."""
        end = obj.rindex('"')  # a language tag or datatype IRI holds no `"`
        tail = obj[end + 1 :]
        if not tail:
            return "", self.text(obj[1:end])
        if tail[0] == "@":
            return tail, self.text(obj[1:end])
        found = self.typed.get(obj)
        if found is None:
            datatype, text = tail[3:-1], self.text(obj[1:end])
            if datatype == _STRING:
                found = ("", text)
            else:
                value = _native(datatype, text)
                found = ("", value) if value is not None else (f"^^{self.ns.shorten(datatype)}", text)
            self.typed[obj] = found
        return found


def _cut(lines: list[str], ns: Namespaces, literals: _Literals) -> _Graph:
    """One named graph's lines as nodes, labels and relationships (`graph_rows` on text). Nodes
    are named as N-Triples writes them, `<iri>`: the brackets go once per node, not per line."""
    out = _Graph(quads=len(lines), hash=lines_hash(lines))
    nodes, labels, rels = out.nodes, out.labels, out.relationships
    keys: dict[str, str] = {}  # <predicate> -> its key, shortened once
    label_of: dict[str, str] = {}  # <class> -> its label
    rdf_type = f"<{RDF_TYPE}>"
    last, props = "", dict[str, list[Any]]()
    for line in lines:
        s, predicate, obj = line.split(" ", 2)  # an IRI holds no space
        if s != last:  # lines of one subject mostly follow one another
            if s[0] != "<" or s[1] == "<":
                _iri(s, "subject")
            found = nodes.get(s)
            props = nodes[s] = {} if found is None else found
            last = s
        key = keys.get(predicate)
        if key is None:
            key = keys[predicate] = TYPE_KEY if predicate == rdf_type else ns.shorten(predicate[1:-1])
        if obj[0] == '"':
            suffix, value = literals.entry(obj)
            entry = key + suffix if suffix else key
            values = props.get(entry)
            if values is None:
                props[entry] = [value]
            else:
                values.append(value)
            continue
        if obj[1] == "<" or obj[0] != "<":  # a blank node, or a triple term <<( s p o )>>
            _iri(obj, "object")
        if obj not in nodes:
            nodes[obj] = {}
        if predicate == rdf_type:
            label = label_of.get(obj)
            if label is None:
                label = label_of[obj] = local_name(obj[1:-1])
            known = labels.setdefault(s, [])
            if label and label not in known:
                known.append(label)
        rels.append((s, key, obj))
    for props in nodes.values():
        if props:
            _split_mixed(props, ns)
    return out


def _merge(graphs: dict[str, _Graph]) -> _Merged:
    """The named graphs merged in the order of their names, as the transactional path merges them."""
    names = sorted(graphs)
    if len(names) == 1:
        one = graphs[names[0]]
        return _Merged(one.nodes, one.labels, {}, {}, one.relationships, None, names[0])
    props: dict[str, dict[str, list[Any]]] = {}
    labels: dict[str, list[str]] = {}
    graphs_of: dict[str, list[str]] = {}
    owners: dict[str, dict[str, list[str]]] = {}
    rels: dict[tuple[str, str, str], list[str]] = {}
    for name in names:
        part = graphs[name]
        for uri, values in part.nodes.items():
            seen = graphs_of.get(uri)
            if seen is None:
                graphs_of[uri] = [name]
                props[uri] = values
                continue
            if len(seen) == 1:  # shared from now on: copy, and name the graph of each value
                owners[uri] = {k: [seen[0]] * len(v) for k, v in props[uri].items()}
                props[uri] = {k: list(v) for k, v in props[uri].items()}
            seen.append(name)
            merged, owned = props[uri], owners[uri]
            for key, more in values.items():
                merged.setdefault(key, []).extend(more)
                owned.setdefault(key, []).extend([name] * len(more))
        for uri, more in part.labels.items():
            known = labels.setdefault(uri, [])
            known += [label for label in more if label not in known]
        for rel in part.relationships:
            rels.setdefault(rel, []).append(name)
    return _Merged(props, labels, graphs_of, owners, list(rels), rels, None)


def _text(value: Any, uri: str, key: str = "") -> str:
    """One value as the CSV import reads it back; NotImportable if it would not."""
    kind = type(value)
    if kind is str:
        if value == "" or ARRAY in value or value != value.strip():
            raise NotImportable(f"{uri} {key}: a value {value[:40]!r} the CSV import would alter")
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return repr(value)
    if kind is dt.date:
        return value.isoformat()
    return str(value)


def _cell(values: list[Any], uri: str, key: str = "") -> str:
    """One array property as CSV text (values joined by ARRAY); NotImportable if it cannot be."""
    if len(values) == 1:
        return _text(values[0], uri, key)
    kind = type(values[0])
    if any(type(v) is not kind for v in values):
        raise NotImportable(f"{uri} {key}: values of several types in one array")
    return ARRAY.join([_text(v, uri, key) for v in values])


Shape = tuple[tuple[str, ...], tuple[str, ...], bool]  # literal keys, their types, `_g__` twins


def _node_rows(merged: _Merged, ids: dict[str, int]) -> dict[Shape, list[list[Any]]]:
    """`:Resource` rows grouped by their columns (the literal keys and types each node has)."""
    shapes: dict[Shape, list[list[Any]]] = {}
    only = _cell([merged.only], "graph") if merged.only else ""
    labels, graphs_of, types = merged.labels, merged.graphs, _TYPES
    for uri, props in merged.props.items():
        graphs = graphs_of.get(uri)
        shared = graphs is not None and len(graphs) > 1
        kinds = tuple([types.get(type(values[0]), "") for values in props.values()])
        if "" in kinds:
            key, values = next((k, v) for k, v in props.items() if type(v[0]) not in types)
            raise NotImportable(f"{uri}: {key} holds {type(values[0]).__name__} values")
        own = labels.get(uri)
        row = [
            ids[uri],
            uri[1:-1],
            ARRAY.join([q.RESOURCE, *own]) if own else q.RESOURCE,
            _cell(graphs, uri) if graphs is not None else only,
        ]
        row += [_cell(values, uri, key) for key, values in props.items()]
        if shared:
            row += [_cell(merged.owners[uri][key], uri) for key in props]
        shape = (tuple(props), kinds, shared)
        rows = shapes.get(shape)
        if rows is None:
            rows = shapes[shape] = []
        rows.append(row)
    return shapes


def _node_header(shape: Shape) -> list[str]:
    """The columns of the nodes of one shape (see `_node_rows`)."""
    keys, kinds, shared = shape
    header = [":ID", "uri", ":LABEL", "graphs:string[]"]
    header += [f"{key}:{kind}[]" for key, kind in zip(keys, kinds, strict=True)]
    return header + ([f"{q.GRAPHS_OF}{key}:string[]" for key in keys] if shared else [])


def _relationship_rows(merged: _Merged, ids: dict[str, int]) -> Iterator[tuple[int, int, str, str]]:
    """One row per relationship; `graphs` only where its start node is shared."""
    graphs, graphs_of = merged.graphs, merged.relationship_graphs
    for s, rel_type, o in merged.relationships:
        shared = graphs_of is not None and len(graphs[s]) > 1
        cell = _cell(graphs_of[(s, rel_type, o)], s) if shared else ""  # type: ignore[index]
        yield ids[s], ids[o], rel_type, cell


_MEMBERSHIP_LINKS = {
    "org__member",
    "org__organization",
    "org__role",
    "org__memberDuring",
    "prov__wasDerivedFrom",
    "time__hasBeginning",
    "time__hasEnd",
}


def _memberships(merged: _Merged) -> list[list[Any]]:
    """The MEMBER_OF rows DERIVE_MEMBERSHIPS would create: one per member, organisation, role,
    beginning and end of each org:Membership node."""
    members = [uri for uri, labels in merged.labels.items() if "Membership" in labels]
    if not members:
        return []
    out: dict[str, dict[str, list[str]]] = {}
    for s, rel_type, o in merged.relationships:
        if rel_type in _MEMBERSHIP_LINKS:
            out.setdefault(s, {}).setdefault(rel_type, []).append(o)

    def first(uri: str | None, key: str) -> Any:
        props = merged.props.get(uri) if uri else None
        values = props.get(key) if props else None
        return values[0] if values else None

    rows = []
    for uri in members:
        links = out.get(uri, {})
        periods = links.get("org__memberDuring", [])
        begins = [b for p in periods for b in out.get(p, {}).get("time__hasBeginning", [])] or [None]
        ends = [e for p in periods for e in out.get(p, {}).get("time__hasEnd", [])] or [None]
        sources = (
            _cell(sorted({o[1:-1] for o in links["prov__wasDerivedFrom"]}), uri)
            if links.get("prov__wasDerivedFrom")
            else ""
        )
        for s in links.get("org__member", []):
            for o in links.get("org__organization", []):
                for role in links.get("org__role", []) or [None]:
                    notation = first(role, "skos__notation")
                    role_text = notation if notation is not None else role and role[1:-1]
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
                                    uri[1:-1],
                                ]
                            )
    return rows


def write_files(source: Source, folder: Path) -> tuple[list[str], ImportReport]:
    """Write the import CSVs into `folder`; the arguments of the import naming and reading them."""
    return write_graph_files(ntriples_by_graph(source), folder)


def write_graph_files(lines: dict[str, list[str]], folder: Path) -> tuple[list[str], ImportReport]:
    """`write_files` of the N-Triples lines of each named graph (`ntriples_by_graph`)."""
    with _no_gc():
        return _write_files(lines, folder)


def _write_files(lines: dict[str, list[str]], folder: Path) -> tuple[list[str], ImportReport]:
    report = ImportReport()
    ns = Namespaces()
    literals = _Literals(ns)
    graphs = {graph: _cut(lines[graph], ns, literals) for graph in sorted(lines)}
    merged = _merge(graphs)
    folder.mkdir(parents=True, exist_ok=True)
    ids = {uri: number for number, uri in enumerate(merged.props)}
    args: list[str] = []
    for number, (shape, rows) in enumerate(_node_rows(merged, ids).items()):
        args.append(f"--nodes={_write(folder / f'nodes-{number}.csv', _node_header(shape), rows)}")
        report.nodes += len(rows)
    header = [":START_ID", ":END_ID", ":TYPE", "graphs:string[]"]
    args.append(
        f"--relationships={_write(folder / 'relationships.csv', header, _relationship_rows(merged, ids))}"
    )
    report.relationships = len(merged.relationships)
    derived_rows = [[ids[s], ids[o], *rest] for s, o, *rest in _memberships(merged)]
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
    number = len(ids)  # the other nodes' ids follow the resources'
    graph_rows_ = [
        [number + i, g, q.GRAPH_NODE, part.hash, str(part.quads), "true"]
        for i, (g, part) in enumerate(graphs.items())
    ]
    header = [":ID", "uri", ":LABEL", "hash", "quads:long", "complete:boolean"]
    args.append(f"--nodes={_write(folder / 'graphs.csv', header, graph_rows_)}")
    number += len(graphs)
    hashes = {graph: part.hash for graph, part in graphs.items()}
    derived = hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()
    extra = {p: v for p, v in ns.prefixes.items() if p not in KNOWN_PREFIXES}
    meta_rows = [[number, "_SyncState", derived] + [""] * len(extra)]
    if extra:
        meta_rows.append([number + 1, q.NAMESPACES_NODE, "", *extra.values()])
    header = [":ID", ":LABEL", "derived", *extra]
    args.append(f"--nodes={_write(folder / 'meta.csv', header, meta_rows)}")
    report.quads = sum(part.quads for part in graphs.values())
    # a field may span lines only when some value holds a line break: reading such files is slower
    args.append(f"--multiline-fields={'true' if literals.multiline else 'false'}")
    return args, report


def _write(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8", buffering=1 << 20) as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(home: Path, database: str, args: list[str], java: str = "java") -> None:
    """`neo4j-admin database import full` into `home` (its server stopped), replacing the database."""
    lib = build()
    archive, written = class_archive("import", java)
    command = [java, *IMPORT_FLAGS, *archive, "-cp", f"{lib}/*", ADMIN_TOOL, "database", "import", "full"]
    command += [database, *IMPORT_OPTIONS, *args]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True)
    keep_archive(written, ok=done.returncode == 0)
    if done.returncode != 0:
        raise StoreError(f"neo4j-admin import into {home} failed:\n{(done.stdout + done.stderr)[-3000:]}")


def bulk_import(source: Source, home: Path, database: str = "neo4j", java: str = "java") -> ImportReport:
    """N-Triples, files, then the import; `seconds` holds the time of each ("read", "files", "import")."""
    start = time.perf_counter()
    lines = ntriples_by_graph(source)
    read = time.perf_counter() - start
    start = time.perf_counter()
    folder = home / "import-files"
    args, report = write_graph_files(lines, folder)
    del lines
    report.seconds["read"] = read
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
