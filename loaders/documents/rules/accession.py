"""Accession phrasings: "X became the 30th member of Y", "X, the 27th member state of Y",
"X signed the letter of intent / accession protocol / instrument of accession"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.relations import Context, Found, _object, _subject_cue_object, rule
from defence_kg.loaders.documents.rules.enumerations import runs

BECAME = re.compile(
    r"\b(?:became|becomes|become|becoming)\s+(?:a|an|the)?\s*(?:\w+(?:st|nd|rd|th)\s+|new\s+|newest\s+|"
    r"full\s+|founding\s+)*(?:members?|member\s+(?:state|country|nation)|ally|participant)\b"
    r"(?:\s+(?:of|in|to)\b)?",
    re.I,
)
SIGNED = re.compile(
    r"\b(?:signed|signs|sign|deposited|deposits|deposit|ratified|ratifies)\s+(?:\w+\s+){0,2}?"
    r"(?:letter\s+of\s+intent|declaration\s+of\s+intent|accession\s+protocol|protocol\s+of\s+accession|"
    r"instrument\s+of\s+accession|accession\s+treaty|treaty\s+of\s+accession|note\s+of\s+participation|"
    r"memorandum\s+of\s+understanding)\b(?:\s+(?:to|of|on|for|with)\b)?",
    re.I,
)


@rule("cue-became-member")
def became_member(ctx: Context) -> Iterator[Found]:
    yield from _subject_cue_object(ctx, BECAME, kinds=("joining", "member"), confidence=0.85, fallback=True)


@rule("cue-signed")
def signed(ctx: Context) -> Iterator[Found]:
    yield from _subject_cue_object(ctx, SIGNED, kinds=("joining", "member"), confidence=0.8, fallback=True)


ADMITS = re.compile(r"\b(?:accept\w*|admit\w*|welcom\w*)\s+(?:the\s+)?$", re.I)
INTO = re.compile(r"\s*(?:into|to|in)\s+(?:the\s+)?", re.I)


@rule("cue-admits")
def admits(ctx: Context) -> Iterator[Found]:
    """'an agreement ... accepts A, B and C into Y': the states after the verb join Y."""
    for run in runs(ctx, 1):
        first = ctx.local(run[0])
        if not ADMITS.search(ctx.text, max(0, first - 30), first):
            continue
        last = run[-1]
        after = ctx.local(last) + len(last.text)
        into = INTO.match(ctx.text, after)
        if into is None:
            continue
        obj = _object(ctx.things(into.end(), into.end() + 80))
        if obj is None or ctx.local(obj) != into.end():
            continue
        for state in run:
            yield "joining", state.entity, obj.entity, 0.8, {"cue": (first - 10, first)}
            yield (
                "membership" if obj.entity_type != "Project" else "participation",
                state.entity,
                obj.entity,
                0.8,
                {"cue": (first - 10, first)},
            )
