"""Taking part by what is sent, where the operation is described or named sentences before:

- "the operation will have three ships – provided by France, Greece and Italy";
- "The largest contingents are provided by Austria, Hungary and Turkey" (in a text about one
  operation);
- "Poland and Spain have sent personnel to the General Staff of the operation";
- "Spain contributes two frigates and a patrol aircraft."
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import DESCRIBED_REACH, Context, Found, _date, rule
from defence_kg.loaders.documents.rules.enumerations import introduced
from defence_kg.loaders.documents.rules.roles import TAKEN_PART_IN

MATERIAL = (
    r"(?:troops|soldiers|personnel|contingents?|forces|units|staff|sailors|airmen|officers|ships|vessels|"
    r"warships|frigates?|corvettes?|destroyers?|submarines?|aircraft|helicopters?|planes?|assets|teams?|"
    r"boarding\s+teams?|liaison\s+officers|medical\s+teams?)"
)
PROVIDED_BY = re.compile(
    rf"\b{MATERIAL}\b[^.;]{{0,40}}?\s*[–—-]?\s*(?:(?:are|is|were|was|being|have\s+been|has\s+been)\s+)?"
    r"(?:provided|supplied|contributed|offered|sent|deployed|made\s+available)\s+by\s+(?:the\s+)?$",
    re.I,
)
THE_OPERATION = re.compile(
    r"\b(?:the|this|that)\s+(?:(?:new|naval|maritime|military|training|civilian)\s+){0,2}"
    r"(operation|mission|battlegroup|force)\b(?!\s+(?:in|of|to|on|for)\b)",
    re.I,
)


def _operation(ctx: Context, before: int) -> Mention | None:
    """The operation the sentence describes before `before`, else the one the text is about,
    named within about a paragraph."""
    described = list(THE_OPERATION.finditer(ctx.text, 0, before))
    found = ctx.described(described[-1].group(1), before) if described else None
    if found is None:
        found = ctx.referent_mention("operation")
        if found is not None and ctx.sentence.start - found.start > DESCRIBED_REACH:
            return None
    return found if found is not None and found.entity_type in TAKEN_PART_IN else None


@rule("provided-by-described")
def provided_by_described(ctx: Context) -> Iterator[Found]:
    if " by " not in ctx.text or ctx.things():
        return  # (a named thing is participation-of's)
    for run, cue in introduced(ctx, PROVIDED_BY, 80):
        obj = _operation(ctx, cue.start())
        if obj is None or obj.entity is None:
            continue
        extra = {"date": _date(ctx.text, ctx.year), "cue": cue.span()}
        for state in run:
            yield "participation", state.entity, obj.entity, 0.65, extra


# "have sent personnel to the General Staff of the operation", "contributes two frigates."
SENT_TO_PART = re.compile(
    r"\s+(?:have\s+|has\s+|had\s+|also\s+)?(?:sent|send|sends|contribut(?:e|es|ed)|provid(?:e|es|ed)|"
    r"deploy(?:s|ed)?|second(?:s|ed)?)\s+(?:(?:a|an|one|two|three|four|five|six|several|some|\d+)\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?{MATERIAL}\b"
    r"(?P<to>\s+to\s+the\s+(?:(?:general\s+)?(?:staff|headquarters|command|HQ)|OHQ|FHQ)\s+of\s+the\s+"
    r"(?:operation|mission)\b|(?=\s*(?:[.;]|$|and\s+(?:a|an|one|two|three|\d+)\b)))",
    re.I,
)


SENDING = re.compile(r"\b(?:sent|send|contribut|provid|deploy|second)", re.I)


@rule("sent-to-the-operation")
def sent_to_the_operation(ctx: Context) -> Iterator[Found]:
    if ctx.things() or not SENDING.search(ctx.text):
        return  # (a named thing is cue-contributes')
    for verb in SENT_TO_PART.finditer(ctx.text):
        subjects = ctx.subjects(verb.start())
        obj = _operation(ctx, len(ctx.text)) if subjects else None
        if obj is None or obj.entity is None:
            continue
        extra = {"date": _date(ctx.text, ctx.year), "cue": verb.span()}
        for state in dict.fromkeys(m.entity for m in subjects):
            yield "participation", state, obj.entity, 0.6, extra
