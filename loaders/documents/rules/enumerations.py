"""Lists of states under a head that says what they belong to.

- in a sentence: "The 25 member countries of PESCO are: Austria, Belgium, ...", "Its members are
  A, B and C", "The group that signed the letter of intent includes A, B, ...", "members such as
  A, B and C";
- in lines, as tables and timelines flatten: a head line ("Founding members, 1949"), then a year
  line and a line of states, repeated.

The object is the organisation, initiative or project named in the head, else what the document
is about when the head refers to it ("its members", "the alliance", a bare "members").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import Context, Found, _membership_type, _object, rule

# Between two items of a list: a comma, "and", a line break, a bullet or a number ("1. Austria,
# 2. Belgium").
ITEM_GAP = re.compile(
    r"\s*(?:\([^()]{1,30}\)\s*)?(?:,|;|and|,\s*and|&|as well as|\n)?\s*(?:\d{1,2}[.)]\s*|[•·▪-]\s*)?"
    r"(?:the\s+|\n)?\s*",
    re.I,
)
# A role in brackets after an item: "Italy (coordinator)", "Czechia (observer)".
ROLE_AFTER = re.compile(
    r"\s*\((?:(observers?|observer\s+status)|(?:project\s+)?(?:coordinator|lead(?:\s+nation)?|leader|"
    r"framework\s+nation|chair))\)",
    re.I,
)
HEAD = re.compile(
    r"\b(?:members?|member\s+(?:states|countries|nations)|participating\s+(?:member\s+)?states|"
    r"participants|allies|signator(?:y|ies)|founding\s+(?:members|nations|states)|partner\s+nations|"
    r"framework\s+nations|nations|countries|states|group)\b",
    re.I,
)
# What sits right before the first item: a verb or phrase that opens a list.
OPENER = re.compile(
    r"(?:\b(?:are|were|include[sd]?|including|namely|such\s+as|compris\w*|consists?\s+of|"
    r"being|like|notably|among\s+them|is\s+made\s+up\s+of)|:|[–—(]|(?<=\s)-)\s*(?:(?:1[.)]|[•·▪-])\s*)?(?:the\s+)?$",
    re.I,
)
JOINING_HEAD = re.compile(
    r"\b(?:signed|signing|sign|joined|join|acceded|founding|became|signator(?:y|ies))\b", re.I
)
# Heads that name something other than belonging ("talks between", "ministers from").
NOT_BELONGING = re.compile(
    r"\b(?:between|from|with|against|visited|hosted|met|except|outside|not|non|neighbou?r\w*|"
    r"candidates?|aspirants?|invited|border\w*|exercise|trade|talks|observers?)\b",
    re.I,
)
# A capitalised word the graph does not know, leaving out the class nouns heads are written with
# ("The Member States who signed ...", "Framework Nations").
UNKNOWN_NAME = re.compile(
    r"(?<=\s)(?!(?:Member|States?|Nations?|Countries|Country|Allies|Parties|Framework|Associated|"
    r"Sponsoring|Participating|Contributing|Founding|Partner|Partners|Signatories|The|Troop|Troops|Lead|"
    r"Leading|Host|Eleven|Twelve|Nine|Ten|Eight|Seven|Six|Five|Four|Three|Two)\b)[A-Z][a-z]+"
)
# A person's or capital's thing: "Macron's coalition", "Berlin's initiative".
OWNED_REFERENCE = re.compile(
    r"\b[A-Z][a-z]+[’']s\s+(?:\w+\s+)?(coalition|initiative|project|programme|alliance|group|framework)\b"
)
ONLY_SEPARATORS = re.compile(r"(?:[\s,;&.]|\band\b|\bthe\b)*", re.I)
YEAR_LINES = re.compile(r"^\s*(?:19|20)\d{2}\s*$", re.M)
YEAR_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*$")


# In a long list, names the graph does not know stand between known ones: "Bulgaria, Chile,
# Czech Republic" (the list goes on; Chile is not linked).
UNKNOWN_ITEMS = re.compile(
    r"(?:\s*,\s*(?:and\s+)?(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}){1,3}\s*(?:,|,?\s*and)\s*"
)


BULLET = re.compile(r"[•·▪]")
AND = re.compile(r"\band\b|&", re.I)


def runs(ctx: Context, minimum: int, *, lenient: bool = False) -> Iterator[list[Mention]]:
    """Runs of state mentions joined only by commas, 'and', line breaks (lenient: also across
    a few unknown names, once the run has two states)."""
    states = ctx.states()
    run: list[Mention] = []
    closed = False  # the run ended its list with "and": a bullet after it starts another item
    for mention in states:
        if run:
            between = ctx.text[ctx.local(run[-1]) + len(run[-1].text) : ctx.local(mention)]
            bullet = bool(BULLET.search(between))
            if (ITEM_GAP.fullmatch(between) and not (closed and bullet)) or (
                lenient and len(run) >= 2 and UNKNOWN_ITEMS.fullmatch(between)
            ):
                closed = closed or (bool(AND.search(between)) and not bullet)
                run.append(mention)
                continue
            closed = False
            if len(run) >= minimum:
                yield run
        run = [mention]
    if len(run) >= minimum:
        yield run


def introduced(
    ctx: Context, cue: re.Pattern[str], window: int, minimum: int = 1
) -> Iterator[tuple[list[Mention], re.Match[str]]]:
    """Each run of states with the cue that ends right before it, looked for in `window`
    characters ("invited Finland and Sweden", "except for Denmark and Malta")."""
    for run in runs(ctx, minimum):
        first = ctx.local(run[0])
        match = cue.search(ctx.text, max(0, first - window), first)
        if match is not None:
            yield run, match


CLAUSE_END = re.compile(r"[;.](?<!\d\.)")


def _clause_start(text: str, before: int) -> int:
    """Where the clause ending at `before` starts: after the last full stop or semicolon, not
    counting the stop of a list number ("are: 1. Austria")."""
    ends = [m.end() for m in CLAUSE_END.finditer(text, max(0, before - 400), before)]
    return ends[-1] if ends else max(0, before - 400) if before > 400 else 0


def _target(ctx: Context, head_start: int, head_end: int) -> tuple[str | None, str | None]:
    """The head's organisation, initiative or project (nearest to the list), else the
    document's subject; with its entity type."""
    things = ctx.things(head_start, head_end)
    if things:
        found = _object(things[-1:]) or things[-1]
        return found.entity, found.entity_type
    named = [m for m in ctx.mentions if head_start <= ctx.local(m) < head_end]
    words = ctx.text[head_start:head_end]
    for mention in named:
        words = words.replace(mention.text, "")
    owned = OWNED_REFERENCE.search(words)
    if owned:  # "join Macron's coalition": the coalition named before, if one fits
        found = ctx.referent_mention(owned.group(1))
        return (found.entity, found.entity_type) if found else (None, None)
    if UNKNOWN_NAME.search(words):  # "join the Nordic Council": a name the graph lacks
        return None, None
    topic = ctx.referent_mention(None)  # the sentence before's subject, else the last thing named
    if topic is not None and topic.entity_type == "Body" and ctx.before is not None:
        # "The North Atlantic Council decided to invite Algeria to join the Mediterranean
        # Dialogue. Six countries are currently involved: ...": a council has no such states
        named = [
            m for m in ctx.before.things() if m.entity_type in ("Initiative", "Organisation", "Formation")
        ]
        topic = named[-1] if named else topic
    if topic is not None:
        return topic.entity, topic.entity_type
    return ctx.dominant, None


# A head that also says which organisation the listed states belong to: "The EU member countries
# contributing to EUTM Mali are: ...", "NATO allies taking part in ... are"; "non-EU" negates it.
QUALIFIED_HEAD = re.compile(
    r"\b(non[-\s])?(EU|NATO)\s+(?:member\s+)?(?:states|countries|nations|allies|members)\b", re.I
)
QUALIFIER = {"eu": "eu", "nato": "nato"}
SIGNATORY_CLASS = re.compile(r"\bsignatory\s+(?:states|countries|nations)\b(?!\s+(?:of|to)\b)", re.I)
LEADING_HEAD = re.compile(r"\b(?:framework|lead(?:ing)?)\s+nations?\s*[:–—-]?\s*(?:the\s+)?$", re.I)


def _qualifier(head: str, target: str) -> tuple[str, str] | None:
    """The organisation a list's head names its states by, when the list is about another thing."""
    found = QUALIFIED_HEAD.search(head)
    if found is None or QUALIFIER[found.group(2).lower()] == target:
        return None
    return QUALIFIER[found.group(2).lower()], "negated" if found.group(1) else "asserted"


def _signed(ctx: Context, other: str) -> str | None:
    """What unqualified 'signatory states' signed: the document's subject, else the initiative
    named most often of late, when it is not the head's own thing."""
    if ctx.dominant and ctx.dominant != other:
        return ctx.dominant
    named = Counter(m.entity for m in ctx.recent or [] if m.entity_type == "Initiative" and m.entity != other)
    return named.most_common(1)[0][0] if named else None


@rule("enumeration")
def enumeration(ctx: Context) -> Iterator[Found]:
    for run in runs(ctx, 2, lenient=True):
        first = ctx.local(run[0])
        clause_start = _clause_start(ctx.text, first)
        head = ctx.text[clause_start:first]
        if not OPENER.search(head[-40:]):
            continue
        unqualified = QUALIFIED_HEAD.sub(" states", head)  # "non-EU countries" still belong to the head
        if not HEAD.search(head) or NOT_BELONGING.search(unqualified[-90:]):
            continue
        if len(run) < 3 and not re.search(r"\bmembers?\b", head, re.I):
            continue
        target, kind = _target(ctx, clause_start, first)
        if target is None:
            continue
        named = [m for m in ctx.things(clause_start, first) if m.entity == target]
        # (named before, for its kind: "the enhanced Forward Presence" is taken part in)
        seen = named or [m for m in ctx.recent or [] if m.entity == target]
        obj_type = _membership_type(seen[-1] if seen else None, kind)  # a battlegroup: taking part
        joining = bool(JOINING_HEAD.search(head))
        cue = (first - len(head[-40:]), first)
        extra = {"cue": cue}
        qualifier = _qualifier(head, target)
        leading = LEADING_HEAD.search(head[-40:])  # "6 Framework Nations: A, B": they also lead
        # "Twelve former signatory states have now joined NATO: A, B": signatories of the document's
        # subject too, when the head names another thing (not "The signatory states are A, B")
        signatories = _signed(ctx, target) if named and SIGNATORY_CLASS.search(head) else None
        for mention in run:
            role = ROLE_AFTER.match(ctx.text, ctx.local(mention) + len(mention.text))
            if role and role.group(1):  # "Czechia (observer)": not a member
                continue
            yield obj_type, mention.entity, target, 0.8, extra
            if role or leading:  # "Italy (coordinator), France, Spain"
                yield "coordination", mention.entity, target, 0.8, extra
            if joining:
                yield "joining", mention.entity, target, 0.75, extra
            if signatories:
                yield "joining", mention.entity, signatories, 0.7, extra
                yield "membership", mention.entity, signatories, 0.7, extra
            if qualifier:
                org, stated = qualifier
                yield "membership", mention.entity, org, 0.75, {**extra, "modality": stated}


@rule("year-lines")
def year_lines(ctx: Context) -> Iterator[Found]:
    """'Founding members, 1949 / A, B and C / 1952 / D and E': a head line, then years and the
    states that joined that year (timelines and tables flattened to lines)."""
    if "\n" not in ctx.text:
        return
    lines = ctx.text.split("\n")
    headed = HEAD.search(ctx.text[:200]) and re.search(r"\bmembers?\b|\bjoin|\baccession", ctx.text, re.I)
    if not headed and len(YEAR_LINES.findall(ctx.text)) < 2:  # a timeline goes on after a full stop
        return
    target = ctx.dominant
    if target is None:
        return
    offset = 0
    year: str | None = None
    for line in lines:
        start, end = offset, offset + len(line)
        offset = end + 1
        tail = re.search(r"((?:19|20)\d{2})\s*$", line)
        states = ctx.states(start, end)
        if YEAR_LINE.match(line) or (tail and not states and HEAD.search(line)):
            year = tail.group(1) if tail else YEAR_LINE.match(line).group(1)  # type: ignore[union-attr]
            continue
        if year and states:
            rest = ctx.text[start:end]
            for mention in states:
                rest = rest.replace(mention.text, "")
            if ONLY_SEPARATORS.fullmatch(rest):
                for mention in states:
                    yield "membership", mention.entity, target, 0.75, {"date": year, "cue": (start, start)}
                    yield "joining", mention.entity, target, 0.75, {"date": year, "cue": (start, start)}
        year = None if states else year


BRACKETED = re.compile(r"\s*\(\s*(?:the\s+)?")
CLASS_BEFORE = re.compile(
    r"\b(?:members?|member\s+states|countries|states|nations|participants|contributors|allies|signatories)\b",
    re.I,
)


@rule("bracketed-list")
def bracketed_list(ctx: Context) -> Iterator[Found]:
    """'... troops from 22 countries ... are present within EUFOR (Albania, Austria, ...)': a list
    in brackets right after a name, when the clause before speaks of countries or members."""
    lists = {ctx.local(run[0]): run for run in runs(ctx, 3, lenient=True)}
    for thing in ctx.things():
        opener = BRACKETED.match(ctx.text, ctx.local(thing) + len(thing.text))
        run = lists.get(opener.end()) if opener else None
        if run is None or thing.entity is None:
            continue
        clause_start = max(
            ctx.text.rfind(".", 0, ctx.local(thing)), ctx.text.rfind(";", 0, ctx.local(thing)), 0
        )
        if not CLASS_BEFORE.search(ctx.text, clause_start, ctx.local(thing)):
            continue
        for state in run:
            yield _membership_type(thing), state.entity, thing.entity, 0.75, {"cue": opener.span()}
