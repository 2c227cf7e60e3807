"""Lists that complete what the sentence before began:

- a counted group, then its names: "NORDEFCO has five members. They are A, B and C",
  "Seventeen nations signed the letter of intent for ESSI. They include A and B",
  "Operation Atalanta involves several EU member states. Contributors include A and B";
- enlargements "to include" the states, in prose ("NATO expanded in 1999 to include A, B and C")
  and as the lines of a timeline under a lead-in ("• 1973 – to include A, B and C").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.modality import modality
from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import Context, Found, _date, _membership_type, joined, rule
from defence_kg.loaders.documents.rules.enumerations import runs

NUMBER = (
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[-\s]\w+)?|thirty(?:[-\s]\w+)?|"
    r"several|many|a\s+(?:number|dozen|handful|group)\s+of|some|a\s+few|dozens\s+of|a\s+total\s+of\s+\d{1,3})"
)
GROUP_NOUN = (
    r"(?:members?|member\s+(?:states|countries|nations)|states|countries|nations|allies|partners|"
    r"participants|contributors|signatories|governments)"
)
# "five members", "24 participating states", "several EU member states", "17 European nations"
COUNTED = re.compile(rf"\b{NUMBER}\s+(?:[\w-]+\s+){{0,2}}?{GROUP_NOUN}\b", re.I)
# The opening of the sentence that names them: "They are", "These include", "Among them are",
# "Its members are", "Contributors include", "The latest to join were".
NAMES_THEM = re.compile(
    rf"\s*(?:(?:These|They|Those|The)(?:\s+{NUMBER})?(?:\s+(?:\w+\s+)?(?:countries|states|nations|allies|members|partners|"
    r"signatories|participants|contributors))?|Among\s+them|"
    r"(?:Its|Their|The)\s+(?:\w+\s+){0,2}?(?P<role>members|participants|contributors|signatories|partners|"
    r"founders|member\s+states|participating\s+states|contributing\s+(?:nations|states|countries))|"
    r"(?P<bare>Members|Participants|Contributors|Signatories|Partners|Founders)|"
    r"The\s+(?P<latest>first|latest|last|newest|most\s+recent)\s+(?:\w+\s+)?to\s+(?:join|sign|accede)"
    r"(?:\s+\w+){0,2}?)"
    r"\s+(?:are|were|was|is|include|included|includes)\s*:?\s*(?:the\s+)?"
)
# What ties the counted group to a thing: "members of PESCO", "contributions from 20 states" (the
# thing the sentence opens with), "nations signed the letter of intent for ESSI".
COUNT_OF = re.compile(r"\s+(?:of|in|to|for)\s+(?:the\s+)?")
HAS_COUNT = re.compile(
    r"\b(?:has|have|had|now\s+has|counts|counted|comprises|comprised|includes|included|numbers|numbered|"
    r"brings\s+together|brought\s+together|unites|united|groups|gathers|gathered|involves|involved|"
    r"(?:consists|consisted|is\s+made\s+up|was\s+made\s+up|is\s+composed|was\s+composed)\s+of|"
    r"grew\s+to|expanded\s+to|(?:is|was|are|were)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:coalition|group|grouping|"
    r"alliance|union|partnership|club|framework|forum|network|organi[sz]ation|bloc|format)\s+of|(?:was|were|is|are|has\s+been|had\s+been)\s+(?:\w+\s+)?"
    r"(?:founded|formed|established|set\s+up|created|launched|joined|supported|signed|backed)"
    r"(?:\s+(?:in|on)\s+[^.;,]{1,20}?)?\s+by|"
    r"(?:contributions|troops|personnel|forces)\s+from)\s+(?:\w+\s+){0,3}?$",
    re.I,
)
ACTS_ON = re.compile(
    r"\s+(?:\w+\s+){0,3}?(?:sign(?:s|ed)?(?:\s+up\s+(?:to|for))?|join(?:s|ed)?|acceded?\s+to|"
    r"(?:take|took|taking)\s+part\s+in|participat\w*\s+in|contribut\w*\s+to|(?:are|were)\s+(?:\w+\s+)?members\s+of|"
    r"(?:are|were)\s+part\s+of|back\w*|support\w*|form\w*|found\w*|launch\w*|set\s+up|created|established)\b"
    r"(?:\s+[\w-]+){0,6}?\s+(?=[A-Z(])",
    re.I,
)
JOINING = re.compile(
    r"\b(?:signed|signs|joined|joins|acceded|founded|formed|established|set\s+up|created|launched|"
    r"founders|founding)\b|\bto\s+(?:join|sign|accede)\b",
    re.I,
)
THING_REACH = 60  # characters between a thing and the verb that counts its states


def _counted_thing(before: Context) -> tuple[Mention, re.Match[str]] | None:
    """The thing whose states the sentence before counts, and the count."""
    for count in COUNTED.finditer(before.text):
        following = COUNT_OF.match(before.text, count.end())
        things = before.things(following.end(), following.end() + 1) if following else []
        if things and things[0].entity:
            return things[0], count
        verb = HAS_COUNT.search(before.text, max(0, count.start() - 80), count.start())
        if verb:
            owners = before.things(max(0, verb.start() - THING_REACH), verb.start())
            if owners and owners[-1].entity and not before.things(before.local(owners[-1]) + 1, verb.start()):
                return owners[-1], count
        acts = ACTS_ON.match(before.text, count.end())
        things = before.things(acts.end(), acts.end() + THING_REACH) if acts else []
        if things and things[0].entity:
            return things[0], count
    return None


@rule("counted-then-named")
def counted_then_named(ctx: Context) -> Iterator[Found]:
    """The states a sentence names right at its start belong to the thing whose states the
    sentence before counted ("... has five members. They are A, B and C") or, opened by a
    role ("Contributors include A and B"), to the thing that sentence is about."""
    opener = NAMES_THEM.match(ctx.text)
    before = ctx.before
    if opener is None or before is None or ctx.things(0, opener.end()):
        return
    run = next((r for r in runs(ctx, 1) if ctx.local(r[0]) == opener.end()), None)
    if run is None:
        return
    counted = _counted_thing(before)
    role = opener.group("role") or opener.group("bare") or opener.group("latest")
    if counted is None and role:
        thing = before.opening_thing(len(before.text)) or ctx.referent_mention(None)
        counted = (thing, None) if thing is not None and thing.entity else None  # type: ignore[assignment]
    if counted is None:
        return
    thing, count = counted
    span = (count.start(), before.local(thing) + len(thing.text)) if count else None
    if span and span[0] > span[1]:
        span = (before.local(thing), count.end())  # type: ignore[union-attr]
    said = modality(before.text, span) if span else "asserted"
    if said == "asserted":
        said = modality(ctx.text, opener.span())
    extra = {"date": _date(before.text, ctx.year), "cue": opener.span(), "modality": said}
    joining = bool(JOINING.search(opener.group()) or (span and JOINING.search(before.text, *span)))
    for state in run:
        if joining:
            yield from joined(state.entity, thing, 0.7, extra)  # type: ignore[arg-type]
        else:
            yield _membership_type(thing), state.entity, thing.entity, 0.7, extra  # type: ignore[misc]


# "NATO expanded in 1999 to include Poland, Hungary and the Czech Republic", "The EU was enlarged
# in 1973 to include ...": the thing before the verb grew by the states after it.
ENLARGED = re.compile(
    r"\b(?:enlarg\w*|expand\w*|extend\w*|grew|grown|widen\w*|broaden\w*)\b(?P<when>[^.;:]{0,40}?)"
    r"\s+to\s+(?:include|take\s+in|admit|encompass)\s+(?:the\s+)?$",
    re.I,
)
# "• 1973 – to include Denmark, Ireland and the United Kingdom": a timeline line under a lead-in
LINE_TO_INCLUDE = re.compile(
    r"(?:^|\n|[•·▪;])\s*(?:[-*]\s+)?(?P<when>(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d{2})\s*(?:[–—:-]|,)\s*"
    r"(?:\w+\s+){0,2}?to\s+(?:include|take\s+in|admit)\s+(?:the\s+)?$"
)
ENLARGEMENT_WORD = re.compile(r"\b(?:enlarg\w*|expan\w*|grew|grown|waves?|accessions?|widen\w*)\b", re.I)
LEAD_REACH = 12  # sentences back to the lead-in of a timeline


@rule("enlarged-to-include")
def enlarged_to_include(ctx: Context) -> Iterator[Found]:
    if "to " not in ctx.text:
        return
    for run in runs(ctx, 1):
        first = ctx.local(run[0])
        verb = ENLARGED.search(ctx.text, max(0, first - 80), first)
        if verb is not None:
            owners = ctx.things(max(0, verb.start() - THING_REACH), verb.start())
            if not owners or owners[-1].entity is None:
                continue
            when = _date(verb.group("when"), ctx.year) or _date(ctx.text[first:], ctx.year)
            for state in run:
                yield from joined(state.entity, owners[-1], 0.75, {"date": when, "cue": verb.span()})  # type: ignore[arg-type]
            continue
        line = LINE_TO_INCLUDE.search(ctx.text, max(0, first - 60), first)
        thing = _timeline_thing(ctx) if line else None
        if line is None or thing is None:
            continue
        extra = {"date": _date("in " + line.group("when"), ctx.year), "cue": line.span()}  # (a bare year)
        for state in run:
            yield from joined(state.entity, thing, 0.7, extra)  # type: ignore[arg-type]


def _timeline_thing(ctx: Context) -> Mention | None:
    """The thing of the lead-in above timeline lines: the nearest sentence before (or this one,
    before its first line) that names a thing and says it grew."""
    earlier: Context | None = ctx
    for _ in range(LEAD_REACH):
        if earlier is None:
            return None
        lead = ENLARGEMENT_WORD.search(earlier.text)
        named = [  # (mentions, not things: "The European Union grew" is no attributive use here)
            m
            for m in earlier.mentions
            if m.entity
            and m.entity_type in ("Organisation", "Initiative")
            and lead
            and earlier.local(m) < lead.start()
        ]
        if named:
            return named[-1]
        earlier = earlier.before
    return None
