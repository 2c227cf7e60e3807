"""What the matrix, timeline and framework overview show, read from the store before drawing.

All three read the merged membership rows of `lookup` (one per party, role and period, with its
`basis`), so a cell, a bar or a group says exactly what `/members` says on the same date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from defence_kg.errors import BadQuery
from defence_kg.graph.analysis import lookup
from defence_kg.graph.analysis import membership_rows as mr
from defence_kg.graph.analysis.view_data import BASE, EU_MEMBER_STATE, THIRD_STATE, _nodes

# Strongest first: a cell holding several roles takes the colour of the first.
ROLE_ORDER = (
    "member",
    "coordinator",
    "participant",
    "third_state_participant",
    "observer",
    "partner",
    "invited",
)
BELONGING = ("member", "participant", "coordinator")  # what counts as being in a framework
COLUMN_TYPES = ("Organisation", "Initiative", "Body", "Project")
MAIN_FRAMEWORKS = ("eu", "nato", "pesco", "eda", "jef", "e2i")
MIN_FRAMEWORK_STATES = 3  # smaller groupings (a framework nation and its partners) are not frameworks
MAX_FRAMEWORKS = 10
FRAMEWORK_TYPES = ("Organisation", "Initiative", "Body")


def _sources_text(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {k: s[k] for k in ("id", "title", "url", "basis", "quote", "confidence") if k in s}
        for s in row.get("sources", [])
    ]


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


@dataclass
class Column:
    id: str
    label: str
    type: str
    family: str
    acronym: str | None = None
    count: int = 0


@dataclass
class Cell:
    state: str
    column: str
    roles: list[str]
    basis: str  # reference when any of its rows rests on the curated data
    rows: list[dict[str, Any]] = field(default_factory=list)  # role, from, to, basis, sources

    @property
    def role(self) -> str:
        return self.roles[0]


@dataclass
class Matrix:
    at: dt.date
    states: list[dict[str, Any]]  # id, label, iso2, family, count
    columns: list[Column]
    cells: list[Cell]
    families: list[str]
    roles: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    title: str = ""


def _split(value: str | None) -> list[str]:
    """Comma-separated entity ids; one that is no id at all is a bad request, not a look-up."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _split_ids(value: str | None) -> list[str]:
    """Comma-separated entity ids; one that is no id at all is a bad request, not a look-up."""
    ids = _split(value)
    for ident in ids:
        if not lookup.ID_PATTERN.match(ident):
            raise BadQuery(f"{ident[:80]!r} is not an entity id")
    return ids


def matrix(
    store: Any,
    at: dt.date | None = None,
    columns: str | None = None,
    family: str | None = None,
    type: str | None = None,
    basis: str | None = None,
) -> Matrix:
    """States (rows) by organisations, initiatives and projects (columns) on `at` (default today):
    `columns` a comma-separated list of ids, `family` / `type` comma-separated filters."""
    day = at or dt.date.today()
    basis = basis or None  # an empty form field means no filter
    if basis is not None and basis not in mr.BASES:
        raise BadQuery(f"basis must be one of {', '.join(mr.BASES)}, not {basis!r}")
    wanted, families, types = _split_ids(columns), set(_split(family)), set(_split(type))
    bad = types - set(COLUMN_TYPES)
    if bad:
        raise BadQuery(f"type must be among {', '.join(COLUMN_TYPES)}, not {', '.join(sorted(bad))}")
    rows = [
        r
        for r in lookup.state_memberships(store)
        if mr.holds(r, day) and (basis is None or r["basis"] == basis)
    ]
    nodes = _nodes(store, sorted({BASE + r["organisation"] for r in rows} | {BASE + i for i in wanted}))
    unknown = [i for i in wanted if nodes[BASE + i].type not in COLUMN_TYPES]
    if unknown:
        raise BadQuery(f"no organisation, initiative or project with id {', '.join(map(repr, unknown))}")
    cols: dict[str, Column] = {}
    for iri, node in nodes.items():
        ident = iri.removeprefix(BASE)
        if node.type not in COLUMN_TYPES or (wanted and ident not in wanted):
            continue
        if (families and node.family not in families) or (types and node.type not in types):
            continue
        cols[ident] = Column(ident, node.label, node.type, node.family, node.info.get("acronym"))
    eu = {r["id"] for r in rows if r["organisation"] == "eu" and r["role"] == "member"}
    cells: dict[tuple[str, str], Cell] = {}
    states: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["organisation"] not in cols:
            continue
        state = states.setdefault(
            r["id"],
            {
                "id": r["id"],
                "label": r["label"],
                "iso2": r.get("iso2", r["id"]),
                "family": EU_MEMBER_STATE if r["id"] in eu else THIRD_STATE,
                "count": 0,
            },
        )
        cell = cells.get((r["id"], r["organisation"]))
        if cell is None:
            cell = cells[(r["id"], r["organisation"])] = Cell(r["id"], r["organisation"], [], r["basis"])
            state["count"] += 1
            cols[r["organisation"]].count += 1
        cell.rows.append(
            {
                "role": r["role"],
                "from": r.get("from"),
                "to": r.get("to"),
                "basis": r["basis"],
                "confidence": r.get("confidence"),
                "sources": _sources_text(r),
            }
        )
        if r["basis"] == mr.REFERENCE:
            cell.basis = mr.REFERENCE
    for cell in cells.values():  # curated rows first: a document's role never hides the curated one
        cell.rows.sort(key=lambda x: (x["basis"] != mr.REFERENCE, _role_rank(x["role"]), x["from"] or ""))
        cell.roles = list(dict.fromkeys(r["role"] for r in cell.rows))
    order = {f: i for i, f in enumerate(("EU", "NATO", "ad hoc", "multinational", "US", "national"))}
    columns_sorted = sorted(
        cols.values(), key=lambda c: (order.get(c.family, 99), COLUMN_TYPES.index(c.type), -c.count, c.label)
    )
    params = {
        "at": day.isoformat(),
        "columns": columns or None,
        "family": family or None,
        "type": type or None,
    }
    params["basis"] = basis
    return Matrix(
        at=day,
        states=sorted(states.values(), key=lambda s: s["label"]),
        columns=columns_sorted,
        cells=sorted(cells.values(), key=lambda c: (c.state, c.column)),
        families=sorted({c.family for c in cols.values()}, key=lambda f: order.get(f, 99)),
        roles=sorted({role for c in cells.values() for role in c.roles}, key=_role_rank),
        params=params,
        title=f"Membership matrix on {day.isoformat()}",
    )


@dataclass
class Bar:
    id: str  # the other party
    label: str
    type: str
    role: str
    start: str | None  # full ISO dates
    end: str | None
    start_text: str | None
    end_text: str | None
    basis: str
    sources: list[dict[str, Any]]
    confidence: float | None = None


@dataclass
class Timeline:
    entity: dict[str, Any]
    bars: list[Bar]
    undated: list[Bar]
    marks: list[dict[str, str]]  # date, label, kind (accession, exit, wave)
    first: str
    last: str
    title: str = ""


def _bar(row: dict[str, Any]) -> Bar:
    return Bar(
        id=row["id"],
        label=row["label"],
        type=row["type"],
        role=row["role"],
        start=row.get("_start"),
        end=row.get("_end"),
        start_text=row.get("from"),
        end_text=row.get("to"),
        basis=row["basis"],
        sources=_sources_text(row),
        confidence=row.get("confidence"),
    )


def _waves(store: Any, entity_id: str, entity: dict[str, Any]) -> list[dict[str, str]]:
    """Wave marks: for an initiative with projects in waves (PESCO), the first adoption date of
    each wave; for a project in a wave, its own adoption."""
    parts = [p for p in lookup.parts(store, entity_id) if p.get("wave") is not None and p.get("adopted")]
    by_wave: dict[int, str] = {}
    for part in parts:
        wave, adopted = int(part["wave"]), str(part["adopted"])[:10]
        by_wave[wave] = min(by_wave.get(wave, adopted), adopted)
    marks = [{"date": d, "label": f"wave {w}", "kind": "wave"} for w, d in sorted(by_wave.items())]
    if not marks:
        rows = store.select(
            "PREFIX dkg: <https://w3id.org/defence-kg/ontology#> "
            "SELECT ?wave ?adopted WHERE { ?entity dkg:wave ?wave ; dkg:adopted ?adopted }",
            {"entity": lookup._node(entity_id)},
        ).rows
        marks = [{"date": str(r["adopted"])[:10], "label": f"wave {r['wave']}", "kind": "wave"} for r in rows]
    return marks


def timeline(store: Any, entity_id: str, today: dt.date | None = None) -> Timeline:
    """Everything an entity's members did over time (each a bar from joining to leaving) or, for
    a state, everything it belongs to; accessions, exits and PESCO-style waves marked."""
    entity = lookup.entity(store, entity_id)  # NotFound for an unknown id
    is_state = entity["type"] == "State"
    rows = lookup.dated_rows(store, entity_id, of_member=is_state)
    bars = sorted(
        (_bar(r) for r in rows if r.get("_start")),
        key=lambda b: (b.start or "", b.label, _role_rank(b.role)),
    )
    undated = [_bar(r) for r in rows if not r.get("_start")]
    marks: list[dict[str, str]] = []
    for bar in bars:
        marks.append({"date": bar.start or "", "label": f"{bar.label} joins", "kind": "accession"})
        if bar.end:
            marks.append({"date": bar.end, "label": f"{bar.label} leaves", "kind": "exit"})
    if not is_state:
        marks += _waves(store, entity_id, entity)
    day = (today or dt.date.today()).isoformat()
    dates = [m["date"] for m in marks if m["date"]] or [day]
    first = min(dates)
    last = max([*dates, day])
    title = f"{entity['label']}: " + ("what it belongs to over time" if is_state else "members over time")
    return Timeline(entity, bars, undated, marks, first, last, title)


@dataclass
class Group:
    frameworks: list[str]  # ids, in the overview's order
    states: list[dict[str, Any]]  # id, label, document (True when a membership rests on documents only)


@dataclass
class Overview:
    at: dt.date
    frameworks: list[dict[str, Any]]  # id, label, family, count
    groups: list[Group]
    title: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def frameworks(store: Any, at: dt.date | None = None, chosen: str | None = None) -> Overview:
    """Which states belong (member, participant or coordinator) to which combination of the main
    frameworks on `at` (default today): each state in exactly one group, its exact combination.
    Frameworks: `chosen` (comma-separated ids), else every organisation, initiative or body with
    at least MIN_FRAMEWORK_STATES states (projects aside), the main ones first, MAX_FRAMEWORKS at most."""
    day = at or dt.date.today()
    rows = [r for r in lookup.state_memberships(store) if mr.holds(r, day) and r["role"] in BELONGING]
    members: dict[str, dict[str, str]] = {}  # framework -> state -> basis
    labels: dict[str, str] = {}
    for r in rows:
        entry = members.setdefault(r["organisation"], {})
        if entry.get(r["id"]) != mr.REFERENCE:
            entry[r["id"]] = r["basis"]
        labels[r["id"]] = r["label"]
    nodes = _nodes(store, sorted(BASE + o for o in members | dict.fromkeys(_split_ids(chosen))))
    wanted = _split(chosen)
    for ident in wanted:
        if nodes[BASE + ident].type not in COLUMN_TYPES:
            raise BadQuery(f"no organisation, initiative or project with id {ident!r}")
    if not wanted:
        eligible = [
            o
            for o, m in members.items()
            if nodes[BASE + o].type in FRAMEWORK_TYPES and len(m) >= MIN_FRAMEWORK_STATES
        ]
        main = {f: i for i, f in enumerate(MAIN_FRAMEWORKS)}
        eligible.sort(key=lambda o: (main.get(o, len(main)), -len(members[o]), o))
        wanted = eligible[:MAX_FRAMEWORKS]
    combos: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for state in sorted({s for f in wanted for s in members.get(f, {})}):
        combo = tuple(f for f in wanted if state in members.get(f, {}))
        document = any(members[f][state] == mr.DOCUMENT for f in combo)
        combos.setdefault(combo, []).append({"id": state, "label": labels[state], "document": document})
    groups = [Group(list(c), sorted(s, key=lambda x: x["label"])) for c, s in combos.items()]
    groups.sort(key=lambda g: (-len(g.states), -len(g.frameworks), g.frameworks))
    framework_rows = [
        {
            "id": f,
            "label": nodes[BASE + f].label,
            "acronym": nodes[BASE + f].info.get("acronym"),
            "family": nodes[BASE + f].family,
            "count": len(members.get(f, {})),
        }
        for f in wanted
    ]
    params = {"at": day.isoformat(), "frameworks": chosen}
    return Overview(day, framework_rows, groups, f"Framework overview on {day.isoformat()}", params)


def date_range(first: str, last: str) -> list[str]:
    """Year ticks (1 January) between two ISO dates: every year, or every 5 or 10 on long spans."""
    start, end = int(first[:4]), int(last[:4]) + 1
    step = 1 if end - start <= 15 else 5 if end - start <= 60 else 10
    years = [y for y in range(start, end + 1) if y % step == 0 or step == 1]
    return [f"{y}-01-01" for y in years]


def ordinal(day: str) -> int:
    """Days since 0001-01-01 of an ISO date (for positions on an axis)."""
    return dt.date.fromisoformat(day[:10]).toordinal()
