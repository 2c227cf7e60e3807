"""Service benchmark: /sparql and the REST routes under 32 concurrent clients for 30 s, against
rdflib-endpoint serving the same data; and the overhead of /sparql over a direct pyoxigraph query.

    make bench-service     # or: .venv/bin/python bench/bench_service.py [--seconds 30]

Load comes from wrk (Debian package `wrk`: 2 threads, 32 connections) on 127.0.0.1, cycling
through a fixed mix of requests. Both servers run one uvicorn process; ours also runs its two
query worker processes. Client and servers share this machine's cores.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from defence_kg.graph.answers.sparql_results import serialize_result
from defence_kg.graph.publish.build import build
from defence_kg.graph.store.oxigraph_store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
QUERIES = [
    "SELECT ?code WHERE { ?s <https://w3id.org/defence-kg/ontology#iso2> ?code } ORDER BY ?code",
    (REPO / "graph" / "queries" / "pesco-third-states.rq").read_text(),
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX time: <http://www.w3.org/2006/time#> "
    "SELECT ?m WHERE { ?x org:organization <https://w3id.org/defence-kg/id/nato> ; org:member ?m ;"
    ' org:memberDuring/time:hasBeginning/time:inXSDDate ?d FILTER(?d <= "2022-01-01"^^'
    "<http://www.w3.org/2001/XMLSchema#date>) }",
    "ASK { ?s a <https://w3id.org/defence-kg/ontology#PescoProject> }",
]
REST = [
    "/api/entities/nato/members?at=2022-01-01",
    "/api/search?q=Denmark",
    "/api/entities/DK",
    "/api/entities/pesco/parts",
    "/api/entities/SE/memberships",
]
SMALL = (
    "SELECT ?code WHERE { <https://w3id.org/defence-kg/id/DK> "
    "<https://w3id.org/defence-kg/ontology#iso2> ?code }"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict[str, str], url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO
    )
    for _ in range(600):
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start: {' '.join(command)}")


def wrk(base: str, paths: list[str], seconds: int, folder: Path) -> dict[str, float]:
    script = folder / "mix.lua"
    entries = ", ".join(f'"{p}"' for p in paths)
    script.write_text(
        f"paths = {{{entries}}}\ni = 0\nrequest = function()\n"
        "  i = i % #paths + 1\n  return wrk.format('GET', paths[i], "
        "{['Accept'] = 'application/sparql-results+json'})\nend\n"
    )
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(bad.group(1)) if bad else 0

    def pct(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": rate, "requests": total, "errors": errors, "p50": pct("50"), "p99": pct("99")}


def _lean_get(connection: http.client.HTTPConnection, path: str) -> None:
    """One GET on a kept-alive connection with the standard library's client (little overhead of
    its own, unlike httpx, whose per-request cost would hide the server's)."""
    connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")


def overhead(base: str, store: OxigraphStore, runs: int = 500) -> dict[str, float]:
    """Median milliseconds of a small SELECT: direct pyoxigraph (query and JSON), and over HTTP
    with a fresh query each time (worker process, no cache) and with the same query (cache hit),
    from a lean keep-alive client and from httpx."""
    direct = []
    for _ in range(runs):
        start_time = time.perf_counter()
        serialize_result(
            store.raw_store.query(SMALL, use_default_graph_as_union=True),
            "application/sparql-results+json",
            10_000,
        )
        direct.append(time.perf_counter() - start_time)
    timings: dict[str, list[float]] = {"direct": direct}
    port = int(base.rsplit(":", 1)[1])
    lean = http.client.HTTPConnection("127.0.0.1", port)
    with httpx.Client() as client:
        clients = {
            "lean": lambda path: _lean_get(lean, path),
            "httpx": lambda path: client.get(base + path).raise_for_status(),
        }
        for name, get in clients.items():
            for kind, tag in (("fresh", name), ("cached", None)):
                values = timings[f"{name} {kind}"] = []
                for index in range(runs):
                    text = f"{SMALL} # {tag} {index}" if tag else SMALL
                    path = f"/sparql?query={quote(text)}"
                    start_time = time.perf_counter()
                    get(path)
                    values.append(time.perf_counter() - start_time)
    lean.close()
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = OxigraphStore(folder / "store")
        build(store)
        export = folder / "export.nq"
        with export.open("wb") as handle:
            store.export(handle, "nq")
        sparql_paths = [f"/sparql?query={quote(q)}" for q in QUERIES]
        results = {}
        for label, cache in (("", "2048"), (" (no cache)", "0")):
            port = free_port()
            ours = start(
                [sys.executable, "-m", "defence_kg.cli", "serve", "--port", str(port)],
                {"DEFENCE_KG_STORE_PATH": str(folder / "store"), "DEFENCE_KG_CACHE_SIZE": cache},
                f"http://127.0.0.1:{port}/",
            )
            try:
                base = f"http://127.0.0.1:{port}"
                for path in sparql_paths + REST:  # warm up and check every request answers
                    assert httpx.get(base + path, timeout=30).status_code == 200
                results[f"defence-kg /sparql{label}"] = wrk(base, sparql_paths, args.seconds, folder)
                results[f"defence-kg REST{label}"] = wrk(base, REST, args.seconds, folder)
                if not label:
                    timings = overhead(base, store)
            finally:
                ours.terminate()
                ours.wait(timeout=30)
        theirs_port = free_port()
        theirs = start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.rdflib_endpoint_app:app",
                "--port",
                str(theirs_port),
                "--log-level",
                "warning",
            ],
            {"DATA": str(export)},
            f"http://127.0.0.1:{theirs_port}/sparql?query={quote('ASK {}')}",
        )
        try:
            base = f"http://127.0.0.1:{theirs_port}"
            for path in sparql_paths:
                assert httpx.get(base + path, timeout=120).status_code == 200, path
            results["rdflib-endpoint /sparql"] = wrk(base, sparql_paths, args.seconds, folder)
        finally:
            theirs.terminate()
            theirs.wait(timeout=30)
    print(f"32 connections, {args.seconds} s each, 127.0.0.1")
    print(f"{'server':<36}{'req/s':>9}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for name, r in results.items():
        print(
            f"{name:<36}{r['rps']:>9.1f}{r['requests']:>10}{r['errors']:>8}{r['p50']:>9.2f}{r['p99']:>9.2f}"
        )
    theirs_rps = results["rdflib-endpoint /sparql"]["rps"]
    for label in ("", " (no cache)"):
        ratio = results[f"defence-kg /sparql{label}"]["rps"] / theirs_rps
        print(f"/sparql throughput defence-kg{label} / rdflib-endpoint: {ratio:.1f}x (goal >= 3x)")
    print(f"small SELECT, median of 500: direct pyoxigraph {timings['direct']:.3f} ms")
    for name in ("lean", "httpx"):
        fresh, cached = timings[f"{name} fresh"], timings[f"{name} cached"]
        print(
            f"  over HTTP ({name} client): {fresh:.3f} ms for a new query (overhead "
            f"{fresh - timings['direct']:.3f} ms, goal < 2 ms), {cached:.3f} ms from the cache"
        )


if __name__ == "__main__":
    main()
