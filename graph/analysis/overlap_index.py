"""What overlap assessments are computed from, read from a store once, and the inverted indexes
(member -> entities, domain -> entities) that find every pair with something in common.

Candidate pairs come only from shared members, shared domains and claims, so the work grows with
the number of pairs that overlap at all (and the keys they share), not with the square of the
number of entities.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from defence_kg.graph.queries import overlap_queries as q
from defence_kg.graph.queries.sparql_queries import TYPE_OF_CLASS
from defence_kg.graph.store.base import Store
from defence_kg.ontology import ID

BASE = str(ID)
KINDS = {
    "https://w3id.org/defence-kg/ontology#overlapsWith": "overlap",
    "https://w3id.org/defence-kg/ontology#duplicates": "duplication",
    "https://w3id.org/defence-kg/ontology#complements": "complementarity",
}
CLASS_RANK = list(TYPE_OF_CLASS)


@dataclass(frozen=True)
class Claim:
    """One claim that two entities overlap, duplicate or complement each other, from one source."""

    statement: str
    a: str
    b: str
    kind: str
    quote: str | None
    source: str
    document: str | None


@dataclass
class Candidate:
    id: str
    label: str
    type: str
    family: str | None


@dataclass
class OverlapData:
    """Entities, their dated members, domains, ancestors and the claims between them."""

    entities: dict[str, Candidate] = field(default_factory=dict)
    # entity -> [(state, from, to)]; dates as ISO text, None when the source gives none
    members: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    # the same from curated memberships only (what is in `members` and not here rests on documents)
    curated: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    domains: dict[str, set[str]] = field(default_factory=dict)
    domain_labels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)
    claims: dict[tuple[str, str], list[Claim]] = field(default_factory=dict)
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def members_on(self, entity: str, day: dt.date, *, curated: bool = False) -> frozenset[str]:
        """States taking part in `entity` on `day` (a membership without a start is left out);
        `curated`: only those a curated membership holds."""
        iso = day.isoformat()
        source = self.curated if curated else self.members
        return frozenset(
            state
            for state, start, end in source.get(entity, ())
            if start is not None and start <= iso and (end is None or end >= iso)
        )

    def document_only_on(self, entity: str, day: dt.date) -> frozenset[str]:
        """States taking part in `entity` on `day` only on the word of loaded documents."""
        return self.members_on(entity, day) - self.members_on(entity, day, curated=True)

    def ancestors(self, entity: str) -> set[str]:
        """Everything `entity` is part of, transitively (PESCO and CSDP for a PESCO project)."""
        if entity in self._ancestors:
            return set(self._ancestors[entity])
        seen: set[str] = set()
        todo = list(self.parents.get(entity, ()))
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.parents.get(parent, ()))
        self._ancestors[entity] = frozenset(seen)
        return seen

    def framework(self, entity: str) -> str:
        """The framework an entity sits in: its direct parent, or itself."""
        parents = sorted(self.parents.get(entity, ()))
        return parents[0] if parents else entity

    def nested(self, a: str, b: str) -> bool:
        """True when one is part of the other: such a pair is structure, not overlap."""
        return a in self.ancestors(b) or b in self.ancestors(a)


def _local(iri: str) -> str | None:
    return iri[len(BASE) :] if iri.startswith(BASE) else None


def _date(value: object) -> str | None:
    return None if value is None else str(value)[:10]


def read_overlap_data(store: Store) -> OverlapData:
    """Gather everything overlap assessments need from a SPARQL-capable store, in six queries."""
    data = OverlapData()
    classes: dict[str, list[str]] = defaultdict(list)
    for row in store.select(q.CANDIDATES).rows:
        ident = row["id"]
        classes[ident].append(row["class"])
        if ident not in data.entities:
            data.entities[ident] = Candidate(ident, row["label"], "", row["family"])
    for ident, found in classes.items():
        best = min(found, key=CLASS_RANK.index)
        data.entities[ident].type = TYPE_OF_CLASS[best]
    for row in store.select(q.PARENTS).rows:
        child, parent = _local(row["child"]), _local(row["parent"])
        if child in data.entities and parent in data.entities:
            data.parents.setdefault(child, set()).add(parent)
    for query in (q.STATE_MEMBERSHIPS, q.COMPANY_COUNTRIES):
        for row in store.select(query).rows:
            org = _local(row["organisation"])
            if org in data.entities:
                data.members.setdefault(org, []).append((row["iso2"], _date(row["from"]), _date(row["to"])))
    for row in store.select(q.CURATED_STATE_MEMBERSHIPS).rows:
        org = _local(row["organisation"])
        if org in data.entities:
            data.curated.setdefault(org, []).append((row["iso2"], _date(row["from"]), _date(row["to"])))
    for table in (data.members, data.curated):
        for entity in table:
            table[entity] = sorted(set(table[entity]), key=lambda m: (m[0], m[1] or "", m[2] or ""))
    for row in store.select(q.DOMAINS).rows:
        entity = _local(row["entity"])
        if entity in data.entities:
            data.domains.setdefault(entity, set()).add(row["domain"])
            data.domain_labels[row["domain"]] = row["label"]
    for row in store.select(q.CLAIMS).rows:
        a, b = _local(row["subject"]), _local(row["object"])
        if a not in data.entities or b not in data.entities or a == b:
            continue
        claim = Claim(
            statement=row["claim"],
            a=a,
            b=b,
            kind=KINDS[row["predicate"]],
            quote=row["quote"],
            source=row["sourceId"],
            document=row["sourceId"] if row["isDocument"] else None,
        )
        bucket = data.claims.setdefault(pair_key(a, b), [])
        if claim not in bucket:
            bucket.append(claim)
    for bucket in data.claims.values():
        bucket.sort(key=lambda c: (c.kind, c.source, c.statement))
    return data


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _index(groups: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[str]]:
    """Inverted index: for each key (a state, a domain), the entities holding it."""
    index: dict[str, list[str]] = defaultdict(list)
    for entity, keys in groups:
        for key in keys:
            index[key].append(entity)
    return index


def shared_counts(
    holdings: Mapping[str, Collection[str]], order: Mapping[str, int], only: str | None = None
) -> dict[int, int]:
    """For every pair holding at least one key in common, how many keys they share.

    Pairs are encoded as `i * len(order) + j` (i < j, positions in `order`) to keep memory low;
    the work is one step per pair and shared key, never one per pair of entities. With `only`,
    just the pairs of that entity.
    """
    size = len(order)
    counts: dict[int, int] = defaultdict(int)
    target = order[only] if only is not None else None
    for holders in _index(holdings.items()).values():
        positions = sorted(order[h] for h in holders if h in order)
        if target is None:
            for i, j in combinations(positions, 2):
                counts[i * size + j] += 1
        elif target in positions:
            for other in positions:
                if other != target:
                    i, j = min(other, target), max(other, target)
                    counts[i * size + j] += 1
    return counts
