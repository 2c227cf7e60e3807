"""Cues for leaving, invitations, who leads ("led by", "X-led"), launching and secretariats.

Registered before the other rule families (rules/__init__.py imports this module first), in the
order relations.py once held them, so that which of two equal statements is kept stays the same.
"""

from __future__ import annotations

import re

from defence_kg.loaders.documents.relations import Context, _date, _object, _subject_cue_object, rule


@rule("cue-left")
def leaving(ctx: Context):
    cue = re.compile(r"\b(?:left|leaves|withdr[ae]w\w* from|quit)\b", re.I)
    yield from _subject_cue_object(ctx, cue, kinds=("leaving",), confidence=0.8, fallback=False)
    if re.search(r"\bBrexit\b", ctx.text):
        yield "leaving", "GB", "eu", 0.8, {}


@rule("cue-invited")
def invited(ctx: Context):
    cue = re.compile(r"\b(?:was|were|is|are|been|being)?\s*invited\b", re.I)
    if not cue.search(ctx.text):
        return
    yield from _subject_cue_object(ctx, cue, kinds=("invitation",), confidence=0.85, fallback=False)
    # elliptical continuation: "... was invited to X, and Canada – to a second project on Y"
    for match in re.finditer(r"\s[–—-]\s*to\b", ctx.text):
        before = ctx.subjects(match.start())
        obj = _object(ctx.things(match.end()))
        if before and obj:
            yield (
                "invitation",
                before[-1].entity,
                obj.entity,
                0.75,
                {"date": _date(ctx.text, ctx.year), "cue": match.span()},
            )


RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
BE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?$", re.I)
THE_NOUN = re.compile(
    r"\s*(?:The|This)\s+(project|initiative|group|coalition|programme|battlegroup|mission|operation)\b"
)
APPOSITION_GAP = re.compile(
    r"\)?\s*(?:\([^)]{1,20}\))?\s*(?:,\s*(?:a|an|the)|\s+(?:is|was|remains)(?:\s+(?:a|an|the))?)\s+"
)
# "U.K.-led", "British-led", "Swedish led": a state's adjective before "led"
LED_ADJECTIVE = re.compile(r"\b(\w+(?:\.\w+)*\.?)([-–]|\s)led\b")


@rule("cue-led-by")
def led(ctx: Context):
    for match in re.finditer(r"\b(?:led|coordinated|chaired) by\b", ctx.text, re.I):
        if RESPECTIVELY.search(ctx.text, match.end()):
            continue  # "A and B are led by C and D respectively": rules/respectively.py pairs them
        obj = _object(list(reversed(ctx.things(0, match.start()))))
        obj = ctx.not_the_class(obj) if obj is not None else None
        if obj is None:  # "The project is coordinated by France": the project named before
            noun = THE_NOUN.match(ctx.text)
            obj = ctx.referent_mention(noun.group(1)) if noun else None
        subjects = ctx.states(match.end(), match.end() + 60)
        if obj and subjects:
            # "the JEF, led by Britain" describes the thing whatever the clause hedges; "will be led
            # by France" says when: only a verb before the participle carries a modality
            verbal = BE_BEFORE.search(ctx.text, max(0, match.start() - 25), match.start())
            extra = {"cue": match.span()} if verbal else {}
            yield "coordination", subjects[0].entity, obj.entity, 0.85, extra
    for match in LED_ADJECTIVE.finditer(ctx.text):
        subjects = ctx.states(match.start(), match.end())
        if match.group(2).isspace() and (
            not subjects
            or subjects[0].kind != "demonym"
            or not [m for m in ctx.things(match.end(), match.end() + 40) if m.entity_type != "Organisation"]
        ):
            continue  # "the Swedish led Nordic Battlegroup"; not "France led the charge on the EU's"
        after = ctx.things(match.end(), match.end() + 60)
        if match.group(2).isspace():  # "Swedish led European Union Battlegroup": the battlegroup
            after = [m for m in after if m.entity_type != "Organisation"]
        obj = _object(after)
        if obj is None:  # "the Joint Expeditionary Force (JEF), a British-led coalition"
            named = ctx.things(0, match.start())
            gap = ctx.text[ctx.local(named[-1]) + len(named[-1].text) : match.start()] if named else ""
            obj = named[-1] if named and APPOSITION_GAP.fullmatch(gap) else None
        if subjects and obj:
            # no cue: "France-led" describes the initiative; "Finland wants to join the France-led
            # initiative" hedges the joining, not who leads it
            yield "coordination", subjects[0].entity, obj.entity, 0.8, {}


@rule("cue-launch")
def launched(ctx: Context):
    cue = re.compile(r"\blaunch(?:ed)? of\b|\b(?:initiat(?:ed|ing)|launched|set up|founded)\b", re.I)
    for match in cue.finditer(ctx.text):
        subjects = ctx.subjects(match.start(), ("State", "Body"))
        obj = _object(ctx.things(match.end(), match.end() + 80))
        if obj and obj.entity_type in ("Project", "Initiative", "Candidate"):
            for subject in dict.fromkeys(m.entity for m in subjects):
                yield (
                    "coordination",
                    subject,
                    obj.entity,
                    0.6,
                    {"date": _date(ctx.text, ctx.year), "cue": match.span()},
                )


@rule("secretariat")
def secretariat(ctx: Context):
    match = re.search(r"\bsecretariat\b", ctx.text, re.I)
    if not match:
        return
    served = [
        m
        for m in ctx.mentions
        if m.entity and m.entity_type == "Initiative" and abs(ctx.local(m) + len(m.text) - match.start()) <= 2
    ]
    target = served[0].entity if served else ctx.dominant
    for body in dict.fromkeys(m.entity for m in ctx.mentions if m.entity and m.entity_type == "Body"):
        if target and body != target:
            yield "coordination", body, target, 0.7, {}
