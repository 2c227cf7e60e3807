"""The membership matrix, timelines and framework overview as data and as HTML: the same answers as
`/members` on the same date, hostile labels escaped, no inline code, spreadsheets of the same
rows, and the CLI export as one file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict

import pytest
from openpyxl import load_workbook
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from defence_kg.api.picture_page import render_frameworks, render_matrix, render_timeline
from defence_kg.cli import app
from defence_kg.graph.analysis import lookup, picture_data
from tests.views.conftest import PAYLOADS
from tests.views.test_view_pages import URL_ATTRIBUTES

DATES = [dt.date(2000, 1, 1), dt.date(2022, 1, 1), dt.date(2024, 6, 1)]
ALLOWED_SCRIPTS = {"/assets/views/pictures.js"}


def members_on(store, entity: str, day: dt.date) -> set[tuple[str, str]]:
    return {(r["id"], r["role"]) for r in lookup.members(store, entity, day) if r["type"] == "State"}


@pytest.mark.parametrize("day", DATES, ids=str)
def test_matrix_cells_are_the_members_of_each_column_on_that_date(view_store, day):
    m = picture_data.matrix(view_store, day)
    cells: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for cell in m.cells:
        cells[cell.column] |= {(cell.state, role) for role in cell.roles}
    assert {"eu", "nato"} <= {c.id for c in m.columns} and (day.year < 2018 or len(m.columns) > 20)
    for column in m.columns:
        assert cells[column.id] == members_on(view_store, column.id, day), column.id
        assert column.count == len({s for s, _ in cells[column.id]})
    # and no state with a membership that day in a shown column is missing from the rows
    assert {s["id"] for s in m.states} == {c.state for c in m.cells}


def test_matrix_columns_families_types_and_basis(view_store):
    day = dt.date(2024, 6, 1)
    chosen = picture_data.matrix(view_store, day, columns="nato,eu,pesco")
    assert {c.id for c in chosen.columns} == {"nato", "eu", "pesco"}
    ad_hoc = picture_data.matrix(view_store, day, family="ad hoc")
    assert ad_hoc.columns and {c.family for c in ad_hoc.columns} == {"ad hoc"}
    projects = picture_data.matrix(view_store, day, type="Project")
    assert projects.columns and {c.type for c in projects.columns} == {"Project"}
    everything = picture_data.matrix(view_store, day)
    curated = picture_data.matrix(view_store, day, basis="reference")
    claimed = [(c, r) for c in everything.cells for r in c.rows if r["basis"] == "document"]
    assert claimed, "the corpus adds document-only memberships"
    assert {(c.state, c.column) for c in curated.cells} == {
        (c.state, c.column) for c in everything.cells if c.basis == "reference"
    }
    for cell, _row in claimed:  # a cell is drawn as curated only when a curated row holds it
        assert (cell.basis == "reference") == any(r["basis"] == "reference" for r in cell.rows)
        curated_roles = [r["role"] for r in cell.rows if r["basis"] == "reference"]
        assert cell.role == (curated_roles[0] if curated_roles else cell.rows[0]["role"])
    with pytest.raises(Exception, match="no organisation"):
        picture_data.matrix(view_store, day, columns="nato,no-such-thing")


def assert_inert(html: str, svg: int = 0) -> None:
    """No handler attribute, no javascript: address, no element a payload would bring, scripts
    only as the page's file or its JSON block; `svg` drawings of our own at most."""
    tree = LexborHTMLParser(html)
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (node.tag, name)
            if name.lower() in URL_ATTRIBUTES:
                assert not (value or "").strip().lower().startswith("javascript:"), (node.tag, name)
    assert not tree.css("img, iframe, object, embed, foreignObject")
    assert len(tree.css("svg")) == svg
    for script in tree.css("script"):
        src, kind = script.attributes.get("src"), script.attributes.get("type")
        assert src in ALLOWED_SCRIPTS or (kind == "application/json" and script.id == "picture-data")


@pytest.mark.parametrize(
    ("url", "svg"),
    [
        ("/views/matrix?at=2024-06-01", 0),
        ("/views/matrix?at=2024-06-01&family=ad%20hoc", 0),
        ("/views/timeline/nato", 1),
        ("/views/timeline/hostile-0", 1),
        ("/views/timeline/DE", 1),
        ("/views/frameworks?at=2024-06-01", 0),
        ("/views/frameworks?frameworks=eu,nato,hostile-1,hostile-2", 0),
    ],
)
def test_pages_are_inert_and_keep_hostile_labels_as_text(view_client, url, svg):
    response = view_client.get(url)
    assert response.status_code == 200, response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_inert(response.text, svg)
    tree = LexborHTMLParser(response.text)
    text = tree.body.text()
    if "hostile" in url or url.startswith(("/views/matrix?at", "/views/timeline/DE")):
        shown = [
            p
            for p in PAYLOADS
            if p in text or any(p == n.attributes.get("data-label") for n in tree.css("*"))
        ]
        assert shown, "the hostile labels are on the page as text"
    for payload in PAYLOADS:
        if set(payload) & set('<>"'):
            assert payload not in response.text


def test_timeline_bars_and_marks(view_store):
    nato = picture_data.timeline(view_store, "nato", dt.date(2026, 1, 1))
    by_state = {b.id: b for b in nato.bars}
    assert by_state["FI"].start == "2023-04-04" and by_state["SE"].start == "2024-03-07"
    assert {m["date"] for m in nato.marks if m["kind"] == "accession"} >= {"2023-04-04", "2024-03-07"}
    assert len(nato.bars) == len([r for r in lookup.members(view_store, "nato") if r.get("from")])
    eu = picture_data.timeline(view_store, "eu")
    gb = next(b for b in eu.bars if b.id == "GB")
    assert (
        gb.end == "2020-01-31"
        and {"date": "2020-01-31", "label": "United Kingdom leaves", "kind": "exit"} in eu.marks
    )
    pesco = picture_data.timeline(view_store, "pesco")
    waves = [m for m in pesco.marks if m["kind"] == "wave"]
    parts = lookup.parts(view_store, "pesco")
    assert [w["label"] for w in waves] == [
        f"wave {n}" for n in sorted({p["wave"] for p in parts if p.get("wave")})
    ]
    assert waves[0]["date"] == min(p["adopted"][:10] for p in parts if p.get("wave") == 1)
    finland = picture_data.timeline(view_store, "FI")
    assert {b.id for b in finland.bars} == {
        r["id"] for r in lookup.memberships(view_store, "FI") if r.get("from")
    }


def test_timeline_svg_positions_follow_the_dates(view_store):
    html = render_timeline(picture_data.timeline(view_store, "nato", dt.date(2026, 1, 1)))
    svg = LexborHTMLParser(html).css_first("svg#timeline")
    first, last = svg.attributes["data-first"], svg.attributes["data-last"]
    x0, x1 = float(svg.attributes["data-x0"]), float(svg.attributes["data-x1"])

    def x(day: str) -> float:
        a, b, d = (dt.date.fromisoformat(v).toordinal() for v in (first, last, day))
        return x0 + (d - a) / (b - a) * (x1 - x0)

    for mark in LexborHTMLParser(html).css("circle.accession"):
        assert abs(float(mark.attributes["cx"]) - x(mark.attributes["data-date"])) < 0.2


def test_frameworks_groups_are_set_algebra_on_members(view_store):
    for day in DATES:
        o = picture_data.frameworks(view_store, day)
        ids = [f["id"] for f in o.frameworks]
        assert ids[:2] == ["eu", "nato"] and (day.year < 2018 or len(ids) >= 6)
        sets = {
            f: {s for s, role in members_on(view_store, f, day) if role in picture_data.BELONGING}
            for f in ids
        }
        seen: set[str] = set()
        for group in o.groups:
            inside = set.intersection(*(sets[f] for f in group.frameworks))
            outside = set().union(*(sets[f] for f in ids if f not in group.frameworks))
            assert {s["id"] for s in group.states} == inside - outside
            seen |= inside - outside
        assert seen == set().union(*sets.values())
    assert [f["id"] for f in picture_data.frameworks(view_store, None, "nato,jef").frameworks] == [
        "nato",
        "jef",
    ]


def test_matrix_and_overview_as_spreadsheets(view_client, view_store):
    day = dt.date(2024, 6, 1)
    rows = list(csv.DictReader(io.StringIO(view_client.get(f"/views/matrix?at={day}&format=csv").text)))
    m = picture_data.matrix(view_store, day)
    assert {(r["state"], r["column"], r["role"]) for r in rows} == {
        (c.state, c.column, role) for c in m.cells for role in c.roles
    }
    assert {r["basis"] for r in rows} == {"reference", "document"}
    book = load_workbook(io.BytesIO(view_client.get(f"/views/frameworks?at={day}&format=xlsx").content))
    lines = list(book.active.iter_rows(values_only=True))
    o = picture_data.frameworks(view_store, day)
    assert len(lines) - 1 == sum(len(g.states) for g in o.groups)
    json_rows = view_client.get(f"/views/frameworks?at={day}&format=json").json()["rows"]
    assert {r["state"] for r in json_rows} == {s["id"] for g in o.groups for s in g.states}


def test_pages_link_the_downloads_and_each_other(view_client):
    hrefs = {
        a.attributes.get("href")
        for url in ("/views/matrix", "/views/frameworks", "/views/timeline/nato", "/views/membership")
        for a in LexborHTMLParser(view_client.get(url).text).css("a")
    }
    assert {"/views/matrix", "/views/frameworks", "/views/timeline/nato"} <= hrefs
    assert any(h and "format=csv" in h for h in hrefs) and any(h and "format=xlsx" in h for h in hrefs)
    landing = LexborHTMLParser(view_client.get("/", headers={"accept": "text/html"}).text)
    links = {a.attributes.get("href") for a in landing.css("a")}
    assert {"/views/matrix", "/views/frameworks", "/views/timeline/nato"} <= links
    assert any(h and h.startswith("/api/overlaps?format=csv") for h in links)


def test_bad_input_answers_clearly(view_client):
    assert view_client.get("/views/timeline/no-such-entity").status_code == 404
    answer = view_client.get("/views/matrix?type=Planet")
    assert answer.status_code == 400 and "type" in answer.json()["detail"]
    answer = view_client.get("/views/frameworks?frameworks=nato,no-such")
    assert answer.status_code == 400 and "no-such" in answer.json()["detail"]
    assert view_client.get("/views/matrix?at=2024-02-30").status_code == 422
    assert view_client.get("/views/timeline?id=FI", follow_redirects=False).headers["location"] == (
        "/views/timeline/FI"
    )


def test_exported_pictures_inline_everything(view_store):
    pages = [
        render_matrix(picture_data.matrix(view_store, dt.date(2024, 6, 1)), inline=True),
        render_timeline(picture_data.timeline(view_store, "pesco"), inline=True),
        render_frameworks(picture_data.frameworks(view_store, dt.date(2024, 6, 1)), inline=True),
    ]
    for html in pages:
        tree = LexborHTMLParser(html)
        assert not tree.css("script[src], link[rel=stylesheet]") and len(tree.css("script")) == 2
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|href="/""", html)


def test_cli_writes_the_pictures(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--store", str(store)]).exit_code == 0
    for command in (
        ["matrix", "--at", "2024-06-01", "--columns", "eu,nato,pesco"],
        ["timeline", "SE"],
        ["frameworks", "--at", "2022-01-01"],
    ):
        target = tmp_path / f"{command[0]}.html"
        result = runner.invoke(app, ["view", *command, "--store", str(store), "-o", str(target)])
        assert result.exit_code == 0, result.output
        html = target.read_text()
        assert f"picture-{command[0]}" in html and "pictures.js" not in html
    tree = LexborHTMLParser((tmp_path / "matrix.html").read_text())
    assert [th.attributes["data-col"] for th in tree.css("th.col")] == ["eu", "pesco", "nato"]
    missing = runner.invoke(
        app, ["view", "timeline", "nope", "--store", str(store), "-o", str(tmp_path / "x.html")]
    )
    assert missing.exit_code == 1 and "no entity" in missing.output
