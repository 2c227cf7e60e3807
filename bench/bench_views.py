"""A 2,000-node membership view in headless Chromium: time until drawn and interactive, HTML size.

The real membership map (states and what they belong to, ~100 nodes) is topped up with generated
projects, each with three to eight of the real states taking part, to 2,000 nodes. Each page is
written as the self-contained export (`defence-kg view -o`) to bench/out/ and opened from disk in
a fresh headless Chromium (Debian's, outside hosts unresolvable), best of `--repeat` loads:

- project: our page (pyvis network, own template; over 500 nodes: shell layout, physics off,
  projects clustered by family), timed to vis-network's first `afterDrawing`;
- pyvis default: the same pyvis network written by pyvis's own `generate_html` (in-line assets,
  its default physics), timed to the end of stabilisation (its loading bar at 100%);
- also the real map alone (physics on, it settles and stops), timed to drawn and to stabilised.

    python bench/bench_views.py [--nodes 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pyvis.options import Options  # noqa: E402

from defence_kg.api.view_page import network, render  # noqa: E402
from defence_kg.graph.analysis.view_data import View, ViewEdge, ViewNode, membership_view  # noqa: E402
from defence_kg.graph.publish.build import build  # noqa: E402
from defence_kg.graph.store.oxigraph_store import OxigraphStore  # noqa: E402
from tests.views.browser import chromium  # noqa: E402

OUT = REPO / "bench" / "out"
PYVIS_LIMIT = 100
FAMILIES = ["EU", "NATO", "ad hoc", "multinational"]


def topped_up(view: View, total: int) -> View:
    """The real view plus generated projects until it has `total` nodes."""
    rng = random.Random(7)
    states = [n.id for n in view.nodes if n.type == "State"]
    nodes, edges = list(view.nodes), list(view.edges)
    for number in range(max(0, total - len(nodes))):
        ident = f"generated-{number}"
        nodes.append(ViewNode(ident, f"Generated project {number}", "Project", FAMILIES[number % 4]))
        for state in rng.sample(states, rng.randint(3, 8)):
            edges.append(ViewEdge(state, ident, "participant", "membership", start="2020-01-01"))
    return View("membership", f"Membership map with generated projects ({len(nodes)} nodes)", nodes, edges)


def time_page(driver, path: Path, ready: str, timeout: float = 120) -> float:
    """Seconds from navigation start until the JS condition `ready` (which returns a time) holds."""
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(ready)
        if value:
            return float(value) / 1000
        time.sleep(0.02)
    raise TimeoutError(f"{path.name} was not ready in {timeout} s")


OURS_DRAWN = "return window.dkgView && dkgView.drawn && dkgView.drawnAt"
OURS_SETTLED = "return window.dkgView && dkgView.drawn && dkgView.stabilized && performance.now()"
PYVIS_SETTLED = (
    "var t = document.getElementById('text');"
    " return typeof network !== 'undefined' && t && t.innerHTML === '100%' && performance.now()"
)


def best(driver, path: Path, ready: str, repeat: int) -> float:
    return min(time_page(driver, path, ready) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pyvis-limit", type=float, default=PYVIS_LIMIT, help="seconds to wait for pyvis")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    store = OxigraphStore(None)
    build(store)
    real = membership_view(store)
    big = topped_up(real, args.nodes)

    started = time.perf_counter()
    ours_html = render(big, inline=True)
    render_s = time.perf_counter() - started
    served_html = render(big, inline=False)
    pages = {
        "ours": OUT / "views-ours.html",
        "pyvis": OUT / "views-pyvis-default.html",
        "real": OUT / "views-real.html",
    }
    pages["ours"].write_text(ours_html, encoding="utf-8")
    pages["real"].write_text(render(real, inline=True), encoding="utf-8")
    default = network(big)
    default.options = Options(None)  # pyvis's own defaults: physics on
    default.cdn_resources = "in_line"
    default.write_html(str(pages["pyvis"]))

    with chromium() as driver:
        ours = best(driver, pages["ours"], OURS_DRAWN, args.repeat)
        clusters = driver.execute_script("return dkgView.clusters")
        shown = driver.execute_script("return dkgView.nodeView.length")
        real_drawn = best(driver, pages["real"], OURS_DRAWN, args.repeat)
        real_settled = best(driver, pages["real"], OURS_SETTLED, args.repeat)
    with chromium() as driver:  # its own browser: its stabilisation blocks the page's thread
        driver.set_page_load_timeout(args.pyvis_limit)
        try:
            pyvis: float | None = time_page(driver, pages["pyvis"], PYVIS_SETTLED, args.pyvis_limit)
        except Exception:  # the page or the driver gave up waiting: report the limit
            pyvis = None

    mb = {name: path.stat().st_size / 1e6 for name, path in pages.items()}
    print(
        f"view: {len(big.nodes)} nodes, {len(big.edges)} links ({len(real.nodes)} real nodes); "
        f"{shown} nodes in the page's data, {clusters} project clusters; rendered in {render_s:.2f} s"
    )
    print(f"{'page':<44} {'seconds':>8} {'MB':>6}")
    print(f"{'project export, drawn and interactive':<44} {ours:>8.2f} {mb['ours']:>6.2f}")
    served_mb = len(served_html.encode()) / 1e6
    print(f"{'project served page (HTML only, assets cached)':<44} {'':>8} {served_mb:>6.2f}")
    pyvis_text = f"{pyvis:>8.2f}" if pyvis is not None else f">{args.pyvis_limit:>7}"
    print(f"{'pyvis default template, stabilised':<44} {pyvis_text} {mb['pyvis']:>6.2f}")
    print(f"{f'real map ({len(real.nodes)} nodes), drawn':<44} {real_drawn:>8.2f} {mb['real']:>6.2f}")
    print(f"{'real map, physics settled and stopped':<44} {real_settled:>8.2f}")
    ratio = f"{pyvis / ours:.1f}x" if pyvis is not None else f"more than {args.pyvis_limit / ours:.0f}x"
    print(
        f"ratio pyvis default / project: {ratio}; goals: < 3 s ({'met' if ours < 3 else 'NOT met'}),"
        f" < 3 MB ({'met' if mb['ours'] < 3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
