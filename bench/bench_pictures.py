"""The membership matrix (40 states by 150 columns) and a timeline of 100 bars in headless Chromium:
time until interactive, time of a sort and a filter, HTML size.

Both pages are generated (membership cells at random, half of them filled, a tenth only from
documents, two sources each; bars over 1950-2026), written as the self-contained export
(`defence-kg view matrix|timeline -o`) to bench/out/ and opened from disk in a fresh headless
Chromium, best of `--repeat` loads. "Interactive" is the page's script done and the next frame
drawn (`dkgPicture.readyAt`, from navigation start); a sort or filter is timed from the call to
the next frame after it. The real matrix (bundled graph, today) and NATO timeline are timed too.

    python bench/bench_pictures.py [--states 40] [--columns 150] [--bars 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from defence_kg.api.picture_page import render_matrix, render_timeline  # noqa: E402
from defence_kg.graph import picture_data as pd  # noqa: E402
from defence_kg.graph.publish.build import build  # noqa: E402
from defence_kg.graph.store.oxigraph_store import OxigraphStore  # noqa: E402
from tests.views.browser import chromium  # noqa: E402

OUT = REPO / "bench" / "out"
FAMILIES = ["EU", "NATO", "ad hoc", "multinational"]
ROLES = ["member", "participant", "coordinator", "observer", "third_state_participant"]


def _sources(rng: random.Random, document: bool) -> list[dict[str, object]]:
    basis = "document" if document else "reference"
    return [
        {
            "id": f"source-{rng.randint(1, 400)}",
            "title": f"Council Decision {rng.randint(1, 999)}",
            "basis": basis,
        }
        for _ in range(2)
    ]


def generated_matrix(states: int, columns: int, seed: int = 7) -> pd.Matrix:
    rng = random.Random(seed)
    cols = [
        pd.Column(f"col-{i}", f"Generated project {i}", "Project", FAMILIES[i % 4], f"GP{i}")
        for i in range(columns)
    ]
    rows = [
        {"id": f"S{i}", "label": f"State {i:02d}", "iso2": f"S{i}", "family": "third state", "count": 0}
        for i in range(states)
    ]
    cells = []
    for row in rows:
        for col in cols:
            if rng.random() < 0.5:
                document = rng.random() < 0.1
                role = rng.choice(ROLES)
                basis = "document" if document else "reference"
                start = f"{rng.randint(1990, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                line = {"role": role, "from": start, "to": None, "basis": basis, "confidence": None}
                line["sources"] = _sources(rng, document)
                cells.append(pd.Cell(row["id"], col.id, [role], basis, [line]))
                row["count"] += 1
                col.count += 1
    day = dt.date(2024, 6, 1)
    return pd.Matrix(day, rows, cols, cells, FAMILIES, ROLES, {"at": day.isoformat()}, "Generated matrix")


def generated_timeline(bars: int, seed: int = 7) -> pd.Timeline:
    rng = random.Random(seed)
    items = []
    for i in range(bars):
        start = dt.date(rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        end = None
        if rng.random() < 0.2:
            end = dt.date(int(start[:4]) + rng.randint(1, 2), rng.randint(1, 12), 1).isoformat()
        document = rng.random() < 0.1
        basis = "document" if document else "reference"
        items.append(
            pd.Bar(
                f"S{i}",
                f"State {i:03d}",
                "State",
                rng.choice(ROLES),
                start,
                end,
                start,
                end,
                basis,
                _sources(rng, document),
            )
        )
    items.sort(key=lambda b: b.start or "")
    marks = [{"date": b.start or "", "label": f"{b.label} joins", "kind": "accession"} for b in items]
    marks += [{"date": f"{2017 + w}-11-15", "label": f"wave {w}", "kind": "wave"} for w in range(1, 6)]
    entity = {"id": "generated", "label": "Generated organisation", "type": "Organisation"}
    return pd.Timeline(entity, items, [], marks, "1950-01-01", "2026-12-31", "Generated timeline")


READY = "return window.dkgPicture && dkgPicture.ready && dkgPicture.readyAt"
# Run an interaction, then resolve at the next frame: the time the user waits for the new picture.
INTERACT = """const done = arguments[arguments.length - 1], t0 = performance.now();
(new Function(arguments[0]))();
requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));"""


def load(driver, path: Path, timeout: float = 60) -> float:
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(READY)
        if value:
            return float(value) / 1000
        time.sleep(0.01)
    raise TimeoutError(f"{path.name} was not interactive in {timeout} s")


def interact(driver, code: str) -> float:
    return float(driver.execute_async_script(INTERACT, code)) / 1000


def measure(driver, path: Path, actions: dict[str, str], repeat: int) -> dict[str, float]:
    """Best of `repeat` fresh loads: seconds to interactive and for each action."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        times = {"interactive": load(driver, path)}
        for name, code in actions.items():
            times[name] = interact(driver, code)
        for name, value in times.items():
            best[name] = min(best.get(name, value), value)
    return best


MATRIX_ACTIONS = {
    "sort states by count": "dkgPicture.sortRows('count')",
    "sort states by a column": "dkgPicture.sortRows('column', 'col-3')",
    "sort columns by count": "dkgPicture.sortColumns('count'); dkgPicture.refilter()",
    "filter out a family": "document.querySelector('input[name=family]').click()",
}
REAL_MATRIX_ACTIONS = {
    "sort states by count": "dkgPicture.sortRows('count')",
    "sort states by NATO": "dkgPicture.sortRows('column', 'nato')",
}
TIMELINE_ACTIONS = {
    "sort bars by name": "dkgPicture.sortBars('label')",
    "sort bars by end": "dkgPicture.sortBars('end')",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=40)
    parser.add_argument("--columns", type=int, default=150)
    parser.add_argument("--bars", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    store = OxigraphStore(None)
    build(store)
    started = time.perf_counter()
    real_matrix = pd.matrix(store)
    real_timeline = pd.timeline(store, "nato")
    real_s = time.perf_counter() - started
    big = generated_matrix(args.states, args.columns)
    long = generated_timeline(args.bars)
    started = time.perf_counter()
    pages = {
        "matrix": render_matrix(big, inline=True),
        "timeline": render_timeline(long, inline=True),
    }
    render_s = time.perf_counter() - started
    pages["real matrix"] = render_matrix(real_matrix, inline=True)
    pages["real NATO timeline"] = render_timeline(real_timeline, inline=True)
    paths = {}
    for name, html in pages.items():
        paths[name] = OUT / f"pictures-{name.replace(' ', '-')}.html"
        paths[name].write_text(html, encoding="utf-8")
    with chromium() as driver:
        results = {
            "matrix": measure(driver, paths["matrix"], MATRIX_ACTIONS, args.repeat),
            "timeline": measure(driver, paths["timeline"], TIMELINE_ACTIONS, args.repeat),
            "real matrix": measure(driver, paths["real matrix"], REAL_MATRIX_ACTIONS, args.repeat),
            "real NATO timeline": measure(driver, paths["real NATO timeline"], TIMELINE_ACTIONS, args.repeat),
        }
    print(
        f"matrix: {len(big.states)} states x {len(big.columns)} columns, {len(big.cells)} filled cells; "
        f"timeline: {len(long.bars)} bars; both rendered in {render_s:.2f} s on the server"
    )
    print(
        f"real graph: matrix {len(real_matrix.states)} x {len(real_matrix.columns)}"
        f" ({len(real_matrix.cells)} cells), "
        f"NATO timeline {len(real_timeline.bars)} bars; read and built in {real_s:.2f} s"
    )
    print(f"{'page':<22} {'step':<26} {'seconds':>8} {'MB':>6}")
    for name, times in results.items():
        size = paths[name].stat().st_size / 1e6
        for step, seconds in times.items():
            print(f"{name:<22} {step:<26} {seconds:>8.3f} {size if step == 'interactive' else '':>6}")
    slowest = max(results["matrix"]["interactive"], results["timeline"]["interactive"])
    print(f"goal: interactive in under 1 s ({'met' if slowest < 1 else 'NOT met'}: slowest {slowest:.2f} s)")


if __name__ == "__main__":
    main()
