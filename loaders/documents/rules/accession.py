"""Accession phrasings: "X became the 30th member of Y", "X, the 27th member state of Y",
"X signed the letter of intent / accession protocol / instrument of accession", and passives
naming founders or newcomers: "Y was established in 1996 by A, B and C", "joined by D"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.relations import (
    Context,
    Found,
    _date,
    _membership_type,
    _object,
    _subject_cue_object,
    joined,
    rule,
)
from defence_kg.loaders.documents.rules.enumerations import introduced, runs

BECAME = re.compile(
    r"\b(?:became|becomes|become|becoming)\s+(?:a|an|the)?\s*(?:\w+(?:st|nd|rd|th)\s+|new\s+|newest\s+|"
    r"full\s+|founding\s+|most\s+recent\s+|latest\s+|associated\s+|sponsoring\s+|framework\s+)*"
    r"(?:members?|member\s+(?:state|country|nation)|ally|participant|nation|partner)\b"
    r"(?:\s+(?:of|in|to)\b)?",
    re.I,
)
SIGNED = re.compile(
    r"\b(?:signed|signs|sign|deposited|deposits|deposit|ratified|ratifies)\s+(?:\w+\s+){0,2}?"
    r"(?:letter\s+of\s+intent|declaration\s+of\s+intent|accession\s+protocol|protocol\s+of\s+accession|"
    r"instrument\s+of\s+accession|accession\s+treaty|treaty\s+of\s+accession|note\s+of\s+participation|"
    r"memorandum\s+of\s+understanding|(?:accession|participation)\s+agreement)\b(?:\s+(?:to|of|for|with)\b)?|"
    # ("on" only here: "signed the note of participation on 3 July" is a date)
    r"\b(?:signed|signs|sign)\s+(?:\w+\s+){0,2}?technical\s+arrangements?\s+(?:on|for|with|to)\b|"
    r"\b(?:gave|give|gives)\s+(?:their|its)\s+(?:formal\s+)?(?:assent|signatures?)\b",
    re.I,
)


@rule("cue-became-member")
def became_member(ctx: Context) -> Iterator[Found]:
    yield from _subject_cue_object(ctx, BECAME, kinds=("joining", "member"), confidence=0.85, fallback=True)


@rule("cue-signed")
def signed(ctx: Context) -> Iterator[Found]:
    yield from _subject_cue_object(ctx, SIGNED, kinds=("joining", "member"), confidence=0.8, fallback=True)


GROUPS = ("Organisation", "Initiative", "Formation", "Body")  # what states are members of
ADMITTED = re.compile(
    r"\b(?:was|were|has\s+been|have\s+been|had\s+been|is|are|being|be)\s+(?:formally\s+|officially\s+)?"
    r"(?:admitted|accepted|welcomed|inducted|integrated)\s+(?:as\s+(?:a|an|the)\s+(?:\w+\s+)?(?:member|participant)\s+)?"
    r"(?:in)?to\b|\bcomplet(?:ed|es|ing)\s+(?:its|their|the)\s+accession(?:\s+(?:to|process))?\b",
    re.I,
)


@rule("cue-admitted")
def admitted(ctx: Context) -> Iterator[Found]:
    """'The United Kingdom was admitted to the project in November 2022', 'Sweden was formally
    welcomed into NATO': the passive of admission is a joining."""
    yield from _subject_cue_object(ctx, ADMITTED, kinds=("joining", "member"), confidence=0.85, fallback=True)


# "Ukraine applied for NATO membership", "Finland submitted its application for membership of
# NATO", "Sweden's bid for membership": the joining sought (modality.py reads the wish).
APPLIED = re.compile(
    r"\b(?:appl(?:y|ies|ied|ying)|submit(?:s|ted|ting)?\s+(?:its|their|an?)\s+(?:formal\s+)?applications?|"
    r"(?:formally\s+)?request(?:s|ed|ing)?|seek(?:s|ing)?|sought|bid|pursu(?:e|es|ed|ing)|"
    r"rul(?:e|es|ed|ing)\s+out|reject(?:s|ed|ing)?|renounc(?:e|es|ed|ing))"
    r"\s+(?:for\s+)?(?:full\s+)?",
    re.I,
)
MEMBERSHIP_OF = re.compile(r"\s*membership(?:\s+(?:of|in)\s+(?:the\s+)?)?", re.I)


@rule("cue-applied")
def applied(ctx: Context) -> Iterator[Found]:
    for match in APPLIED.finditer(ctx.text):
        subjects = ctx.subjects(match.start())
        if not subjects:
            continue
        things = ctx.things(match.end(), match.end() + 80)
        named = [m for m in ctx.mentions if m.entity_type in GROUPS and ctx.local(m) == match.end()]
        obj = None
        if named:  # "applied for NATO membership" (the name is attributive there)
            noun = MEMBERSHIP_OF.match(ctx.text, ctx.local(named[0]) + len(named[0].text))
            obj = named[0] if noun and noun.group().strip() else None
        else:  # "applied for membership of NATO"
            noun = MEMBERSHIP_OF.match(ctx.text, match.end())
            if noun and noun.end() > noun.start() and things and ctx.local(things[0]) == noun.end():
                obj = things[0] if "of" in noun.group() or "in" in noun.group() else None
        if obj is None or obj.entity is None:
            continue
        extra = {"date": _date(ctx.text, ctx.year), "cue": match.span()}
        for state in dict.fromkeys(m.entity for m in subjects):
            yield from joined(state, obj, 0.8, extra)


ADMITS = re.compile(r"\b(?:accept\w*|admit\w*|welcom\w*)\s+(?:the\s+)?$", re.I)
INTO = re.compile(r"\s*(?:into|to|in)\s+(?:the\s+)?", re.I)
AS_ITS_MEMBER = re.compile(
    r"\s+as\s+(?:its|their|a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:member|ally|participant)\b", re.I
)


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
        if into is not None:
            obj = _object(ctx.things(into.end(), into.end() + 80))
            obj = obj if obj is not None and ctx.local(obj) == into.end() else None
        elif AS_ITS_MEMBER.match(ctx.text, after):  # "NATO welcomed Montenegro as its 29th member"
            named = ctx.things(max(0, first - 60), first)
            obj = named[-1] if named else None
        else:
            obj = None
        if obj is None:
            continue
        extra = {"cue": (first - 10, first), "date": _date(ctx.text[after:], ctx.year)}
        for state in run:
            yield from joined(state.entity, obj, 0.8, extra)


ORG_MEMBERS = re.compile(r"\s+(?:full\s+|fully[- ]fledged\s+)?(?:members?|member\s+states?|allies)\b", re.I)
BECAME_OR_ARE = re.compile(
    r"\b(?:(became|become|becomes|becoming|(?:was|were|been|being)\s+(?:formally\s+|officially\s+)?"
    r"(?:admitted|accepted|welcomed)\s+as)|(?:is|are|were|was|remains?|(?:has|have|had)\s+been))\s+"
    r"(?:(?:formally|officially|not|no\s+longer|also|now|still)\s+){0,2}"
    r"(?:(?:a|an|all|full|the\s+\w+|the)\s+)?$",
    re.I,
)
TOGETHER = re.compile(r"\btogether\s+with\b[^.;]{0,120}?[–—:-]\s*(?:the\s+)?$", re.I)


def _verb_group_noun(ctx: Context, noun: re.Pattern[str], *, date_before: bool) -> Iterator[Found]:
    """States, a verb ('became', 'are'), then a group's name followed by `noun`: 'became' is a
    joining too. The date is the first after the noun, else (date_before) one before the verb."""
    for mention in ctx.mentions:
        if mention.entity is None or mention.entity_type not in GROUPS:
            continue
        start = ctx.local(mention)
        found = noun.match(ctx.text, start + len(mention.text))
        verb = BECAME_OR_ARE.search(ctx.text, max(0, start - 30), start) if found else None
        if found is None or verb is None:
            continue
        when = _date(ctx.text[found.end() :], ctx.year)
        if when is None and date_before:
            when = _date(ctx.text[: verb.start()], ctx.year)
        extra = {"date": when, "cue": (verb.start(), found.end())}
        for state in dict.fromkeys(
            m.entity for m in ctx.subjects(verb.start()) or ctx.shared_subject(verb.start())
        ):
            yield "membership", state, mention.entity, 0.85, extra
            if verb.group(1):
                yield "joining", state, mention.entity, 0.85, extra


@rule("cue-org-members")
def org_members(ctx: Context) -> Iterator[Found]:
    """'Poland, the Czech Republic, and Hungary became NATO members on March 12, 1999'."""
    yield from _verb_group_noun(ctx, ORG_MEMBERS, date_before=False)


POSSESSIVE_MEMBER = re.compile(
    r"[’']s?\s+(?:(?:\w+(?:st|nd|rd|th)|newest|latest|new|youngest|full|founding)\s+)*"
    r"(?:members?|member\s+(?:states?|countr(?:y|ies)|nations?)|ally|allies)\b",
    re.I,
)


@rule("cue-possessive-member")
def possessive_member(ctx: Context) -> Iterator[Found]:
    """'Sweden became NATO's 32nd member on March 7, 2024', 'Croatia is the EU's youngest
    member state': the organisation in the possessive."""
    yield from _verb_group_noun(ctx, POSSESSIVE_MEMBER, date_before=True)


@rule("together-with")
def together_with(ctx: Context) -> Iterator[Found]:
    """'Slovakia ... joined NATO ..., together with other Eastern European states – Bulgaria,
    Estonia, ...': the listed states joined too."""
    for run in runs(ctx, 2):
        first = ctx.local(run[0])
        if not TOGETHER.search(ctx.text, max(0, first - 160), first):
            continue
        cue = JOINED.search(ctx.text, 0, first)
        if cue is None:
            continue
        obj = _object(ctx.things(cue.end(), first))
        if obj is None:
            continue
        extra = {"date": _date(ctx.text, ctx.year), "cue": cue.span()}
        for state in run:
            yield from joined(state.entity, obj, 0.75, extra)


JOINED = re.compile(r"\bjoin(?:ed|s)\b", re.I)


# "was established on 12 November 1996 by the Defence Ministers of", "Founded in 1992 by",
# "rapidly joined by": the verb, what may stand between it and "by", who acted for the states.
BY_STATES = re.compile(
    r"\b(?:(founded|established|created|set\s+up|formed|launched|initiated|inaugurated)|"
    r"(joined|embraced))\b"
    # ("was joined, besides France, by Germany, ...": the aside is no part of the list)
    r"(?P<between>[^.;:,]{0,40}?)(?:,\s*(?:besides|alongside|apart\s+from|in\s+addition\s+to)\s+(?P<aside>[^.;:,]{1,30}),)?"
    r"\s+by\s+(?:the\s+)?(?:(?:[\w-]+\s+){1,4}of\s+)?(?:the\s+)?"
    r"(?:(?:\w+\s+)?founding\s+(?:members|nations|states|countries)\s*,?\s*(?:the\s+)?)?$",
    re.I,
)
# "the initiative was embraced by ...": the thing the description names
DESCRIBED_BEFORE = re.compile(
    r"\b(?:the|this)\s+(initiative|project|programme|centre|center|corps|unit|coalition|group|agency)\s+"
    r"(?:was|were|has\s+been|had\s+been|is|are)\s+(?:\w+ly\s+)?$",
    re.I,
)
# "Founded by France and Germany in 1992, it is today ...": the pronoun after the clause
IT_AFTER = re.compile(r"[^.;,]{0,40},\s+(?:it|the\s+(corps|unit|initiative|centre|agency))\s+[a-z]", re.I)


DATED_AFTER = re.compile(r"\s+(?:in|on)\s+(?:\d{1,2}\s+[A-Z][a-z]+\s+)?(?:19|20)\d{2}\b")


def _noun(word: str) -> str:
    """The referent noun for a word: a unit is a corps or a formation ('group')."""
    return "group" if word.lower() == "unit" else word.lower()


PRONOUN_SUBJECT = re.compile(
    r"\s*(?:It|They|(?:These|Those|The)\s+(?:\w+\s+)?(?:countries|states|nations|founders|members)|"
    r"The\s+(alliance|union|bloc|agency|organi[sz]ation|initiative|project|programme|centre|coalition))\b"
)


@rule("cue-by-states")
def by_states(ctx: Context) -> Iterator[Found]:
    """Founders coordinate and join what they founded (dated when the text says when); states
    it was 'joined by' join it. What they founded is named before the verb ('OCCAR was
    established by ...') or, when the sentence opens with the verb, after the list."""
    pronoun = PRONOUN_SUBJECT.match(ctx.text)
    for run, cue in introduced(ctx, BY_STATES, 100):
        aside = ctx.states(*cue.span("aside")) if cue.group("aside") else []
        if [m for m in ctx.states(cue.start(), ctx.local(run[0])) if m not in aside]:
            continue  # "initiated by Germany in the wake of Russia's invasion": Russia is no founder
        run = aside + run  # "was joined, besides France, by Germany": France is in it too
        after = ctx.local(run[-1]) + len(run[-1].text)
        obj = _object(list(reversed(ctx.things(0, cue.start())))) or _object(ctx.things(after))
        if obj is None and pronoun:  # "It was later joined by Spain": what the paragraph is about
            obj = ctx.referent_mention(pronoun.group(1))
        described = None if obj else DESCRIBED_BEFORE.search(ctx.text, max(0, cue.start() - 40), cue.start())
        if described:
            obj = ctx.described(_noun(described.group(1)), cue.start())
        it = None if obj or cue.start() > 3 else IT_AFTER.match(ctx.text, after)
        if it:
            obj = ctx.referent_mention(_noun(it.group(1) or ""))
        if obj is None:
            continue
        founded = cue.group(1) is not None
        if founded and cue.group(1).lower() == "inaugurated" and "founding" not in cue.group().lower():
            continue  # "inaugurated by the Defence Minister of Belgium": a ceremony, not its founders
        when = _date(cue.group("between"), ctx.year) if founded else None
        dated = DATED_AFTER.match(ctx.text, after) if founded and when is None else None
        extra = {  # (the date before the list, else right after it: "Founded by A and B in 1992")
            "date": _date(dated.group(), ctx.year) if dated else when,
            "cue": cue.span(1) if founded else cue.span(2),
        }
        for state in dict.fromkeys(m.entity for m in run):
            if founded:
                yield "coordination", state, obj.entity, 0.75, extra
            yield from joined(state, obj, 0.75, extra)


# "Finland's accession to NATO on 4 April 2023", "Denmark's membership of the EDA", "Sweden's
# entry into NATO": the nominal forms (modality.py reads "future", "bid", "blocked").
NOMINAL = re.compile(
    r"[’']s\s+(?:(?:full|formal|eventual|future|possible|planned)\s+)?(accession|entry|membership)"
    r"\s+(?:to|of|in|into)\s+(?:the\s+)?",
    re.I,
)


STEP_TOWARDS = re.compile(
    r"\b(?:ratif\w*|approv\w*|back\w*|support\w*|block\w*|delay\w*|veto\w*|oppos\w*|obstruct\w*|"
    r"stall\w*|held\s+up|holding\s+up|hold\s+up|endors\w*|discuss\w*|on)\s+(?:of\s+)?$",
    re.I,
)


@rule("nominal-accession")
def nominal_accession(ctx: Context) -> Iterator[Found]:
    for state in ctx.states():
        end = ctx.local(state) + len(state.text)
        noun = NOMINAL.match(ctx.text, end)
        things = ctx.things(noun.end(), noun.end() + 1) if noun else []
        if not things or things[0].entity is None:
            continue
        obj = things[0]
        if STEP_TOWARDS.search(ctx.text, max(0, ctx.local(state) - 30), ctx.local(state)):
            continue  # "Hungary ratified Sweden's accession": a step towards it, another state's act
        extra = {"date": _date(ctx.text[noun.end() :], ctx.year), "cue": (ctx.local(state), noun.end())}  # type: ignore[union-attr]
        if noun.group(1).lower() != "membership":  # type: ignore[union-attr]
            yield "joining", state.entity, obj.entity, 0.75, extra
        yield _membership_type(obj), state.entity, obj.entity, 0.75, extra


# "NATO formally invited Finland and Sweden to join", "the alliance invited the seven countries",
# "extended an invitation to Montenegro": the organisation before the verb invites the states after it.
INVITES = re.compile(
    r"\b(?:(?:formally\s+|officially\s+)?invit(?:ed|es|ing)|extend(?:ed|s)?\s+(?:an\s+)?invitations?\s+to)\s+(?:the\s+)?$",
    re.I,
)


@rule("cue-invites")
def invites(ctx: Context) -> Iterator[Found]:
    for run, verb in introduced(ctx, INVITES, 50):
        before = [m for m in ctx.things(max(0, verb.start() - 60), verb.start()) if m.entity_type in GROUPS]
        obj = before[-1] if before else None
        if obj is None and re.search(
            r"\b(?:the\s+)?(?:alliance|allies)\b", ctx.text[max(0, verb.start() - 30) : verb.start()], re.I
        ):
            obj = ctx.referent_mention("alliance")
        if obj is None or obj.entity is None:
            continue
        extra = {"date": _date(ctx.text, ctx.year), "cue": verb.span()}
        for state in run:
            yield "invitation", state.entity, obj.entity, 0.8, extra


# "Norway joined the MMF in 2017. Belgium followed in early 2018": a joining like the one before.
FOLLOWED = re.compile(
    r"\b(?:followed|follows|follow)(?:\s+suit)?\b"
    r"(?=\s*(?:[,.;]|$|in\b|on\b|during\b|this\b|last\b|a\b|later\b|shortly\b|soon\b))",
    re.I,
)


@rule("cue-followed")
def followed(ctx: Context) -> Iterator[Found]:
    before = ctx.before
    if before is None or not JOINED.search(before.text):
        return
    for match in FOLLOWED.finditer(ctx.text):
        subjects = ctx.subjects(match.start())
        obj = ctx.referent_mention(None)
        if not subjects or obj is None or obj.entity is None:
            continue
        extra = {"date": _date(ctx.text[match.end() :], ctx.year), "cue": match.span()}
        for state in dict.fromkeys(m.entity for m in subjects):
            yield from joined(state, obj, 0.7, extra)


# "Iceland joins Britain, Denmark and Norway in the JEF": those it joins are members already.
JOINS_STATES = re.compile(r"\bjoin(?:s|ed|ing)?\s+(?:the\s+)?$", re.I)
IN_THING = re.compile(r"\s+(?:in|within|inside)\s+(?:the\s+)?", re.I)


@rule("joins-members")
def joins_members(ctx: Context) -> Iterator[Found]:
    for run, cue in introduced(ctx, JOINS_STATES, 30):
        after = IN_THING.match(ctx.text, ctx.local(run[-1]) + len(run[-1].text))
        things = ctx.things(after.end(), after.end() + 1) if after else []
        if not things or things[0].entity is None:
            continue
        for state in run:
            yield _membership_type(things[0]), state.entity, things[0].entity, 0.75, {"cue": cue.span()}


# "The Netherlands joined the EATC in 2010, followed by Spain a year later": the same joining.
THE_UNIT = re.compile(r"\s+the\s+(unit|corps|initiative|project|centre|coalition|group)\b", re.I)
WHEN_GAP = re.compile(r"(?:\s+(?:in|on|during)\s+[\w ]{1,20})?")
FOLLOWED_BY = re.compile(r",?\s+(?:and\s+)?(?:was\s+|were\s+)?followed\s+by\s+(?:the\s+)?$", re.I)


@rule("followed-by")
def followed_by(ctx: Context) -> Iterator[Found]:
    for run, cue in introduced(ctx, FOLLOWED_BY, 40):
        join = [m for m in JOINED.finditer(ctx.text, 0, cue.start())]
        obj = _object(ctx.things(join[-1].end(), cue.start())) if join else None
        unit = THE_UNIT.match(ctx.text, join[-1].end()) if join and obj is None else None
        if unit and WHEN_GAP.fullmatch(ctx.text, unit.end(), cue.start()):  # "joined the unit, followed by"
            obj = ctx.referent_mention(_noun(unit.group(1)))
        if obj is None or obj.entity is None:
            continue
        for state in run:
            yield from joined(state.entity, obj, 0.7, {"cue": cue.span()})
