"""The names the graph knows, compiled into Aho-Corasick automata for fast look-up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import ahocorasick

from defence_kg.graph.queries import sparql_queries as q
from defence_kg.graph.store.base import Store

NAMES = (
    q.PREFIXES
    + """
SELECT ?id ?class ?name ?property ?family WHERE {
  ?entity dcterms:identifier ?id ; a ?class ; ?property ?name .
  OPTIONAL { ?entity dkg:family/skos:notation ?family }
  VALUES ?class { dkg:State dkg:InternationalOrganisation dkg:Initiative dkg:Body dkg:PescoProject
                  dkg:Operation dkg:MilitaryOperation dkg:CivilianMission dkg:Formation }
  VALUES ?property { skos:prefLabel skos:altLabel skos:notation dkg:capital dkg:metonym
                     dkg:demonym dkg:combiningForm }
}"""
)
KIND = {
    "prefLabel": "label",
    "altLabel": "alias",
    "notation": "acronym",
    "capital": "metonym",
    "metonym": "metonym",
    "demonym": "demonym",
    "combiningForm": "combining",
}
CONFIDENCE = {
    "label": 1.0,
    "alias": 0.95,
    "acronym": 0.95,
    "metonym": 0.8,
    "demonym": 0.85,
    "combining": 0.85,
    "variant": 0.85,
    "anaphora": 0.75,
}
# Capitals that stand for more than one actor in defence texts: resolved only by context.
AMBIGUOUS = {"brussels": ("BE", "eu", "nato")}
# Common short references to the two organisations in running text.
ANAPHORA = {"the alliance": "nato", "the atlantic alliance": "nato", "the union": "eu"}
SPECIFIC = {"Operation", "Formation"}  # their own kind, not the Initiative they also are
LEADING_TAG = re.compile(r"^[A-Z]{2,6}\s+(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Name:
    entity: str | None
    entity_type: str
    kind: str
    confidence: float
    length: int
    family: str | None = None


def fold(text: str) -> str:
    """Lower case without diacritics, a hyphen as a space ('Counter-Intelligence' is 'Counter
    Intelligence'), one character for one (so offsets still hold)."""
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in text.lower()).replace("-", " ")


@dataclass
class Gazetteer:
    """Case-insensitive automaton for names, case-sensitive one for acronyms and codes."""

    names: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    exact: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    combining: set[str] = field(default_factory=set)
    size: int = 0
    places: dict[str, str] = field(default_factory=dict)  # host name -> its battlegroup
    battlegroups: dict[str, str] = field(default_factory=dict)  # host state -> its battlegroup
    demonyms: dict[str, list[str]] = field(default_factory=dict)  # state -> its demonyms

    def add(self, text: str, name: Name, *, case_sensitive: bool) -> None:
        key = text if case_sensitive else fold(text)
        automaton = self.exact if case_sensitive else self.names
        existing = automaton.get(key, None)
        if existing is None or existing.confidence < name.confidence:
            automaton.add_word(key, name)
            self.size += existing is None

    def finish(self) -> Gazetteer:
        for place, battlegroup in self.places.items():  # "Battlegroup Estonia": Estonia's
            name = self.exact.get(place, None) or self.names.get(fold(place), None)
            if name is not None and name.entity_type == "State" and name.entity:
                self.battlegroups[name.entity] = battlegroup
                for demonym in self.demonyms.get(name.entity, []):  # "the Hungarian battlegroup"
                    for variant in (f"{demonym} {kind}{noun}" for kind in ("", "NATO ") for noun in NOUNS):
                        self.add(
                            variant,
                            Name(battlegroup, "Formation", "variant", CONFIDENCE["variant"], len(variant)),
                            case_sensitive=False,
                        )
        for automaton in (self.names, self.exact):
            if len(automaton):
                automaton.make_automaton()
        return self


def _is_acronym(text: str) -> bool:
    return text.isupper() or (len(text) <= 6 and not text.islower() and " " not in text)


def _variants(label: str) -> list[str]:
    """Shorter forms texts use for long project names: without a leading tag ('EUFOR Crisis
    Response Operation Core' -> 'Crisis Response Operation Core') and cut before ' in '
    ('Network of Logistic Hubs in Europe and ...' -> 'Network of Logistic Hubs')."""
    variants = []
    untagged = LEADING_TAG.sub("", label)
    if untagged != label and len(untagged.split()) >= 3:
        variants.append(untagged)
    head = label.split(" in ", 1)[0]
    if head != label and len(head.split()) >= 3 and len(label.split()) >= 6:
        variants.append(head)
    return variants


BATTLEGROUP_OF = re.compile(
    r"^(?:NATO\s+)?(?:Multinational\s+|eFP\s+|enhanced Forward Presence\s+)?Battle\s?group\s+(\w+)$", re.I
)


NOUNS = ("battlegroup", "battle group")


def _battlegroup_variants(label: str) -> list[str]:
    """How news names a forward presence battlegroup: 'NATO Multinational Battlegroup Lithuania'
    is also 'the NATO battlegroup in Lithuania' and 'the multinational battlegroup in Lithuania'."""
    match = BATTLEGROUP_OF.match(label)
    if match is None:
        return []
    place = match.group(1)
    return (
        [
            f"{prefix}{noun} in {place}"
            for prefix in ("", "NATO ", "multinational ", "NATO multinational ", "eFP ", "forward presence ")
            for noun in NOUNS
        ]
        + [  # "Estonia's eFP battlegroup", "Estonia's Enhanced Forward Presence (eFP) NATO battlegroup"
            f"{place}{apostrophe}s {kind}{noun}"
            for apostrophe in ("’", "'")
            for kind in (
                "eFP ",
                "NATO ",
                "eFP NATO ",
                "Enhanced Forward Presence ",
                "Enhanced Forward Presence (eFP) ",
                "Enhanced Forward Presence (eFP) NATO ",
                "forward presence ",
            )
            for noun in NOUNS
        ]
        + [  # "the Romania NATO Battle Group", "the eFP Battle Group Poland"
            variant
            for kind in ("NATO ", "eFP ", "multinational ", "NATO multinational ")
            for noun in NOUNS
            for variant in (f"{place} {kind}{noun}", f"{kind}{noun} {place}")
        ]
    )


def build_gazetteer(store: Store) -> Gazetteer:
    """Every label, alias, acronym, capital, demonym and combining form of the graph's states,
    organisations, initiatives, bodies and PESCO projects (companies and EDF acronyms are left
    out: they are too many short, ambiguous strings for free text)."""
    gazetteer = Gazetteer()
    rows = store.select(NAMES).rows
    # an operation or formation is also an initiative: its own kind comes first, and wins
    rows.sort(key=lambda r: q.TYPE_OF_CLASS.get(r["class"]) not in SPECIFIC)
    for row in rows:
        entity, text = row["id"], str(row["name"]).strip()
        entity_type = q.TYPE_OF_CLASS.get(row["class"], "Thing")
        kind = KIND[row["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]]
        if len(text) < 2 or (kind == "acronym" and len(text) < 3 and entity_type != "State"):
            continue
        if text.lower() in AMBIGUOUS:
            continue
        family = row["family"]
        name = Name(entity, entity_type, kind, CONFIDENCE[kind], len(text), family)
        gazetteer.add(text, name, case_sensitive=kind == "acronym" or _is_acronym(text))
        if kind == "acronym" and text.isalpha() and text.isupper() and len(text) >= 4:
            # British style writes word-like acronyms in title case: "Nato", "Pesco"
            gazetteer.add(text.capitalize(), name, case_sensitive=True)
        if kind == "combining":
            gazetteer.combining.add(fold(text))
        if kind == "demonym" and entity_type == "State":
            gazetteer.demonyms.setdefault(entity, []).append(text)
        if kind in ("label", "alias") and entity_type == "Formation":
            place = BATTLEGROUP_OF.match(text)
            if place and kind == "label":
                gazetteer.places[place.group(1)] = entity
            for variant in _battlegroup_variants(text):
                gazetteer.add(
                    variant,
                    Name(entity, entity_type, "variant", CONFIDENCE["variant"], len(variant), family),
                    case_sensitive=False,
                )
        if kind == "label" and entity_type == "Project":
            for variant in _variants(text):
                gazetteer.add(
                    variant,
                    Name(entity, entity_type, "variant", CONFIDENCE["variant"], len(variant), family),
                    case_sensitive=False,
                )
    for text in AMBIGUOUS:
        gazetteer.add(text, Name(None, "Place", "metonym", 0.5, len(text)), case_sensitive=False)
    for text, entity in ANAPHORA.items():
        gazetteer.add(
            text,
            Name(entity, "Organisation", "anaphora", CONFIDENCE["anaphora"], len(text)),
            case_sensitive=False,
        )
    return gazetteer.finish()
