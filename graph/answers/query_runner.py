"""Read-only SPARQL with a time limit that really stops the query.

Oxigraph cannot interrupt a running query, so queries over an on-disk store run in a small pool
of worker processes, each with the store opened read-only. A query that runs past the limit has
its worker killed and replaced; the server itself never blocks. An in-memory store (tests) cannot
be shared with another process: there the limit is checked between result rows.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import BadQuery, QueryTimeout, StoreError
from defence_kg.graph.answers.sparql_results import Payload, serialize_result
from defence_kg.graph.store.version_pins import pin_current

UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


@dataclass(frozen=True)
class QueryRequest:
    query: str
    media_type: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _options(request: QueryRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    return options


def execute(store: ox.Store, request: QueryRequest, deadline: float | None = None) -> Payload:
    """Run one query on a pyoxigraph store and serialize it (BadQuery on a syntax error)."""

    def check() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the query ran past its time limit and was stopped")

    try:
        result = store.query(request.query, **_options(request))
    except SyntaxError as exc:
        raise BadQuery(f"SPARQL syntax error: {exc}") from None
    except ValueError as exc:
        raise BadQuery(str(exc)) from None
    except (OSError, RuntimeError) as exc:  # a SERVICE that failed (when allowed), a read error
        raise StoreError(f"the query failed: {exc}") from None
    try:
        return serialize_result(result, request.media_type, request.max_rows, check)
    except (OSError, RuntimeError) as exc:  # Oxigraph evaluates lazily: errors come with the rows
        raise StoreError(f"the query failed: {exc}") from None


def _worker(conn: Connection, path: str) -> None:
    """Worker process: answer queries on the store `path` links to, reopening on new builds."""
    link = Path(path)
    opened, store, pin = None, None, None
    conn.send(("ready", None))  # started: time limits count from here, not from the spawn
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            if link.resolve() != opened:
                # Pinned, so cleanup leaves the version alone while this worker has it open.
                opened, new_pin = pin_current(link)
                store = ox.Store.read_only(str(opened))
                if pin is not None:
                    pin.release()
                pin = new_pin
            payload = execute(store, request)  # type: ignore[arg-type]
            conn.send(("ok", payload))
        except BadQuery as exc:
            conn.send(("bad", str(exc)))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


STARTUP_SECONDS = 60.0  # a spawned worker that has not started by then is replaced


class _Worker:
    def __init__(self, path: Path) -> None:
        context = mp.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, str(path)), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, seconds: float = STARTUP_SECONDS) -> None:
        """Wait for a new worker to have started (imports done), so that a query's time limit
        is not spent on starting the process on a busy machine."""
        if self.ready:
            return
        if not self.conn.poll(seconds) or self.conn.recv()[0] != "ready":
            raise EOFError("the query worker did not start")
        self.ready = True

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(timeout=5)
            self.conn.close()


class QueryRunner:
    """Runs queries with a time limit: in worker processes for an on-disk store, in-process
    (limit checked between rows) for an in-memory one."""

    def __init__(self, store: Any, timeout: float, workers: int = 2) -> None:
        self.store = store
        self.timeout = timeout
        self.path: Path | None = getattr(store, "path", None)
        self._pool: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._size = workers if self.path is not None else 0
        self._started = False

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self._size):
                    self._pool.put(_Worker(self.path))  # type: ignore[arg-type]
                self._started = True

    def run(self, request: QueryRequest) -> Payload:
        if self.path is None:
            return execute(self.store.raw_store, request, time.monotonic() + self.timeout)
        self._start()
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._pool.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout("every query worker stayed busy for the whole time limit") from None
        try:
            worker.wait_ready()
            deadline = time.monotonic() + self.timeout
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.kill()
                worker = _Worker(self.path)
                raise QueryTimeout(f"the query ran past the {self.timeout:g} s limit and was stopped")
            status, value = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = _Worker(self.path)
            raise StoreError("the query worker died; the query was not answered") from None
        finally:
            self._pool.put(worker)
        if status == "bad":
            raise BadQuery(value)
        if status == "error":
            raise StoreError(value)
        return value

    def close(self) -> None:
        while not self._pool.empty():
            self._pool.get_nowait().kill()
