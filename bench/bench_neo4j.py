"""Neo4j sync benchmark: one million N-Triples into Neo4j, the project's bulk path (CSV files and
`neo4j-admin database import full` into a database whose server is down, then the server's start
and the constraints, as the managed Neo4j of `defence-kg serve` does) and its transactional path
(`Neo4jStore`, for remote servers) against rdflib-neo4j (Neo4j Labs, batching on, its default
5,000 per batch).

    make bench-neo4j      # or: .venv/bin/python bench/bench_neo4j.py [--triples N] [--uri bolt://...]

rdflib-neo4j runs twice: as `pip install rdflib-neo4j` gives it (the driver's pure-Python
PackStream; run in a subprocess that hides the driver's Rust extension) and with the same Rust
extension (`neo4j-rust-ext`) the project depends on, for a like-for-like figure.

Without --uri a Neo4j 5.26 is started from neo4j/ (Maven) on a free port, with the settings of
`graph/store/neo4j_server.py`. Both loaders first load and delete a small warm-up file (so neither pays
for the JVM's warm-up alone), then each starts from an empty database with the `:Resource(uri)`
constraint and is timed in --repeat rounds (default 2, the order of the tools reversed in
every other round, best run of each counted), from the file to the last commit (parsing
included: pyoxigraph for the project, rdflib for rdflib-neo4j).

The bulk path runs on the warm-up file first too, which also makes the JVM's class-data-sharing
archives of the import and the server once (as the first run after `make neo4j-build` does), and
then into a fresh home of its own each time. Its parts are printed: parse (pyoxigraph parses the
file and writes each named graph's N-Triples in Rust), files (the CSV files), import
(`neo4j-admin`), server start (a fresh home: its system database is created too) and constraints
(the uniqueness constraints the import cannot write; they index 205,790 nodes). The total holds
all five: without the server's start and the constraints a bulk sync is not done. It runs twice:
into a fresh home (the first start of the managed Neo4j on a machine) and into a home a server
ran in before (every later start with an outdated database: the system database is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_load import GRAPH, generate

WARM_UP = 100_000


def run_project(source: Path, uri: str) -> dict[str, float]:
    import pyoxigraph as ox

    from defence_kg.graph.store.neo4j_store import Neo4jStore

    store = Neo4jStore(uri=uri)
    store.clear()
    store.setup()
    start = time.perf_counter()
    triples = list(ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES))
    quads = store.replace_graph(GRAPH, triples, "bench")
    store.derive_memberships()
    seconds = time.perf_counter() - start
    stored = store.count(GRAPH)  # not timed: every triple is there, once
    store.close()
    if stored != len(triples):
        raise SystemExit(f"the project stored {stored} triples of {len(triples)}")
    return {"seconds": seconds, "triples": quads}


def run_bulk(source: Path, uri: str, home: Path | None = None) -> dict[str, float]:
    """Parse, write the import files, import, start a server on the result, create the constraints
    (as the managed Neo4j does after its start); each part timed, all of them in the total.

    Into a fresh home unless `home` is given: a home a server ran in before keeps its system
    database, as `var/neo4j` does for every `defence-kg serve` after the first one."""
    import pyoxigraph as ox

    from defence_kg.graph.store.neo4j_import import bulk_import
    from defence_kg.graph.store.neo4j_server import Neo4jServer
    from defence_kg.graph.store.neo4j_store import Neo4jStore

    del uri  # the bulk path writes a database of its own, its server down
    with tempfile.TemporaryDirectory() as fresh:
        server = Neo4jServer(home=home or Path(fresh))
        server.configure()
        start = time.perf_counter()
        triples = ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES)  # parsed as read
        report = bulk_import({GRAPH: triples}, server.home)
        started = time.perf_counter()
        server.start()
        up = time.perf_counter() - started
        store = Neo4jStore(uri=server.uri)
        started = time.perf_counter()
        store.setup()
        constraints = time.perf_counter() - started
        seconds = time.perf_counter() - start
        stored = store.count(GRAPH)  # not timed: every triple is there, once
        store.close()
        server.stop()
    expected = sum(1 for line in source.open("rb") if line.strip())
    if stored != expected or report.quads != expected:
        raise SystemExit(f"the bulk path stored {stored} triples of {expected}")
    parts = {
        "parse": report.seconds["read"],
        "files": report.seconds["files"],
        "import": report.seconds["import"],
        "server start": up,
        "constraints": constraints,
    }
    print("  bulk parts: " + ", ".join(f"{k} {v:.1f} s" for k, v in parts.items()), flush=True)
    return {"seconds": seconds, "triples": report.quads, **{f"{k} s": v for k, v in parts.items()}}


def run_rdflib_neo4j(source: Path, uri: str) -> dict[str, float]:
    from neo4j import GraphDatabase
    from rdflib import Graph
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig  # type: ignore[import-untyped]

    from defence_kg.graph.store.neo4j_store import Neo4jStore as Ours
    from defence_kg.graph.store.property_graph import KNOWN_PREFIXES

    Ours(uri=uri).clear()
    driver = GraphDatabase.driver(uri, auth=None)
    driver.execute_query(
        "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE"
    )
    config = Neo4jStoreConfig(
        custom_prefixes={
            p: ns for p, ns in KNOWN_PREFIXES.items() if p not in ("rdf", "rdfs", "owl", "skos", "xsd")
        },
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.SHORTEN,
        batching=True,
        batch_size=5000,
    )
    start = time.perf_counter()
    graph = Graph(store=Neo4jStore(config=config, neo4j_driver=driver))
    graph.open(None)
    graph.parse(source, format="nt")
    graph.close(True)
    seconds = time.perf_counter() - start
    count = driver.execute_query("MATCH (n:Resource) RETURN count(n) AS n").records[0]["n"]
    driver.close()
    return {"seconds": seconds, "nodes": count}


def cpu_seconds(pid: int | None) -> float:
    """User plus system CPU seconds a process has used so far (0 when unknown)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rust_packer() -> bool:
    """Whether the driver packs with its Rust extension (neo4j-rust-ext)."""
    from neo4j._codec.packstream import v1

    return v1._rust_pack is not None


def run_plain_rdflib_neo4j(source: Path, uri: str) -> dict[str, float]:
    """rdflib-neo4j with the pure-Python driver, in a subprocess that hides the Rust extension."""
    out = subprocess.run(
        [sys.executable, __file__, "--plain-rdflib-neo4j", str(source), "--uri", uri],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--uri", help="An empty, disposable Neo4j (it is cleared!); default: start one.")
    parser.add_argument("--repeat", type=int, default=2, help="Rounds; the best of each tool counts.")
    parser.add_argument("--plain-rdflib-neo4j", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_rdflib_neo4j:  # the subprocess of run_plain_rdflib_neo4j
        sys.modules["neo4j._rust"] = None  # type: ignore[assignment]  # as if neo4j-rust-ext were absent
        if rust_packer():
            raise SystemExit("could not hide the driver's Rust extension")
        print(json.dumps(run_rdflib_neo4j(args.plain_rdflib_neo4j, args.uri)))
        return
    print(f"driver packs with its Rust extension: {rust_packer()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.nt"
        generate(source, args.triples)
        server = None
        if args.uri is None:
            from defence_kg.graph.store.neo4j_server import Neo4jServer

            server = Neo4jServer().start()
        uri = args.uri or server.uri  # type: ignore[union-attr]
        try:
            warm_up = Path(tmp) / "warm-up.nt"
            generate(warm_up, WARM_UP)
            run_project(warm_up, uri)
            run_rdflib_neo4j(warm_up, uri)
            run_bulk(warm_up, uri)  # and the JVM's class archives of the bulk path, made once
            reused = Path(tmp) / "reused-home"
            run_bulk(warm_up, uri, reused)  # its system database, made once

            def run_bulk_reused(source: Path, uri: str) -> dict[str, float]:
                return run_bulk(source, uri, reused)

            results = {}
            runs = (
                ("project (bulk)", run_bulk),
                ("project (bulk, home reused)", run_bulk_reused),
                ("project (transactional)", run_project),
                ("rdflib-neo4j (Rust packer)", run_rdflib_neo4j),
                ("rdflib-neo4j (as installed)", run_plain_rdflib_neo4j),
            )
            pid = server.process.pid if server is not None and server.process else None
            for round_ in range(1, args.repeat + 1):  # rounds alternate the order of the tools
                for name, run in runs if round_ % 2 else runs[::-1]:
                    before = cpu_seconds(pid)
                    result = run(source, uri)
                    result["neo4j_cpu_seconds"] = cpu_seconds(pid) - before
                    result["triples_per_second"] = args.triples / result["seconds"]
                    print(
                        f"round {round_} {name:28} {result['seconds']:8.1f} s "
                        f"{result['triples_per_second']:10,.0f} triples/s"
                        f"  (Neo4j server CPU {result['neo4j_cpu_seconds']:.1f} s)",
                        flush=True,
                    )
                    if name not in results or result["seconds"] < results[name]["seconds"]:
                        results[name] = result
        finally:
            if server is not None:
                server.stop()
    for name in ("rdflib-neo4j (as installed)", "rdflib-neo4j (Rust packer)"):
        for path in ("project (bulk)", "project (bulk, home reused)", "project (transactional)"):
            ratio = results[name]["seconds"] / results[path]["seconds"]
            goal = " (goal: at least 5x)" if "bulk" in path else ""
            print(f"best of {args.repeat}: {path} is {ratio:.1f}x {name}{goal}")
        # rdflib-neo4j writes into a server already up; the bulk path's server start is paid by
        # any start of the managed Neo4j, synced or not: its ratio without it, beside the total
        for path in ("project (bulk)", "project (bulk, home reused)"):
            bulk = results[path]
            ratio = results[name]["seconds"] / (bulk["seconds"] - bulk["server start s"])
            print(f"best of {args.repeat}: {path} without its server start is {ratio:.1f}x {name}")
    print(f"load average (1, 5, 15 min) after the run: {os.getloadavg()}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
