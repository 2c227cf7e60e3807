"""Concurrent writers: N rounds of eight `defence-kg load`, one `defence-kg build` and four uploads
through a running `defence-kg serve`, all started at once, while readers keep asking the API.

    make bench-writers     # or: .venv/bin/python bench/bench_writers.py [--rounds 3] [--readers 4]

Prints per round and in total: document writes acknowledged (exit 0 / HTTP 201), documents present
in the store afterwards (must equal), the builds' exit codes, the time writers waited for the write
lock (p50/p99, as each write reports it), and reader requests and errors (must be 0). Each round
loads twelve distinct texts of ../shared/corpus-dev, renamed per round so that every write is new.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from defence_kg.graph.analysis.document_reads import documents
from defence_kg.graph.publish.build import build
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.read import document_id

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DEFENCE_KG_SHARED", REPO.parent / "shared"))
KEY = "bench-writers-key"
READS = (
    "/api/search?q=NATO",
    "/api/entities/nato/members?at=2022-01-01",
    "/api/entities/SE/memberships",
    "/api/documents",
    "/api/overlaps?limit=5",
    "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def start_server(store: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DEFENCE_KG_STORE_PATH": str(store), "DEFENCE_KG_API_KEY": KEY}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "defence_kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/search?q=NATO", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}")


class Readers:
    """Threads asking READS in turn until stopped; statuses other than 200 are errors."""

    def __init__(self, base: str, count: int) -> None:
        self.base, self.requests, self.errors = base, 0, []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(count)]

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stop.is_set():
                for path in READS:
                    try:
                        status = client.get(path).status_code
                    except httpx.HTTPError as error:
                        status = type(error).__name__
                    with self.lock:
                        self.requests += 1
                        if status != 200:
                            self.errors.append((path, status))


def round_of_writes(number: int, store: Path, base: str, texts: list[Path], work: Path) -> dict:
    """One round: eight CLI loads, one build, four uploads at once; what each reported."""
    folder = work / f"round-{number}"
    folder.mkdir()
    copies = []
    for text in texts:
        copy = folder / f"r{number}-{text.name}"
        shutil.copyfile(text, copy)
        copies.append(copy)
    env = {**os.environ, "DEFENCE_KG_STORE_PATH": str(store)}
    started = time.perf_counter()
    loads = [
        subprocess.Popen(
            [sys.executable, "-m", "defence_kg.cli", "load", "--json", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for path in copies[:8]
    ]
    builder = subprocess.Popen(
        [sys.executable, "-m", "defence_kg.cli", "build"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    uploads: list[tuple[int, dict]] = []

    def upload(path: Path) -> None:
        answer = httpx.post(
            f"{base}/api/documents",
            files={"file": (path.name, path.read_bytes(), "text/plain")},
            headers={"X-API-Key": KEY},
            timeout=900,
        )
        uploads.append((answer.status_code, answer.json()))

    senders = [threading.Thread(target=upload, args=(p,)) for p in copies[8:]]
    for sender in senders:
        sender.start()
    acknowledged, waits, tracebacks = 0, [], 0
    for process in loads:
        out, err = process.communicate(timeout=1800)
        tracebacks += b"Traceback" in err
        if process.returncode == 0:
            acknowledged += 1
            waits.append(json.loads(out)["waited_seconds"])
    _, build_err = builder.communicate(timeout=1800)
    tracebacks += b"Traceback" in build_err
    for sender in senders:
        sender.join(timeout=1800)
    for status, body in uploads:
        if status == 201:
            acknowledged += 1
            waits.append(body["waited_seconds"])
    with OxigraphStore(store, read_only=True) as reader:
        stored = {d["id"] for d in documents(reader)}
    present = sum(1 for copy in copies if document_id(copy) in stored)
    return {
        "acknowledged": acknowledged,
        "present": present,
        "build": builder.returncode,
        "waits": waits,
        "tracebacks": tracebacks,
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8103)
    args = parser.parse_args()
    texts = sorted((SHARED / "corpus-dev").glob("*.txt"))[:12]
    if len(texts) < 12:
        raise SystemExit(f"needs 12 texts in {SHARED / 'corpus-dev'}")
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        work = Path(tmp)
        store = work / "store"
        with OxigraphStore(store) as target:
            build(target)
        server = start_server(store, args.port, work / "server.log")
        base = f"http://127.0.0.1:{args.port}"
        readers = Readers(base, args.readers)
        for thread in readers.threads:
            thread.start()
        results = []
        try:
            for number in range(1, args.rounds + 1):
                result = round_of_writes(number, store, base, texts, work)
                results.append(result)
                print(
                    f"round {number}: {result['acknowledged']}/12 acknowledged, "
                    f"{result['present']}/12 present, "
                    f"build exit {result['build']}, wait p50 {percentile(result['waits'], 0.5):.2f} s "
                    f"p99 {percentile(result['waits'], 0.99):.2f} s, {result['tracebacks']} tracebacks, "
                    f"{result['seconds']:.1f} s",
                    flush=True,
                )
        finally:
            readers.stop.set()
            for thread in readers.threads:
                thread.join(timeout=60)
            server.terminate()
            server.wait(timeout=30)
        server_tracebacks = (work / "server.log").read_text().count("Traceback")
    waits = [w for r in results for w in r["waits"]]
    acknowledged = sum(r["acknowledged"] for r in results)
    present = sum(r["present"] for r in results)
    print()
    print(f"rounds: {len(results)} (8 loads + 1 build + 4 uploads each, {args.readers} readers)")
    print(f"document writes acknowledged: {acknowledged}; present afterwards: {present} (must be equal)")
    print(f"builds exit codes: {[r['build'] for r in results]}")
    print(
        f"lock waits: p50 {percentile(waits, 0.5):.2f} s, p99 {percentile(waits, 0.99):.2f} s, "
        f"mean {statistics.fmean(waits) if waits else 0:.2f} s over {len(waits)} writes"
    )
    print(f"reader requests: {readers.requests}; reader errors: {len(readers.errors)} {readers.errors[:5]}")
    print(f"tracebacks: writers {sum(r['tracebacks'] for r in results)}, server {server_tracebacks}")
    failed = sum(r["tracebacks"] for r in results) + server_tracebacks
    if acknowledged != present or readers.errors or failed or any(r["build"] for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
