"""Figures a text states: funding ("EUR 7 billion for ..."), counts ("the 25 participating
Member States", "46 projects", "up to 1,700 soldiers") and ranks ("became NATO's 32nd member",
"the fourth member of the Visegrad Group"), each for the organisation named with it."""

from __future__ import annotations

import re

from defence_kg.loaders.documents.relations import Context, _object, rule

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )
    )
}
MONEY = re.compile(
    r"(?:€|EUR\s?|euros?\s)\s?(\d{1,3}(?:[.,]\d{1,3})?(?:\s?\d{3})*)"
    r"\s?(billion|bn|million|m)?\b",
    re.I,
)
ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        (
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
        ),
        start=1,
    )
}
# ("60.000 troops" is sixty thousand, written the continental way; no count starts mid-number)
NUMBER = (
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+(?!\.?\d)|\d{1,4}|" + "|".join(NUMBER_WORDS) + r")"
)
# "the 25 participating Member States", "four founding nations", "45 third countries",
# "1,700 soldiers": a number, up to two qualifiers, what is counted.
COUNT = re.compile(
    r"\b" + NUMBER + r"\s+"
    r"(?:(?:new|collaborative|joint|current|participating|founding|other|third|EU|NATO|PESCO|defence|European|"
    r"more|further|framework|associated|sponsoring|contributing)\s+){0,2}"
    r"(projects|participating Member States|Member States|member countries|member nations|countries|"
    r"nations|allies|commitments|members|states|soldiers|troops)\b",
    re.I,
)
COUNTED = {
    "projects": "projects",
    "participating member states": "member-states",
    "member states": "member-states",
    "member countries": "countries",
    "member nations": "countries",
    "countries": "countries",
    "nations": "countries",
    "states": "member-states",
    "members": "member-states",
    "allies": "allies",
    "commitments": "commitments",
    "soldiers": "troops",
    "troops": "troops",
}
# Nouns that count too many things ("two states", "three members of parliament") to fall back on
# the document's subject: they count only for an organisation named next to them.
NEEDS_OWNER = {"states", "members", "soldiers", "troops", "member countries", "member nations"}
# "became the 30th member of the Alliance", "NATO's 31st member", "the fourth member of the
# Visegrad Group", "the Eurocorps 6th Framework Nation": the rank is the count after joining.
ORDINAL_COUNT = re.compile(
    r"\b(?:(\d{1,3})(?:st|nd|rd|th)|(" + "|".join(ORDINAL_WORDS) + r"))\s+"
    r"(?:participating\s+|full\s+)?"
    r"(?:member(?:\s+state|\s+country|\s+nation)?|ally|framework nation|participant)\b"
    r"(?!\s+(?:to\s+)?(?:join|sign|ratif))",
    re.I,
)
OWNER_AFTER = re.compile(
    r"\s*(?:state\s+)?(?:of|in|to)\s+(?:the\s+)?(?P<noun>alliance|union|bloc|agency)?", re.I
)
# What may stand between "of the" and the name the gazetteer knows: nothing, or a spelling it does
# not know followed by the acronym it does ("the European Defense Agency (EDA)").
NAME_THEN_ACRONYM = re.compile(r"^(?:(?:[A-Z][\w’'-]*\s+){1,5}\()?$")
FUNDING_CUE = re.compile(r"\b(?:allocat|fund|budget|invest|financ|grant|earmark|contribut)\w*", re.I)


def _value(number: str) -> int:
    """A count as written: "1,700", "60.000", "25" or "twenty"."""
    raw = number.lower()
    return int(raw.replace(",", "").replace(".", "")) if raw[0].isdigit() else NUMBER_WORDS[raw]


def _amount(number: str, scale: str | None) -> float:
    value = float(number.replace(" ", "").replace(",", "."))
    factor = {"billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6}.get((scale or "").lower(), 1)
    return value * factor


@rule("money")
def funding(ctx: Context):
    if not FUNDING_CUE.search(ctx.text):
        return
    for match in MONEY.finditer(ctx.text):
        things = ctx.things()
        if not things:
            continue
        nearest = min(things, key=lambda m: abs(ctx.local(m) - match.start()))
        funder = "eu" if re.search(r"\bfrom the EU budget\b|\bEU budget\b", ctx.text) else "?unspecified"
        if nearest.entity == funder:
            continue
        value = _amount(match.group(1), match.group(2))
        yield "funding", funder, nearest.entity, 0.8, {"value": value, "unit": "EUR"}


# What the counted states do to a thing: "25 EU countries officially launched ... PESCO", "nine
# countries have announced their decision to join the coalition", "15 states take part in ESSI".
ACTS_ON = re.compile(
    r"\s+(?:\w+\s+){0,5}?(?:sign(?:s|ed)?(?:\s+up\s+(?:to|for))?|join(?:s|ed)?|acceded?\s+to|"
    r"(?:take|took|taking)\s+part\s+in|participat\w*\s+in|contribut\w*\s+to|"
    r"(?:are|were)\s+(?:\w+\s+)?members\s+of|(?:are|were)\s+part\s+of|back\w*|support\w*|form(?:s|ed)?|"
    r"found(?:s|ed)?|launch(?:es|ed)?|set\s+up|created|established)\b(?:\s+[\w-]+){0,6}?\s+(?=[A-Z(])",
    re.I,
)
ACTED_ON_REACH = 60  # characters from the verb's end to the thing it acts on


def _acted_on(ctx: Context, end: int) -> str | None:
    """The thing the counted states act on, named right after their verb."""
    acts = ACTS_ON.match(ctx.text, end)
    things = ctx.things(acts.end(), acts.end() + ACTED_ON_REACH) if acts else []
    found = _object(things) if things else None
    return found.entity if found is not None else None


def _owner(ctx: Context, start: int, end: int, *, before: int = 60, after: int = 15) -> str | None:
    """The organisation a figure belongs to: the one named right after "of", else the one its
    states act on ("25 countries launched PESCO"), else the nearest one named within the window
    around the figure."""
    follows = OWNER_AFTER.match(ctx.text, end)  # at `end`, without copying the rest of the sentence
    if follows:
        named = ctx.things(end, follows.end() + 60)
        if named and NAME_THEN_ACRONYM.match(ctx.text[follows.end() : ctx.local(named[0])]):
            return named[0].entity
        if follows.group("noun"):
            return ctx.referent(follows.group("noun"))
    acted_on = _acted_on(ctx, end)
    if acted_on:
        return acted_on
    near = [m for m in ctx.things(max(0, start - before), end + after) if not start <= ctx.local(m) < end]
    if not near:  # "26 EU Member States" counts states, not the EU
        return None
    return min(near, key=lambda m: min(abs(ctx.local(m) - start), abs(ctx.local(m) - end))).entity


# "This brings the total number of EATC Nations to 7", "the number of members rose to 32"
NUMBER_OF = re.compile(
    r"\b(?:total\s+)?number\s+of\s+(?P<named>(?-i:[A-Z][\w-]*\s+){1,4})?"
    r"(?:participating\s+|member\s+|contributing\s+|framework\s+)?(?:members|nations|states|countries|allies|"
    r"participants)\b(?:\s+(?:of|in)\s+(?:the\s+)?(?-i:[A-Z][\w-]*\s+){0,5})?"
    r"\s*(?:(?:has\s+|had\s+)?(?:rose|risen|grew|grown|increased|went\s+up|climbed)\s+to|to|at|is|was|"
    r"now\s+stands\s+at|stands\s+at|stood\s+at|reached|reaches)\s+" + NUMBER + r"\b",
    re.I,
)


@rule("count-number-of")
def number_of(ctx: Context):
    if "number" not in ctx.text:
        return
    for match in NUMBER_OF.finditer(ctx.text):
        named = ctx.things(match.start(), match.start(len(match.groups())))
        owner = named[0].entity if named else ctx.referent(None)
        value = _value(match.group(len(match.groups())))
        if owner:
            extra = {"value": value, "unit": "member-states", "cue": match.span()}
            yield "count", owner, "member-states", 0.7 if named else 0.6, extra


@rule("count")
def counts(ctx: Context):
    for match in COUNT.finditer(ctx.text):
        value = _value(match.group(1))
        noun = match.group(2).lower()
        counted = COUNTED[noun]
        owner = _owner(ctx, *match.span())
        raw_phrase = match.group().lower()  # "the 25 participating EU member states" take part in the subject
        # "25 EU countries" with no owner: the qualifier says what is counted, not whose count it is
        qualified = (
            counted in ("countries", "member-states", "allies")
            and "participating" not in raw_phrase
            and any(m.entity for m in ctx.mentions if match.start() <= ctx.local(m) < match.end())
        )  # (but "60 PESCO projects" are PESCO's)
        subject = owner or (None if noun in NEEDS_OWNER or qualified else ctx.dominant)
        if subject:
            yield (
                "count",
                subject,
                counted,
                0.75 if owner else 0.6,
                {"value": value, "unit": counted, "cue": match.span()},
            )
    for match in ORDINAL_COUNT.finditer(ctx.text):
        rank = int(match.group(1)) if match.group(1) else ORDINAL_WORDS[match.group(2).lower()]
        owner = _owner(ctx, *match.span(), before=25, after=0)
        subject = owner or ctx.dominant
        if subject:
            yield (
                "count",
                subject,
                "member-states",
                0.75 if owner else 0.6,
                {"value": rank, "unit": "member-states", "cue": match.span()},
            )
