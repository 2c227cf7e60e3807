"""Claims between initiatives: overlap, duplication and complementarity ("duplicates", "is
complementary to"), partnership ("partners with") and cooperation between two named things."""

from __future__ import annotations

import re

from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import Context, _object, rule

OVERLAP_CUES = [
    ("duplication", re.compile(r"\bduplicat\w*", re.I)),
    ("overlap", re.compile(r"\boverlap\w*|\bsimilar (?:goals|aims|objectives)|\bsame (?:goals|aims)", re.I)),
    (
        "complementarity",
        re.compile(
            r"\bcomplement(?:ar\w*|s|ing|ed)\b|\bsynerg\w*|"
            r"\bmutually reinforcing|"
            r"\bsynchroni[sz]\w*",
            re.I,
        ),
    ),
]


def _distinct(mentions: list[Mention]) -> list[str]:
    out: list[str] = []
    rest = mentions
    while rest:
        first = _object(rest)
        if first is None:
            break
        if first.entity not in out:
            out.append(first.entity)  # type: ignore[arg-type]
        rest = rest[rest.index(first) + 1 :]
    return out


BETWEEN = re.compile(r"\w*\s+(?:\w+\s+){0,3}(?:between|beyond|among|of)\b")
# A subject that refers back to what the document is about: "It builds synergies with ...".
ANAPHOR = re.compile(
    r"(?:^|[.;:,]\s+)(?:It|This|They|These)\b|\bthe (?:initiative|framework|"
    r"cooperation|structured cooperation)\b",
    re.I,
)


@rule("overlap-cue")
def overlap(ctx: Context):
    for relation, cue in OVERLAP_CUES:
        match = cue.search(ctx.text)
        if not match:
            continue
        before = _distinct(ctx.things(0, match.start()))
        after = _distinct(ctx.things(match.end()))
        if ANAPHOR.search(ctx.text, 0, match.start()) and ctx.dominant and not before:
            before = [ctx.dominant]
        cue = {"cue": match.span()}
        if BETWEEN.match(ctx.text, match.end()) and len(after) >= 2:
            yield relation, after[0], after[1], 0.75, cue
        elif before and after:
            for other in after:
                yield relation, before[-1], other, 0.75, cue
        elif len(after) >= 2:
            yield relation, after[0], after[1], 0.7, cue
        elif len(before) >= 2:
            yield relation, before[-2], before[-1], 0.65, cue


@rule("cue-partners-with")
def partners(ctx: Context):
    cue = re.compile(
        r"\b(?:partners? with|co-?operat\w*(?: \w+ly)? with|ties with|"
        r"collaborat\w*(?: \w+ly)? with|works? (?:closely )?with)\b",
        re.I,
    )
    for match in cue.finditer(ctx.text):
        before = _distinct(ctx.things(0, match.start()))
        if not before:
            continue
        for other in _distinct(ctx.things(match.end())):
            yield "cooperation", before[-1], other, 0.75, {"cue": match.span()}


BETWEEN_PAIR = re.compile(r"\b(?:co-?operation|partnership|collaboration)\s+between\s+(?:the\s+)?", re.I)
AND_THE = re.compile(r"\)?\s*(?:\([^)]{1,12}\)\s*)?,?\s*and\s+(?:the\s+)?", re.I)


@rule("pair-cooperation")
def cooperation(ctx: Context):
    for match in re.finditer(
        r"\b([A-Z]{2,5})[-–]([A-Z]{2,5})\s+(?:co-?operation|partnership|"
        r"relations?)\b",
        ctx.text,
    ):
        pair = [m for m in ctx.mentions if m.entity and match.start() <= ctx.local(m) < match.end()]
        if len(pair) == 2 and pair[0].entity != pair[1].entity:
            yield "cooperation", pair[0].entity, pair[1].entity, 0.85, {}
    # "the cooperation between the European Union and NATO", "a partnership between A and B"
    for match in BETWEEN_PAIR.finditer(ctx.text):
        named = ctx.things(match.end(), match.end() + 90)
        second = next((m for m in named if m.entity != named[0].entity), None) if named else None
        if second is None or ctx.local(named[0]) != match.end():
            continue
        last_first = [m for m in named if m.entity == named[0].entity and m.start < second.start][-1]
        gap = ctx.text[ctx.local(last_first) + len(last_first.text) : ctx.local(second)]
        if AND_THE.fullmatch(gap):
            yield "cooperation", named[0].entity, second.entity, 0.8, {"cue": match.span()}
