"""The views in a real headless Chromium against the running service: drawn without console
errors or outside requests, holding the graph's nodes, filters that change what is shown, hostile
labels and quotes that stay text. Screenshots go to tests/artifacts/ (look at them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.support.ui import Select, WebDriverWait

from defence_kg.api.main import create_app
from defence_kg.api.view_page import render
from defence_kg.graph.analysis import lookup, view_data
from defence_kg.settings import Settings
from tests.views.browser import (
    browser_available,
    chromium,
    console_errors,
    requested_urls,
    serve,
    wait_drawn,
)
from tests.views.conftest import PAYLOADS

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not browser_available(), reason="chromium and chromedriver are not installed"),
]


@pytest.fixture(scope="module")
def base_url(view_store: Any) -> Iterator[str]:
    with serve(create_app(Settings(store_path=None), store=view_store)) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def open_view(driver: Any, url: str, base: str) -> None:
    """Load a view and check it drew, logged no error and asked for nothing outside `base`."""
    driver.get_log("browser"), requested_urls(driver)  # empty both logs
    driver.get(url)
    wait_drawn(driver)
    assert console_errors(driver) == []
    outside = [u for u in requested_urls(driver) if not u.startswith((base + "/", "data:", "blob:"))]
    assert outside == []
    assert driver.execute_script("return window.__dialogs") == []


def shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def shown(driver: Any) -> tuple[set[str], set[str]]:
    nodes, edges = driver.execute_script(
        "return [dkgView.nodeView.getIds(),"
        " dkgView.edgeView.get().map(e => e.from + '>' + e.to + ':' + e.role)]"
    )
    return set(nodes), set(edges)


def test_membership_map_holds_the_graph_and_filters_change_it(driver, base_url, view_store):
    at = dt.date(2022, 1, 1)
    open_view(driver, f"{base_url}/views/membership?at={at}", base_url)
    shot(driver, "membership-2022-01-01")
    expected = view_data.membership_view(view_store, at)
    all_ids = set(driver.execute_script("return dkgView.nodes.getIds()"))
    assert all_ids == {n.id for n in expected.nodes}
    nodes, edges = shown(driver)
    assert nodes == all_ids
    nato = {e.split(">")[0] for e in edges if e.endswith(">nato:member")}
    assert nato == {m["id"] for m in lookup.members(view_store, "nato", at, "member")}
    assert len(nato) == 30 and "FI" not in nato
    assert driver.execute_script("return dkgView.network.physics.options.enabled") is False  # settled

    # A filter changes what is shown: EU off, then participants off.
    driver.find_element("css selector", "input[name=family][value='EU']").click()
    after, _ = shown(driver)
    families = driver.execute_script("return dkgView.nodeView.get().map(n => n.family)")
    assert "EU" not in families and len(after) < len(nodes)
    assert "pesco" not in after and "nato" in after
    driver.find_element("css selector", "input[name=role][value='participant']").click()
    fewer, fewer_edges = shown(driver)
    assert len(fewer) <= len(after) and all(not e.endswith(":participant") for e in fewer_edges)
    assert driver.find_element("id", "shown-nodes").text == str(len(fewer))
    shot(driver, "membership-filtered")

    # The capability domain filter: only what works in that domain (and the states linked to it).
    driver.refresh()
    wait_drawn(driver)
    Select(driver.find_element("id", "domain")).select_by_visible_text("Maritime")
    maritime = driver.execute_script(
        "return dkgView.nodeView.get().filter(n => n.type !== 'State').map(n => n.domains)"
    )
    assert maritime and all("Maritime" in d for d in maritime)
    assert len(shown(driver)[0]) < len(nodes)
    shot(driver, "membership-maritime")


def test_as_of_date_re_renders(driver, base_url):
    open_view(driver, f"{base_url}/views/membership?at=2024-06-01", base_url)
    _, edges = shown(driver)
    assert "FI>nato:member" in edges and "SE>nato:member" in edges
    driver.find_element("id", "at").clear()
    driver.find_element("id", "at").send_keys("01012000")
    driver.find_element("css selector", "#server-filters button").click()
    WebDriverWait(driver, 20).until(lambda d: d.current_url.endswith("at=2000-01-01"))
    wait_drawn(driver)
    _, old = shown(driver)
    assert "FI>nato:member" not in old and "PL>nato:member" in old


def test_overlap_map_widths_and_tooltips(driver, base_url, view_store):
    open_view(driver, f"{base_url}/views/overlap", base_url)
    shot(driver, "overlap")
    pairs = view_data.overlap_edges(view_store, None, view_data.DEFAULT_MIN_SCORE)
    edges = driver.execute_script(
        "return dkgView.edges.get().map(e => [e.from, e.to, e.width, e.title.textContent])"
    )
    assert {(a, b) for a, b, *_ in edges} == {(p["a"], p["b"]) for p in pairs}
    widths = {(a, b): w for a, b, w, _ in edges}
    strong = max(pairs, key=lambda p: p["score"])
    weak = min(pairs, key=lambda p: p["score"])
    assert widths[(strong["a"], strong["b"])] > widths[(weak["a"], weak["b"])]
    text = next(t for a, b, _, t in edges if (a, b) == ("nato", "pesco"))
    assert "membership: " in text and "evidence: " in text and "cepob-2021-pesco-nato-us" in text
    hover(driver, "hostile-0")  # the real mouse: vis-network shows the node's tooltip
    tip = driver.find_element("css selector", "div.vis-tooltip")
    assert tip.is_displayed() and PAYLOADS[0] in tip.text
    assert driver.execute_script("return document.querySelectorAll('div.vis-tooltip img').length") == 0
    shot(driver, "overlap-tooltip")


def hover(driver: Any, node: str) -> None:
    """Move the mouse over a node of the network."""
    from selenium.webdriver.common.action_chains import ActionChains

    x, y = driver.execute_script(
        "const n = dkgView.network, p = n.canvasToDOM(n.getPosition(arguments[0])); return [p.x, p.y]", node
    )
    canvas = driver.find_element("css selector", "#network canvas")
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(x - canvas.size["width"] / 2), int(y - canvas.size["height"] / 2)
    ).pause(0.6).perform()


def test_ego_and_document_views(driver, base_url, view_store):
    open_view(driver, f"{base_url}/views/ego/SE?depth=1", base_url)
    shot(driver, "ego-SE")
    ids = set(driver.execute_script("return dkgView.nodes.getIds()"))
    assert {m["id"] for m in lookup.memberships(view_store, "SE")} <= ids
    open_view(driver, f"{base_url}/views/document/cepob-2021-pesco-nato-us", base_url)
    shot(driver, "document-cepob")
    count = driver.execute_script("return dkgView.edges.length")
    assert count == len(view_data.document_view(view_store, "cepob-2021-pesco-nato-us").edges) > 10


def test_search_box_selects_the_node(driver, base_url):
    open_view(driver, f"{base_url}/views/membership", base_url)
    driver.find_element("id", "search-box").send_keys("Germany")
    driver.find_element("css selector", "#search button").click()
    assert driver.execute_script("return dkgView.network.getSelectedNodes()") == ["DE"]
    assert driver.find_element("id", "search-result").text == "Germany"


@pytest.mark.parametrize(
    "path",
    ["/views/membership", "/views/overlap", "/views/document/hostile-test", "/views/ego/hostile-0?depth=2"],
)
def test_hostile_labels_and_quotes_stay_text(driver, base_url, path):
    open_view(driver, base_url + path, base_url)
    labels = driver.execute_script("return dkgView.nodes.get().map(n => n.label)")
    tooltips = driver.execute_script(
        "return dkgView.nodes.get().concat(dkgView.edges.get()).map(x => x.title.innerHTML)"
    )
    hostile = [p for p in PAYLOADS if any(p in (label or "") for label in labels)]
    assert hostile or path.startswith("/views/document")
    assert all(
        "<img" not in t and "<svg" not in t and "<script" not in t and "<b " not in t for t in tooltips
    )
    quoted = driver.execute_script("return dkgView.edges.get().map(e => e.title.textContent).join(' ')")
    assert "<img src=x onerror=alert(1)>" in quoted or path == "/views/membership"
    # Hover every node and link: vis-network shows the tooltip elements; nothing may fire.
    driver.execute_script(
        """const n = dkgView.network; dkgView.nodeView.getIds().forEach(id => {
             n.body.emitter.emit('hover', {node: id}); });"""
    )
    assert driver.execute_script("return document.querySelectorAll('img, svg, iframe').length") == 0
    assert driver.execute_script("return window.__dialogs") == []
    shot(driver, "hostile-" + path.strip("/").replace("/", "-").split("?")[0])


def test_landing_page_search_and_links(driver, base_url):
    driver.get(base_url + "/?q=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert driver.execute_script("return window.__dialogs") == []
    assert driver.execute_script("return document.querySelectorAll('#results img').length") == 0
    driver.get(base_url + "/")
    links = {a.get_attribute("href").removeprefix(base_url) for a in driver.find_elements("tag name", "a")}
    assert {"/views/membership", "/views/overlap", "/sparql", "/docs", "/redoc"} <= links
    box = driver.find_element("id", "q")
    box.send_keys("Elysee")
    box.submit()
    results = driver.find_elements("css selector", "#results a")
    assert results[0].text == "France" and results[0].get_attribute("href").endswith("/views/ego/FR")
    shot(driver, "landing-search")
    assert console_errors(driver) == []


def test_exported_file_works_alone(driver, tmp_path, view_store):
    path = tmp_path / "membership.html"
    path.write_text(render(view_data.membership_view(view_store), inline=True), encoding="utf-8")
    driver.get_log("browser"), requested_urls(driver)
    driver.get(path.as_uri())
    wait_drawn(driver)
    assert console_errors(driver) == []
    assert [u for u in requested_urls(driver) if not u.startswith(("file://", "data:", "blob:"))] == []
    assert driver.execute_script("return dkgView.nodes.length") == len(
        view_data.membership_view(view_store).nodes
    )
    assert driver.execute_script("return window.__dialogs") == []
    shot(driver, "export-membership")


def test_large_view_is_drawn_without_physics_and_grouped(driver, tmp_path, view_store):
    from tests.views.test_view_pages import synthetic

    path = tmp_path / "large.html"
    path.write_text(render(synthetic(800), inline=True), encoding="utf-8")
    driver.get_log("browser")
    driver.get(path.as_uri())
    wait_drawn(driver)
    assert console_errors(driver) == []
    assert driver.execute_script("return dkgView.network.physics.options.enabled") is False
    assert driver.execute_script("return dkgView.nodes.length") == 810
    assert driver.execute_script("return dkgView.clusters") == 1
    assert driver.execute_script("return dkgView.network.isCluster('cluster:EU')") is True
    shot(driver, "large-clustered")
    driver.execute_script("dkgView.network.openCluster('cluster:EU')")
    assert driver.execute_script("return dkgView.network.isCluster('cluster:EU')") is False
    shot(driver, "large-opened")
