"""What each graph view shows: nodes and edges read from the store, before any drawing.

Four views: the membership map (states and what they belong to), the ego view of one entity, the
overlap map (initiatives linked by overlap score) and the document view (what one loaded
document contributed). Each returns a `View`; `defence_kg.api.view_page` draws it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import BadQuery
from defence_kg.graph.analysis import document_reads, lookup
from defence_kg.graph.analysis import membership_rows as mr
from defence_kg.graph.analysis.overlaps import overlap_pairs
from defence_kg.graph.queries import sparql_queries as q
from defence_kg.graph.queries import view_queries as vq
from defence_kg.graph.store.base import Store
from defence_kg.loaders.documents.write import document_iri
from defence_kg.ontology import ID

BASE = str(ID)
DKG_STATE = "https://w3id.org/defence-kg/ontology#State"
EU_MEMBER_STATE, THIRD_STATE, OTHER = "EU member state", "third state", "other"
MAX_DEPTH = 3
MAX_EGO_NODES = 1500
DEFAULT_MIN_SCORE = 0.4  # the overlap map's default cut: about 350 of 5,000 scored pairs


@dataclass
class ViewNode:
    """An entity as a view shows it; `family` is the organisation family (EU, NATO, ad hoc...) or,
    for a state, whether it is an EU member state or a third state."""

    id: str
    label: str
    type: str
    family: str = OTHER
    domains: list[str] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)


@dataclass
class ViewEdge:
    """A link between two nodes; `label` is the role or relation, `details` lines for the tooltip."""

    source: str
    target: str
    label: str
    kind: str
    start: str | None = None
    end: str | None = None
    value: float | None = None
    details: list[str] = field(default_factory=list)
    basis: str = "reference"  # a membership only loaded documents state: "document"


@dataclass
class View:
    kind: str
    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    params: dict[str, Any] = field(default_factory=dict)
    focus: str | None = None
    note: str | None = None


def short_id(iri: str) -> str:
    """The id the API uses for an entity IRI (`DE`, `pesco`, `candidate/erip`)."""
    return iri.removeprefix(BASE)


def _active(start: str | None, end: str | None, at: dt.date | None) -> bool:
    """Whether a membership holds on `at` (as `lookup.members` decides; no date: always)."""
    if at is None:
        return True
    day = at.isoformat()
    return start is not None and start <= day and (end is None or end >= day)


def _nodes(store: Store, iris: list[str]) -> dict[str, ViewNode]:
    """Labels, types, families and domains of the given IRIs, keyed by IRI."""
    if not iris:
        return {}
    rows = store.select(q.bind_many(vq.NODE_DETAILS, "node", _terms(iris))).rows
    found: dict[str, ViewNode] = {}
    classes: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        iri = row["node"]
        node = found.setdefault(iri, ViewNode(id=short_id(iri), label=row["label"], type="Thing"))
        if row.get("class"):
            classes[iri].append(row["class"])
        if row.get("family"):
            node.family = row["family"]
        if row.get("domain"):
            for domain in str(row["domain"]).split(","):
                if domain.strip() and domain.strip() not in node.domains:
                    node.domains.append(domain.strip())
        for key in ("iso2", "acronym"):
            if row.get(key) and key not in node.info:
                node.info[key] = row[key]
    for iri, node in found.items():
        node.type = lookup._most_specific_type(classes[iri])
        if "candidate/" in node.id:
            node.type = "Candidate"
        if node.type == "State":
            node.info.pop("acronym", None)
    for iri in iris:  # an IRI without a label still gets a node
        found.setdefault(
            iri, ViewNode(id=short_id(iri), label=short_id(iri).rsplit("/", 1)[-1], type="Thing")
        )
    return found


def _terms(iris: list[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(iri) for iri in iris]


def _state_families(nodes: dict[str, ViewNode], eu_members: set[str]) -> None:
    for iri, node in nodes.items():
        if node.type == "State":
            node.family = EU_MEMBER_STATE if iri in eu_members else THIRD_STATE


def _eu_members(store: Store, at: dt.date | None) -> set[str]:
    rows = store.select(vq.STATE_MEMBERSHIPS).rows
    return {
        r["member"]
        for r in rows
        if r["org"] == BASE + "eu" and r["role"] == "member" and _active(r.get("from"), r.get("to"), at)
    }


def _dates(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}"
    return f"until {end}" if end else "dates not given"


def _basis_line(basis: str, sources: list[dict[str, Any]]) -> str:
    if basis == "document":
        return "only from documents: " + ", ".join(s["id"] for s in sources)
    return "sources: " + ", ".join(s["id"] for s in sources)


def membership_view(store: Store, at: dt.date | None = None) -> View:
    """States and the organisations, initiatives and projects they belong to (on `at`, if given):
    one link per state, organisation, role and period (`lookup`'s merged rows, with their basis)."""
    rows = [r for r in lookup.state_memberships(store) if mr.holds(r, at)]
    iris = sorted({BASE + r["id"] for r in rows} | {BASE + r["organisation"] for r in rows})
    nodes = _nodes(store, iris)
    eu = {BASE + r["id"] for r in rows if r["organisation"] == "eu" and r["role"] == "member"}
    _state_families(nodes, eu)
    edges = []
    for r in sorted(rows, key=lambda r: (r["id"], r["organisation"], r["role"], r.get("_start") or "")):
        member, org = nodes[BASE + r["id"]], nodes[BASE + r["organisation"]]
        edges.append(
            ViewEdge(
                source=member.id,
                target=org.id,
                label=r["role"],
                kind="membership",
                start=r.get("_start"),
                end=r.get("_end"),
                details=[
                    f"{member.label} → {org.label}",
                    f"{r['role']}, {_dates(r.get('_start'), r.get('_end'))}",
                    _basis_line(r["basis"], r["sources"]),
                ],
                basis=r["basis"],
            )
        )
    title = f"Membership map on {at.isoformat()}" if at else "Membership map (all dates)"
    return View("membership", title, list(nodes.values()), edges, {"at": at.isoformat() if at else None})


def ego_view(store: Store, entity_id: str, depth: int = 1, at: dt.date | None = None) -> View:
    """An entity and everything within `depth` links of it (memberships, claims, parts)."""
    if not 1 <= depth <= MAX_DEPTH:
        raise BadQuery(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
    centre = lookup.entity(store, entity_id)  # NotFound for an unknown id
    seen = {centre["iri"]}
    frontier = [centre["iri"]]
    links: dict[tuple[str, str, str, str | None], dict[str, Any]] = {}
    note = None
    for _ in range(depth):
        if not frontier:
            break
        rows = _with_dates(store, store.select(q.bind_many(vq.NEIGHBOURS, "node", _terms(frontier))).rows)
        reached = []
        for r in rows:
            if r["other"].startswith(str(document_iri(""))) or not _active_link(r, at):
                continue
            source, target = (r["node"], r["other"]) if r["outgoing"] else (r["other"], r["node"])
            if r["other"] not in seen:
                if len(seen) >= MAX_EGO_NODES:
                    note = f"cut at {MAX_EGO_NODES} nodes: lower the depth to see all of it"
                    continue
                seen.add(r["other"])
                reached.append(r["other"])
            key = (source, target, r["label"], r.get("from"))
            if key not in links or (links[key].get("document") and not r.get("document")):
                links[key] = r  # a curated membership wins over a document's with the same key
        frontier = reached
    nodes = _nodes(store, sorted(seen))
    _state_families(nodes, _eu_members(store, at))
    curated = {key[:3] for key, r in links.items() if r["kind"] == "membership" and not r.get("document")}
    edges = []
    for (source, target, label, start), r in sorted(links.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if r.get("document") and (source, target, label) in curated:
            continue  # a document repeating a curated membership: one link, the curated one
        a, b = nodes[source], nodes[target]
        lines = [f"{a.label} → {b.label}", label]
        basis = "document" if r.get("document") else "reference"
        if r["kind"] == "membership":
            lines[1] = f"{label}, {_dates(start, r.get('to'))}"
            if basis == "document":
                lines.append("only from documents")
        edges.append(ViewEdge(a.id, b.id, label, r["kind"], start, r.get("to"), details=lines, basis=basis))
    title = f"{centre['label']}: links to depth {depth}" + (f" on {at.isoformat()}" if at else "")
    params = {"id": entity_id, "depth": depth, "at": at.isoformat() if at else None}
    return View("ego", title, list(nodes.values()), edges, params, focus=short_id(centre["iri"]), note=note)


def _with_dates(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` with the start (`from`) and end (`to`) of each membership row's `m`, and `document`
    when every source of it is a loaded document."""
    memberships = sorted({r["m"] for r in rows if r.get("m")})
    dates: dict[tuple[str, str], str] = {}
    sources: dict[str, list[bool]] = defaultdict(list)  # per membership: is each source a document?
    if memberships:
        details = store.select(q.bind_many(q.MEMBERSHIP_DETAILS, "m", _terms(memberships))).rows
        dates = {(d["m"], d["kind"]): d["date"] for d in details if d["kind"] in ("from", "to")}
        for d in details:
            if d["kind"] == "source":
                sources[d["m"]].append(bool(d.get("document")))
    for row in rows:
        if row.get("m"):
            row["from"], row["to"] = dates.get((row["m"], "from")), dates.get((row["m"], "to"))
            row["document"] = bool(sources[row["m"]]) and all(sources[row["m"]])
    return rows


def _active_link(row: dict[str, Any], at: dt.date | None) -> bool:
    return row["kind"] != "membership" or _active(row.get("from"), row.get("to"), at)


def overlap_edges(store: Store, at: dt.date | None = None, min_score: float = 0.0) -> list[dict[str, Any]]:
    """Scored pairs of initiatives, organisations and projects (`defence_kg.graph.analysis.overlaps`), as
    plain dicts: a, b, a_label, b_label, a_family, b_family, at, score, cross_line, components
    (name, score, weight, contribution, explanation, details) and evidence (kind, quote, document,
    source, statement); best first, those scoring at least `min_score`, on `at` (default today)."""
    return [o.model_dump(mode="json") for o in overlap_pairs(store, at=at, min_score=min_score)]


def overlap_view(store: Store, at: dt.date | None = None, min_score: float = DEFAULT_MIN_SCORE) -> View:
    """Pairs linked by overlap score (edge width) from `min_score` up, with components and evidence;
    each link is labelled by the component contributing most (membership, function, evidence...)."""
    if not 0 <= min_score <= 1:
        raise BadQuery(f"min_score must be between 0 and 1, not {min_score}")
    pairs = overlap_edges(store, at, min_score)
    iris = sorted({BASE + p["a"] for p in pairs} | {BASE + p["b"] for p in pairs})
    nodes = _nodes(store, iris)
    _state_families(nodes, _eu_members(store, at))
    edges = []
    for p in pairs:
        lines = [f"{p['a_label']} ↔ {p['b_label']}", f"score {p['score']:.2f} on {p['at']}"]
        if p["cross_line"]:
            lines.append(f"across institutional lines: {p['a_family']} / {p['b_family']}")
        for c in p["components"]:
            share = f"{c['score']:.2f} x {c['weight']}"
            lines.append(f"{c['name']}: {c['contribution']:.2f} ({share}) — {c['explanation']}")
        for e in p["evidence"]:
            quote = f" “{e['quote']}”" if e["quote"] else ""
            lines.append(f"{e['kind']} ({e['document'] or e['source']}){quote}")
        main = max(p["components"], key=lambda c: c["contribution"])["name"] if p["components"] else "score"
        edges.append(ViewEdge(p["a"], p["b"], main, "overlap", value=p["score"], details=lines))
    title = f"Overlap map, scores from {min_score:.2f}" + (f" on {at.isoformat()}" if at else "")
    params = {"at": at.isoformat() if at else None, "min_score": min_score}
    note = f"{len(pairs)} pairs score {min_score:.2f} or more" + ("" if pairs else ": lower the minimum")
    return View("overlap", title, list(nodes.values()), edges, params, note=note)


def document_view(store: Store, doc_id: str) -> View:
    """What one loaded document contributed: its statements as links between the entities."""
    statements = document_reads.statements(store, doc_id)  # NotFound for an unknown document
    title_rows = store.select(vq.DOCUMENT_TITLE, {"doc": ox.NamedNode(str(document_iri(doc_id)))}).rows
    title = title_rows[0]["title"] if title_rows else doc_id
    ids = {s[k] for s in statements for k in ("subject", "object") if isinstance(s.get(k), str)}
    known = sorted(BASE + i for i in ids if not i.startswith("?"))
    nodes = {n.id: n for n in _nodes(store, known).values()}
    _state_families({BASE + k: n for k, n in nodes.items()}, _eu_members(store, None))
    for i in sorted(ids):
        if i.startswith("?") and i not in nodes:
            nodes[i] = ViewNode(id=i, label=i[1:].replace("-", " "), type="Candidate")
    doc_node = f"document:{doc_id}"
    nodes[doc_node] = ViewNode(id=doc_node, label=title, type="Document")
    edges = []
    for s in statements:
        subject, obj = s.get("subject"), s.get("object")
        if not isinstance(subject, str):
            continue
        lines = [f"{s['relation']} ({s['method']}, confidence {float(s['confidence']):.2f})"]
        if s.get("date"):
            lines.append(f"date: {s['date']}")
        if s.get("value") is not None:
            lines.append(f"value: {s['value']} {s.get('unit') or ''}".rstrip())
        lines.append(f"“{s['quote']}”")
        if not isinstance(obj, str) or s["relation"] == "count":
            edges.append(ViewEdge(subject, doc_node, s["relation"], "statement", details=lines))
        else:
            edges.append(ViewEdge(subject, obj, s["relation"], "statement", details=lines))
    return View(
        "document",
        f"Document: {title}",
        list(nodes.values()),
        edges,
        {"id": doc_id},
        focus=doc_node,
        note=f"{len(statements)} statements",
    )
