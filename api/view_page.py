"""Drawing a `View` as an HTML page: pyvis builds the network, our Jinja2 template renders it.

pyvis's own template pulls vis-network from a CDN and writes tooltips as HTML; this module keeps
pyvis for the network (nodes, edges, options) and renders with `pages/view.html` instead: the
vis-network files come from the pyvis wheel (`pyvis/lib/vis-9.1.2`), served under
`/assets/vis/` or inlined into an exported file, and the graph travels as a JSON data block that
the page's script (`static/views/view.js`) reads and turns into text-only tooltips. Served pages
hold no inline script, so they work under the Content-Security-Policy of `api/security.py`.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from defence_kg.graph.analysis.view_data import EU_MEMBER_STATE, OTHER, THIRD_STATE, View
from defence_kg.graph.queries.sparql_queries import INITIATIVE_KINDS

if TYPE_CHECKING:
    from pyvis.network import Network

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
VIEW_ASSETS = HERE / "static" / "views"
# Found without importing pyvis (which imports IPython): the app starts without paying for it.
_PYVIS = importlib.util.find_spec("pyvis")
_PYVIS_DIR = Path(str(_PYVIS.origin if _PYVIS else "pyvis/__init__.py")).resolve().parent
VIS_ASSETS = _PYVIS_DIR / "lib" / "vis-9.1.2"

LARGE = 500  # more nodes than this: physics off, a precomputed layout, projects clustered
FAMILY_COLOURS = {
    "EU": "#1f5fbf",
    "NATO": "#0f8a80",
    "ad hoc": "#e08a1e",
    "US": "#c0392b",
    "multinational": "#8e44ad",
    "national": "#8c6d31",
    EU_MEMBER_STATE: "#7f9cc7",
    THIRD_STATE: "#d4a373",
    OTHER: "#95a5a6",
}
TYPE_SHAPES = {
    "State": ("dot", 12),
    "Organisation": ("diamond", 26),
    "Initiative": ("square", 18),
    "Body": ("square", 14),
    "Project": ("triangle", 11),
    "Company": ("dot", 7),
    "Document": ("star", 26),
    "Candidate": ("dot", 10),
    "Thing": ("dot", 8),
}
TYPE_SHAPES.update(dict.fromkeys(INITIATIVE_KINDS, TYPE_SHAPES["Initiative"]))  # kinds of initiative
ROLE_STYLES: dict[str, dict[str, Any]] = {
    "member": {"color": "#34495e", "width": 2},
    "participant": {"color": "#aab4c0", "width": 1},
    "coordinator": {"color": "#e67e22", "width": 2.5},
    "observer": {"color": "#aab4c0", "width": 1, "dashes": [4, 4]},
    "third_state_participant": {"color": "#c0392b", "width": 2, "dashes": [6, 3]},
    "invited": {"color": "#9b59b6", "width": 1.5, "dashes": [2, 4]},
    "partner": {"color": "#16a085", "width": 1.5, "dashes": [2, 4]},
    "overlap": {"color": "#e08a1e"},
    "membership": {"color": "#5d6d7e"},
    "function": {"color": "#2e86c1"},
    "institution": {"color": "#b9770e"},
    "evidence": {"color": "#c0392b"},
    "mandate": {"color": "#7d3c98"},
    "duplication": {"color": "#c0392b"},
    "complementarity": {"color": "#27ae60"},
}

DOCUMENT_DASHES, DOCUMENT_COLOUR = [8, 4], "#b03a2e"  # links resting only on loaded documents

_env = Environment(loader=FileSystemLoader(PAGES), autoescape=select_autoescape(["html"]))


def script_json(value: Any) -> str:
    """JSON safe inside `<script type="application/json">`: `<`, `>` and `&` as `\\u003c`...
    so `</script>` or `<!--` in a label cannot end the block; U+2028/2029 escaped too."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _options(large: bool, directed: bool, count: int) -> dict[str, Any]:
    """vis-network options: physics lays out a graph up to LARGE nodes (a short stabilisation
    before the first drawing, then it settles on screen and the page stops it), none above."""
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1},
        "edges": {
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.4},
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.4}},
            "color": {"inherit": False},
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": not large,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 110, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 50, "fit": True},
            "minVelocity": 2.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "layout": {"improvedLayout": count <= 150, "randomSeed": 7},
    }


def _layout(view: View) -> dict[str, tuple[float, float]]:
    """Positions for a large view (physics off): organisations in the middle, states around them,
    projects and the rest on the outer ring (networkx's shell layout: no force simulation)."""
    shells: list[list[str]] = [[], [], []]
    for node in view.nodes:
        inner = {"Organisation": 0, "Initiative": 0, "Body": 0, "Document": 0, "State": 1}
        ring = inner.get("Initiative" if node.type in INITIATIVE_KINDS else node.type, 2)
        shells[ring].append(node.id)
    import networkx as nx

    shells = [sorted(s) for s in shells if s]
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in view.nodes)
    radius = 60 * max(len(view.nodes), 50) ** 0.5
    return {k: (float(x), float(y)) for k, (x, y) in nx.shell_layout(graph, shells, scale=radius).items()}


def _node_lines(node: Any) -> list[str]:
    lines = [node.label, f"{node.type} · {node.family}"]
    if node.info.get("iso2"):
        lines.append(f"ISO code {node.info['iso2']}")
    if node.info.get("acronym"):
        lines.append(f"acronym {node.info['acronym']}")
    if node.domains:
        lines.append("capability domain: " + ", ".join(node.domains))
    lines.append(f"id {node.id}")
    return lines


def network(view: View) -> Network:
    """The pyvis network of a view: styled nodes and edges and vis-network options."""
    from pyvis.network import Network

    large = len(view.nodes) > LARGE
    directed = view.kind != "overlap"
    net = Network(directed=directed, cdn_resources="local")
    positions = _layout(view) if large else {}
    degree = Counter([e.source for e in view.edges] + [e.target for e in view.edges])
    for node in view.nodes:
        shape, size = TYPE_SHAPES.get(node.type, TYPE_SHAPES["Thing"])
        colour = FAMILY_COLOURS.get(node.family, FAMILY_COLOURS[OTHER])
        extra: dict[str, Any] = {}
        if node.id in positions:
            extra["x"], extra["y"] = positions[node.id]
        if node.id == view.focus:
            size, extra["borderWidth"] = size + 10, 4
        if node.type == "Organisation" or degree[node.id] > 40:
            extra["font"] = {"size": 20, "bold": True}
        net.add_node(
            node.id,
            label=node.label if len(node.label) <= 40 else node.label[:38] + "…",
            shape=shape,
            size=size,
            color={"background": colour, "border": "#2c3e50", "highlight": {"background": colour}},
            type=node.type,
            family=node.family,
            domains=node.domains,
            details=_node_lines(node),
            **extra,
        )
    for number, edge in enumerate(view.edges):
        style = dict(ROLE_STYLES.get(edge.label.split("/")[0], {"color": "#aab4c0"}))
        colour = style.pop("color")
        if edge.value is not None:
            style["width"] = 1 + 9 * edge.value
        if edge.end and view.kind == "membership" and not view.params.get("at"):
            style["dashes"] = [1, 5]  # a past membership, in the all-dates map
        if edge.basis == "document":  # only loaded documents say so: dashed, thin, see the legend
            style.update(dashes=DOCUMENT_DASHES, width=1)
            colour = DOCUMENT_COLOUR
        net.add_edge(
            edge.source,
            edge.target,
            id=f"e{number}",
            role=edge.label,
            kind=edge.kind,
            basis=edge.basis,
            details=edge.details,
            color={"color": colour, "highlight": "#2c3e50", "opacity": 0.8},
            **style,
        )
    net.set_options(json.dumps(_options(large, directed, len(view.nodes))))
    return net


def _filters(view: View) -> dict[str, list[str]]:
    families = Counter(n.family for n in view.nodes if n.type != "Document")
    return {
        "families": sorted(
            families, key=lambda f: list(FAMILY_COLOURS).index(f) if f in FAMILY_COLOURS else 99
        ),
        "roles": sorted({e.label for e in view.edges}),
        "domains": sorted({d for n in view.nodes for d in n.domains}),
    }


NODE_STYLE_KEYS = ("color", "shape", "size", "font", "borderWidth")
EDGE_STYLE_KEYS = ("color", "width", "dashes", "arrows")


def _factor_styles(items: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Move the style keys of each item into a shared table, leaving an index `s`: a 2,000-node
    view repeats a handful of styles thousands of times (the page's script merges them back)."""
    styles: dict[str, int] = {}
    table: list[dict[str, Any]] = []
    for item in items:
        style = {k: item.pop(k) for k in keys if k in item}
        key = json.dumps(style, sort_keys=True)
        if key not in styles:
            styles[key] = len(table)
            table.append(style)
        item["s"] = styles[key]
        if not item.get("details"):
            item.pop("details", None)
        for axis in ("x", "y"):
            if axis in item:
                item[axis] = round(item[axis])
    return table


def payload(view: View) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON."""
    net = network(view)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    node_styles, edge_styles = _factor_styles(nodes, NODE_STYLE_KEYS), _factor_styles(edges, EDGE_STYLE_KEYS)
    return {
        "nodeStyles": node_styles,
        "edgeStyles": edge_styles,
        "kind": view.kind,
        "title": view.title,
        "focus": view.focus,
        "large": len(view.nodes) > LARGE,
        "colours": FAMILY_COLOURS,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
    }


def _inline_script(code: str) -> str:
    """Script text safe inside `<script>`: `</script` and `<!--` (which would end the element
    or change how it is parsed) escaped in a way that means the same inside strings and regexes."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.I).replace("<!--", "<\\!--")


def render(view: View, *, inline: bool = False) -> str:
    """The page of a view; `inline` puts vis-network and the page's own CSS and JS into the file
    (one self-contained file for `defence-kg view -o`), otherwise they are linked under /assets."""
    data = payload(view)
    filters = _filters(view)
    legend = [(f, FAMILY_COLOURS.get(f, FAMILY_COLOURS[OTHER])) for f in filters["families"]]
    context: dict[str, Any] = {
        "view": view,
        "data_json": script_json(data),
        "filters": filters,
        "legend": legend,
        "shapes": sorted({n.type for n in view.nodes}),
        "document_links": sum(1 for e in view.edges if e.basis == "document"),
        "document_colour": DOCUMENT_COLOUR,
        "inline": inline,
        "counts": {"nodes": len(view.nodes), "edges": len(view.edges)},
        "large": data["large"],
        "labels": sorted({n.label for n in view.nodes}) if len(view.nodes) <= 3000 else [],
    }
    if inline:
        context["inline_css"] = (VIS_ASSETS / "vis-network.css").read_text() + (
            VIEW_ASSETS / "view.css"
        ).read_text()
        scripts = (VIS_ASSETS / "vis-network.min.js").read_text(), (VIEW_ASSETS / "view.js").read_text()
        context["inline_js"] = [_inline_script(s) for s in scripts]
    return _env.get_template("view.html").render(**context)


def landing(
    query: str | None = None,
    results: list[dict[str, Any]] | None = None,
    documents: list[dict[str, Any]] | None = None,
    browser_url: str | None = None,
) -> str:
    """The page a browser gets at `/`: the views, the SPARQL page, the API docs and a search
    (and Neo4j Browser on the managed Neo4j, when there is one)."""
    return _env.get_template("landing.html").render(
        query=query or "", results=results, documents=documents or [], browser_url=browser_url
    )
