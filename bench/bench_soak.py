"""Soak run: 50 concurrent clients mixing REST, SPARQL and page requests against a real
`defence-kg serve` on 127.0.0.1 for 5 minutes; requests, errors, p50/p99 latency, and the server's
memory (its process and its query workers) at the start and the end, against a stated bound.

    make bench-soak     # or: .venv/bin/python bench/bench_soak.py [--seconds 300] [--clients 50]

Every route of ROUTES is requested in turn by each client (add a view page by adding its path).
An error is anything but the expected status, or no answer within 30 s. The client is one
process of asyncio tasks (httpx) on the same machine as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from defence_kg.graph.publish.build import build
from defence_kg.graph.publish.documents import load_documents
from defence_kg.graph.store.oxigraph_store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SPARQL = [
    "SELECT ?code WHERE { ?s <https://w3id.org/defence-kg/ontology#iso2> ?code } ORDER BY ?code",
    (REPO / "graph" / "queries" / "pesco-third-states.rq").read_text(),
    (REPO / "graph" / "queries" / "eu-not-nato.rq").read_text(),
    "ASK { ?s a <https://w3id.org/defence-kg/ontology#PescoProject> }",
]
HTML = {"Accept": "text/html"}
# (method, path, options, expected status): REST, SPARQL (GET and POST), Cypher, views, pages, assets.
ROUTES: list[tuple[str, str, dict, int]] = [
    ("GET", "/api/entities/nato/members?at=2022-01-01", {}, 200),
    ("GET", "/api/search?q=Denmark", {}, 200),
    ("GET", "/api/entities/SE/memberships", {}, 200),
    ("GET", "/api/entities/pesco/parts", {}, 200),
    ("GET", "/api/documents", {}, 200),
    *[("GET", "/sparql", {"params": {"query": q}}, 200) for q in SPARQL],
    ("POST", "/sparql", {"data": {"query": SPARQL[0]}}, 200),
    ("POST", "/cypher", {"json": {"query": "MATCH (s:State) RETURN count(s) AS n"}}, 200),
    ("GET", "/", {}, 200),
    ("GET", "/", {"headers": HTML}, 200),
    ("GET", "/views/membership?at=2022-01-01", {}, 200),
    ("GET", "/views/overlap", {}, 200),
    ("GET", "/views/ego/SE?depth=2", {}, 200),
    ("GET", "/views/document/cepob-2021-pesco-nato-us", {}, 200),
    ("GET", "/sparql", {"headers": HTML}, 200),
    ("GET", "/docs", {}, 200),
    ("GET", "/redoc", {}, 200),
    ("GET", "/openapi.json", {}, 200),
    ("GET", "/assets/pages/sparql.js", {}, 200),
    ("GET", "/api/entities/no-such-entity", {}, 404),
]
GROWTH_BOUND_MB = 100  # the server's memory may grow at most this much over the run


def server_rss(process: psutil.Process) -> float:
    """MB resident in the server process and its children (the query workers)."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total / 1e6


async def client(base: str, until: float, offset: int, latencies: list[float], errors: list[str]) -> None:
    routes = itertools.islice(itertools.cycle(ROUTES), offset, None)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for method, path, options, status in routes:
            if time.monotonic() > until:
                return
            started = time.perf_counter()
            try:
                answer = await http.request(method, path, **options)
                if answer.status_code != status:
                    errors.append(f"{method} {path}: {answer.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{method} {path}: {type(exc).__name__}")
            latencies.append(time.perf_counter() - started)


async def soak(base: str, seconds: float, clients: int) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    await asyncio.gather(*(client(base, until, i, latencies, errors) for i in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300, help="Length of the run (default 300).")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent clients (default 50).")
    parser.add_argument("--port", type=int, default=8102, help="Port of the server on 127.0.0.1.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "store"
        store = OxigraphStore(store_path)
        build(store)
        corpus = Path(os.environ.get("DEFENCE_KG_SHARED", REPO.parent / "shared")) / "corpus"
        if corpus.is_dir():  # the documents, for the document view and the overlap evidence
            load_documents(store, [corpus], max_bytes=20_000_000)
        else:
            ROUTES[:] = [route for route in ROUTES if not route[1].startswith("/views/document/")]
        store.close()
        # the server runs its own Neo4j for /cypher, in a home of this run
        env = {**os.environ, "DEFENCE_KG_STORE_PATH": str(store_path)}
        env["DEFENCE_KG_NEO4J_HOME"] = str(store_path.parent / "neo4j")
        command = [sys.executable, "-m", "defence_kg.cli", "serve", "--host", "127.0.0.1"]
        server = subprocess.Popen(
            [*command, "--port", str(args.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{args.port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/search?q=NATO", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            cypher = {"query": "RETURN 1 AS one"}
            for _ in range(600):  # its Neo4j imports the store and starts (about 30 s)
                if httpx.post(f"{base}/cypher", json=cypher, timeout=10).status_code == 200:
                    break
                time.sleep(0.5)
            process = psutil.Process(server.pid)
            asyncio.run(soak(base, 10, args.clients))  # warm-up: workers started, caches filled
            start_mb = server_rss(process)
            started = time.monotonic()
            latencies, errors = asyncio.run(soak(base, args.seconds, args.clients))
            elapsed = time.monotonic() - started
            end_mb = server_rss(process)
        finally:
            server.terminate()
            server.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100)
    growth = end_mb - start_mb
    print(f"soak: {args.clients} clients, {elapsed:.0f} s, {len(ROUTES)} routes in turn, 127.0.0.1")
    print(f"  requests  {len(latencies):,} ({len(latencies) / elapsed:.1f}/s)")
    print(f"  errors    {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(
        f"  latency   p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"  memory    server and workers {start_mb:.0f} MB at start, "
        f"{end_mb:.0f} MB at end ({growth:+.0f} MB)"
    )
    verdict = "within" if growth <= GROWTH_BOUND_MB else "BEYOND"
    print(f"  growth    {verdict} the bound of {GROWTH_BOUND_MB} MB")
    sys.exit(0 if not errors and growth <= GROWTH_BOUND_MB else 1)


if __name__ == "__main__":
    main()
