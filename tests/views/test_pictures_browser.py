"""The matrix, timelines and framework overview in a real headless Chromium against the running
service: what they show is what `/api/entities/{id}/members` answers on the same date; sorting,
filters and the date control change it; hostile labels stay text. Screenshots go to
tests/artifacts/ (look at them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from selenium.webdriver.support.ui import Select, WebDriverWait

from defence_kg.api.main import create_app
from defence_kg.graph.analysis import lookup
from defence_kg.settings import Settings
from tests.views.browser import browser_available, chromium, console_errors, requested_urls, serve
from tests.views.conftest import PAYLOADS
from tests.views.test_views_browser import shot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not browser_available(), reason="chromium and chromedriver are not installed"),
]
BELONGING = ("member", "participant", "coordinator")


@pytest.fixture(scope="module")
def base_url(view_store: Any) -> Iterator[str]:
    with serve(create_app(Settings(store_path=None), store=view_store)) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def open_page(driver: Any, url: str, base: str) -> None:
    """Load a page, wait for its script, check no error, no outside request and no dialog."""
    driver.get_log("browser"), requested_urls(driver)
    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return !!(window.dkgPicture && dkgPicture.ready)")
    )
    assert console_errors(driver) == []
    outside = [u for u in requested_urls(driver) if not u.startswith((base + "/", "data:", "blob:"))]
    assert outside == []
    assert driver.execute_script("return window.__dialogs") == []


def api_members(base: str, entity: str, day: dt.date) -> list[dict[str, Any]]:
    answer = httpx.get(f"{base}/api/entities/{entity}/members", params={"at": day.isoformat()}, timeout=30)
    assert answer.status_code == 200, answer.text
    return [r for r in answer.json()["members"] if r["type"] == "State"]


def each(driver: Any, selector: str, expression: str) -> list[Any]:
    """`expression` (of `e`) for every element matching `selector`, in document order."""
    return driver.execute_script(
        f"return Array.from(document.querySelectorAll(arguments[0])).map(e => {expression})", selector
    )


def matrix_cells(driver: Any) -> set[tuple[str, str, str]]:
    rows = driver.execute_script(
        """return Array.from(document.querySelectorAll('#matrix td.cell')).flatMap(td =>
             td.dataset.roles.split(' ').map(role => [td.parentNode.dataset.state, td.dataset.col, role]))"""
    )
    return {tuple(r) for r in rows}


def state_order(driver: Any) -> list[str]:
    return each(driver, "#matrix tbody tr:not(.hidden)", "e.dataset.state")


def test_matrix_holds_every_membership_and_sorting_and_date_change_it(driver, base_url):
    day = dt.date(2024, 6, 1)
    open_page(driver, f"{base_url}/views/matrix?at={day}", base_url)
    shot(driver, "matrix-2024-06-01")
    cells = matrix_cells(driver)
    columns = each(driver, "#matrix th.col", "e.dataset.col")
    assert len(columns) > 20
    expected = set()
    for column in columns:  # every column id works in /members, the longest PESCO slugs too
        expected |= {(r["id"], column, r["role"]) for r in api_members(base_url, column, day)}
    assert expected and expected == set(cells)
    assert ("FI", "nato", "member") in cells and ("SE", "nato", "member") in cells

    # Sorting: by number of memberships, then by the NATO column (its members first)
    by_name = state_order(driver)
    assert by_name == sorted(
        by_name,
        key=lambda s: driver.execute_script(
            "return document.querySelector('tr[data-state=\"' + arguments[0] + '\"]').dataset.label", s
        ),
    )
    Select(driver.find_element("id", "sort-rows")).select_by_value("count")
    counts = each(driver, "#matrix tbody tr", "Number(e.dataset.count)")
    assert counts == sorted(counts, reverse=True) and state_order(driver) != by_name
    driver.find_element("css selector", "#matrix th.col[data-col=nato]").click()
    nato = {s for s, c, _ in cells if c == "nato"}
    order = state_order(driver)
    assert set(order[: len(nato)]) == nato
    Select(driver.find_element("id", "sort-columns")).select_by_value("count")
    heads = each(driver, "#matrix th.col", "Number(e.dataset.count)")
    assert heads == sorted(heads, reverse=True)
    # cells moved with their columns: the same set, each under its own head
    assert matrix_cells(driver) == cells
    misplaced = driver.execute_script(
        """const heads = Array.from(document.querySelectorAll('#matrix th.col')).map(t => t.dataset.col);
           return Array.from(document.querySelectorAll('#matrix td.cell')).filter(td =>
             heads[Array.from(td.parentNode.children).indexOf(td) - 1] !== td.dataset.col).length"""
    )
    assert misplaced == 0
    shot(driver, "matrix-sorted")

    # The family filter hides columns; the details panel shows dates and sources as text
    driver.find_element("css selector", "input[name=family][value='EU']").click()
    shown = each(driver, "#matrix th.col:not(.hidden)", "e.dataset.family")
    assert shown and "EU" not in shown
    assert driver.find_element("id", "shown-columns").text == str(len(shown))
    driver.find_element("css selector", "tr[data-state=FI] td[data-col=nato]").click()
    details = driver.find_element("id", "details").text
    assert "Finland" in details and "from 2023-04-04" in details and "NATO member countries" in details
    shot(driver, "matrix-details")

    # The date control: back to 2022, Finland is not yet in NATO
    box = driver.find_element("id", "at")
    box.clear()
    box.send_keys("01012022")
    driver.find_element("css selector", "#server-filters button").click()
    WebDriverWait(driver, 20).until(lambda d: "at=2022-01-01" in d.current_url)
    open_page(driver, driver.current_url, base_url)
    earlier = matrix_cells(driver)
    assert ("FI", "nato", "member") not in earlier and ("PL", "nato", "member") in earlier
    expected = {(r["id"], "nato", r["role"]) for r in api_members(base_url, "nato", dt.date(2022, 1, 1))}
    assert {c for c in earlier if c[1] == "nato"} == expected
    shot(driver, "matrix-2022-01-01")


def test_document_only_cells_are_drawn_differently(driver, base_url):
    open_page(driver, f"{base_url}/views/matrix?at=2024-06-01&basis=document", base_url)
    styles = driver.execute_script(
        """return Array.from(document.querySelectorAll('#matrix td.cell')).map(td =>
             [td.dataset.basis, getComputedStyle(td).borderTopStyle, getComputedStyle(td).backgroundImage])"""
    )
    assert styles and all(
        b == "document" and border == "dashed" and "gradient" in image for b, border, image in styles
    )
    open_page(driver, f"{base_url}/views/matrix?at=2024-06-01&basis=reference", base_url)
    solid = each(driver, "#matrix td.cell", "getComputedStyle(e).borderTopStyle")
    assert solid and "dashed" not in solid
    assert "only from documents" in driver.find_element("id", "legend-roles").text


def mark_and_axis(driver: Any, state: str) -> tuple[float, list[tuple[int, float]]]:
    """Where the accession mark of `state` sits on screen, and where the year labels of the axis do."""
    return driver.execute_script(
        """const mid = e => { const r = e.getBoundingClientRect(); return r.left + r.width / 2; };
           const mark = document.querySelector('g.bar[data-id="' + arguments[0] + '"] circle.accession');
           const ticks = Array.from(document.querySelectorAll('text.tick-label'));
           return [mid(mark), ticks.map(t => [Number(t.dataset.year), mid(t)])];""",
        state,
    )


def screen_x(day: dt.date, ticks: list[tuple[int, float]]) -> float:
    """The x of `day` on the axis the year labels draw (between the first and the last label)."""
    (y0, x0), (y1, x1) = ticks[0], ticks[-1]
    start, end = dt.date(int(y0), 1, 1).toordinal(), dt.date(int(y1), 1, 1).toordinal()
    return x0 + (day.toordinal() - start) / (end - start) * (x1 - x0)


def test_timeline_shows_finland_and_sweden_joining_nato_at_their_dates(driver, base_url):
    open_page(driver, f"{base_url}/views/timeline/nato", base_url)
    shot(driver, "timeline-nato")
    bars = each(driver, "g.bar", "[e.dataset.id, e.dataset.from, e.dataset.to]")
    members = httpx.get(f"{base_url}/api/entities/nato/members").json()["members"]
    assert sorted(b[:2] for b in bars) == sorted([m["id"], m["from"]] for m in members if m.get("from"))
    for state, day in (("FI", dt.date(2023, 4, 4)), ("SE", dt.date(2024, 3, 7))):
        assert [b for b in bars if b[0] == state] == [[state, day.isoformat(), ""]]
        x, ticks = mark_and_axis(driver, state)
        assert len(ticks) >= 3 and abs(x - screen_x(day, ticks)) < 1.5, (state, x, ticks)
    # Sorting by name moves the bars; hovering shows the dates as text
    Select(driver.find_element("id", "sort-bars")).select_by_value("label")
    ys = driver.execute_script(
        """return Array.from(document.querySelectorAll('g.bar')).map(g =>
             [g.dataset.label, g.getBoundingClientRect().top]).sort((a, b) => a[1] - b[1]).map(p => p[0])"""
    )
    assert ys == sorted(ys)
    driver.find_element("css selector", "g.bar[data-id=FI] rect").click()
    assert "from 2023-04-04" in driver.find_element("id", "details").text
    shot(driver, "timeline-nato-by-name")


def test_timelines_of_pesco_with_waves_and_of_a_state(driver, base_url, view_store):
    open_page(driver, f"{base_url}/views/timeline/pesco", base_url)
    waves = each(driver, "line.wave", "e.dataset.date")
    parts = lookup.parts(view_store, "pesco")
    assert len(waves) == len({p["wave"] for p in parts if p.get("wave")}) >= 5
    shot(driver, "timeline-pesco")
    open_page(driver, f"{base_url}/views/timeline/SE", base_url)
    ids = set(
        driver.execute_script("return Array.from(document.querySelectorAll('g.bar')).map(g => g.dataset.id)")
    )
    memberships = httpx.get(f"{base_url}/api/entities/SE/memberships").json()["memberships"]
    assert ids == {m["id"] for m in memberships if m.get("from")} and {"nato", "eu", "jef"} <= ids
    shot(driver, "timeline-SE")


def test_overview_groups_match_set_algebra_on_members(driver, base_url):
    for day in (dt.date(2024, 6, 1), dt.date(2019, 1, 1)):
        open_page(driver, f"{base_url}/views/frameworks?at={day}", base_url)
        shot(driver, f"frameworks-{day}")
        frameworks = each(driver, "#upset th.framework", "e.dataset.framework")
        assert {"eu", "nato", "pesco", "eda", "jef", "e2i"} <= set(frameworks)
        sets = {
            f: {r["id"] for r in api_members(base_url, f, day) if r["role"] in BELONGING} for f in frameworks
        }
        groups = driver.execute_script(
            """return Array.from(document.querySelectorAll('#upset tr.group')).map(tr => [
                 tr.dataset.frameworks,
                 Array.from(tr.querySelectorAll('.state')).map(s => s.dataset.state)])"""
        )
        everyone: set[str] = set()
        for combo, states in groups:
            inside = set(combo.split())
            expected = set.intersection(*(sets[f] for f in inside)) - set().union(
                *(sets[f] for f in frameworks if f not in inside)
            )
            assert set(states) == expected, combo
            dots = driver.execute_script(
                "return Array.from(document.querySelector('#upset tr.group[data-frameworks=\"' + arguments[0]"
                " + '\"]').querySelectorAll('td.dot')).map(d => d.classList.contains('on'))",
                combo,
            )
            assert dots == [f in inside for f in frameworks]
            everyone |= set(states)
        assert everyone == set().union(*sets.values())
    # the date control re-renders the overview
    box = driver.find_element("id", "at")
    box.clear()
    assert "nato" not in finland_group(driver)  # on 2019-01-01
    box.send_keys("06012024")  # the date field takes month, day, year in this browser's locale
    driver.find_element("css selector", "#server-filters button").click()
    WebDriverWait(driver, 20).until(lambda d: "at=2024-06-01" in d.current_url)
    open_page(driver, driver.current_url, base_url)
    assert "nato" in finland_group(driver)


def finland_group(driver: Any) -> list[str]:
    return driver.execute_script(
        "return document.querySelector('#upset .state[data-state=FI]').closest('tr')"
        ".dataset.frameworks.split(' ')"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/views/matrix?at=2024-06-01&family=ad%20hoc",
        "/views/timeline/hostile-0",
        "/views/timeline/DE",
        "/views/frameworks?frameworks=eu,nato,hostile-1,hostile-5",
    ],
)
def test_hostile_labels_stay_text(driver, base_url, path):
    open_page(driver, base_url + path, base_url)
    text = driver.execute_script(
        "return document.body.innerText + ' ' +"
        " Array.from(document.querySelectorAll('[title], [data-label]'))"
        ".map(e => (e.getAttribute('title') || '') + (e.dataset.label || '')).join(' ')"
        " + Array.from(document.querySelectorAll('title')).map(t => t.textContent).join(' ')"
    )
    assert any(p in text for p in PAYLOADS), "the hostile labels are on the page as text"
    assert (
        driver.execute_script(
            "return document.querySelectorAll('img, iframe, script:not([src]):not([type])').length"
        )
        == 0
    )
    assert driver.execute_script("return document.querySelectorAll('svg').length") <= 1
    for cell in driver.find_elements("css selector", "td.cell, g.bar rect")[:12]:
        driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", cell)
    assert (
        driver.execute_script(
            "return document.querySelectorAll('#details img, #details svg, #details b').length"
        )
        == 0
    )
    assert driver.execute_script("return window.__dialogs") == []
    shot(driver, "hostile-" + path.strip("/").replace("/", "-").split("?")[0])


def test_exported_matrix_and_timeline_work_alone(driver, tmp_path, view_store):
    from defence_kg.api.picture_page import render_matrix, render_timeline
    from defence_kg.graph.analysis import picture_data

    pages = {
        "matrix": render_matrix(picture_data.matrix(view_store, dt.date(2024, 6, 1)), inline=True),
        "timeline": render_timeline(picture_data.timeline(view_store, "nato"), inline=True),
    }
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        driver.get_log("browser"), requested_urls(driver)
        driver.get(path.as_uri())
        WebDriverWait(driver, 20).until(
            lambda d: d.execute_script("return !!(window.dkgPicture && dkgPicture.ready)")
        )
        assert console_errors(driver) == []
        assert [u for u in requested_urls(driver) if not u.startswith(("file://", "data:", "blob:"))] == []
        shot(driver, f"export-{name}")
    Select(driver.find_element("id", "sort-bars")).select_by_value("label")
    assert driver.execute_script("return window.__dialogs") == []
