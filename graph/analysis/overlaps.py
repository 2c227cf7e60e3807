"""Overlap and duplication between initiatives and projects: scored, explained, reproducible.

An assessment of two entities on a date is the sum of weighted components, each with a score from
0 to 1, its contribution (weight x score) and an explanation in words:

- membership: shared states on that date; the score is the mean of Jaccard (shared / all) and
  containment (shared / the smaller side), so a project inside a larger alliance still counts;
- function: shared capability domains (Jaccard over the sourced domains of each);
- institution: 1 across institutional lines (EU / NATO / ad hoc / national / US), 0.5 for the same
  family but different frameworks, 0 inside one framework (two PESCO projects);
- evidence: overlap, duplication or complementarity claims naming the two, from the reference data
  and from loaded documents, with their quotes.

The institution component only weighs pairs that share something else: on its own it would make
every cross-line pair "overlap". Example::

    >>> overlap_detail(store, "card", "ndpp").components[0].name
    'membership'
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel

from defence_kg.errors import NotFound
from defence_kg.graph.analysis.overlap_index import OverlapData, pair_key, read_overlap_data, shared_counts
from defence_kg.graph.store.base import Store

WEIGHTS: dict[str, float] = {"membership": 0.3, "function": 0.3, "institution": 0.15, "evidence": 0.25}
KIND_SCORE = {"duplication": 1.0, "overlap": 0.8, "complementarity": 0.6}
EXTRA_SOURCE_BONUS = 0.1
LINES = ("EU", "NATO", "ad hoc", "national", "US", "multinational")


class OverlapComponent(BaseModel):
    name: Literal["membership", "function", "institution", "evidence", "mandate"]
    score: float  # 0..1
    weight: float
    contribution: float  # weight*score, adds up to the pair's score
    explanation: str
    details: dict[str, Any]


class OverlapEvidence(BaseModel):
    kind: Literal["overlap", "duplication", "complementarity"]
    quote: str | None
    document: str | None  # document id, or None for reference data
    source: str  # source id or document id
    statement: str  # IRI of the Statement/Claim


class Overlap(BaseModel):
    a: str
    b: str
    a_label: str
    b_label: str
    a_family: str | None
    b_family: str | None
    at: dt.date
    score: float
    cross_line: bool
    components: list[OverlapComponent]
    evidence: list[OverlapEvidence]


def _round(value: float) -> float:
    return round(value, 4)


def membership_score(shared: int, size_a: int, size_b: int) -> float:
    """Mean of Jaccard and containment; 0 when either side has no members."""
    if not size_a or not size_b:
        return 0.0
    return (shared / (size_a + size_b - shared) + shared / min(size_a, size_b)) / 2


def function_score(shared: int, size_a: int, size_b: int) -> float:
    """Jaccard over the two sets of capability domains."""
    if not size_a or not size_b:
        return 0.0
    return shared / (size_a + size_b - shared)


def institution_score(data: OverlapData, a: str, b: str) -> float:
    fa, fb = data.entities[a].family, data.entities[b].family
    if fa is None or fb is None:
        return 0.0
    if fa != fb:
        return 1.0
    return 0.0 if data.framework(a) == data.framework(b) else 0.5


def evidence_score(claims: list[Any]) -> float:
    """The strongest claim's kind, plus a bonus for each further independent source."""
    if not claims:
        return 0.0
    strongest = max(KIND_SCORE[c.kind] for c in claims)
    return min(1.0, strongest + EXTRA_SOURCE_BONUS * (len({c.source for c in claims}) - 1))


def total(scores: dict[str, float]) -> float:
    """The pair's score from its component scores, rounded exactly as the components are;
    institution counts only when something else is shared."""
    parts = {name: _round(WEIGHTS[name] * _round(score)) for name, score in scores.items()}
    if all(_round(score) == 0 for name, score in scores.items() if name != "institution"):
        parts["institution"] = 0.0
    return _round(sum(parts.values()))


def _component(name: str, score: float, explanation: str, details: dict[str, Any]) -> OverlapComponent:
    weight = WEIGHTS[name]
    score = _round(score)
    return OverlapComponent(
        name=name,  # type: ignore[arg-type]
        score=score,
        weight=weight,
        contribution=_round(weight * score),
        explanation=explanation,
        details=details,
    )


def _names(values: list[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def membership_component(
    data: OverlapData, a: str, b: str, ma: frozenset[str], mb: frozenset[str], at: dt.date
) -> OverlapComponent:
    shared = sorted(ma & mb)
    details: dict[str, Any] = {
        "shared": shared,
        "a_members": len(ma),
        "b_members": len(mb),
        "jaccard": 0.0,
        "containment": 0.0,
    }
    if not ma or not mb:
        missing = [data.entities[x].label for x, m in ((a, ma), (b, mb)) if not m]
        return _component(
            "membership", 0.0, f"No members known on {at} for {' and '.join(missing)}.", details
        )
    jaccard = len(shared) / len(ma | mb)
    containment = len(shared) / min(len(ma), len(mb))
    details.update(jaccard=_round(jaccard), containment=_round(containment))
    score = membership_score(len(shared), len(ma), len(mb))
    claimed = sorted(set(shared) & (data.document_only_on(a, at) | data.document_only_on(b, at)))
    details["document_only"] = claimed  # shared, but on one side only on the word of documents
    if not shared:
        text = f"No shared members on {at} ({len(ma)} and {len(mb)} members)."
    else:
        text = (
            f"{len(shared)} shared members on {at} ({_names(shared)}) of {len(ma)} and {len(mb)}: "
            f"Jaccard {jaccard:.2f}, containment {containment:.2f}; score is their mean."
        )
        if claimed:
            text += f" Only from documents, not the curated data: {_names(claimed)}."
    return _component("membership", score, text, details)


def function_component(data: OverlapData, a: str, b: str) -> OverlapComponent:
    da, db = data.domains.get(a, set()), data.domains.get(b, set())
    shared = sorted(da & db)
    details: dict[str, Any] = {"shared": shared, "a_domains": sorted(da), "b_domains": sorted(db)}
    if not da or not db:
        missing = [data.entities[x].label for x, d in ((a, da), (b, db)) if not d]
        return _component(
            "function", 0.0, f"No sourced capability domain for {' and '.join(missing)}.", details
        )
    score = function_score(len(shared), len(da), len(db))
    if shared:
        labels = [data.domain_labels.get(d, d) for d in shared]
        text = f"Both work in {_names(labels)} ({len(shared)} of {len(da | db)} domains between them)."
    else:
        text = f"No shared capability domain ({len(da)} and {len(db)} domains)."
    return _component("function", score, text, details)


def institution_component(data: OverlapData, a: str, b: str) -> tuple[OverlapComponent, bool]:
    fa, fb = data.entities[a].family, data.entities[b].family
    frame_a, frame_b = data.framework(a), data.framework(b)
    details: dict[str, Any] = {"a_family": fa, "b_family": fb, "a_framework": frame_a, "b_framework": frame_b}
    cross = fa is not None and fb is not None and fa != fb
    if cross:
        return _component("institution", 1.0, f"Across institutional lines: {fa} and {fb}.", details), True
    if fa is None or fb is None:
        return _component("institution", 0.0, "Family unknown for one of the two.", details), False
    if frame_a == frame_b:
        name = data.entities[frame_a].label if frame_a in data.entities else frame_a
        return _component(
            "institution", 0.0, f"Same framework ({name}): coordinated inside it.", details
        ), False
    text = f"Both {fa}, in different frameworks ({frame_a} and {frame_b})."
    return _component("institution", 0.5, text, details), False


def evidence_component(data: OverlapData, a: str, b: str) -> tuple[OverlapComponent, list[OverlapEvidence]]:
    claims = data.claims.get(pair_key(a, b), [])
    evidence = [
        OverlapEvidence(
            kind=c.kind, quote=c.quote, document=c.document, source=c.source, statement=c.statement
        )  # type: ignore[arg-type]
        for c in claims
    ]
    kinds = sorted({c.kind for c in claims}, key=lambda k: -KIND_SCORE[k])
    sources = sorted({c.source for c in claims})
    details: dict[str, Any] = {"claims": len(claims), "kinds": kinds, "sources": sources}
    if not claims:
        return _component(
            "evidence", 0.0, "No overlap, duplication or complementarity claim found.", details
        ), []
    score = evidence_score(claims)
    text = (
        f"{len(claims)} claim(s) from {len(sources)} source(s) ({_names(sources, 4)}): "
        f"strongest is {kinds[0]}; each further source adds {EXTRA_SOURCE_BONUS}."
    )
    return _component("evidence", score, text, details), evidence


def assess(
    data: OverlapData, a: str, b: str, at: dt.date, members: dict[str, frozenset[str]] | None = None
) -> Overlap:
    """The assessment of `a` and `b` on `at` (both must be in `data`)."""
    ma = members[a] if members is not None and a in members else data.members_on(a, at)
    mb = members[b] if members is not None and b in members else data.members_on(b, at)
    institution, cross = institution_component(data, a, b)
    evidence_part, evidence = evidence_component(data, a, b)
    components = [
        membership_component(data, a, b, ma, mb, at),
        function_component(data, a, b),
        institution,
        evidence_part,
    ]
    if all(c.score == 0 for c in components if c.name != "institution"):  # as in total()
        components[2] = institution.model_copy(
            update={
                "contribution": 0.0,
                "explanation": institution.explanation + " Not counted: nothing shared.",
            }
        )
    ea, eb = data.entities[a], data.entities[b]
    return Overlap(
        a=a,
        b=b,
        a_label=ea.label,
        b_label=eb.label,
        a_family=ea.family,
        b_family=eb.family,
        at=at,
        score=_round(sum(c.contribution for c in components)),
        cross_line=cross,
        components=components,
        evidence=evidence,
    )


def pair_scores(
    data: OverlapData, at: dt.date, *, entity: str | None = None
) -> tuple[dict[tuple[str, str], float], dict[str, frozenset[str]]]:
    """The score of every pair with something in common (or of `entity`'s pairs), from the
    inverted indexes: numbers only, no models, so that all pairs of a large graph stay cheap."""
    members = {e: m for e in data.members if (m := data.members_on(e, at))}
    names = sorted(data.entities)
    order = {name: i for i, name in enumerate(names)}
    size = len(names)
    by_members = shared_counts(members, order, entity)
    by_domains = shared_counts(data.domains, order, entity)
    keys = set(by_members) | set(by_domains)
    for a, b in data.claims:
        if entity is None or entity in (a, b):
            keys.add(order[a] * size + order[b])
    # hot loop: plain locals, the same arithmetic and rounding as total() and the components
    ancestors = {e: frozenset(data.ancestors(e)) for e in data.parents}
    family = {e: c.family for e, c in data.entities.items()}
    frame = {e: data.framework(e) for e in data.entities}
    w_m, w_f, w_i, w_e = (WEIGHTS[n] for n in ("membership", "function", "institution", "evidence"))
    empty: frozenset[str] = frozenset()
    scores: dict[tuple[str, str], float] = {}
    for key in keys:
        a, b = names[key // size], names[key % size]
        if a in ancestors.get(b, empty) or b in ancestors.get(a, empty):
            continue
        m = round(
            membership_score(by_members.get(key, 0), len(members.get(a, ())), len(members.get(b, ()))), 4
        )
        f = round(
            function_score(
                by_domains.get(key, 0), len(data.domains.get(a, ())), len(data.domains.get(b, ()))
            ),
            4,
        )
        e = round(evidence_score(data.claims.get((a, b), [])), 4)
        if m == 0 and f == 0 and e == 0:
            continue
        fa, fb = family[a], family[b]
        i = 0.0 if fa is None or fb is None else 1.0 if fa != fb else 0.0 if frame[a] == frame[b] else 0.5
        score = round(round(w_m * m, 4) + round(w_f * f, 4) + round(w_i * i, 4) + round(w_e * e, 4), 4)
        scores[(a, b)] = score
    return scores, members


def all_overlaps(
    data: OverlapData,
    at: dt.date,
    *,
    entity: str | None = None,
    limit: int | None = None,
    min_score: float = 0.0,
) -> list[Overlap]:
    """Non-zero pairs (or `entity`'s, with `entity` as `a`), best first, ties by ids; only the
    pairs returned are assessed in full."""
    scores, members = pair_scores(data, at, entity=entity)
    ranked = sorted(
        (pair for pair, score in scores.items() if score >= min_score), key=lambda p: (-scores[p], p)
    )
    out = []
    for a, b in ranked[:limit] if limit is not None else ranked:
        if entity is not None and b == entity:
            a, b = b, a
        out.append(assess(data, a, b, at, members))
    return out


def _require(data: OverlapData, entity: str) -> None:
    if entity not in data.entities:
        raise NotFound(f"no initiative, organisation or project with id {entity!r}")


def overlap_pairs(
    store: Store,
    *,
    entity: str | None = None,
    at: dt.date | None = None,
    limit: int | None = None,
    min_score: float = 0.0,
) -> list[Overlap]:
    """Ranked overlaps (best first): all pairs, or those of `entity`; on `at` (default today)."""
    data = read_overlap_data(store)
    if entity is not None:
        _require(data, entity)
    return all_overlaps(data, at or dt.date.today(), entity=entity, limit=limit, min_score=min_score)


def overlap_detail(store: Store, a: str, b: str, *, at: dt.date | None = None) -> Overlap:
    """The assessment of two entities, with every component, even when it is zero."""
    data = read_overlap_data(store)
    for entity in (a, b):
        _require(data, entity)
    if a == b:
        raise NotFound("an entity is not compared with itself")
    return assess(data, a, b, at or dt.date.today())
