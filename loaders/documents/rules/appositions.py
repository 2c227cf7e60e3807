"""States named by the class they belong to: "EU member states Poland, the Czech Republic and
Hungary", "nine other EU countries ..., including France, Germany", "NATO's newest member,
Finland", "Slovakia, the fourth member of the Visegrad Group" (the last is in accession.py's
'became' family when it says 'became'; here the plain apposition)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.relations import Context, Found, _date, rule
from defence_kg.loaders.documents.rules.enumerations import OPENER, introduced, runs

CLASS_NOUN = re.compile(
    r"(?:[’']s)?\s+(?:\w+\s+)?(?:member\s+(?:states?|countries|country|nations?)|members?|"
    r"countries|country|allies|ally|nations?)\b",
    re.I,
)
ORDINAL_MEMBER = re.compile(
    r",\s+(?:the|its|a)\s+(?:\w+(?:st|nd|rd|th)|newest|latest|founding)\s+(?:member|ally)(?:\s+(?:state|country))?"
    r"\s+of\s+(?:the\s+)?$",
    re.I,
)
ORGANISATION = ("Organisation", "Initiative")
GROUPS = ("Organisation", "Initiative", "Formation", "Body")
EITHER = re.compile(r"\b(?:and/or|or)\s+$", re.I)


@rule("class-apposition")
def class_apposition(ctx: Context) -> Iterator[Found]:
    lists = list(runs(ctx, 1))
    for mention in ctx.mentions:
        if mention.entity is None or mention.entity_type not in ORGANISATION:
            continue
        end = ctx.local(mention) + len(mention.text)
        noun = CLASS_NOUN.match(ctx.text, end)
        if noun is None or EITHER.search(ctx.text, max(0, ctx.local(mention) - 8), ctx.local(mention)):
            continue  # "the EU and/or NATO members A, B" says of no state which it is
        for run in lists:
            first = ctx.local(run[0])
            if first < noun.end():
                continue
            between = ctx.text[noun.end() : first]
            direct = re.fullmatch(r"[\s:]*(?:the\s+)?", between)
            if not direct and re.fullmatch(r"\s*,\s*(?:the\s+)?", between):
                # "NATO's newest member, Finland, ...", not "NATO's eastern allies, Washington should"
                tail = ctx.text[ctx.local(run[-1]) + len(run[-1].text) :]
                direct = re.match(r"\s*(?:[,.;)]|$)", tail)
            introduced = (
                len(between) <= 120
                and OPENER.search(between[-30:])
                and not ctx.states(noun.end(), first)
                and not NON.search(ctx.text, max(0, ctx.local(mention) - 5), ctx.local(mention))
                and not [m for m in ctx.mentions if m.entity and noun.end() <= ctx.local(m) < first]
            )  # (another name between the class and the list owns the list: "... within EUFOR (A, B")
            if direct or (introduced and ";" not in between and "." not in between):
                extra = {"cue": (end, noun.end()), "modality": _non(ctx, mention)}
                for state in run:
                    yield "membership", state.entity, mention.entity, 0.8, extra
            break


NON = re.compile(r"\bnon[-\u2010\u2013]\s?$", re.I)


def _non(ctx: Context, mention) -> str | None:
    """'negated' for 'non-NATO members Sweden and Finland', else None (modality.py decides)."""
    start = ctx.local(mention)
    return "negated" if NON.search(ctx.text, max(0, start - 5), start) else None


# "Poland, a NATO member since 1999,", "Austria, a member of the European Union,", "Norway, a
# non-EU country,": the apposition right after the state.
STATE_APPOSITION = re.compile(
    r",\s+(?:a|an|the|already\s+a)\s+(?:(?:full|founding|longtime|long-standing)\s+)?"
)
MEMBER_OF_THE = re.compile(
    r"(?:member|ally|participant)\s+(?:state\s+|country\s+)?(?:of|in)\s+(?:the\s+)?$", re.I
)
NOUN_AFTER = re.compile(r"\s+(?:member(?:\s+(?:state|country|nation))?|ally|country|state|nation)\b", re.I)


@rule("state-apposition")
def state_apposition(ctx: Context) -> Iterator[Found]:
    for state in ctx.states():
        gap = STATE_APPOSITION.match(ctx.text, ctx.local(state) + len(state.text))
        if gap is None:
            continue
        for thing in [m for m in ctx.mentions if m.entity and m.entity_type in GROUPS]:
            start = ctx.local(thing)
            if start < gap.end() or start > gap.end() + 40:
                continue
            between = ctx.text[gap.end() : start]
            prefix = NON.search(between)
            when = _date(ctx.text[start : start + 60], ctx.year)  # "a NATO member since 1999"
            if MEMBER_OF_THE.fullmatch(between):
                yield (
                    "membership",
                    state.entity,
                    thing.entity,
                    0.8,
                    {"cue": (gap.start(), start), "date": when},
                )
            elif (prefix or not between.strip()) and NOUN_AFTER.match(ctx.text, start + len(thing.text)):
                extra = {"cue": (gap.start(), start), "modality": "negated" if prefix else None, "date": when}
                yield "membership", state.entity, thing.entity, 0.8, extra
            break


@rule("ordinal-apposition")
def ordinal_apposition(ctx: Context) -> Iterator[Found]:
    """'Slovakia, the fourth member of the Visegrad Group': the state before the apposition."""
    for thing in ctx.things():
        start = ctx.local(thing)
        before = ctx.text[max(0, start - 60) : start]
        match = ORDINAL_MEMBER.search(before)
        if match is None:
            continue
        cut = start - len(before) + match.start()
        states = ctx.states(max(0, cut - 40), cut)
        if states and ctx.text[ctx.local(states[-1]) + len(states[-1].text) : cut].strip() == "":
            yield "membership", states[-1].entity, thing.entity, 0.8, {"cue": (cut, start)}


THESE_ARE = re.compile(r"\s*(?:These|They|Those)\s+(?:are|were|include|included)\s*:?\s*(?:the\s+)?")


@rule("these-are")
def these_are(ctx: Context) -> Iterator[Found]:
    """'... four European Union member states not in the alliance. These are Austria, Cyprus,
    Ireland and Malta': the class named in the sentence before, for the list."""
    opener = THESE_ARE.match(ctx.text)
    if opener is None or ctx.before is None:
        return
    run = next((r for r in runs(ctx, 2) if ctx.local(r[0]) == opener.end()), None)
    if run is None:
        return
    before = ctx.before
    for mention in before.mentions:
        if mention.entity is None or mention.entity_type not in ORGANISATION:
            continue
        if CLASS_NOUN.match(before.text, before.local(mention) + len(mention.text)):
            for state in run:
                yield "membership", state.entity, mention.entity, 0.75, {"cue": opener.span()}
            return


EXCEPT = re.compile(r"\b(?:except(?:\s+for)?|all\s+but|with\s+the\s+exceptions?\s+of)\s+(?:the\s+)?$", re.I)
MEMBERS_BEFORE = re.compile(r"\b(?:members?|member\s+states|countries|states|allies)\b", re.I)


@rule("except-for")
def except_for(ctx: Context) -> Iterator[Found]:
    """'PESCO was established by 25 EU member states, except for Denmark, Malta and the United
    Kingdom': the states left out are not members of what the clause is about."""
    for run, cue in introduced(ctx, EXCEPT, 40):
        if not MEMBERS_BEFORE.search(ctx.text, max(0, cue.start() - 80), cue.start()):
            continue
        named = [m for m in ctx.things(0, cue.start()) if m.entity_type in GROUPS]
        if not named or named[0].entity is None:
            continue
        extra = {"cue": cue.span(), "modality": "negated"}
        for state in run:
            yield "membership", state.entity, named[0].entity, 0.7, extra
