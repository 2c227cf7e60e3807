"""The view pages as HTML: hostile text escaped, no inline code, no outside address, the landing
page for browsers, large graphs drawn without physics, and the CLI export."""

from __future__ import annotations

import json
import re

import pytest
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from defence_kg.api.view_page import LARGE, payload, render, script_json
from defence_kg.cli import app
from defence_kg.graph.analysis import view_data
from defence_kg.graph.analysis.view_data import View, ViewEdge, ViewNode
from tests.views.conftest import PAYLOADS

VIEWS = [
    "/views/membership",
    "/views/membership?at=2022-01-01",
    "/views/overlap",
    "/views/ego/hostile-0?depth=2",
    "/views/ego/pesco",
    "/views/document/hostile-test",
    "/views/document/cepob-2021-pesco-nato-us",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
ALLOWED_SCRIPTS = {"/assets/vis/vis-network.min.js", "/assets/views/view.js"}


def graph_data(html: str) -> dict:
    tree = LexborHTMLParser(html)
    return json.loads(tree.css_first("script#graph-data").text())


def assert_inert(html: str) -> None:
    """No element of the markup can run code: no handler attributes, no javascript: URL, no
    element a payload would bring (img, svg, iframe), and scripts only as files or JSON data."""
    tree = LexborHTMLParser(html)
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (node.tag, name)
            if name.lower() in URL_ATTRIBUTES:
                assert not (value or "").strip().lower().startswith("javascript:"), (node.tag, name, value)
    assert not tree.css("img, svg, iframe, object, embed")
    for script in tree.css("script"):
        src, kind = script.attributes.get("src"), script.attributes.get("type")
        assert src in ALLOWED_SCRIPTS or (kind == "application/json" and script.id == "graph-data"), (
            script.html
        )
    if 'id="graph-data">' in html:
        block = html.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
        assert not set("<>&\u2028\u2029") & set(block)


@pytest.mark.parametrize("url", VIEWS)
def test_view_pages_are_inert_and_keep_the_text(view_client, url):
    response = view_client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_inert(response.text)
    data = graph_data(response.text)
    assert data["nodes"] and all("title" not in n for n in data["nodes"] + data["edges"])
    if "hostile" in url or url == "/views/membership" or url == "/views/overlap":
        labels = {n["label"] for n in data["nodes"]}
        assert set(PAYLOADS) <= labels  # the text survives, exactly
        for payload_text in PAYLOADS:
            if set(payload_text) & set('<>"&'):
                assert payload_text not in response.text  # escaped wherever it appears


def test_quotes_travel_as_tooltip_text(view_client):
    data = graph_data(view_client.get("/views/document/hostile-test").text)
    lines = [line for e in data["edges"] for line in e["details"]]
    assert any(PAYLOADS[0] in line for line in lines)


def test_script_json_escapes_what_could_end_the_block():
    value = {"label": "</script><!-- & \u2028\u2029 >"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_unknown_ids_and_bad_depths_answer_clearly(view_client):
    assert view_client.get("/views/ego/no-such-entity").status_code == 404
    assert "no entity" in view_client.get("/views/ego/no-such-entity").json()["detail"]
    assert view_client.get("/views/document/nope").status_code == 404
    assert view_client.get("/views/ego/SE?depth=4").status_code == 422
    assert view_client.get("/views/membership?at=2022-13-01").status_code == 422
    assert view_client.get("/views/overlap?min_score=2").status_code == 422


def test_assets_are_served_from_the_pyvis_wheel_and_the_package(view_client):
    js = view_client.get("/assets/vis/vis-network.min.js")
    assert js.status_code == 200 and "vis-network" in js.text[:2000]
    assert view_client.get("/assets/vis/vis-network.css").status_code == 200
    assert "dkgView" in view_client.get("/assets/views/view.js").text


def test_landing_page_for_browsers_json_for_the_rest(view_client):
    html = view_client.get("/", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html")
    hrefs = {a.attributes.get("href") for a in LexborHTMLParser(html.text).css("a")}
    assert {"/views/membership", "/views/overlap", "/sparql", "/docs", "/redoc"} <= hrefs
    assert "/views/document/cepob-2021-pesco-nato-us" in hrefs
    assert LexborHTMLParser(html.text).css_first("form#landing-search input[name=q]") is not None
    assert view_client.get("/").json()["sparql"] == "/sparql"
    assert view_client.get("/", headers={"accept": "application/json, text/html"}).json()["docs"] == "/docs"
    found = view_client.get("/?q=" + PAYLOADS[0], headers={"accept": "text/html"})
    assert_inert(found.text)
    results = view_client.get("/?q=Elysee", headers={"accept": "text/html"}).text
    assert 'href="/views/ego/FR"' in results


def test_domain_filter_appears_with_domain_data(view_client, view_store):
    membership = LexborHTMLParser(view_client.get("/views/membership").text)
    options = [o.text() for o in membership.css("#filter-domain option")]
    domains = {d for n in view_data.membership_view(view_store).nodes for d in n.domains}
    assert options[0] == "all domains" and set(options[1:]) == domains and "Maritime" in domains
    assert LexborHTMLParser(render(synthetic(10))).css_first("#filter-domain") is None  # no domain data


def synthetic(count: int) -> View:
    """A made-up membership view: `count` project nodes around ten states."""
    states = [ViewNode(f"S{i}", f"State {i}", "State", "third state") for i in range(10)]
    projects = [ViewNode(f"p{i}", f"Project {i}", "Project", "EU") for i in range(count)]
    edges = [ViewEdge(f"S{i % 10}", f"p{i}", "participant", "membership") for i in range(count)]
    return View("membership", "synthetic", states + projects, edges)


def test_large_graphs_get_a_layout_and_no_physics():
    small, large = payload(synthetic(100)), payload(synthetic(LARGE + 10))
    assert small["options"]["physics"]["enabled"] and not small["large"]
    assert not large["options"]["physics"]["enabled"] and large["large"]
    assert all("x" in n and "y" in n for n in large["nodes"])
    assert large["options"]["interaction"]["hideEdgesOnDrag"] is True


def test_exported_page_inlines_everything(view_store):
    html = render(view_data.membership_view(view_store), inline=True)
    tree = LexborHTMLParser(html)
    assert not tree.css("script[src], link[rel=stylesheet]")
    assert len(tree.css("script")) == 3 and "vis-network" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_cli_writes_one_file(tmp_path, view_store):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--store", str(store)]).exit_code == 0
    out = tmp_path / "nato.html"
    result = runner.invoke(
        app,
        ["view", "ego", "nato", "--depth", "1", "--at", "2022-01-01", "--store", str(store), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    data = graph_data(out.read_text())
    assert data["focus"] == "nato" and len([e for e in data["edges"] if e["role"] == "member"]) == 30
    for command in (["membership", "--at", "2022-01-01"], ["overlap"]):
        target = tmp_path / f"{command[0]}.html"
        assert runner.invoke(app, ["view", *command, "--store", str(store), "-o", str(target)]).exit_code == 0
        assert graph_data(target.read_text())["kind"] == command[0]
    missing = runner.invoke(
        app, ["view", "document", "nope", "--store", str(store), "-o", str(tmp_path / "x.html")]
    )
    assert missing.exit_code == 1 and "no document" in missing.output


def test_document_only_links_are_drawn_dashed_with_a_legend(view_client):
    html = view_client.get("/views/membership").text
    data = graph_data(html)
    documents = [e for e in data["edges"] if e.get("basis") == "document"]
    assert documents
    styles = {e["s"] for e in documents}
    assert all(data["edgeStyles"][s].get("dashes") == [8, 4] for s in styles)
    assert all(
        data["edgeStyles"][e["s"]].get("dashes") != [8, 4] for e in data["edges"] if e["basis"] != "document"
    )
    legend = LexborHTMLParser(html).css_first("#legend-links").text()
    assert "only from documents" in legend and str(len(documents)) in legend
