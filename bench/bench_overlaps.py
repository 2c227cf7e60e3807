"""All-pairs overlap: the real graph, and synthetic graphs of up to 10,000 initiatives and 200 states.

    make bench-overlaps      # or: .venv/bin/python bench/bench_overlaps.py [--sizes 2500,5000,10000]

Real graph: the bundled data built in memory with the corpus loaded; the time to read what the
scores need from the store, to score every pair, and to assess every non-zero pair in full
(median of 5 runs). Synthetic: initiatives drawn with a fixed seed (2 to 5 members from one of 40
regional clusters of 5 states, sometimes one state from elsewhere; 1 or 2 of 100 domains; a family;
one claim per 100 initiatives). For each size: time and peak memory (tracemalloc) of scoring all
pairs through the inverted indexes, the number of non-zero pairs, and the ratio against the naive
alternative (every pair of entities compared with set intersections), timed on a sample of pairs
and extrapolated to all n(n-1)/2 of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from defence_kg.graph.analysis.overlap_index import Candidate, Claim, OverlapData, read_overlap_data
from defence_kg.graph.analysis.overlaps import (
    LINES,
    all_overlaps,
    evidence_score,
    function_score,
    institution_score,
    membership_score,
    pair_scores,
    total,
)
from defence_kg.graph.publish import documents as docs
from defence_kg.graph.publish.build import build
from defence_kg.graph.store.oxigraph_store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 1, 1)


def timed(run: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mb(run: Callable[[], Any]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def real_graph(corpus: Path) -> None:
    store = OxigraphStore(None)
    build(store)
    docs.load_documents(store, [corpus], max_bytes=20_000_000)
    read_s, data = timed(lambda: read_overlap_data(store), 5)
    score_s, (scores, _) = timed(lambda: pair_scores(data, DAY), 5)
    full_s, full = timed(lambda: all_overlaps(data, DAY), 5)
    memory = peak_mb(lambda: all_overlaps(read_overlap_data(store), DAY))
    n = len(data.entities)
    print(f"real graph: {n} initiatives, organisations and projects, {n * (n - 1) // 2:,} pairs")
    print(f"  read from the store     {read_s * 1000:8.1f} ms")
    print(f"  score all pairs         {score_s * 1000:8.1f} ms  ({len(scores):,} non-zero pairs)")
    print(f"  assess all in full      {full_s * 1000:8.1f} ms  ({len(full):,} models)")
    print(f"  read + score            {(read_s + score_s) * 1000:8.1f} ms  (goal < 1000 ms)")
    print(f"  peak memory (read + assess all) {memory:.1f} MB")


def synthetic(size: int, states: int = 200, seed: int = 7) -> OverlapData:
    rng = random.Random(seed)
    codes = [f"S{i:03d}" for i in range(states)]
    regions = [codes[i : i + 5] for i in range(0, states, 5)]
    data = OverlapData()
    for i in range(size):
        ident = f"init-{i:05d}"
        data.entities[ident] = Candidate(ident, f"Initiative {i}", "Initiative", rng.choice(LINES))
        region = rng.choice(regions)
        chosen = set(rng.sample(region, rng.randint(2, 5)))
        if rng.random() < 0.2:
            chosen.add(rng.choice(codes))
        data.members[ident] = [(state, "2000-01-01", None) for state in sorted(chosen)]
        data.domains[ident] = {f"d{rng.randrange(100):03d}" for _ in range(rng.randint(1, 2))}
    names = sorted(data.entities)
    for k in range(size // 100):
        a, b = sorted(rng.sample(names, 2))
        data.claims[(a, b)] = [Claim(f"urn:claim:{k}", a, b, "overlap", None, f"src-{k}", None)]
    return data


def naive_pair_seconds(data: OverlapData, sample: int = 20_000, seed: int = 3) -> float:
    """Seconds per pair when every pair is compared directly (set intersections, no index)."""
    rng = random.Random(seed)
    names = sorted(data.entities)
    members = {e: data.members_on(e, DAY) for e in names}
    pairs = [tuple(rng.sample(names, 2)) for _ in range(sample)]
    start = time.perf_counter()
    for a, b in pairs:
        ma, mb, da, db = members[a], members[b], data.domains.get(a, set()), data.domains.get(b, set())
        total(
            {
                "membership": membership_score(len(ma & mb), len(ma), len(mb)),
                "function": function_score(len(da & db), len(da), len(db)),
                "institution": institution_score(data, a, b),
                "evidence": evidence_score(data.claims.get((min(a, b), max(a, b)), [])),
            }
        )
    return (time.perf_counter() - start) / sample


def synthetic_runs(sizes: list[int]) -> None:
    print("\nsynthetic: 200 states; time and peak memory of scoring all pairs through the indexes")
    print(
        f"{'initiatives':>11} {'all pairs':>12} {'non-zero':>10} {'share':>6} {'seconds':>8} "
        f"{'peak MB':>8} {'naive s (est.)':>15} {'ratio':>7}"
    )
    for size in sizes:
        data = synthetic(size)
        seconds, (scores, _) = timed(lambda data=data: pair_scores(data, DAY))
        memory = peak_mb(lambda data=data: pair_scores(data, DAY))
        pairs = size * (size - 1) // 2
        naive = naive_pair_seconds(data) * pairs
        print(
            f"{size:>11,} {pairs:>12,} {len(scores):>10,} {len(scores) / pairs:>6.1%} {seconds:>8.2f} "
            f"{memory:>8.0f} {naive:>15.1f} {naive / seconds:>6.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--sizes", default="2500,5000,10000")
    args = parser.parse_args()
    real_graph(args.corpus)
    synthetic_runs([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
