"""Stage 4: find mentions of known entities, link them, and collect candidates for the rest."""

from __future__ import annotations

import re

from defence_kg.loaders.documents.gazetteer import AMBIGUOUS, Gazetteer, Name, fold
from defence_kg.loaders.documents.models import Candidate, Mention

# Starts only at a word's start and takes each word whole (possessive `*+`): without that, a run of
# capitals ("AAAA...") is retried at every letter with every split, quadratic in its length.
DEFINITION = re.compile(
    r"(?<![\w’'&-])"
    r"(?P<name>(?:[A-Z][\w’'&-]*+\s++(?:(?:of|and|the|for|on|to|in|de|du)\s++)*){1,9}[A-Z][\w’'&-]*+)"
    r"\s*\(\s*(?P<acronym>[A-Z][A-Za-z0-9&-]{1,11})\s*\)"
)
CONTEXT = {
    "BE": re.compile(r"\bBelgi(?:um|an)\b"),
    "nato": re.compile(r"\bNATO\b|\bAllied\b"),
    "eu": re.compile(r"\bEU\b|\bEuropean Union\b|\bCommission\b|\bCouncil\b"),
}


PROJECT_WORD = re.compile(r"\s+projects?\b")
# Roles and classes of states, and documents, written like names: "Framework Nations (FN)", "Troop
# Contributing Countries (TCC)", "Participating Member States (pMS)", "Memorandum of Understanding
# (MOU)".
ROLE_NAME = re.compile(
    r"(?:(?:Troop|Framework|Sponsoring|Associated|Participating|Contributing|Lead|Host|Partner|Member|"
    r"Founding|Observer|Third)\s+)+(?:Nations?|States?|Countries|Country|Members?|Parties)|"
    r"(?:Memorand(?:um|a)|Letters?|Declarations?|Notes?)\s+of\s+(?:Understanding|Intent|Participation)|"
    r"(?:Technical|Administrative|Implementing)\s+Arrangements?",
    re.I,
)
CITATION = re.compile(r"\([^()]{0,120}\b(?:19|20)\d{2}\b[^()]{0,40}\)")


def _attached(text: str, start: int, combining: set[str]) -> bool:
    """'FrancoGerman': a demonym glued to a combining form when extraction lost the hyphen."""
    word = re.search(r"([A-Za-z]+)$", text[max(0, start - 12) : start])
    return bool(word) and fold(word.group(1)) in combining


def _boundary(text: str, start: int, end: int, name: Name, combining: set[str]) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() and not (name.kind == "demonym" and _attached(text, start, combining)):
        return False
    if name.kind == "combining":  # Franco-German, FrancoGerman
        return after in "-–" or after.isupper()
    return not after.isalnum()


def _scan(text: str, gazetteer: Gazetteer) -> list[Mention]:
    found: list[tuple[int, int, Name]] = []
    citations = [(m.start(), m.end()) for m in CITATION.finditer(text)]
    for automaton, haystack in ((gazetteer.names, fold(text)), (gazetteer.exact, text)):
        if not len(automaton):
            continue
        for end, name in automaton.iter(haystack):
            start = end - name.length + 1
            if any(a <= start < b for a, b in citations):
                continue
            if _boundary(text, start, end + 1, name, gazetteer.combining):
                found.append((start, end + 1, name))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0]), -m[2].confidence))
    mentions: list[Mention] = []
    last_end = -1
    for start, end, name in found:
        if start < last_end:
            continue
        mentions.append(
            Mention(
                start=start,
                end=end,
                text=text[start:end],
                entity=name.entity,
                kind=name.kind,
                entity_type=name.entity_type,
                confidence=name.confidence,
                family=name.family,
            )
        )
        last_end = end
    return mentions


def _label_for(name: str, acronym: str) -> str | None:
    """The words of `name` an acronym abbreviates: from the first word with its first letter,
    whose letters hold the acronym's in order (case aside); None when no such words."""
    words = re.sub(r"^(?:The|the|For|In|A|An|By)\s+", "", name).split(" ")
    letters = [c.lower() for c in acronym if c.isalpha()]
    for index, word in enumerate(words):
        if not letters or word[:1].lower() != letters[0]:
            continue
        rest = iter(" ".join(words[index:]).lower())
        if all(letter in rest for letter in letters):
            return " ".join(words[index:])
    return None


def candidate_key(name: str) -> str:
    """The key of a thing the graph lacks, by its name: '?battlegroup-107' for 'Battle Group 107'
    (one spelling of battlegroup, as the graph's own keys)."""
    name = re.sub(r"\bbattle[\s-]+group", "battlegroup", name.lower())
    return "?" + re.sub(r"[^a-z0-9]+", "-", name).strip("-")


def _resolve_ambiguous(text: str, mentions: list[Mention], sentences: list[tuple[int, int]]) -> list[Mention]:
    """An ambiguous capital ('Brussels') is linked only when its sentence points one way."""
    resolved = []
    for mention in mentions:
        options = AMBIGUOUS.get(mention.text.lower())
        if mention.entity is None and options:
            sentence = next((text[s:e] for s, e in sentences if s <= mention.start < e), "")
            hits = [o for o in options if o in CONTEXT and CONTEXT[o].search(sentence)]
            if len(hits) == 1:
                mention = mention.model_copy(update={"entity": hits[0], "confidence": 0.6})
        resolved.append(mention)
    return resolved


def find_mentions(
    text: str, gazetteer: Gazetteer, sentences: list[tuple[int, int]]
) -> tuple[list[Mention], list[Candidate]]:
    """Mentions in `text`, plus candidates defined in it ('Long Name (ACR)') the graph lacks."""
    mentions = _scan(text, gazetteer)
    local: dict[str, Mention] = {}
    candidates: dict[str, Candidate] = {}
    for match in DEFINITION.finditer(text):
        acronym, name_end = match.group("acronym"), match.end("name")
        linked = next((m for m in mentions if m.entity and m.end == name_end), None)
        if linked is not None:
            local.setdefault(acronym, linked)
        elif not any(m.start <= match.start("acronym") < m.end for m in mentions):
            label = _label_for(re.sub(r"\s+", " ", match.group("name")).strip(), acronym)
            if label is None or ROLE_NAME.fullmatch(label):  # "By Seda Sevencan ISTANBUL (AA)",
                continue  # "Framework Nations (FN)": no name of an organisation
            key = candidate_key(acronym)
            candidates.setdefault(
                key,
                Candidate(key=key, label=label, acronym=acronym, start=match.start("name"), end=match.end()),
            )
    extra = []
    for acronym, mention in local.items():
        for found in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            if not any(m.start <= found.start() < m.end for m in mentions):
                extra.append(
                    mention.model_copy(
                        update={
                            "start": found.start(),
                            "end": found.end(),
                            "text": acronym,
                            "kind": "defined",
                            "confidence": 0.9,
                        }
                    )
                )
    for candidate in candidates.values():
        for found in re.finditer(rf"(?<![\w-]){re.escape(candidate.acronym or '')}(?![\w-])", text):
            if not any(m.start <= found.start() < m.end for m in mentions):
                extra.append(
                    Mention(
                        start=found.start(),
                        end=found.end(),
                        text=found.group(),
                        entity=candidate.key,
                        kind="candidate",
                        entity_type="Candidate",
                        confidence=0.5,
                    )
                )
    mentions = sorted(mentions + extra, key=lambda m: m.start)
    mentions = [
        m.model_copy(update={"qualifies_project": True}) if PROJECT_WORD.match(text, m.end) else m
        for m in mentions
    ]
    return _resolve_ambiguous(text, _coalition_alliance(mentions), sentences), list(candidates.values())


def _coalition_alliance(mentions: list[Mention]) -> list[Mention]:
    """A lower-case 'the alliance' before NATO is named, after an initiative was, is that
    initiative ('Macron's coalition ... Norway and Finland joined the alliance'); 'the Alliance'
    stays NATO's."""
    out: list[Mention] = []
    initiative: Mention | None = None
    nato_named = False
    for mention in mentions:
        alliance = mention.entity == "nato" and mention.text.startswith("the alliance")
        if mention.entity == "nato" and not alliance:
            nato_named = True
        elif mention.entity_type == "Initiative" and mention.entity:
            initiative = mention
        if alliance and not nato_named and initiative:
            mention = mention.model_copy(
                update={"entity": initiative.entity, "entity_type": "Initiative", "family": initiative.family}
            )
        out.append(mention)
    return out
