"""Lists whose head is not in the same sentence or not right before them:

- lines under a lead-in with no colon ("Among the states that have signed the framework document"
  then "• The former Soviet republics of A, B and C", "• The EU countries, D and E");
- contributors after a colon ("with eight other contributing nations: A (300 troops), B (200)");
- a bracketed list named afterwards ("nine countries (A, B, ...), known as the Bucharest Nine").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import Context, Found, _date, _object, joined, rule
from defence_kg.loaders.documents.rules.enumerations import (
    ITEM_GAP,
    JOINING_HEAD,
    NOT_BELONGING,
    UNKNOWN_ITEMS,
    _qualifier,
    _target,
    introduced,
    runs,
)

BULLETS = re.compile(r"\s*[•·▪]\s*|\s*\n\s*(?:[-*]\s+)?")
# The words an item may open with before its states: "The former Soviet republics of", "The EU
# countries,", "The" (a machine translation's "The Switzerland").
ITEM_HEAD = re.compile(
    r"\s*(?:[-*]\s+)?(?:the\s+)?(?:(?P<group>(?:(?:non[-\s])?[\w’'-]+\s+){0,3}?"
    r"(?:republics|countries|states|nations|members|kingdoms|monarchies))(?:\s+of|\s*,|\s*:|\s*[–—])\s*)?"
    r"(?:the\s+)?",
    re.I,
)
ITEM_TAIL = re.compile(r"\s*[.;,]?\s*")
# A lead-in line: what the states below have done or are, with no full stop of its own.
LEAD_IN = re.compile(
    r"^\s*(?:among\s+)?(?:the\s+|all\s+)?(?:\w+\s+){0,3}?(?:states|countries|nations|members|signatories|"
    r"participants|allies)\b(?P<rest>.{0,120}?)\s*(?::|\b(?:are|were|include|included|includes))?\s*$",
    re.I,
)
BELONGING = re.compile(
    r"\b(?:signed|sign|joined|join|acceded|members?|participat\w*|take\s+part|took\s+part|belong\w*|"
    r"signator(?:y|ies)|adhered|ratified)\b",
    re.I,
)
LINE_REACH = 40  # items to pass over back to the lead-in


def _item_states(ctx: Context, start: int, end: int) -> tuple[list[Mention], str | None] | None:
    """The states of one list item and the group its head names, or None when the item says more
    than a group and its states."""
    head = ITEM_HEAD.match(ctx.text, start, end)
    states = ctx.states(start, end)
    if head is None or not states or ctx.local(states[0]) != head.end():
        return None
    for before, after in pairwise(states):
        gap = ctx.text[ctx.local(before) + len(before.text) : ctx.local(after)]
        if "\n" in gap or not (ITEM_GAP.fullmatch(gap) or UNKNOWN_ITEMS.fullmatch(gap)):
            return None
    last = states[-1]
    if not ITEM_TAIL.fullmatch(ctx.text, ctx.local(last) + len(last.text), end):
        return None
    if [
        m for m in ctx.mentions if m.entity and m.entity_type != "State" and head.end() <= ctx.local(m) < end
    ]:
        return None
    return states, head.group("group")


def _items(ctx: Context) -> list[tuple[list[Mention], str | None]] | None:
    """Every item of a sentence made only of list items, else None."""
    found = []
    cuts = [(m.start(), m.end()) for m in BULLETS.finditer(ctx.text)]
    starts = [0] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [len(ctx.text)]
    for start, end in zip(starts, ends, strict=True):
        if not ctx.text[start:end].strip():
            continue
        item = _item_states(ctx, start, end)
        if item is None:
            return None
        found.append(item)
    return found or None


def _lead_in(ctx: Context) -> Context | None:
    """The lead-in line above a sentence of items, passing over sentences that are items too."""
    earlier = ctx.before
    for _ in range(LINE_REACH):
        if earlier is None:
            return None
        if earlier.mentions and earlier.states() and _items(earlier) is not None:
            earlier = earlier.before
            continue
        text = earlier.text.strip()
        head = LEAD_IN.match(text)
        if head is None or earlier.states() or not BELONGING.search(text):
            return None
        return None if NOT_BELONGING.search(text) else earlier
    return None


@rule("lead-in-lines")
def lead_in_lines(ctx: Context) -> Iterator[Found]:
    """'Among the states that have signed the framework document' / '• The former Soviet republics
    of A, B and C' / '• The EU countries, D and E': each line's states belong to the lead-in's
    thing (joined it when the lead-in says so); a line's group ('EU countries') is theirs too."""
    states = ctx.states()
    if ctx.before is None or not states or ctx.local(states[0]) > 60:
        return  # (an item opens with its states: "The former Soviet republics of A")
    items = _items(ctx)
    lead = _lead_in(ctx) if items else None
    if lead is None or items is None:
        return
    target, _kind = _target(lead, 0, len(lead.text))
    if target is None:
        return
    obj = next((m for m in lead.things() if m.entity == target), None)
    kind = (
        "participation" if obj is not None and obj.entity_type in ("Project", "Operation") else "membership"
    )
    joining = bool(JOINING_HEAD.search(lead.text))
    extra = {"cue": (0, 0)}
    for states, group in items:
        qualifier = _qualifier(group or "", target)  # "The EU countries, A and B": EU members too
        for state in states:
            yield kind, state.entity, target, 0.7, extra
            if joining:
                yield "joining", state.entity, target, 0.7, extra
            if qualifier:
                org, stated = qualifier
                yield "membership", state.entity, org, 0.7, {**extra, "modality": stated}


# "with eight other contributing nations: Spain (300 troops), Poland (200)", "Troop contributors:"
CONTRIBUTORS = re.compile(
    r"\b(?:(?:\w+\s+)?(?:other\s+)?(?:troop[-\s])?contributing\s+(?:nations|states|countries|allies)|"
    r"(?:troop\s+)?contributors)\s*(?::|[–—]|\s+(?:are|were|include|included|includes))\s*(?:the\s+)?$",
    re.I,
)
TAKEN_PART_IN = ("Operation", "Formation", "Project")
THE_FORCE = re.compile(
    r"\b(?:the|this|its)\s+(?:[\w-]+\s+){0,2}?(battle\s?group|mission|operation|force)\b(?!\s+(?:of|in|on)\b)",
    re.I,
)


def _contributed_to(ctx: Context, before: int) -> Mention | None:
    """What the contributors contribute to: a battlegroup, operation or project named earlier in the
    sentence, else the one 'the battle group', 'the mission' describes."""
    named = [m for m in ctx.things(0, before) if m.entity_type in TAKEN_PART_IN]
    if named:
        return _object(named[-1:])
    described = list(THE_FORCE.finditer(ctx.text, 0, before))
    if not described:
        return None
    noun = described[-1].group(1).lower().replace(" ", "")
    found = ctx.described(noun, described[-1].start())
    return found if found is not None and found.entity_type in TAKEN_PART_IN else None


@rule("contributing-nations")
def contributing_nations(ctx: Context) -> Iterator[Found]:
    if "ontribut" not in ctx.text:
        return
    for run in runs(ctx, 1):
        first = ctx.local(run[0])
        cue = CONTRIBUTORS.search(ctx.text, max(0, first - 70), first)
        if cue is None:
            continue
        obj = _contributed_to(ctx, cue.start())
        if obj is None or obj.entity is None:
            continue
        for state in run:
            yield "participation", state.entity, obj.entity, 0.75, {"cue": cue.span()}


# "nine Central and Eastern European countries (Bulgaria, ..., Slovakia), known as the Bucharest
# Nine": the bracketed states make up the group named after them.
CLASS_OPEN = re.compile(r"\b(?:countries|states|nations|members|allies)\s*\(\s*(?:the\s+)?$", re.I)
KNOWN_AS = re.compile(
    r"\s*\)\s*,?\s*(?:(?:which\s+are|who\s+are|are)\s+)?(?:(?:collectively|together|jointly|informally)\s+)?"
    r"(?:known|referred\s+to)\s+as\s+(?:the\s+)?",
    re.I,
)


@rule("known-as")
def known_as(ctx: Context) -> Iterator[Found]:
    if " as " not in ctx.text:
        return
    for run in runs(ctx, 2):
        first, last = ctx.local(run[0]), run[-1]
        if CLASS_OPEN.search(ctx.text, max(0, first - 30), first) is None:
            continue
        named = KNOWN_AS.match(ctx.text, ctx.local(last) + len(last.text))
        things = ctx.things(named.end(), named.end() + 1) if named else []
        if not things or things[0].entity is None or things[0].entity_type == "Organisation":
            continue
        for state in run:
            yield "membership", state.entity, things[0].entity, 0.75, {"cue": named.span()}  # type: ignore[union-attr]


# "... with Albania, Italy and Spain as contributing nations. These Allies are sending troops":
# NATO's word for its members, for the states the sentence before listed.
THESE_ALLIES = re.compile(
    r"\s*(?:These|Those|All\s+these|The\s+(?:\w+\s+)?other)\s+(?:\w+\s+)?Allies\b(?!\s+of\b)"
)


@rule("these-allies")
def these_allies(ctx: Context) -> Iterator[Found]:
    opening = THESE_ALLIES.match(ctx.text)
    if opening is None or ctx.before is None or ctx.states(0, opening.end()):
        return
    listed = list(runs(ctx.before, 2))
    if not listed:
        return
    for state in listed[-1]:
        yield "membership", state.entity, "nato", 0.7, {"cue": opening.span()}


# "Allies from the United States, Canada and Poland serve in ...": NATO's members by its own word
ALLIES_FROM = re.compile(r"\bAllies\s+(?:from|such\s+as|including|like)\s+(?:the\s+)?$")


@rule("allies-from")
def allies_from(ctx: Context) -> Iterator[Found]:
    if "Allies" not in ctx.text:
        return
    for run, cue in introduced(ctx, ALLIES_FROM, 30):
        opening = cue.start() == len(ctx.text) - len(ctx.text.lstrip())
        nato = any(m.entity == "nato" for m in ctx.mentions) or ctx.dominant == "nato"
        if opening and not nato:
            continue  # a sentence's first word is capitalised whoever its allies are
        for state in run:
            yield "membership", state.entity, "nato", 0.7, {"cue": cue.span()}


# "The Netherlands and Luxembourg launched the MMF programme in July 2016", "France and Germany
# founded the corps": the states that set a thing up lead it and are its first members.
FOUNDED = re.compile(
    r"\s+(?:(?:jointly|initially|first|together)\s+)?(?:launched|founded|set\s+up|established|created)\s+"
    r"(?:the\s+)?(?=[A-Z]|(?:programme|project|initiative|corps|centre|coalition)\b)"
)
FOUNDED_DESCRIBED = re.compile(
    r"(programme|project|initiative|corps|centre|coalition)\b(?!\s+(?:of|for|on)\b)"
)
FOUNDING_VERB = re.compile(r"\b(?:launched|founded|set\s+up|established|created)\b")
BATTLEGROUPS = re.compile(r"battle\s?groups|battalions", re.I)
FOUNDED_KINDS = ("Formation", "Initiative", "Project")


@rule("states-founded")
def states_founded(ctx: Context) -> Iterator[Found]:
    if not FOUNDING_VERB.search(ctx.text):
        return
    for run in runs(ctx, 1):
        verb = FOUNDED.match(ctx.text, ctx.local(run[-1]) + len(run[-1].text))
        things = ctx.things(verb.end(), verb.end() + 1) if verb else []
        described = FOUNDED_DESCRIBED.match(ctx.text, verb.end()) if verb and not things else None
        if described:  # "initially launched the programme in July 2016": the one named before
            found = ctx.described(described.group(1), ctx.local(run[0]))
            things = [found] if found is not None else []
        if (
            verb is None
            or not things
            or things[0].entity is None
            or things[0].entity_type not in FOUNDED_KINDS
        ):
            continue
        if GOVERNED_LIST.search(ctx.text, max(0, ctx.local(run[0]) - 12), ctx.local(run[0])):
            continue  # "talks with France and Germany launched the corps": not the subjects
        extra = {"date": _date(ctx.text[verb.end() :], ctx.year), "cue": verb.span()}
        for state in run:
            yield "coordination", state.entity, things[0].entity, 0.7, extra
            yield from joined(state.entity, things[0], 0.7, extra)


GOVERNED_LIST = re.compile(r"\b(?:with|from|by|of|to|for|against|and|in|on)\s+(?:the\s+)?$", re.I)


# "NATO responded ... by deploying multinational battlegroups in Slovakia, Hungary and Romania":
# the organisation that deploys the battlegroups its host states name leads them.
DEPLOYS = re.compile(
    r"\b(?:deploy(?:s|ed|ing)?|establish(?:es|ed|ing)?|set(?:ting)?\s+up|creat(?:es|ed|ing))\s+"
    r"(?:(?:\w+\s+){0,3}?)(?:battle\s?groups|battalions)\s+(?:\w+\s+)?(?:in|to)\s+(?:the\s+)?$",
    re.I,
)


@rule("deploys-battlegroups")
def deploys_battlegroups(ctx: Context) -> Iterator[Found]:
    if not BATTLEGROUPS.search(ctx.text):
        return
    for run, cue in introduced(ctx, DEPLOYS, 80, minimum=2):
        owners = [m for m in ctx.things(0, cue.start()) if m.entity_type == "Organisation"]
        near = [
            m
            for m in ctx.states(max(0, cue.start() - 15), cue.start())
            if not GOVERNED_LIST.search(ctx.text, max(0, ctx.local(m) - 12), ctx.local(m))
        ]  # (a state right before is who deploys, "NATO said Germany has deployed", not "the war in Ukraine")
        if not owners or owners[0].entity is None or near:
            continue
        for state in run:
            battlegroup = ctx.battlegroups.get(state.entity or "")
            if battlegroup:
                yield "coordination", owners[0].entity, battlegroup, 0.7, {"cue": cue.span()}
