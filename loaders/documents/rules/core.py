"""The core cues, each a verb between the states and what they belong to: "joined", "take part
in", "is a member of", "are founding members of", "members such as", "involved in". Registered
before every other rule family (rules/__init__.py imports this module first)."""

from __future__ import annotations

import re

from defence_kg.loaders.documents.relations import Context, _subject_cue_object, rule

# "was invited to join" is an invitation (cue-invited), not a joining
JOIN = re.compile(
    r"(?<!invited to )\bjoin(?:s|ed|ing)?\b(?! forces)|\bacced(?:e|es|ed|ing)\s+to\b|"
    r"\bsign(?:s|ed|ing)?\s+up\s+(?:to|for)\b|"
    # "expected to enter the alliance", "entered NATO in 2004" (not "entered into force")
    r"\benter(?:s|ed|ing)?\b(?=\s+(?:the\s+(?:alliance|union|bloc|EU|European\s+Union)\b|NATO\b))",
    re.I,
)


@rule("cue-join")
def joining(ctx: Context):
    for found in _subject_cue_object(ctx, JOIN, kinds=("joining", "member"), confidence=0.9, fallback=True):
        start = found[4]["cue"][0]
        if not ROAD_TO.search(ctx.text, max(0, start - 40), start) and not ASKED_TO.search(
            ctx.text, max(0, start - 100), start
        ):
            yield found


# "the obstacle to joining NATO was removed", "the road to joining": about joining, not a joining
ROAD_TO = re.compile(
    r"\b(?:obstacles?|road|path|way|steps?|(?<!in the )process|talks|hurdles?|barriers?|door|prospects?|"
    r"conditions?|requirements?|criteria)\s+(?:to|towards|for|of)\s+$",
    re.I,
)


# "NATO invited Finland and Sweden to join": another's invitation or wish, not a joining
ASKED_TO = re.compile(
    r"\b(?:invit\w*|ask\w*|urg\w*|encourag\w*|call\w*\s+on|press\w*)\s+[^.;]{0,80}?\bto\s+$", re.I
)


@rule("cue-take-part")
def taking_part(ctx: Context):
    cue = re.compile(
        r"\b(?:take|takes|took|taken|taking) part(?:\s+with\s+[^.,;]{1,40}?)? in\b|"
        r"\bparticipat(?:e|es|ed|ing)(?:\s+with\s+[^.,;]{1,40}?)? in\b",
        re.I,
    )
    yield from _subject_cue_object(ctx, cue, kinds=("member",), confidence=0.9, fallback=False)


@rule("cue-member-of")
def member_of(ctx: Context):
    yield from _subject_cue_object(ctx, MEMBER_OF, kinds=("member",), confidence=0.9, fallback=False)
    # "Denmark, Estonia and Latvia are among its members": what the text is about
    yield from _subject_cue_object(ctx, ITS_MEMBERS, kinds=("membership",), confidence=0.8, fallback=True)


# "is a member of", "are not members of", "has been a full member of", "is not part of": a
# negation between verb and noun stays inside the cue, where modality.py reads it.
MEMBER_OF = re.compile(
    r"\b(?:is|are|was|were|became|become|(?:has|have|had)\s+been|remains?|remained)\s+"
    r"(?:(?:not|no\s+longer|also|both|already|now|still|never|all|each)\s+){0,2}"
    r"(?:(?:a|an|among\s+the|one\s+of\s+the)\s+)?(?:(?:full|formal|active|permanent)\s+)?"
    r"(?:members?|part|(?:associated|sponsoring|participating|contributing)\s+(?:nations?|states?|countries|members?)|"
    r"(?:(?:troop|force|main|major|largest|key)[-\s]+)?contributors?|"
    r"signator(?:y|ies))\s+(?:of|to)\b|"
    r"\b(?:is|are|was|were|remains?|remained|stays?|stayed)\s+(?:still\s+|firmly\s+)?outside\s+(?:of\s+)?",
    re.I,
)
ITS_MEMBERS = re.compile(
    r"\b(?:is|are|was|were)\s+(?:now\s+)?(?:among\s+)?(?:its|their)\s+(?:\w+\s+)?members\b", re.I
)
# Founders: "are among the founding members of NORDEFCO, set up in 2009" (joined at the founding).
FOUNDING_MEMBER_OF = re.compile(
    r"\b(?:is|are|was|were)\s+(?:(?:one|all|among)\s+(?:of\s+)?)?(?:the\s+|a\s+)?"
    r"founding\s+(?:members?|nations?|states?|countries|country)\s+of\b",
    re.I,
)


@rule("cue-founding-member")
def founding_member(ctx: Context):
    yield from _subject_cue_object(
        ctx, FOUNDING_MEMBER_OF, kinds=("joining", "member"), confidence=0.85, fallback=False
    )


@rule("members-such-as")
def members_such_as(ctx: Context):
    cue = re.compile(
        r"\b(?:members|allies|member states)\b[^.;]{0,40}?\b(?:such as|including|"
        r"notably|first and foremost|like|in particular)\b",
        re.I,
    )
    for match in cue.finditer(ctx.text):
        owners = [
            m
            for m in ctx.mentions
            if m.entity
            and m.entity_type == "Organisation"
            and 0 <= match.start() - (ctx.local(m) + len(m.text)) <= 2
        ]
        states = ctx.states(match.end(), match.end() + 40)
        if owners and states:
            yield "membership", states[0].entity, owners[-1].entity, 0.8, {"cue": match.span()}


@rule("cue-involved-in")
def involved(ctx: Context):
    cue = re.compile(r"\binvolved in\b", re.I)
    yield from _subject_cue_object(ctx, cue, kinds=("participation",), confidence=0.75, fallback=False)
