"""`defence-kg sync neo4j`: copy the embedded store into Neo4j, one named graph at a time.

A graph whose content hash Neo4j already holds is skipped; a changed one is replaced; one gone
from the source is removed. A graph's hash is written only after its last batch, so a sync stopped
half-way (Neo4j down) leaves that graph marked incomplete and the next run redoes it.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from defence_kg.errors import StoreError
from defence_kg.graph.queries import cypher_queries as q
from defence_kg.graph.store import write_lock
from defence_kg.graph.store.neo4j_store import Neo4jStore

Progress = Callable[[str, int], None]  # (what is being written, quads just written)


@dataclass
class GraphSync:
    """What one sync did to one named graph."""

    graph: str
    action: str  # added, replaced, unchanged, removed
    quads: int


@dataclass
class SyncReport:
    """A sync's outcome: per named graph, the MEMBER_OF relationships derived, the time taken."""

    graphs: list[GraphSync] = field(default_factory=list)
    memberships: int | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return sum(1 for g in self.graphs if g.action != "unchanged")


def content_hash(triples: Iterable[ox.Triple]) -> str:
    """SHA-256 of a graph's sorted N-Triples lines (independent of order)."""
    digest = hashlib.sha256()
    for line in sorted(str(t) for t in triples):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def source_graphs(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    """Triples per named graph (the default graph is not synced)."""
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


def plan(graphs: dict[str, list[ox.Triple]], target: Neo4jStore) -> tuple[dict[str, str], list[GraphSync]]:
    """Hashes of the source graphs and the action each graph needs."""
    hashes = {g: content_hash(ts) for g, ts in graphs.items()}
    states = target.graph_states()
    actions = []
    for graph, triples in sorted(graphs.items()):
        state = states.get(graph)
        if state is None:
            actions.append(GraphSync(graph, "added", len(triples)))
        elif state["hash"] != hashes[graph]:
            actions.append(GraphSync(graph, "replaced", len(triples)))
        else:
            actions.append(GraphSync(graph, "unchanged", len(triples)))
    actions += [GraphSync(g, "removed", 0) for g in sorted(states) if g not in graphs]
    return hashes, actions


def sync_lock_path(target: Neo4jStore) -> Path:
    """The lock file of one Neo4j database, shared by every process of this machine."""
    key = hashlib.sha256(f"{target.uri}|{target.database}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "defence-kg-locks" / f"neo4j-sync-{key}.lock"


def sync(
    quads: Iterable[ox.Quad],
    target: Neo4jStore,
    progress: Progress | None = None,
    *,
    full: bool = False,
    wait: float = 300.0,
    on_wait: write_lock.Waiting | None = None,
) -> SyncReport:
    """Make Neo4j hold exactly the named graphs of `quads`; see the module docstring.

    Syncs into one database take turns (an exclusive lock per URI and database, waited for up
    to `wait` seconds), so two of them never interleave their graphs."""
    what = f"Neo4j at {target.uri} ({target.database})"
    with write_lock.exclusive(sync_lock_path(target), wait=wait, on_wait=on_wait, what=what):
        return _sync(quads, target, progress, full=full)


def _sync(
    quads: Iterable[ox.Quad], target: Neo4jStore, progress: Progress | None = None, *, full: bool = False
) -> SyncReport:
    start = time.perf_counter()
    report = SyncReport()
    tick = progress or (lambda _what, _n: None)
    if full:
        target.clear()
    target.setup()
    graphs = source_graphs(quads)
    hashes, actions = plan(graphs, target)
    try:
        for item in actions:
            if item.action in ("added", "replaced"):
                target.replace_graph(
                    item.graph, graphs[item.graph], hashes[item.graph], lambda n, g=item.graph: tick(g, n)
                )
            elif item.action == "removed":
                target.remove_graph(item.graph)
            report.graphs.append(item)
        derived = hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()
        state = target.read(q.SYNC_STATE)
        if report.changed or not state or state[0]["derived"] != derived:
            target.write(q.SET_SYNC_STATE, derived=None)
            report.memberships = target.derive_memberships()
            target.write(q.SET_SYNC_STATE, derived=derived)
    except StoreError as error:
        done = ", ".join(f"{g.graph} ({g.action})" for g in report.graphs) or "none"
        raise StoreError(f"{error}\nsync stopped; graphs completed before: {done}") from None
    report.seconds = time.perf_counter() - start
    return report
