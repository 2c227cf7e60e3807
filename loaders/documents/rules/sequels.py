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
from defence_kg.loaders.documents.relations import (
    DESCRIBED_REACH,
    Context,
    Found,
    _date,
    _membership_type,
    joined,
    rule,
)
from defence_kg.loaders.documents.rules.enumerations import introduced, runs
from defence_kg.loaders.documents.rules.figures import ACTS_ON

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


# "A and B in 1951 and C in 1954", "A, B and C in 1997, and D, E and F in 2004": runs of states,
# each closed by its own date, chained by "and" or commas.
RUN_DATE = re.compile(
    r"\s+((?:in|on|during)\s+(?:(?:the\s+)?\d[^,.;]{0,25}?|[A-Z][a-z]+\s+\d{4}))(?=\s*(?:[,.;)]|and\b|$))"
)
CHAIN = re.compile(r"\s*(?:,\s*and|,|;|\s+and)\s+(?:the\s+)?")


def dated_chain(ctx: Context, first: list[Mention]) -> Iterator[tuple[Mention, str | None]]:
    """Each state of the run `first` and of the runs chained after it, with its run's date."""
    chained = [r for r in runs(ctx, 1) if ctx.local(r[0]) >= ctx.local(first[0])]
    for index, run in enumerate(chained):
        end = ctx.local(run[-1]) + len(run[-1].text)
        when = RUN_DATE.match(ctx.text, end)
        date = _date(when.group(1), ctx.year) if when else None
        for state in run:
            yield state, date
        following = chained[index + 1] if index + 1 < len(chained) else None
        link = CHAIN.match(ctx.text, when.end() if when else end)
        if when is None or following is None or link is None or link.end() != ctx.local(following[0]):
            return


# "In 1981, Spain became a member, followed by the Czech Republic, Hungary and Poland in 1997, and
# Bulgaria, ... in 2004": the joiners after the first, each run with its date.
BECAME_MEMBER = re.compile(
    r"\b(?:bec(?:ame|omes)\s+(?:a|an|the\s+\w+)\s+(?:full\s+)?member|acceded|entered)\b"
    r"(?P<object>[^.;]{0,60}?)\s*,?\s+(?:and\s+)?(?:was\s+|were\s+)?followed\s+by\s+(?:the\s+)?$",
    re.I,
)


@rule("member-followed-by")
def member_followed_by(ctx: Context) -> Iterator[Found]:
    if "followed" not in ctx.text:
        return
    for run, verb in introduced(ctx, BECAME_MEMBER, 140):
        named = ctx.things(verb.start("object"), verb.end("object"))
        obj = named[0] if named else ctx.referent_mention(None)
        if obj is None or obj.entity is None:
            continue
        for state, date in dated_chain(ctx, run):
            yield from joined(state.entity, obj, 0.7, {"date": date, "cue": verb.span()})  # type: ignore[arg-type]
        return


# "NATO's first expansion included the accessions of Greece and Turkey in 1951 and Germany in
# 1954", "the accession of Croatia to the EU in 2013": joinings named by their noun.
ACCESSIONS_OF = re.compile(r"\baccessions?\s+of\s+(?:the\s+)?$", re.I)
TO_THING = re.compile(r"\s+(?:to|into)\s+(?:the\s+)?")


@rule("accessions-of")
def accessions_of(ctx: Context) -> Iterator[Found]:
    if "ccession" not in ctx.text:
        return
    for run, cue in introduced(ctx, ACCESSIONS_OF, 20):
        after = TO_THING.match(ctx.text, ctx.local(run[-1]) + len(run[-1].text))
        named = ctx.things(after.end(), after.end() + 1) if after else []
        if not named:  # "NATO's first expansion included the accessions of": the one named before
            named = [
                m for m in ctx.things(0, cue.start()) if m.entity_type in ("Organisation", "Initiative")
            ][-1:]
        obj = named[0] if named else ctx.referent_mention(None)
        if (
            obj is None
            or obj.entity is None
            or STEP_BEFORE.search(ctx.text, max(0, cue.start() - 40), cue.start())
        ):
            continue
        # "the accession of Croatia to the EU in 2013": the date after the thing
        dated = (
            RUN_DATE.match(ctx.text, ctx.local(named[0]) + len(named[0].text)) if after and named else None
        )
        alone = _date(dated.group(1), ctx.year) if dated else None
        for state, date in dated_chain(ctx, run):
            extra = {"date": date or alone, "cue": cue.span()}
            yield from joined(state.entity, obj, 0.7, extra)  # type: ignore[arg-type]


# "blocked the accession of", "talks on the accession of": a step towards a joining, not one
STEP_BEFORE = re.compile(
    r"\b(?:block\w*|veto\w*|oppos\w*|delay\w*|talks\s+on|negotiations\s+on|support\w*|back\w*|"
    r"approv\w*|ratif\w*|discuss\w*|prospects?\s+(?:of|for)|road\s+to|bid\s+for|hopes?\s+for)\s+(?:the\s+)?$",
    re.I,
)


# "Finland was an associated member from 2002 - 2006", "Austria has been a member since 1995",
# "Czechia isn't a member.": a membership of what the paragraph is about, named nowhere in the
# sentence (modality.py reads the negation).
MEMBER_SINCE = re.compile(
    r"\b(?:is|was|are|were|has\s+been|have\s+been|had\s+been|became|becomes|remains?|remained)"
    r"(?:n[’']t|\s+not|\s+no\s+longer)?\s+(?:an?\s+)?(?:(?:associated?|full|framework|founding|active|"
    r"permanent)\s+)?members?\b(?=\s+(?:from|since|between|until|in)\s+(?:the\s+)?(?:\d|[A-Z][a-z]+\s+\d)|\s*[.;]|\s*$)",
    re.I,
)


@rule("member-since")
def member_since(ctx: Context) -> Iterator[Found]:
    if "member" not in ctx.text or ctx.things():
        return  # (a thing named in the sentence is the core cues' object)
    for cue in MEMBER_SINCE.finditer(ctx.text):
        subjects = ctx.subjects(cue.start()) or ctx.pronoun_subject(cue.start())
        obj = ctx.referent_mention(None)
        if not subjects or obj is None or obj.entity is None:
            continue
        near = ctx.sentence.start - obj.start <= 4 * DESCRIBED_REACH  # (within a few paragraphs)
        if not near:
            continue
        extra = {"date": _date(ctx.text[cue.end() :], ctx.year), "cue": cue.span()}
        for state in subjects:
            yield _membership_type(obj), state.entity, obj.entity, 0.65, extra


# "Aim of this new multinational initiative by Belgium, France, Germany and the Netherlands is
# ...": the states whose initiative the described thing is lead it and are its first members.
INITIATIVE_BY = re.compile(
    r"\b(?:the|this|that|their|a|an)\s+(?:(?:new|joint|multinational|bilateral|trilateral|common|"
    r"first)\s+){0,3}(initiative|project|programme|coalition|format)\s+by\s+(?:the\s+)?$",
    re.I,
)
STARTED_KINDS = ("Initiative", "Formation", "Project")


@rule("initiative-by")
def initiative_by(ctx: Context) -> Iterator[Found]:
    if " by " not in ctx.text:
        return
    for run, cue in introduced(ctx, INITIATIVE_BY, 80):
        named = [m for m in ctx.things(0, cue.start()) if m.entity_type in STARTED_KINDS]
        obj = named[-1] if named else ctx.referent_mention(None)
        if obj is None or obj.entity is None or obj.entity_type not in STARTED_KINDS:
            continue
        if ctx.sentence.start - obj.start > DESCRIBED_REACH:
            continue  # (a description does not reach back over paragraphs)
        extra = {"date": _date(ctx.text, ctx.year), "cue": cue.span()}
        for state in run:
            yield "coordination", state.entity, obj.entity, 0.65, extra
            yield from joined(state.entity, obj, 0.65, extra)  # type: ignore[arg-type]


# Lines of an operation's order of battle: "Germany. The 'Brandenburg' frigate (F-215) ...",
# "Netherlands : the frigate 'Evertsen' took over ... as flagship": the state takes part.
SHIP_LINE = re.compile(
    r"\s*[:.–—-]\s+(?:[^.;]{0,50}?)\b(?:frigates?|corvettes?|destroyers?|ships?|vessels?|submarines?|"
    r"patrol\s+(?:boats?|vessels?|aircraft|planes?)|maritime\s+patrol|aircraft|helicopters?|planes?|"
    r"tankers?|minehunters?|boarding\s+team)\b",
    re.I,
)
ORDER_OF_BATTLE_REACH = 3000  # characters back to the operation the lines belong to


@rule("ship-lines")
def ship_lines(ctx: Context) -> Iterator[Found]:
    states = ctx.states(0, 3)
    if not states or ctx.things() or ctx.text[: ctx.local(states[0])].strip():
        return
    state = states[0]
    if SHIP_LINE.match(ctx.text, ctx.local(state) + len(state.text)) is None:
        return
    operation = ctx.referent_mention("operation")
    if operation is None or operation.entity is None or operation.entity_type != "Operation":
        return
    if ctx.sentence.start - operation.start > ORDER_OF_BATTLE_REACH:
        return
    yield (
        "participation",
        state.entity,
        operation.entity,
        0.6,
        {"cue": (0, ctx.local(state) + len(state.text))},
    )


# "NB8 (Nordic - Baltic Eight) is an informal regional co-operation format that includes Denmark,
# Estonia, ...": the thing the sentence opens with, described, then its states.
DESCRIBED_AS_INCLUDING = re.compile(
    r"\s(?:is|was)\s+an?\s+(?:[\w()-]+\s+){0,5}?(?:format|group|grouping|forum|framework|organi[sz]ation|"
    r"alliance|coalition|partnership|club|initiative|co-?operation)\s+(?:that|which)\s+(?:now\s+)?"
    r"(?:includes|included|comprises|comprised|brings\s+together|brought\s+together|unites|united|gathers|groups)\s+"
    r"(?:the\s+)?$",
    re.I,
)


@rule("described-as-including")
def described_as_including(ctx: Context) -> Iterator[Found]:
    if " that " not in ctx.text and " which " not in ctx.text:
        return
    for run, cue in introduced(ctx, DESCRIBED_AS_INCLUDING, 200):
        thing = ctx.opening_thing(cue.start())
        if thing is None or thing.entity is None or ctx.things(ctx.local(thing) + 1, cue.start()):
            continue
        for state in run:
            yield _membership_type(thing), state.entity, thing.entity, 0.7, {"cue": cue.span()}
