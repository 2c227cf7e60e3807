"""The Neo4j backend: the graph as a property graph (mapping in `property_graph.py`), over Bolt.

Every read and write goes through the driver's managed transactions (`execute_read`,
`execute_write`), so transient errors are retried and routing (`neo4j://`, Aura) works. A named
graph is written in batches of `batch_size` rows, nodes first, on `workers` sessions at once; it is
marked incomplete first and gets its content hash only when its last batch is in, so an
interrupted write is never taken for a finished one. Nodes and relationships no other named graph
holds are CREATEd (after the graph's old content is removed), only shared ones MERGEd.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError
from rdflib import URIRef

from defence_kg.errors import DefenceKGError, StoreError
from defence_kg.graph.queries import cypher_queries as q
from defence_kg.graph.store.base import Store, Triple
from defence_kg.graph.store.convert import to_ox
from defence_kg.graph.store.oxigraph_store import FORMATS, PREFIXES, QUAD_FORMATS
from defence_kg.graph.store.property_graph import (
    GraphRows,
    Namespaces,
    graph_rows,
    node_quads,
    relationship_quads,
)
from defence_kg.settings import Settings, get_settings

Progress = Callable[[int], None]
Part = tuple[str, list[Any], "list[str] | None"]  # query, its rows, the uris of the nodes it creates
Batch = tuple[list[Part], int]  # the parts of one transaction, the quads they stand for
Shape = tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]  # labels, literal keys, which are dates


def _quads_of(row: dict[str, Any]) -> int:
    """Quads a write row stands for: its literal values, or one relationship."""
    if "props" in row:
        return sum(len(values) for values in row["props"].values())
    return 1


class Neo4jStore(Store):
    """A Neo4j database (5.26 or later) reached through the official driver."""

    name = "neo4j"
    supports_cypher = True

    def __init__(
        self,
        path: Path | None = None,
        *,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int | None = None,
        retry_seconds: float = 15.0,
        workers: int = 2,
        settings: Settings | None = None,
    ) -> None:
        del path  # a server store has no folder; the argument keeps `open_store` uniform
        config = settings or get_settings()
        secret = config.neo4j_password.get_secret_value() if config.neo4j_password else None
        self.uri = uri or config.neo4j_uri
        self.database = database or config.neo4j_database
        self.batch_size = batch_size or config.neo4j_batch_size
        self.workers = max(1, workers)
        password = password if password is not None else secret
        auth = (user or config.neo4j_user, password) if password else None
        self.driver: Driver = GraphDatabase.driver(
            self.uri,
            auth=auth,
            max_transaction_retry_time=retry_seconds,
            connection_timeout=10,
            notifications_min_severity="OFF",
        )
        self._ns: Namespaces | None = None

    # ------------------------------------------------------------------ plumbing

    def _run(self, write: bool, work: Callable[[ManagedTransaction], Any]) -> Any:
        try:
            with self.driver.session(database=self.database) as session:
                return (session.execute_write if write else session.execute_read)(work)
        except (DriverError, Neo4jError, OSError) as exc:
            raise StoreError(f"Neo4j at {self.uri}: {type(exc).__name__}: {exc}") from None

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one write query in a managed transaction; the records as dicts."""
        return self._run(True, lambda tx: [r.data() for r in tx.run(query, params)])

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read query in a managed transaction; the records as dicts."""
        return self._run(False, lambda tx: [r.data() for r in tx.run(query, params)])

    def _until_done(self, query: str, key: str, **params: Any) -> None:
        while self.write(query, batch=self.batch_size, **params)[0][key]:
            pass

    def setup(self) -> None:
        """Create the constraints (the `uri` one first) and read the saved namespace prefixes."""
        for statement in q.CONSTRAINTS:
            self.write(statement)
        saved = self.read(q.NAMESPACES)
        self._ns = Namespaces(saved[0]["prefixes"] if saved else None)

    @property
    def ns(self) -> Namespaces:
        if self._ns is None:
            self.setup()
        assert self._ns is not None
        return self._ns

    # ------------------------------------------------------------------ writing

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Replace each named graph given, one after the other, then the MEMBER_OF relationships.

        Not one transaction: a graph interrupted half-way stays marked incomplete (no hash).
        """
        for graph, triples in graphs.items():
            self.replace_graph(str(graph), (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples))
        self.derive_memberships()

    def replace_graph(
        self,
        graph: str,
        triples: Iterable[ox.Triple],
        content_hash: str | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Replace one named graph; returns its quads. `content_hash` is recorded when done."""
        rows = graph_rows(triples, self.ns)
        known = graph in self.graph_states()
        self.write(q.BEGIN_GRAPH, graph=graph)
        if known:  # a graph never begun has nothing to remove
            self._remove(graph)
        if self.ns.new:
            self.write(q.SAVE_NAMESPACES, prefixes=self.ns.new)
            self.ns.new = {}
        self._add(graph, rows, progress or (lambda _n: None))
        if rows.quads:
            self.write(q.FINISH_GRAPH, graph=graph, hash=content_hash, quads=rows.quads)
        else:
            self.write(q.DROP_GRAPH_NODE, graph=graph)
        return rows.quads

    def remove_graph(self, graph: str) -> None:
        """Delete one named graph's nodes, values and relationships (others are kept)."""
        self.write(q.BEGIN_GRAPH, graph=graph)
        self._remove(graph)
        self.write(q.DROP_GRAPH_NODE, graph=graph)

    def _remove(self, graph: str) -> None:
        self._until_done(q.REMOVE_RELATIONSHIPS, "deleted", graph=graph)
        while True:
            uris = self.write(q.REMOVE_NODE_VALUES, graph=graph, batch=self.batch_size)[0]["uris"]
            if not uris:
                break
            self.write(q.RELABEL, uris=uris)
        self._until_done(q.DELETE_ORPHANS, "deleted")

    def _existing(self, uris: list[str]) -> dict[str, str]:
        """Element ids of the nodes, among `uris`, that Neo4j holds already (for other graphs)."""
        if not uris or not self.read(q.HAS_RESOURCES)[0]["any"]:
            return {}
        found: dict[str, str] = {}
        for start in range(0, len(uris), self.batch_size):
            rows = self.read(q.EXISTING_NODES, uris=uris[start : start + self.batch_size])
            found.update(rows[0]["found"])
        return found

    def _add(self, graph: str, rows: GraphRows, progress: Progress) -> None:
        """Write nodes, then relationships, `batch_size` rows per transaction.

        A node no other named graph holds is CREATEd (one query text per shape, rows as lists),
        as is every relationship with such a node at one end; only what other graphs share is
        MERGEd, after `SHARE_NODES` has made the graph of their values and relationships
        explicit. Relationships find their ends by element id. Batches run on `workers` sessions.
        """
        ids = self._existing(list(rows.nodes))
        shared = set(ids)
        size = self.batch_size
        uris = list(shared)
        for start in range(0, len(uris), size):  # their values and relationships name their graph now
            self.write(q.SHARE_NODES, uris=uris[start : start + size], graph=graph)

        def node_batches() -> Iterator[Batch]:
            merged = [row for uri, row in rows.nodes.items() if uri in shared]
            for start in range(0, len(merged), size):
                chunk = merged[start : start + size]
                yield [(q.MERGE_NODES, chunk, None)], sum(map(_quads_of, chunk))
            shapes: dict[Shape, list[list[Any]]] = {}
            for uri, row in rows.nodes.items():
                if uri not in shared:
                    props = row["props"]
                    dates = tuple(type(values[0]) is dt.date for values in props.values())
                    values = list(props.values())
                    if True in dates:
                        pairs = zip(values, dates, strict=True)
                        values = [[v.isoformat() for v in vs] if d else vs for vs, d in pairs]
                    shapes.setdefault((tuple(row["labels"]), tuple(props), dates), []).append([uri, *values])
            parts: list[Part] = []
            count = quads = 0
            for (labels, keys, dates), items in shapes.items():
                query = q.create_nodes(labels, keys, dates)
                start = 0
                while start < len(items):
                    chunk = items[start : start + size - count]
                    start += len(chunk)
                    parts.append((query, chunk, [item[0] for item in chunk]))
                    count += len(chunk)
                    quads += sum(len(values) for item in chunk for values in item[1:])
                    if count == size:
                        yield parts, quads
                        parts, count, quads = [], 0, 0
            if parts:
                yield parts, quads

        def relationship_rows() -> Iterator[tuple[str, list[Any], int]]:
            for rel_type, rels in rows.relationships.items():
                by_end = len({rel["o"] for rel in rels}) <= len({rel["s"] for rel in rels})
                one, other = ("o", "s") if by_end else ("s", "o")
                groups: dict[bool, dict[str, list[str]]] = {False: {}, True: {}}
                merged: list[list[str]] = []
                for rel in rels:
                    a, b = rel[one], rel[other]
                    if a in shared and b in shared:
                        merged.append([ids[rel["s"]], ids[rel["o"]]])
                    else:
                        groups[rel["s"] in shared].setdefault(ids[a], []).append(ids[b])
                for shared_start, grouped in groups.items():
                    query = q.create_relationships(rel_type, by_end=by_end, shared_start=shared_start)
                    for a, group in grouped.items():
                        for start in range(0, len(group), size):
                            piece = group[start : start + size]
                            yield query, [a, piece], len(piece)
                query = q.merge_relationships(rel_type)
                for row in merged:
                    yield query, row, 1

        def relationship_batches() -> Iterator[Batch]:
            parts: list[Part] = []
            count = 0
            for query, row, weight in relationship_rows():
                if count + weight > size:
                    yield parts, count
                    parts, count = [], 0
                if parts and parts[-1][0] == query:
                    parts[-1][1].append(row)
                else:
                    parts.append((query, [row], None))
                count += weight
            if parts:
                yield parts, count

        self._write_batches(graph, node_batches(), progress, ids)
        self._write_batches(graph, relationship_batches(), progress, ids)

    def _write_batches(
        self, graph: str, batches: Iterator[Batch], progress: Progress, ids: dict[str, str]
    ) -> None:
        """One transaction per batch, up to `workers` at a time; element ids of created nodes
        go into `ids`. The first error stops the submitting and is raised once the rest is done."""

        def write(parts: list[Part]) -> list[tuple[list[str], list[str]]]:
            def work(tx: ManagedTransaction) -> list[tuple[list[str], list[str]]]:
                created = []
                for query, batch, uris in parts:
                    result = tx.run(query, rows=batch, graph=graph)
                    if uris is None:
                        result.consume()
                    else:
                        created.append((uris, result.single(strict=True)["ids"]))
                return created

            return self._run(True, work)

        def collect(done: Future[list[tuple[list[str], list[str]]]], quads: int) -> None:
            for uris, element_ids in done.result():
                if len(uris) != len(element_ids):
                    raise StoreError("Neo4j returned fewer element ids than nodes created")
                ids.update(zip(uris, element_ids, strict=True))
            progress(quads)

        pending: deque[tuple[Future[list[tuple[list[str], list[str]]]], int]] = deque()
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            try:
                for parts, quads in batches:
                    pending.append((pool.submit(write, parts), quads))
                    while len(pending) > self.workers:
                        collect(*pending.popleft())
                while pending:
                    collect(*pending.popleft())
            except BaseException:
                for future, _ in pending:
                    future.cancel()
                raise

    def derive_memberships(self) -> int:
        """Recompute the `MEMBER_OF` convenience relationships from the org:Membership nodes."""
        self._until_done(q.DELETE_DERIVED, "deleted")
        uris = [r["uri"] for r in self.read(q.MEMBERSHIP_URIS)]
        for start in range(0, len(uris), self.batch_size):
            self.write(q.DERIVE_MEMBERSHIPS, uris=uris[start : start + self.batch_size])
        return len(uris)

    def clear(self) -> None:
        """Delete everything in the database (tests, `sync --full`)."""
        self._until_done(q.CLEAR, "deleted")
        self._ns = None

    # ------------------------------------------------------------------ reading

    def graph_states(self) -> dict[str, dict[str, Any]]:
        """Per named graph: its content `hash` (None while incomplete) and `quads`."""
        return {r["uri"]: r for r in self.read(q.GRAPH_STATES)}

    def named_graphs(self) -> list[str]:
        return sorted(self.graph_states())

    def count(self, graph: str | None = None) -> int:
        rels = self.read(q.COUNT_RELATIONSHIPS, graph=graph)[0]["n"] or 0
        values = self.read(q.COUNT_VALUES, graph=graph)[0]["n"] or 0
        return int(rels + values)

    def quads(self) -> list[ox.Quad]:
        """Every quad the property graph stands for (the reverse mapping)."""
        ns = self.ns

        def work(tx: ManagedTransaction) -> list[ox.Quad]:
            out: list[ox.Quad] = []
            for record in tx.run(q.EXPORT_NODES):
                out.extend(node_quads(record["props"], ns))
            for r in tx.run(q.EXPORT_RELATIONSHIPS):
                out.extend(relationship_quads(r["s"], r["type"], r["o"], r["graphs"], ns))
            return out

        return self._run(False, work)

    def export(self, out: IO[bytes], fmt: str) -> None:
        rdf_format = FORMATS.get(fmt)
        if rdf_format is None:
            raise DefenceKGError(f"unknown export format {fmt!r}")
        quads = self.quads()
        if rdf_format in QUAD_FORMATS:
            ox.serialize(quads, out, format=rdf_format, prefixes=PREFIXES)
            return
        triples = dict.fromkeys(ox.Triple(x.subject, x.predicate, x.object) for x in quads)
        ox.serialize(triples, out, format=rdf_format, prefixes=PREFIXES)

    def close(self) -> None:
        self.driver.close()
