"""Figures a text states: funding ("EUR 7 billion for ...") and counts ("the 25 participating
Member States", "the 26th participating Member State", "46 projects")."""

from __future__ import annotations

import re

from defence_kg.loaders.documents.relations import Context, rule

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
COUNT = re.compile(
    r"\b(\d{1,4}|" + "|".join(NUMBER_WORDS) + r")(?:st|nd|rd|th)?\s+"
    r"(?:new\s+|collaborative\s+|current\s+|EU\s+|PESCO\s+|defence\s+){0,2}"
    r"(projects|participating Member States|Member States|countries|"
    r"nations|allies|member states|commitments)\b",
    re.I,
)
COUNTED = {
    "projects": "projects",
    "participating member states": "member-states",
    "member states": "member-states",
    "countries": "countries",
    "nations": "countries",
    "allies": "allies",
    "commitments": "commitments",
}
ORDINAL_COUNT = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+(?:participating\s+)?Member State", re.I)
FUNDING_CUE = re.compile(r"\b(?:allocat|fund|budget|invest|financ|grant|earmark|contribut)\w*", re.I)


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


@rule("count")
def counts(ctx: Context):
    for match in COUNT.finditer(ctx.text):
        raw = match.group(1).lower()
        value = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        counted = COUNTED[match.group(2).lower()]
        near = [
            m
            for m in ctx.mentions
            if m.entity_type == "Initiative"
            and m.entity
            and match.start() - 60 <= ctx.local(m) <= match.end() + 15
        ]
        subject = near[-1].entity if near else ctx.dominant
        if subject:
            yield (
                "count",
                subject,
                counted,
                0.75 if near else 0.6,
                {"value": value, "unit": counted, "cue": match.span()},
            )
    for match in ORDINAL_COUNT.finditer(ctx.text):
        if ctx.dominant:
            yield (
                "count",
                ctx.dominant,
                "member-states",
                0.6,
                {"value": int(match.group(1)), "unit": "member-states"},
            )
