"""Extraction quality and speed on the five corpus documents against tests/gold/.

    make bench-extraction     # or: .venv/bin/python bench/bench_extraction.py [--corpus DIR]

Quality: precision, recall and F1 per relation type. A statement matches a gold one when type,
subject and object agree (either order for the symmetric overlap, duplication,
complementarity and cooperation claims; for counts, subject and value). Speed: KB of text per
second on one core, over the corpus repeated until at least 2 MB have been processed.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import yaml

from defence_kg.graph.build import build
from defence_kg.graph.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.gazetteer import build_gazetteer
from defence_kg.loaders.documents.models import RawDocument
from defence_kg.loaders.documents.pipeline import extract_file, process

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold"
SYMMETRIC = {"overlap", "duplication", "complementarity", "cooperation"}
OVERLAP_FAMILY = {"overlap", "duplication", "complementarity"}
GOALS = {"membership": (0.9, 0.75), "participation": (0.9, 0.75), "overlap claims": (0.9, 0.75)}


def key(kind: str, subject: str, obj: str, value: float | None) -> tuple:
    if kind == "count":
        return (kind, subject, float(value or 0))
    if kind in SYMMETRIC:
        return (kind, *sorted((subject, obj)))
    return (kind, subject, obj)


def gold_keys(document: str) -> set[tuple]:
    data = yaml.safe_load((GOLD / f"{Path(document).stem}.yaml").read_text())
    return {key(s["type"], str(s["subject"]), str(s["object"]), s.get("value")) for s in data["statements"]}


def score(predicted: set[tuple], gold: set[tuple]) -> dict[str, tuple[int, int, int]]:
    """Per type (and the overlap-claim family): true positives, predicted, gold."""
    out: dict[str, tuple[int, int, int]] = {}
    types = {k[0] for k in predicted | gold}

    def tally(name: str, selected: set[str]) -> None:
        p = {k for k in predicted if k[0] in selected}
        g = {k for k in gold if k[0] in selected}
        out[name] = (len(p & g), len(p), len(g))

    for kind in sorted(types):
        tally(kind, {kind})
    tally("overlap claims", OVERLAP_FAMILY)
    tally("all", types)
    return out


def evaluate(corpus: Path, store: OxigraphStore) -> tuple[dict[str, tuple[int, int, int]], dict]:
    gazetteer = build_gazetteer(store)
    totals: Counter = Counter()
    per_doc = {}
    predicted_all: set[tuple] = set()
    gold_all: set[tuple] = set()
    for path in sorted(corpus.glob("*.txt")):
        extraction = extract_file(path, gazetteer, max_bytes=10**8)
        predicted = {(path.stem, *key(r.type, r.subject, r.object, r.value)) for r in extraction.relations}
        gold = {(path.stem, *k) for k in gold_keys(path.name)}
        predicted_all |= predicted
        gold_all |= gold
        per_doc[path.name] = (len(predicted & gold), len(predicted), len(gold))
    # drop the document name again for per-type tallies, keeping pairs distinct per document
    strip = lambda keys: {(k[1], *k) for k in keys}  # noqa: E731 - type first, then the rest
    results = score(strip(predicted_all), strip(gold_all))
    del totals
    return results, per_doc


def throughput(corpus: Path, store: OxigraphStore, minimum: int = 2_000_000) -> float:
    gazetteer = build_gazetteer(store)
    texts = [p.read_text() for p in sorted(corpus.glob("*.txt"))]
    done, start = 0, time.perf_counter()
    while done < minimum:
        for index, text in enumerate(texts):
            doc = RawDocument(id=f"d{index}", path="mem", media_type="text/plain", text=text, sha256="0")
            process(doc, gazetteer)
            done += len(text.encode())
    return done / 1024 / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    store = OxigraphStore(None)
    build(store)
    results, per_doc = evaluate(args.corpus, store)
    print(f"{'relation':<18}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'pred':>6}{'gold':>6}  goal")
    for name, (tp, predicted, gold) in results.items():
        p = tp / predicted if predicted else 0.0
        r = tp / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        goal = GOALS.get(name)
        verdict = (
            ""
            if goal is None
            else (f"  P>={goal[0]} R>={goal[1]}: " + ("met" if p >= goal[0] and r >= goal[1] else "NOT met"))
        )
        print(f"{name:<18}{p:>10.2f}{r:>8.2f}{f1:>7.2f}{tp:>5}{predicted:>6}{gold:>6}{verdict}")
    print(
        "per document (tp/predicted/gold):",
        ", ".join(f"{k}: {v[0]}/{v[1]}/{v[2]}" for k, v in per_doc.items()),
    )
    print(f"throughput: {throughput(args.corpus, store):,.0f} KB/s on one core (goal >= 200)")


if __name__ == "__main__":
    main()
