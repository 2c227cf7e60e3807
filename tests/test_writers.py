"""Concurrent writers with real processes: CLI loads, a build and uploads through a running server
at once all land; a writer killed while holding the lock does not block the others; a writer
that waits too long gives up with a clear error and writes nothing; readers keep answering 200;
two Neo4j syncs into one database take turns."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from defence_kg.graph.analysis.document_reads import documents
from defence_kg.graph.publish.build import build
from defence_kg.graph.store.neo4j_sync import content_hash, source_graphs, sync
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from tests.conftest import SHARED, neo4j_store, shared_file
from tests.served import serve

pytestmark = pytest.mark.slow
KEY = "writers-test-key"
READS = ("/api/search?q=NATO", "/api/entities/nato/members", "/api/documents", "/api/overlaps?limit=5")
# Holds the write lock of the store argv[1] with a version half-written, then stalls: touching
# argv[2] says it holds the lock. Killed by the tests.
STALLING_WRITER = """
import sys, time
from pathlib import Path
from defence_kg.graph.store.oxigraph_store import OxigraphStore

def stall(current):
    Path(sys.argv[2]).touch()
    time.sleep(600)

OxigraphStore(Path(sys.argv[1])).replace_graphs(stall)
"""


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("writers-built")
    store = OxigraphStore(folder / "store")
    build(store)
    store.close()
    return folder


@pytest.fixture
def store_path(built_store: Path, tmp_path: Path) -> Path:
    """A private copy of the built store (its link and its versions)."""
    shutil.copytree(built_store, tmp_path / "copy", symlinks=True)
    return tmp_path / "copy" / "store"


def texts(count: int) -> list[Path]:
    shared_file("corpus-dev", "manifest.yaml")
    found = sorted((SHARED / "corpus-dev").glob("*.txt"))
    assert len(found) >= count
    return found[:count]


def cli(*args: str, store: Path, log: Path, **env: str) -> subprocess.Popen:
    environment = {"DEFENCE_KG_STORE_PATH": str(store)}
    environment.update({f"DEFENCE_KG_{k.upper()}": v for k, v in env.items()})
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "defence_kg.cli", *args],
            env={**os.environ, **environment},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stored_ids(store: Path) -> set[str]:
    with OxigraphStore(store, read_only=True) as reader:
        return {d["id"] for d in documents(reader)}


def version_folders(store: Path) -> list[Path]:
    return [p for p in store.with_name(store.name + ".versions").iterdir() if p.is_dir()]


def stalling_writer(store: Path, holds: Path) -> subprocess.Popen:
    """Start STALLING_WRITER on `store` and wait (up to 60 s) until it holds the write lock."""
    holder = subprocess.Popen([sys.executable, "-c", STALLING_WRITER, str(store), str(holds)])
    for _ in range(600):
        if holds.exists():
            break
        time.sleep(0.1)
    return holder


class Readers:
    """Threads reading the API in a loop until stopped; every status they got is kept."""

    def __init__(self, base: str, threads: int = 2) -> None:
        self.base, self.statuses, self.stop = base, [], threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while not self.stop.is_set():
                for path in READS:
                    try:
                        status: int | str = client.get(path).status_code
                    except httpx.HTTPError as error:  # counted, so that the test fails on it
                        status = type(error).__name__
                    self.statuses.append((path, status))

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_eight_loads_a_build_and_four_uploads_at_once_all_land(store_path, tmp_path):
    files = texts(12)
    loads, uploads = files[:8], files[8:]
    statuses: list[int] = []

    def upload(path: Path) -> None:
        with path.open("rb") as handle:
            answer = httpx.post(
                f"{base}/api/documents",
                files={"file": (path.name, handle, "text/plain")},
                headers={"X-API-Key": KEY},
                timeout=600,
            )
        statuses.append(answer.status_code)

    with serve(store_path, tmp_path / "server.log", api_key=KEY) as base, Readers(base) as readers:
        logs = [tmp_path / f"load-{i}.log" for i in range(len(loads))] + [tmp_path / "build.log"]
        writers = [
            cli("load", str(p), store=store_path, log=log) for p, log in zip(loads, logs, strict=False)
        ]
        writers.append(cli("build", store=store_path, log=logs[-1]))
        senders = [threading.Thread(target=upload, args=(p,)) for p in uploads]
        for sender in senders:
            sender.start()
        codes = [w.wait(timeout=900) for w in writers]
        for sender in senders:
            sender.join(timeout=900)
        time.sleep(0.5)  # readers see the last version too
    outputs = [log.read_text() for log in logs]
    assert codes == [0] * 9, outputs
    assert statuses == [201] * 4
    assert not any("Traceback" in out for out in [*outputs, (tmp_path / "server.log").read_text()])
    expected = {p.stem for p in files}
    assert expected <= stored_ids(store_path), "every acknowledged document is in the store"
    assert readers.statuses and {code for _path, code in readers.statuses} == {200}


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_others(store_path, tmp_path):
    holds = tmp_path / "holds"
    holder = stalling_writer(store_path, holds)
    try:
        assert holds.exists(), "the stalling writer never took the lock"
        half_written = {p.name for p in version_folders(store_path)} - {store_path.resolve().name}
        assert half_written, "the holder is filling a version"
        files = texts(2)
        logs = [tmp_path / f"load-{i}.log" for i in range(2)]
        waiting = [cli("load", str(p), store=store_path, log=log) for p, log in zip(files, logs, strict=True)]
        deadline = time.monotonic() + 120
        while not all(f"pid {holder.pid}" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            time.sleep(0.2)
        assert all(w.poll() is None for w in waiting), "the others wait while the lock is held"
        assert "waiting for the write lock" in logs[0].read_text()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert [w.wait(timeout=300) for w in waiting] == [0, 0], [log.read_text() for log in logs]
    assert {p.stem for p in files} <= stored_ids(store_path)
    remaining = {p.name for p in version_folders(store_path)}
    assert not remaining & half_written, "the killed writer's half-written version was removed"


def test_a_writer_that_waits_past_its_limit_writes_nothing(store_path, tmp_path):
    holds = tmp_path / "holds"
    holder = stalling_writer(store_path, holds)
    try:
        before = stored_ids(store_path)
        text = texts(1)[0]
        log = tmp_path / "load.log"
        late = cli("load", str(text), store=store_path, log=log, write_wait="1")
        assert late.wait(timeout=120) == 1
        out = log.read_text()
        assert (
            f"pid {holder.pid}" in out and "gave up after waiting 1 s" in out and "nothing was written" in out
        )
        assert "Traceback" not in out
        assert stored_ids(store_path) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()


def test_an_upload_that_waits_past_its_limit_answers_503_and_readers_200(store_path, tmp_path):
    holds = tmp_path / "holds"
    holder = stalling_writer(store_path, holds)
    try:
        text = texts(1)[0]
        with serve(store_path, tmp_path / "server.log", api_key=KEY, write_wait="1") as base:
            with Readers(base, threads=1) as readers:
                answer = httpx.post(
                    f"{base}/api/documents",
                    files={"file": (text.name, text.read_bytes(), "text/plain")},
                    headers={"X-API-Key": KEY},
                    timeout=60,
                )
            assert answer.status_code == 503
            assert f"pid {holder.pid}" in answer.json()["detail"]
            assert {code for _path, code in readers.statuses} == {200}
        assert text.stem not in stored_ids(store_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()


@pytest.mark.slow
def test_two_neo4j_syncs_into_one_database_take_turns(request, built_graphs):
    from rdflib import Literal, URIRef

    first, second = OxigraphStore(None), OxigraphStore(None)
    first.replace_graphs(built_graphs)
    marked = {
        g: [*ts, (URIRef("urn:x:s"), URIRef("urn:x:p"), Literal(str(g)))] for g, ts in built_graphs.items()
    }
    second.replace_graphs(marked)
    target = neo4j_store(request)
    target.clear()  # type: ignore[attr-defined]
    waited: list[object] = []
    done: list[str] = []

    def run(name: str, source: OxigraphStore, on_wait=None) -> None:
        sync(source.quads(), target, on_wait=on_wait)  # type: ignore[arg-type]
        done.append(name)

    one = threading.Thread(target=run, args=("first", first))
    two = threading.Thread(target=run, args=("second", second, waited.append))
    one.start()
    time.sleep(0.3)
    two.start()
    one.join(timeout=600)
    two.join(timeout=600)
    assert len(done) == 2 and waited, "the second sync waited for the first"
    last = {"first": first, "second": second}[done[-1]]
    expected = {g: content_hash(ts) for g, ts in source_graphs(last.quads()).items()}
    held = {g: state["hash"] for g, state in target.graph_states().items()}  # type: ignore[attr-defined]
    assert held == expected, "Neo4j holds exactly the graphs of the sync that finished last"
    assert set(target.quads()) == set(last.quads())  # type: ignore[attr-defined]
    target.clear()  # type: ignore[attr-defined]
    target.replace_graphs(built_graphs)  # the session's graph back for the other Neo4j tests
    target.close()
