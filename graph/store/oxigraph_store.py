"""The embedded default: Oxigraph through pyoxigraph, on disk or in memory.

On disk, `path` is a symbolic link to one version folder of the store. A write fills a new
version beside it and swaps the link with one atomic rename, so readers and a crash (even kill -9)
see either the old or the new store, never a mix. Writers take turns: each holds the store's write
lock (`write_lock`) from reading the current version to publishing the next, so a write always
lands on top of everything published before it. Readers pin the versions they have open
(`version_pins`), and cleanup deletes only unpinned versions, under the write lock.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox
from rdflib import URIRef

from defence_kg.errors import BadQuery, DefenceKGError, StoreError
from defence_kg.graph.queries.sparql_queries import bind
from defence_kg.graph.store import write_lock
from defence_kg.graph.store.base import QueryResult, Store, Triple
from defence_kg.graph.store.convert import to_python, to_quads
from defence_kg.graph.store.safe_xml import check_xml
from defence_kg.graph.store.version_pins import PIN_SUFFIX, Pin, pin_current, remove_unpinned

R = TypeVar("R")
# Computes graphs derived from a filled store version (the overlap assessments) before it is published.
Derive = Callable[[ox.Store], Mapping[URIRef, Iterable[Triple]]]
# Graphs to write, or a function of the current version (read under the write lock) giving them.
GraphsArg = Mapping[URIRef, Iterable[Triple]] | Callable[["OxigraphStore"], Mapping[URIRef, Iterable[Triple]]]
# Seconds a version this process has moved past stays pinned: a request still reading it finishes.
PIN_GRACE = 120.0
FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD}
PREFIXES = {
    "dkg": "https://w3id.org/defence-kg/ontology#",
    "id": "https://w3id.org/defence-kg/id/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


class _Unchanged(Exception):
    """Raised by a fill that finds nothing to write: the new version is dropped unpublished."""


class OxigraphStore(Store):
    """Oxigraph store; `path=None` keeps it in memory (tests), otherwise on disk."""

    name = "oxigraph"
    supports_sparql = True
    transactional = True

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        write_wait: float = 300.0,
        on_wait: write_lock.Waiting | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.write_wait = write_wait
        self.on_wait = on_wait
        self._pins: dict[Path, tuple[Pin, float | None]] = {}  # folder -> (pin, when moved past)
        self.last_wait = 0.0  # seconds the last write waited for the write lock
        self._store = self._open()

    @classmethod
    def wrap(cls, store: ox.Store) -> OxigraphStore:
        """A read-only view of a pyoxigraph store, for reading a version before it is published."""
        view = cls.__new__(cls)
        view.path, view.read_only, view._store, view._pins, view.last_wait = None, True, store, {}, 0.0
        return view

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ opening and versions

    @property
    def _versions(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".versions")

    @property
    def lock_path(self) -> Path:
        """The write lock every writer of this on-disk store holds while it writes."""
        assert self.path is not None
        return self.path.with_name(self.path.name + ".lock")

    def _current(self) -> Path | None:
        if self.path is None or not self.path.exists():
            return None
        return self.path.resolve()

    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        """Hold this store's write lock (waiting up to `write_wait` seconds for another writer);
        the seconds waited are kept in `last_wait`."""
        if self.path is None:
            lock = write_lock.memory_writer()
        else:
            what = f"the store {self.path}"
            lock = write_lock.exclusive(self.lock_path, wait=self.write_wait, on_wait=self.on_wait, what=what)
        with lock as waited:
            self.last_wait = waited
            yield

    def _open(self, grace: float = PIN_GRACE) -> ox.Store:
        if self.path is None:
            return ox.Store()
        if self._current() is None:
            if self.read_only:
                raise StoreError(f"no store at {self.path}; run `defence-kg build` first")
            with self._writer():
                if self._current() is None:  # no other writer created it meanwhile
                    folder, fresh = self._new_version()
                    fresh.flush()
                    del fresh
                    self._publish(folder)
        try:
            current, pin = pin_current(self.path)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
        try:
            # Published versions are never written (every write makes a new version), so even a
            # writable store opens them read-only: a read-write RocksDB handle could compact and
            # delete files that readers in other processes still use.
            opened = ox.Store.read_only(str(current))
        except OSError as exc:
            pin.release()
            raise StoreError(f"cannot open the store at {current}: {exc}") from None
        self._hold(current, pin, grace)
        return opened

    def _hold(self, folder: Path, pin: Pin, grace: float = PIN_GRACE) -> None:
        """Make `folder` the open version: its pin is kept, earlier ones expire after `grace`
        seconds (requests of other threads may still read them)."""
        now = time.monotonic()
        for old, (old_pin, moved) in list(self._pins.items()):
            moved = now if moved is None else moved
            if old == folder or now - moved >= grace:
                old_pin.release()
                del self._pins[old]
            else:
                self._pins[old] = (old_pin, moved)
        self._pins[folder] = (pin, None)
        self._opened = folder

    def _new_version(self) -> tuple[Path, ox.Store]:
        """A new, unpublished version folder and a writable store in it."""
        self._versions.mkdir(parents=True, exist_ok=True)
        folder = self._versions / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        return folder, ox.Store(str(folder))

    def _publish(self, folder: Path) -> None:
        """Point `path` at `folder` with one atomic rename of a fresh symbolic link."""
        assert self.path is not None
        if self.path.exists() and not self.path.is_symlink():
            raise StoreError(f"{self.path} is not a store link made by defence-kg; move it away")
        link = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.link")
        link.symlink_to(os.path.relpath(folder, self.path.parent))
        os.replace(link, self.path)

    def refresh(self) -> bool:
        """Reopen if another process published a new version; True when it did."""
        if self.path is None:
            return False
        current = self._current()
        if current is None or current == getattr(self, "_opened", None):
            return False
        self._store = self._open()
        return True

    def _prune(self) -> None:
        """Delete what no one uses, under the write lock: versions other than the current one
        that no reader has pinned (including half-written ones of a writer that was killed), and
        link files a killed writer left behind."""
        assert self.path is not None
        current = self._current()
        for entry in self._versions.iterdir():
            if entry.name.endswith(PIN_SUFFIX):
                folder = entry.with_name(entry.name[: -len(PIN_SUFFIX)])
                if not folder.exists():  # a pin file left without its version
                    remove_unpinned(folder)
            elif entry.resolve() != current:
                remove_unpinned(entry)
        for link in self.path.parent.glob(f".{self.path.name}.*.link"):
            with contextlib.suppress(OSError):
                link.unlink()

    # ------------------------------------------------------------------ writing

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store was opened read-only")

    def _write_version(self, fill: Callable[[ox.Store], R]) -> R:
        """Fill a new store from the current one and make it current only if `fill` completes.

        The write lock is held throughout, and the latest published version is opened first, so
        `fill` builds on everything other writers published. In memory the new store simply
        replaces the old one; on disk it is a new version folder, published by an atomic link
        swap and removed if anything fails.
        """
        self._writable()
        with self._writer():
            if self.path is None:
                fresh = ox.Store()
                result = fill(fresh)
                self._store = fresh
                return result
            self.refresh()
            self._prune()
            folder, fresh = self._new_version()
            try:
                result = fill(fresh)
                fresh.flush()
            except BaseException:
                del fresh  # close RocksDB before its folder goes
                remove_unpinned(folder)
                raise
            del fresh
            self._publish(folder)
            # This writer read the old version only inside `fill`: its pin goes at once.
            self._store = self._open(grace=0)
            self._prune()
            return result

    def rebuild(
        self,
        graphs: Mapping[URIRef, Iterable[Triple]],
        keep: Callable[[str], bool] = lambda _graph: False,
        derive: Derive | None = None,
    ) -> list[str]:
        """Publish a new store made of `graphs` plus the graphs of the current version that
        `keep` accepts; `derive` adds (or replaces) graphs computed from that new version before
        it is published. Returns the graphs kept."""
        kept: list[str] = []

        def fill(fresh: ox.Store) -> None:
            kept.extend(g for g in self.named_graphs() if keep(g) and URIRef(g) not in graphs)
            self._fill(fresh, graphs, kept, derive)

        self._write_version(fill)
        return kept

    def _fill(
        self,
        fresh: ox.Store,
        graphs: Mapping[URIRef, Iterable[Triple]],
        keep: list[str],
        derive: Derive | None = None,
    ) -> None:
        for graph in keep:
            fresh.bulk_extend(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        for graph, triples in graphs.items():
            fresh.bulk_extend(to_quads(graph, triples))
        if derive is not None:
            for graph, triples in derive(fresh).items():
                fresh.remove_graph(ox.NamedNode(str(graph)))
                fresh.bulk_extend(to_quads(graph, triples))

    def replace_graphs(self, graphs: GraphsArg, derive: Derive | None = None) -> None:
        """Replace the named graphs given, all or nothing: a new version holding every other
        graph of the current one plus these (on disk published by the atomic link swap).

        `graphs` may be a function of the current version, called under the write lock: a
        writer that decides what to write from what is stored (is this document new?) sees
        what the writers before it published. When it gives no graphs, nothing is written.
        """

        def fill(fresh: ox.Store) -> None:
            chosen = graphs(self) if callable(graphs) else graphs
            if not chosen:
                raise _Unchanged
            replaced = {str(g) for g in chosen}
            others = [g for g in self.named_graphs() if g not in replaced]
            self._fill(fresh, chosen, others, derive)

        with contextlib.suppress(_Unchanged):
            self._write_version(fill)

    def load_file(self, source: Path, graph: str, fmt: str | None = None) -> int:
        """Load an RDF file into one named graph, all or nothing; returns the quads added.

        A new store version is bulk-loaded beside the current one and published only when the
        whole file has parsed, so a file with an error at its last line changes nothing. RDF/XML
        is screened with defusedxml first (no entity declarations, no external entities).
        """
        self._writable()
        rdf_format = FORMATS.get(fmt or source.suffix.lstrip(".").lower())
        if rdf_format is None:
            raise DefenceKGError(f"{source}: unknown RDF format; use one of {', '.join(FORMATS)}")
        if rdf_format == ox.RdfFormat.RDF_XML:
            check_xml(source)
        target = ox.NamedNode(graph)

        def fill(fresh: ox.Store) -> int:
            others = [g for g in self.named_graphs() if g != graph]
            self._fill(fresh, {}, others)
            kept = len(fresh)
            self._bulk_load(fresh, source, rdf_format, target)
            return len(fresh) - kept

        return self._write_version(fill)

    @staticmethod
    def _bulk_load(store: ox.Store, source: Path, fmt: ox.RdfFormat, graph: ox.NamedNode) -> None:
        try:
            store.bulk_load(path=str(source), format=fmt, to_graph=graph)
        except SyntaxError as exc:
            raise DefenceKGError(f"{source}: {exc}") from None

    # ------------------------------------------------------------------ reading

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store)

    @property
    def version(self) -> str:
        """Which store version is open: its folder on disk, or this in-memory store's identity."""
        return str(getattr(self, "_opened", None) or id(self._store))

    @property
    def raw_store(self) -> ox.Store:
        """The pyoxigraph store itself, for callers that stream results."""
        return self._store

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update, all or nothing, as a new store version."""

        def fill(fresh: ox.Store) -> None:
            self._fill(fresh, {}, self.named_graphs())
            fresh.bulk_extend(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            try:
                fresh.update(sparql)
            except SyntaxError as exc:
                raise BadQuery(f"SPARQL syntax error: {exc}") from None
            except (OSError, RuntimeError) as exc:  # a LOAD or SERVICE that failed, when allowed
                raise StoreError(f"the update failed and changed nothing: {exc}") from None

        self._write_version(fill)

    def raw_query(self, query: str, **options: Any) -> Any:
        """The pyoxigraph result of a query over the union of all graphs."""
        try:
            return self._store.query(query, use_default_graph_as_union=True, **options)
        except SyntaxError as exc:
            raise BadQuery(str(exc)) from None

    def select(
        self, query: str, bindings: Mapping[str, Any] | None = None, *, limit: int | None = None
    ) -> QueryResult:
        result = self.raw_query(bind(query, bindings or {}))
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(columns=[], boolean=bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise BadQuery("expected a SELECT or ASK query")
        columns = [v.value for v in result.variables]
        out = QueryResult(columns=columns)
        for solution in result:
            if limit is not None and len(out.rows) >= limit:
                out.truncated = True
                break
            out.rows.append({c: to_python(solution[c]) for c in columns})
        return out

    def export(self, out: IO[bytes], fmt: str) -> None:
        rdf_format = FORMATS.get(fmt)
        if rdf_format is None:
            raise DefenceKGError(f"unknown export format {fmt!r}")
        if rdf_format in QUAD_FORMATS:
            self._store.dump(out, format=rdf_format, prefixes=PREFIXES)
            return
        # Triple formats cannot name graphs: write the union, each triple once.
        triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in self._store)
        ox.serialize(triples, out, format=rdf_format, prefixes=PREFIXES)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._store.flush()
        del self._store
        for pin, _moved in self._pins.values():
            pin.release()
        self._pins.clear()
