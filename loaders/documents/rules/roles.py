"""Who leads and who makes up a thing, said with an active verb: "the Netherlands leads the
Military Mobility project", "Germany is the framework nation of the battlegroup", "Sweden holds
the chair of NORDEFCO"; "the Weimar Triangle brings together France, Germany and Poland", "the
Bucharest Nine consists of Bulgaria, ...".

The object must follow the cue closely (a few words, no punctuation): "France leads the talks
with NATO" names no thing it leads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import Context, Found, _date, _membership_type, _object, rule
from defence_kg.loaders.documents.rules.enumerations import introduced, runs

TAKEN_PART_IN = ("Operation", "Formation", "Project")
LED = re.compile(r"[-–]led\b")
LEADS = re.compile(
    r"\b(?:leads|is\s+leading|are\s+leading|has\s+led|have\s+led|coordinates|is\s+coordinating|"
    r"chairs|chaired|is\s+chairing|heads|headed|spearheads|spearheaded|commands|commanded|will\s+command|"
    r"(?:is|was|are|were|acts\s+as|acted\s+as|serves\s+as|became|becomes)\s+(?:the\s+|a\s+)?"
    r"(?:lead|leading|framework|coordinating)\s+(?:nation|state|country)s?\s+(?:of|for|in)|"
    r"(?:is|was|became|becomes)\s+(?:the\s+)?(?:project\s+)?coordinator\s+of|"
    r"(?:holds?|held|holding|took\s+over|takes\s+over|assumed|assumes)"
    r"\s+(?:the\s+)?(?:rotating\s+)?"
    r"(?:chair(?:manship)?|presidency|leadership|lead)\s+(?:of|in)|"
    r"(?:is|was)\s+in\s+charge\s+of)\b",
    re.I,
)
# Between a cue and its object: an article and up to two capitalised words or adjectives ("the
# new EU Military Mobility"), no nouns ("the talks with").
NEAR = re.compile(
    r"\s*(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:(?:[A-Z][\w’'-]*|new|joint|multinational|european|international|nato|eu|"
    r"[a-z]+-(?:size|sized|strong|level))\s+){0,3}"
)
REFERENCE = re.compile(
    r"\s*the\s+(project|initiative|group|coalition|battlegroup|programme|mission|operation|framework)\b",
    re.I,
)
CONSISTS = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?,?\s+(?:which\s+|that\s+)?(?:(?:also|now|currently|still)\s+)?"
    r"(?:brings?\s+together|brought\s+together|"
    r"consists?\s+of|consisted\s+of|comprises?|comprised|is\s+(?:made\s+up|composed)\s+of|"
    r"groups|unites|united|gathers|includes|included|encompasses|comprising(?:\s+of)?|made\s+up\s+of|"
    r"composed\s+of)\s+(?:the\s+)?(?:(?:\w+\s+){0,2}?"
    r"(?:troops|soldiers|personnel|forces|units|contingents|staff|ships|warships|vessels|aircraft|"
    r"equipment|assets)(?:\s+and\s+(?:\w+\s+)?\w+)?\s+from\s+(?:the\s+)?"
    r"(?:armed\s+forces\s+of\s+(?:the\s+)?)?)?",
    re.I,
)


IT_OPENS = re.compile(r"\s*It(?=\s)")


def _near_object(ctx: Context, end: int) -> Mention | None:
    """The thing named within a few words after a cue, else what 'the project' refers to."""
    things = ctx.things(end, end + 80)
    if things and NEAR.fullmatch(ctx.text, end, ctx.local(things[0])):
        return _object(things)  # "the PESCO Military Mobility project": the project
    reference = REFERENCE.match(ctx.text, end)
    return ctx.referent_mention(reference.group(1)) if reference else None


@rule("cue-leads")
def leads(ctx: Context) -> Iterator[Found]:
    for match in LEADS.finditer(ctx.text):
        subjects = ctx.subjects(match.start())
        obj = _near_object(ctx, match.end()) if subjects else None
        if obj is None or obj.entity is None:
            continue
        extra = {"date": _date(ctx.text, ctx.year), "cue": match.span()}
        for state in dict.fromkeys(m.entity for m in subjects):
            yield "coordination", state, obj.entity, 0.8, extra


@rule("cue-consists-of")
def consists_of(ctx: Context) -> Iterator[Found]:
    """A named thing, a verb of composition, then the list of its states."""
    lists = {ctx.local(run[0]): run for run in runs(ctx, 1)}
    heads = [(thing, ctx.local(thing) + len(thing.text)) for thing in ctx.things()]
    it = IT_OPENS.match(ctx.text)
    topic = ctx.referent_mention(None) if it else None
    if it and topic is not None:  # "It brings together A, B and C": what the paragraph is about
        heads.append((topic, it.end()))
    for thing, end in heads:
        verb = CONSISTS.match(ctx.text, end)
        run = lists.get(verb.end()) if verb else None
        if verb is None or run is None or thing.entity is None:
            continue
        material = "from" in verb.group().lower()  # troops from A and B take part
        kind = "participation" if material and thing.entity_type in TAKEN_PART_IN else _membership_type(thing)
        for state in run:
            yield kind, state.entity, thing.entity, 0.8, {"cue": verb.span()}


# "... with Belgium, Germany and Spain as members", "counts Canada and Norway among its participants"
WITH_BEFORE = re.compile(r"\b(?:with|counts?|counted|includes?|included)\s+(?:the\s+)?$", re.I)
AS_MEMBERS = re.compile(
    r"\s+(?:as|among\s+(?:its|their|the))\s+(?:(?:full|other|new|participating)\s+)?"
    r"(?:members?|participants?|member\s+states|participating\s+(?:states|nations|countries))\b",
    re.I,
)
# "signed between Slovakia and Poland as Framework Nations (FN) and ... Hungary acting as Sponsoring
# Nations": a list, then the role it has in the thing the sentence names.
AS_ROLE = re.compile(
    r"\s+(?:\([A-Z]{2,4}\)\s+)?(?:acting\s+)?as\s+(?:the\s+)?(?:(framework|lead|leading)|"
    r"sponsoring|associated|contributing|participating|founding)\s+(?:nations?|states?|countries|members?)\b",
    re.I,
)


@rule("as-role")
def as_role(ctx: Context) -> Iterator[Found]:
    things = [m for m in ctx.things() if m.entity and m.entity_type != "Organisation"]
    earlier = [m for m in ctx.recent or [] if m.entity_type != "Organisation"]
    for run in runs(ctx, 1):
        role = AS_ROLE.match(ctx.text, ctx.local(run[-1]) + len(run[-1].text))
        if role is None:
            continue
        before = [m for m in things if ctx.local(m) < ctx.local(run[0])]
        # the thing named before the list, after it, else in the sentence before ("the MOU was
        # signed between ...")
        # (framework and sponsoring nations belong to a centre, a corps, a group; NATO or the EU
        # themselves have none)
        hosted = ctx.hosted_battlegroup(ctx.local(run[0])) if not before else None
        obj = _object(before[-1:]) if before else _object(things) if things else (earlier or [None])[-1]
        obj = hosted or obj
        if obj is None or obj.entity is None:
            continue
        # "the MOU was signed between A and B as Framework Nations and C acting as Sponsoring Nations"
        signing = SIGNED_BETWEEN.search(ctx.text, 0, ctx.local(run[0]))
        for state in run:
            yield _membership_type(obj), state.entity, obj.entity, 0.75, {"cue": role.span()}
            if role.group(1):
                yield "coordination", state.entity, obj.entity, 0.75, {"cue": role.span()}
            if signing:
                yield "joining", state.entity, obj.entity, 0.75, {"cue": signing.span()}


SIGNED_BETWEEN = re.compile(r"\b(?:was|were|been)\s+signed\s+(?:between|by|among)\b", re.I)
THE_THING = re.compile(
    r"\bthe\s+(project|initiative|group|coalition|programme|battlegroup|mission|operation)\b", re.I
)


@rule("as-members")
def as_members(ctx: Context) -> Iterator[Found]:
    for run in runs(ctx, 1):
        first, last = ctx.local(run[0]), run[-1]
        opener = WITH_BEFORE.search(ctx.text, max(0, first - 12), first)
        role = AS_MEMBERS.match(ctx.text, ctx.local(last) + len(last.text)) if opener else None
        if role is None:
            continue
        named = ctx.things(0, opener.start())
        obj = _object(named[-1:]) if named else None
        if obj is None:  # "The project is coordinated by France, with ...", "It now counts ..."
            noun = THE_THING.search(ctx.text, 0, opener.start())
            it = re.match(r"\s*It\b", ctx.text)
            obj = ctx.referent_mention(noun.group(1)) if noun else ctx.referent_mention(None) if it else None
        if obj is None or obj.entity is None:
            continue
        for state in run:
            yield _membership_type(obj), state.entity, obj.entity, 0.8, {"cue": role.span()}


# "Germany contributes 1,000 troops to the battlegroup", "Norway sent a frigate to Operation
# Atalanta", "Albania deployed staff in EUTM Mali": taking part in an operation, a formation or a
# project by what a state sends to it.
CONTRIBUTES = re.compile(
    r"\b(?:contribut(?:e|es|ed|ing)|provid(?:e|es|ed|ing)|send(?:s|ing)?|sent|deploy(?:s|ed|ing)?|"
    r"dispatch(?:es|ed|ing)?|commit(?:s|ted|ting)?|second(?:s|ed)|assign(?:s|ed))\b"
    r"(?P<what>[^.;:]{0,60}?)\s(?:to|for|in|into|with)\s+(?:the\s+)?(?:[A-Z][\w-]*[-–]led\s+)?$",
    re.I,
)


# "The Netherlands and Norway are contributing troops to the battlegroup": the one named before
CONTRIBUTES_TO_DESCRIBED = re.compile(
    CONTRIBUTES.pattern.removesuffix("(?:[A-Z][\\w-]*[-–]led\\s+)?$")
    + r"(battlegroup|battle\s+group|mission|operation|project|force|programme|initiative)\b"
    + r"(?!\s+(?:in|of|to|on|for)\b)",
    re.I,
)


@rule("cue-contributes-described")
def contributes_described(ctx: Context) -> Iterator[Found]:
    for cue in CONTRIBUTES_TO_DESCRIBED.finditer(ctx.text):
        if ctx.states(cue.start(), cue.end()):
            continue  # another sender between: "Norway sent troops with Denmark to the mission"
        noun = "battlegroup" if "battle" in cue.group(1).lower() else cue.group(1)
        obj = ctx.described(noun, cue.start())
        if obj is None or obj.entity is None or obj.entity_type not in TAKEN_PART_IN:
            continue
        subjects = ctx.subjects(cue.start()) or ctx.shared_subject(cue.start())
        for state in dict.fromkeys(m.entity for m in subjects):
            yield (
                "participation",
                state,
                obj.entity,
                0.7,
                {"date": _date(ctx.text, ctx.year), "cue": cue.span()},
            )


# "Soldiers from Belgium and Spain served in the mission"
SERVED_IN = re.compile(
    r"\s+(?:have\s+|had\s+|also\s+)?(?:served|serve|serving|deployed|took\s+part|take\s+part|participated)\s+"
    r"(?:in|with)\s+(?:the|this)\s+(battlegroup|mission|operation|force)\b(?!\s+(?:in|of)\b)",
    re.I,
)


@rule("troops-from-served")
def troops_from_served(ctx: Context) -> Iterator[Found]:
    for run in runs(ctx, 1):
        first = ctx.local(run[0])
        troops = TROOPS_FROM.search(ctx.text, max(0, first - 40), first)
        served = SERVED_IN.match(ctx.text, ctx.local(run[-1]) + len(run[-1].text)) if troops else None
        obj = ctx.described(served.group(1), troops.start()) if served and troops else None
        if obj is None or obj.entity is None or obj.entity_type not in TAKEN_PART_IN:
            continue
        for state in run:
            yield "participation", state.entity, obj.entity, 0.7, {"cue": served.span()}  # type: ignore[union-attr]


@rule("cue-contributes")
def contributes(ctx: Context) -> Iterator[Found]:
    for thing in ctx.things():
        if thing.entity is None or thing.entity_type not in TAKEN_PART_IN:
            continue
        start = ctx.local(thing)
        cue = CONTRIBUTES.search(ctx.text, max(0, start - 90), start)
        if cue is None or [
            m for m in ctx.states(cue.start(), start) if not LED.match(ctx.text, ctx.local(m) + len(m.text))
        ]:
            continue  # (a state between names another sender; "the Canadian-led battle group" does not)
        if [m for m in ctx.things(cue.end() - 1, start) if not m.qualifies_project]:
            continue  # another thing stands between: "sent troops to NATO's mission in Kosovo"
        clause = ctx.text[cue.start() : start + len(thing.text) + 40].split(", and ")[0]
        extra = {"date": _date(clause, ctx.year), "cue": cue.span()}
        subjects = ctx.subjects(cue.start()) or ctx.shared_subject(cue.start())
        for state in dict.fromkeys(m.entity for m in subjects):
            yield "participation", state, thing.entity, 0.75, extra


# "... led by Italy with the participation of France, Spain and Portugal", "a project involving
# Germany and the Netherlands": the thing named before takes the listed states in.
PARTICIPATION_OF = re.compile(
    r"\b(?:with\s+the\s+(?:participation|involvement|support)\s+of|involving|which\s+involves|"
    r"that\s+involves|with\s+participants\s+from|open\s+to)\s+(?:the\s+)?$",
    re.I,
)


# "... includes troops from the Netherlands and Norway", "three naval vessels provided by Italy,
# Germany and Greece", "aircraft contributed by Portugal"
TROOPS_FROM = re.compile(
    r"\b(?:(?:troops|soldiers|personnel|contingents?|forces|units|staff|sailors|airmen|ships|vessels|"
    r"warships|frigates|aircraft|helicopters|planes|assets|teams?)\s+(?:\w+\s+)?from|"
    r"(?:provided|supplied|contributed|offered|sent|deployed|made\s+available)\s+by)\s+(?:the\s+)?$",
    re.I,
)


@rule("participation-of")
def participation_of(ctx: Context) -> Iterator[Found]:
    for run in runs(ctx, 1):
        first = ctx.local(run[0])
        cue = PARTICIPATION_OF.search(ctx.text, max(0, first - 40), first)
        troops = None if cue else TROOPS_FROM.search(ctx.text, max(0, first - 40), first)
        cue = cue or troops
        if cue is None or "open" in cue.group().lower():  # "open to" third states is no taking part
            continue
        named = ctx.things(max(0, cue.start() - 160), cue.start())
        obj = _object(named[-1:]) if named else None
        if obj is None or obj.entity is None or (troops and obj.entity_type not in TAKEN_PART_IN):
            continue
        for state in run:
            kind = "participation" if troops else _membership_type(obj)  # troops take part
            yield kind, state.entity, obj.entity, 0.75, {"cue": cue.span()}


FORM = re.compile(r"\b(?:form|formed|make\s+up|made\s+up|constitute|constituted)\s+(?:the\s+)?$", re.I)


@rule("cue-form")
def form(ctx: Context) -> Iterator[Found]:
    """'Germany, France and Poland form the Weimar Triangle': the group right after the verb."""
    for thing in ctx.things():
        start = ctx.local(thing)
        verb = FORM.search(ctx.text, max(0, start - 20), start)
        if verb is None or thing.entity is None:
            continue
        for state in dict.fromkeys(m.entity for m in ctx.subjects(verb.start())):
            yield _membership_type(thing), state, thing.entity, 0.75, {"cue": verb.span()}


# "under German leadership", "under the coordination of France", "under the Polish presidency"
UNDER = re.compile(
    r"\bunder\s+(?:the\s+)?(?:(?:leadership|lead|command|coordination|chairmanship|presidency|auspices)"
    r"\s+of\s+(?:the\s+)?)?$",
    re.I,
)
LEADERSHIP = re.compile(r"\s+(?:leadership|lead|command|coordination|chairmanship|presidency)\b", re.I)


@rule("cue-under")
def under(ctx: Context) -> Iterator[Found]:
    for state in ctx.states():
        start = ctx.local(state)
        cue = UNDER.search(ctx.text, max(0, start - 50), start)
        if cue is None:
            continue
        after = LEADERSHIP.match(ctx.text, start + len(state.text))
        if not (after or cue.group().strip().lower().endswith(("of", "of the"))):
            continue
        before = ctx.things(0, cue.start())  # the thing the clause is about, else the one after
        obj = _object(before[-1:]) if before else _object(ctx.things(start))
        if obj is None and ctx.recent:
            obj = ctx.recent[-1]
        if obj is not None and obj.entity:
            yield "coordination", state.entity, obj.entity, 0.7, {"cue": (cue.start(), start)}


# "'Weimar Triangle' refers to a loose grouping of Poland, Germany, and France", "the Visegrad
# Group, an alliance of four Central European states: ..."
GROUPING_OF = re.compile(
    r"\b(?:grouping|group|alliance|coalition|association|club|format|partnership|union|trio|quartet)"
    r"\s+of\s+(?:the\s+)?(?:\w+\s+){0,3}?(?:(?:states|countries|nations)\s*[:,–—-]?\s*(?:namely\s+)?)?$",
    re.I,
)


@rule("grouping-of")
def grouping_of(ctx: Context) -> Iterator[Found]:
    for run, cue in introduced(ctx, GROUPING_OF, 70, minimum=2):
        named = [
            m for m in ctx.things(max(0, cue.start() - 80), cue.start()) if m.entity_type != "Organisation"
        ]
        if not named or named[-1].entity is None:
            continue
        for state in run:
            yield "membership", state.entity, named[-1].entity, 0.75, {"cue": cue.span()}


# "Austria, Greece and Italy are Associated Nations.": a list, a role noun, nothing after it; the
# thing is what the paragraph is about.
ARE_ROLE = re.compile(
    r"\s+(?:are|is|were|was|became|remain)\s+(?:(?:now|also|all)\s+)?(?:the\s+|an?\s+)?"
    r"(?:(framework|lead|leading)|associated|sponsoring|contributing|participating|founding|full)\s+"
    r"(?:nations?|states?|countries|members?)\s*(?=[.;]|$|,\s+(?:while|and|whereas)\b)",
    re.I,
)


@rule("are-role")
def are_role(ctx: Context) -> Iterator[Found]:
    for run in runs(ctx, 1):
        role = ARE_ROLE.match(ctx.text, ctx.local(run[-1]) + len(run[-1].text))
        if role is None or ctx.things():
            continue  # (a thing named in the sentence is read by the rules with "of")
        obj = ctx.referent_mention(None)
        if obj is None or obj.entity is None or obj.entity_type == "Organisation":
            continue  # framework and associated nations belong to a corps, a centre, a group
        for state in run:
            yield _membership_type(obj), state.entity, obj.entity, 0.75, {"cue": role.span()}
            if role.group(1):
                yield "coordination", state.entity, obj.entity, 0.75, {"cue": role.span()}


# "... an EU Battlegroup led by Poland, in which the other Visegrad countries - the Czech Republic,
# Slovakia and Hungary - and Ukraine also participate": the states of the relative clause take
# part in its antecedent.
IN_WHICH = re.compile(r",?\s+(?:in|to)\s+which\s+", re.I)
WHICH_VERB = re.compile(
    r"\b(?:also\s+|now\s+)?(?:participate|participates|participated|take\s+part|takes\s+part|took\s+part|"
    r"contribute|contributes|contributed)\b",
    re.I,
)


@rule("in-which")
def in_which(ctx: Context) -> Iterator[Found]:
    for which in IN_WHICH.finditer(ctx.text):
        verb = WHICH_VERB.search(ctx.text, which.end(), which.end() + 160)
        states = ctx.states(which.end(), verb.start()) if verb else []
        if not states:
            continue
        before = ctx.things(0, which.start())
        obj = _object(before[-1:]) if before else None
        obj = ctx.not_the_class(obj) if obj is not None else None
        if obj is None or obj.entity is None or obj.entity_type not in TAKEN_PART_IN:
            continue
        for state in dict.fromkeys(m.entity for m in states):
            yield "participation", state, obj.entity, 0.75, {"cue": verb.span()}  # type: ignore[union-attr]
