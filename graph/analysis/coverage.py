"""How much of each kind of structure the curated data covers: counts an analyst checks first.

Only curated (reference) memberships count; what documents claim is not coverage. Each entity
counts once, under its most specific kind (a PESCO project is not also counted as an initiative).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from defence_kg.graph.queries import sparql_queries as q
from defence_kg.graph.store.base import Store

DKG = "https://w3id.org/defence-kg/ontology#"
# Most specific first; an entity goes to the first kind among its classes.
KINDS: tuple[tuple[str, str], ...] = (
    ("PescoProject", "PESCO projects"),
    ("EdfProject", "EDF and related projects"),
    ("CentreOfExcellence", "NATO Centres of Excellence"),
    ("MilitaryOperation", "CSDP military operations"),
    ("CivilianMission", "CSDP civilian missions"),
    ("Operation", "other operations"),
    ("Programme", "armaments programmes"),
    ("Formation", "formations and battlegroups"),
    ("Grouping", "regional groupings"),
    ("InternationalOrganisation", "international organisations"),
    ("Body", "bodies and agencies"),
    ("Initiative", "initiatives and partnerships"),
)
COORDINATING = {DKG + "Coordinator", DKG + "Host"}
GAPS_FILES = ("data/PESCO_GAPS.md", "data/REFERENCE_GAPS.md")  # in the repository, per structure


@dataclass
class KindCoverage:
    """One kind: how many entities, how many with curated members, dated, 2+ states, a lead."""

    kind: str
    label: str
    entities: int = 0
    with_members: int = 0
    with_dated_members: int = 0
    with_two_states: int = 0  # member states, or the countries of member companies
    with_lead: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)


def coverage(store: Store) -> list[KindCoverage]:
    """Per kind (KINDS order, kinds without entities left out), what the curated data covers."""
    classes: dict[str, set[str]] = {}
    members: dict[str, set[str]] = {}
    states: dict[str, set[str]] = {}
    dated: set[str] = set()
    led: set[str] = set()
    for row in store.select(q.REFERENCE_MEMBERSHIPS).rows:
        entity = row["entity"]
        classes.setdefault(entity, set()).add(str(row["class"]).removeprefix(DKG))
        if row.get("member") is None:
            continue
        members.setdefault(entity, set()).add(row["member"])
        if row.get("state") is not None:
            states.setdefault(entity, set()).add(str(row["state"]))
        if _true(row.get("dated")):
            dated.add(entity)
        if str(row.get("role")) in COORDINATING:
            led.add(entity)
    table = {kind: KindCoverage(kind, label) for kind, label in KINDS}
    for entity, found in classes.items():
        kind = next((k for k, _ in KINDS if k in found), None)
        if kind is None:  # states, companies, documents: not structures
            continue
        line = table[kind]
        line.entities += 1
        line.with_members += entity in members
        line.with_dated_members += entity in dated
        line.with_two_states += len(states.get(entity, ())) >= 2
        line.with_lead += entity in led
    return [line for line in table.values() if line.entities]


def _true(value: object) -> bool:
    return value is True or str(value).lower() == "true"
