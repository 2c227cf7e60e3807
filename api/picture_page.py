"""Drawing the matrix, timeline and framework overview as HTML pages (Jinja2, as the views).

The matrix and the overview are HTML tables; the timeline is an SVG drawn here on the server:
its bars are a date-to-x scale and rectangles, a few lines, where a charting library would bring
a large script whose labels go in as HTML. Text goes through Jinja's autoescaping (labels stay
text), interactivity (sorting, filters, details) is one script file, `static/views/pictures.js`,
so the pages hold no inline script and work under the Content-Security-Policy of `api/security.py`.
"""

from __future__ import annotations

from typing import Any

from defence_kg.api.view_page import FAMILY_COLOURS, VIEW_ASSETS, _env, _inline_script, script_json
from defence_kg.graph.analysis.picture_data import Matrix, Overview, Timeline, date_range, ordinal

ROLE_COLOURS = {
    "member": "#1f5fbf",
    "coordinator": "#e67e22",
    "participant": "#5dade2",
    "third_state_participant": "#c0392b",
    "observer": "#95a5a6",
    "partner": "#16a085",
    "invited": "#9b59b6",
}
WIDTH, LEFT, RIGHT, ROW, TOP = 1120, 300, 30, 20, 46


def _common(inline: bool) -> dict[str, Any]:
    context: dict[str, Any] = {"inline": inline, "role_colours": ROLE_COLOURS, "colours": FAMILY_COLOURS}
    if inline:
        context["inline_css"] = (VIEW_ASSETS / "view.css").read_text() + (
            VIEW_ASSETS / "pictures.css"
        ).read_text()
        context["inline_js"] = [_inline_script((VIEW_ASSETS / "pictures.js").read_text())]
    return context


def _line(role: str, row: dict[str, Any]) -> str:
    dates = f"from {row['from']}" if row.get("from") else "no start date"
    if row.get("to"):
        dates += f" to {row['to']}"
    basis = "curated data" if row["basis"] == "reference" else "only from documents"
    return f"{role.replace('_', ' ')}, {dates} ({basis})"


def _source_ref(source: dict[str, Any], table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A source as an id into `table` (title and address once per page) with its own quote."""
    table.setdefault(source["id"], {k: source[k] for k in ("title", "url") if k in source})
    return {k: v for k, v in source.items() if k not in ("title", "url")}


def render_matrix(m: Matrix, *, inline: bool = False) -> str:
    """The matrix page: one row per state, one column per organisation, initiative or project."""
    cells = {(c.state, c.column): c for c in m.cells}
    columns = {c.id: c for c in m.columns}
    states = {s["id"]: s for s in m.states}
    sources: dict[str, dict[str, Any]] = {}
    details = {
        f"{c.state}|{c.column}": {
            "state": states[c.state]["label"],
            "column": columns[c.column].label,
            "rows": [{**r, "sources": [_source_ref(s, sources) for s in r["sources"]]} for r in c.rows],
        }
        for c in m.cells
    }
    titles = {
        key: f"{states[c.state]['label']} · {columns[c.column].label}: "
        + "; ".join(_line(r["role"], r) for r in c.rows)
        for key, c in cells.items()
    }
    context = {
        **_common(inline),
        "m": m,
        "cells": cells,
        "titles": titles,
        "data_json": script_json(
            {"kind": "matrix", "at": m.at.isoformat(), "cells": details, "sources": sources}
        ),
        "query": {k: v for k, v in m.params.items() if v},
    }
    return _env.get_template("matrix.html").render(**context)


def _x(day: str, first: int, span: int) -> float:
    return round(LEFT + (ordinal(day) - first) / span * (WIDTH - LEFT - RIGHT), 1)


def render_timeline(t: Timeline, *, inline: bool = False, today: str | None = None) -> str:
    """The timeline page: one bar per membership, accession and exit marks, waves, year ticks."""
    first, last = ordinal(t.first[:4] + "-01-01"), ordinal(t.last)
    span = max(last - first, 1)
    end = today or t.last
    bars = []
    for number, bar in enumerate(t.bars):
        x0 = _x(bar.start or t.first, first, span)
        x1 = _x(bar.end or end, first, span)
        bars.append(
            {
                "bar": bar,
                "y": TOP + number * ROW,
                "x0": x0,
                "width": max(x1 - x0, 2.0),
                "x1": x1,
                "title": f"{bar.label}: "
                + _line(bar.role, {"from": bar.start_text, "to": bar.end_text, "basis": bar.basis})
                + "; sources: "
                + ", ".join(s["id"] for s in bar.sources),
                "sources": bar.sources,
            }
        )
    height = TOP + max(len(bars), 1) * ROW + 30
    ticks = [
        {"x": _x(d, first, span), "label": d[:4]} for d in date_range(t.first, t.last) if ordinal(d) <= last
    ]
    waves = [{**w, "x": _x(w["date"], first, span)} for w in t.marks if w["kind"] == "wave"]
    details = {
        str(i): {
            "label": b["bar"].label,
            "role": b["bar"].role,
            "from": b["bar"].start_text,
            "to": b["bar"].end_text,
            "basis": b["bar"].basis,
            "sources": b["sources"],
        }
        for i, b in enumerate(bars)
    }
    context = {
        **_common(inline),
        "t": t,
        "bars": bars,
        "ticks": ticks,
        "waves": waves,
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "top": TOP,
        "row": ROW,
        "axis": {"first": t.first[:4] + "-01-01", "last": t.last, "x0": LEFT, "x1": WIDTH - RIGHT},
        "data_json": script_json({"kind": "timeline", "bars": details, "row": ROW, "top": TOP}),
    }
    return _env.get_template("timeline.html").render(**context)


def render_frameworks(o: Overview, *, inline: bool = False) -> str:
    """The framework overview: an UpSet-style table of exact combinations, each listing its states."""
    biggest = max([len(g.states) for g in o.groups] + [1])
    widest = max([f["count"] for f in o.frameworks] + [1])
    context = {
        **_common(inline),
        "o": o,
        "biggest": biggest,
        "total": sum(len(g.states) for g in o.groups),
        "widest": widest,
        "data_json": script_json({"kind": "frameworks", "at": o.at.isoformat()}),
        "query": {k: v for k, v in o.params.items() if v},
    }
    return _env.get_template("frameworks.html").render(**context)
