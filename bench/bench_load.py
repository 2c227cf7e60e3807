"""Loading benchmark: one million N-Triples through the project's loader, raw pyoxigraph
bulk_load (both on disk, as deployed, and in memory) and rdflib's default in-memory store.

    make bench            # or: .venv/bin/python bench/bench_load.py [--triples N]

Each loader runs in its own process (so peak memory is its own); times are wall-clock seconds
of the load call alone, best of --repeat runs. Goals: project <= 1.3x raw pyoxigraph, rdflib
>= 5x slower than the project.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRAPH = "https://w3id.org/defence-kg/graph/bench"
KINDS = ("pyoxigraph", "project", "pyoxigraph-memory", "project-memory", "rdflib")
BASE = "https://w3id.org/defence-kg/id/"
P = "https://w3id.org/defence-kg/ontology#"


def generate(path: Path, triples: int) -> None:
    """A deterministic file shaped like the graph: entities, labels, memberships with dates."""
    lines = []
    per_membership = 5
    for i in range(triples // per_membership):
        m = f"<{BASE}membership/{i}>"
        lines.append(f"{m} <http://www.w3.org/ns/org#member> <{BASE}s{i % 5000}> .")
        lines.append(f"{m} <http://www.w3.org/ns/org#organization> <{BASE}o{i % 700}> .")
        lines.append(
            f'{m} <{P}from> "{2000 + i % 25}-0{1 + i % 9}-1{i % 9}"'
            f"^^<http://www.w3.org/2001/XMLSchema#date> ."
        )
        lines.append(f'{m} <http://www.w3.org/2004/02/skos/core#prefLabel> "Membership {i}"@en .')
        lines.append(f"{m} <http://www.w3.org/ns/prov#wasDerivedFrom> <{BASE}source/{i % 90}> .")
    path.write_text("\n".join(lines) + "\n")


def run_one(kind: str, source: Path, workdir: Path) -> dict[str, float]:
    if kind.startswith("project"):
        from defence_kg.graph.store.oxigraph_store import OxigraphStore

        store = OxigraphStore(None if kind.endswith("memory") else workdir / "project")
        start = time.perf_counter()
        count = store.load_file(source, GRAPH)
    elif kind.startswith("pyoxigraph"):
        import pyoxigraph as ox

        store = ox.Store() if kind.endswith("memory") else ox.Store(str(workdir / "raw"))
        start = time.perf_counter()
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
        store.flush()
        count = len(store)
    elif kind == "rdflib":
        from rdflib import Graph

        start = time.perf_counter()
        graph = Graph().parse(source, format="nt")
        count = len(graph)
    else:
        raise SystemExit(f"unknown loader {kind}")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "triples": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=3, metavar=("KIND", "FILE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, source, workdir = args.one
        print(json.dumps(run_one(kind, Path(source), Path(workdir))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.nt"
        generate(source, args.triples)
        size = source.stat().st_size / 1e6
        print(f"{args.triples:,} triples, {size:.0f} MB of N-Triples; best of {args.repeat}")
        results: dict[str, dict[str, float]] = {}
        for kind in KINDS:
            runs = []
            for attempt in range(args.repeat if kind != "rdflib" else 1):
                workdir = Path(tmp) / f"{kind}-{attempt}"
                workdir.mkdir()
                out = subprocess.run(
                    [sys.executable, __file__, "--one", kind, str(source), str(workdir)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                runs.append(json.loads(out.stdout))
            results[kind] = min(runs, key=lambda r: r["seconds"])
        print(f"{'loader':<20}{'seconds':>10}{'triples/s':>14}{'peak MB':>10}")
        for kind, r in results.items():
            rate = args.triples / r["seconds"]
            print(f"{kind:<20}{r['seconds']:>10.2f}{rate:>14,.0f}{r['peak_mb']:>10.0f}")
        t = {k: r["seconds"] for k, r in results.items()}
        print("ratios (goal: project <= 1.3x raw pyoxigraph; rdflib >= 5x project)")
        print(
            f"  on disk:   project / pyoxigraph = {t['project'] / t['pyoxigraph']:.2f}x, "
            f"rdflib / project = {t['rdflib'] / t['project']:.1f}x"
        )
        print(
            f"  in memory: project / pyoxigraph = "
            f"{t['project-memory'] / t['pyoxigraph-memory']:.2f}x, "
            f"rdflib / project = {t['rdflib'] / t['project-memory']:.1f}x"
        )


if __name__ == "__main__":
    main()
