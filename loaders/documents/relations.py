"""Stage 5: rule-based relation extraction, one sentence at a time.

Each rule looks for a cue (a verb or phrase) and takes its arguments from the linked mentions
around it: states before a cue are its subjects, the first organisation, initiative or project
after it its object. Rules are small, named (the name is recorded as the extraction method) and
use only linear-time regular expressions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from defence_kg.loaders.documents.brackets import bracket_end
from defence_kg.loaders.documents.dates import parse_date, weekday_date
from defence_kg.loaders.documents.modality import modality
from defence_kg.loaders.documents.models import Candidate, Mention, Relation, Sentence
from defence_kg.loaders.documents.salience import dominant_entity, last_year, own_parent

NON_STATE = {"Organisation", "Initiative", "Project", "Body", "Candidate", "Operation", "Formation"}
# An organisation's name before a lower-case word qualifies it ("NATO officials", "EU defence
# initiatives") unless the word is a function word or a past-tense verb ("NATO since 1999",
# "the EU decided").
ATTRIBUTIVE = re.compile(
    r"^\s(?!(?:and|or|to|in|of|is|are|as|has|have|had|was|were|will|would|since|until|for|at|on|"
    r"from|by|with|after|before|but|while|which|that|who|where|when|because|during|over|under|"
    r"than|itself|can|could|may|must|should|does|did|do|also|now|then|still|back|last|earlier|later|"
    r"again|too|only|just|alongside|together|formally|officially|"
    r"[a-z]+ed)\b)[a-z]"
)
# A state after a preposition is not a subject ("aggression on Ukraine, Sweden and Finland").
GOVERNED = re.compile(
    r"\b(?:on|in|of|against|with|from|by|to|for|at|about|into|towards?)\s+(?:the\s+)?$", re.I
)
# Who acts for the states that follow: "the defence ministers of France, Germany and Spain signed"
ACTING_FOR = re.compile(
    r"\b(?:ministers?|leaders|heads(?:\s+of\s+(?:state|government))?|representatives|governments|"
    r"delegations|chiefs|ambassadors|presidents|parliaments)\s+(?:of|from)\s+(?:the\s+)?$",
    re.I,
)
# A cue with no named object refers to what the document is about only when nothing else follows:
# "Denmark joined in 2023", "joined the alliance", not "joined a France-led coalition".
ELLIPTIC = re.compile(
    r"\s*(?:[,.;:)]|$|(?:in|on|as|at|after|before|last|this|from|it|them|too|also|since)\b|"
    r"the\s+(alliance|bloc|union|initiative|project|agency|organi[sz]ation|group|cooperation|"
    r"framework|pact|centre|center|coalition|programme|corps|mission|operation|battlegroup|unit)\b)",
    re.I,
)
# An object written as a description of a thing named before: "the operation", "this mission",
# "the new project" (not "the mission in Mali" or "the project of ...", which name another).
DESCRIBED = re.compile(
    r"\s*(?:to\s+|in\s+)?(?:the|this|that|its)\s+(?:(?:new|joint|multinational|naval|maritime|"
    r"military|training|civilian|whole|entire|same)\s+){0,2}(alliance|bloc|union|initiative|project|"
    r"organi[sz]ation|agency|"
    r"programme|centre|center|corps|group|coalition|mission|operation|battlegroup|force)\b"
    r"(?!\s+(?:of|in|on|for|to|against|with)\b|[-–])",
    re.I,
)
HOSTED_IN = re.compile(
    r"\bbattle\s?group\s+(?:(?:deployed|based|stationed|located)\s+)?(?:to|in)\s+(?:the\s+)?$", re.I
)
INDEFINITE = re.compile(r"\b(?:is|was|are|were)\s+(?:an?|one\s+of\s+the)\s+$", re.I)
DESCRIBED_REACH = 600  # characters back to the thing "the mission" names, about a paragraph
ANAPHORIC_OPENING = re.compile(r"\s*(?:This|These|It|Its|They|Their)\b")
OPENING_DESCRIPTION = re.compile(
    r"\s*The\s+(initiative|project|programme|centre|center|corps|group|coalition|mission|operation|"
    r"battlegroup|force)\b(?!\s+(?:of|in|on|for)\b)"
)
REFERENT_TYPES = {
    "alliance": ("Organisation",),
    "union": ("Organisation",),
    "bloc": ("Organisation", "Initiative"),
    "agency": ("Organisation", "Body"),
    "organisation": ("Organisation", "Body", "Initiative", "Formation"),
    "organization": ("Organisation", "Body", "Initiative", "Formation"),
    "initiative": ("Initiative", "Formation", "Candidate"),  # (the MMF, the EATC: "this initiative")
    "project": ("Project", "Candidate"),
    "programme": ("Project", "Initiative", "Candidate"),
    "centre": ("Initiative", "Candidate"),
    "center": ("Initiative", "Candidate"),
    "corps": ("Initiative", "Candidate"),
    "group": ("Initiative", "Formation", "Candidate"),
    "coalition": ("Initiative", "Candidate"),
    "mission": ("Operation", "Candidate"),
    "operation": ("Operation", "Candidate"),
    "battlegroup": ("Formation", "Candidate"),
    "unit": ("Formation", "Initiative", "Candidate"),
    "force": ("Operation", "Formation", "Candidate"),
}
POSSESSIVE = re.compile(r"[’']s\s")
A_PROJECT = re.compile(r"\s+projects?\b(?!\s+(?:[A-Z]|on\b|of\b|called\b|named\b))")
LEFT_OUT = re.compile(
    r"\b(?:except(?:\s+for)?|but\s+not|apart\s+from|other\s+than|excluding|with\s+the\s+exception\s+of)"
    r"\s+(?:the\s+)?$",
    re.I,
)
GAP_AND = re.compile(r"(?:,?\s+and|,|;)\s+(?:the\s+)?$", re.I)
GAP_DATE = re.compile(
    r"\s+((?:on|in|during|by)\s+(?:(?:the\s+)?\d[^,.;]{0,25}|[A-Z][a-z]+\s+\d[^,.;]{0,12}))"
)
AND_VERB = re.compile(r"\b(?:and|but)\s+(?:later\s+|then\s+|also\s+|formally\s+|eventually\s+)?$", re.I)
AND_THE = re.compile(r"\s*,?\s+and\s+(?:the\s+)?")
PRONOUN = re.compile(
    r"\s*(?:It|The\s+country|The\s+(?:Nordic|Baltic|Balkan|Alpine)\s+(?:country|state|nation))\s+"
    r"(?:[a-z]+\s+){0,2}?(?:has\s+|had\s+|then\s+|later\s+|formally\s+|officially\s+)*"
)
# The opening subject of a sentence: up to five names and their separators, before a verb.
OPENING = re.compile(r"\s*(?:The\s+)?(?:[A-Z][\w’'-]*(?:\s+|,\s*|\s+and\s+)){1,8}?(?=[a-z])")
FOLLOWERS = re.compile(r",?\s+(?:and\s+)?(?:was\s+|were\s+)?followed\s+by\b", re.I)
SEPARATOR = re.compile(r"\s*(?:,|and|,\s*and|&|as well as)?\s*(?:the\s+)?", re.I)


@dataclass
class Context:
    """What the rules see: the sentence, its mentions and document-wide defaults."""

    sentence: Sentence
    mentions: list[Mention]
    dominant: str | None
    recent: list[Mention] | None = None  # organisations, initiatives, projects named before, in order
    ahead: list[Mention] | None = None  # and those named after this sentence (for a headline)
    year: str | None = None  # the document's year, for "on 4 April"
    previous_states: list[Mention] | None = None  # the lone state subject of the sentence before
    before: Context | None = None  # the sentence before, for "These are A, B and C"
    battlegroups: dict[str, str] = field(default_factory=dict)  # host state -> its battlegroup

    @property
    def text(self) -> str:
        return self.sentence.text

    def local(self, mention: Mention) -> int:
        return mention.start - self.sentence.start

    def states(self, start: int = 0, end: int | None = None) -> list[Mention]:
        """Linked state mentions (names, capitals, demonyms) between two sentence offsets."""
        end = len(self.text) if end is None else end
        return [
            m for m in self.mentions if m.entity and m.entity_type == "State" and start <= self.local(m) < end
        ]

    @cached_property
    def _things(self) -> tuple[list[int], list[Mention]]:
        """Every thing of the sentence (see `things`) and their offsets, in order, found once:
        rules ask for them at each cue, and a long sentence may hold many cues."""
        found = [
            m for m in self.mentions if m.entity and m.entity_type in NON_STATE and not self.attributive(m)
        ]
        return [self.local(m) for m in found], found

    def things(self, start: int = 0, end: int | None = None) -> list[Mention]:
        """Linked organisations, initiatives, bodies, projects and candidates, leaving out
        attributive uses ('EU defence initiatives', 'NATO officials')."""
        end = len(self.text) if end is None else end
        offsets, found = self._things
        return found[bisect_left(offsets, start) : bisect_left(offsets, end)]

    def referent(self, noun: str | None) -> str | None:
        found = self.referent_mention(noun)
        return found.entity if found is not None else self.dominant

    def referent_mention(self, noun: str | None) -> Mention | None:
        """What 'the initiative', 'the project', 'the alliance' or a bare cue refers to: the
        thing named last before this sentence when its kind fits the noun, else the document's
        subject (None: that subject, whose kind is not known here)."""
        fits = REFERENT_TYPES.get((noun or "").lower())
        topic = self.topic() if fits is None else None
        if topic is not None:  # "Eurocorps is ... for NATO and the EU. It ...": Eurocorps
            return topic
        for earlier in reversed(self.recent or []):
            if fits is None or earlier.entity_type in fits:
                return earlier
        if fits is not None and not self.recent:  # a headline: "... Joined the Centre"
            return next((m for m in self.ahead or [] if m.entity_type in fits), None)
        return None

    def topic(self) -> Mention | None:
        """The thing a sentence before opened with, passing over sentences that open with a
        reference of their own ("This multinational structure is ...", "It ...")."""
        earlier = self.before
        for _ in range(3):
            if earlier is None:
                return None
            found = earlier.opening_thing(len(earlier.text))
            if found is not None and found.entity:
                return found
            if not ANAPHORIC_OPENING.match(earlier.text):
                return None
            earlier = earlier.before
        return None

    def opening_thing(self, before: int) -> Mention | None:
        """The thing that opens the sentence as its subject, before offset `before`: named
        ("Hybrid CoE was established ...") or described ("The coalition was formed ...")."""
        things = self.things(0, before)
        if things and re.fullmatch(r"\s*(?:the\s+)?", self.text[: self.local(things[0])], re.I):
            return _object(things)  # "The PESCO Military Mobility project": the project
        described = OPENING_DESCRIPTION.match(self.text)
        if described and described.end() <= before:
            return self.referent_mention(described.group(1))
        return None

    def not_the_class(self, obj: Mention) -> Mention:
        """'X is an EU Battlegroup led by ...': X, the sentence's subject, not the class it is one of."""
        if INDEFINITE.search(self.text, 0, self.local(obj)):
            return self.opening_thing(self.local(obj)) or obj
        return obj

    def hosted_battlegroup(self, before: int) -> Mention | None:
        """'the NATO battlegroup deployed to Latvia, with ...': the battlegroup its host state names,
        the last one written before offset `before`."""
        found = None
        for state in self.states(0, before):
            start = self.local(state)
            cue = HOSTED_IN.search(self.text, max(0, start - 60), start)
            bg = self.battlegroups.get(state.entity or "") if cue else None
            if cue and bg:  # (the text says "battlegroup": a battlegroup's states take part in it)
                found = state.model_copy(
                    update={"entity": bg, "entity_type": "Formation", "text": cue.group()}
                )
        return found

    def described(self, noun: str, before: int) -> Mention | None:
        """What "the mission", "this project" refers to: the last thing of that kind named
        earlier in the sentence, else in the paragraph ("took part in the mission")."""
        fits = REFERENT_TYPES.get(noun.lower(), ())
        earlier = [m for m in self.things(0, before) if m.entity_type in fits]
        if earlier:
            return earlier[-1]
        found = self.referent_mention(noun)
        near = found is not None and self.sentence.start - found.start <= DESCRIBED_REACH
        return found if near else None  # (a description does not reach back over paragraphs)

    def attributive(self, mention: Mention) -> bool:
        after = self.text[self.local(mention) + len(mention.text) :][:20]
        if mention.entity_type in ("Organisation", "Initiative") and A_PROJECT.match(after):
            return True  # "a PESCO project" is one of PESCO's projects, not PESCO
        if mention.entity_type != "Organisation":
            return False
        return bool(ATTRIBUTIVE.match(after))

    def gapped(self, cue_end: int) -> Iterator[tuple[str, str | None]]:
        """States that share the verb before them, each with its own date: "Spain signed on
        3 July 2014 and Italy on 4 December 2014", "Poland joined in 1999 and Slovakia in 2004"."""
        group: list[Mention] = []  # "..., Spain and Italy in 2014": the states before the date
        for state in self.states(cue_end, cue_end + 360):
            start = self.local(state)
            if group and SEPARATOR.fullmatch(self.text, self.local(group[-1]) + len(group[-1].text), start):
                group.append(state)
            elif GAP_AND.search(self.text, max(cue_end, start - 8), start):
                group = [state]
            else:
                group = []
                continue
            when = GAP_DATE.match(self.text, start + len(state.text))
            if when:
                for member in group:
                    yield member.entity, _date(when.group(1), self.year)  # type: ignore[misc]
                group = []

    def coordinated(self, obj: Mention | None) -> Mention | None:
        """A second object joined to the first by 'and': "a member of both NATO and the EU"."""
        if obj is None:
            return None
        end = self.local(obj) + len(obj.text)
        joined = AND_THE.match(self.text, end)
        if joined is None:
            return None
        following = self.things(joined.end(), joined.end() + 1)
        return following[0] if following and following[0].entity_type == obj.entity_type else None

    def lone_subject(self) -> list[Mention]:
        """The state that opens this sentence as its subject when it names no other state."""
        opening = OPENING.match(self.text)
        states = self.states()
        if not opening or len({m.entity for m in states}) != 1 or self.local(states[0]) > opening.end():
            return []
        return states[:1]

    def pronoun_subject(self, cue_start: int) -> list[Mention]:
        """'It' or 'the country' opening the sentence, for the one state the sentence before named
        as its subject: "Finland applied in May 2022. It joined NATO in April 2023"."""
        if not self.previous_states or not PRONOUN.fullmatch(self.text, 0, cue_start):
            return []
        return self.previous_states

    def shared_subject(self, cue_start: int) -> list[Mention]:
        """The states that open the sentence, for a second verb joined by 'and': "Denmark
        abolished its opt-out in a referendum and joined PESCO in 2023"."""
        if cue_start > 240 or not AND_VERB.search(self.text, max(0, cue_start - 20), cue_start):
            return []  # (the second verb of a sentence's opening subject comes early)
        head = OPENING.match(self.text)
        opening = self.subjects(head.end() + 1) if head else []
        if not opening or self.states(self.local(opening[-1]) + 1, cue_start):
            return []
        verb = self.local(opening[-1]) + len(opening[-1].text)
        return opening if re.match(r"\s+(?:has\s+|have\s+|had\s+)?[a-z]+(?:ed|s)\b", self.text[verb:]) else []

    def subjects(self, cue_start: int, kinds: tuple[str, ...] = ("State",)) -> list[Mention]:
        """The group of mentions right before a cue: the nearest one and those joined to it by
        commas or 'and' ('The US, Canada and Norway recently joined')."""
        before = [
            m
            for m in self.mentions
            if m.entity and m.entity_type in kinds and self.local(m) < cue_start and not self.attributive(m)
        ]
        if not before or LEFT_OUT.search(
            self.text, max(0, self.local(before[-1]) - 25), self.local(before[-1])
        ):
            return []  # "All EU countries except Denmark take part": Denmark does not
        group = [before[-1]]
        gap = self.text[self.local(before[-1]) + len(before[-1].text) : cue_start]
        if len(gap) > 45 or self.things(self.local(before[-1]) + 1, cue_start):
            return []
        for mention in reversed(before[:-1]):
            between = self.text[self.local(mention) + len(mention.text) : self.local(group[-1])]
            if not SEPARATOR.fullmatch(between) or (
                GOVERNED.search(self.text, 0, self.local(mention))
                and not ACTING_FOR.search(self.text, 0, self.local(mention))
            ):
                break
            group.append(mention)
        return list(reversed(group))


def _date(text: str, year: str | None = None) -> str | None:
    return parse_date(text, year)


def _object(things: list[Mention]) -> Mention | None:
    """The first argument, skipping an organisation that only qualifies the next name
    ('the NATO Framework Nations Concept')."""
    for index, mention in enumerate(things):
        following = things[index + 1] if index + 1 < len(things) else None
        pair = following is not None and following.entity_type == mention.entity_type == "Organisation"
        third = things[index + 2] if pair and index + 2 < len(things) else None
        pair = pair and not (third and third.start - following.end <= 2)  # "EU/NATO MMF": both qualify it
        if (
            following
            and mention.entity_type in ("Organisation", "Initiative")
            and not (pair and following.start - mention.end == 1)  # "EU-NATO": two, not one qualifying
            and (
                following.start - mention.end <= 3  # "the (PESCO) Military Mobility project", "NATO’s eFP"
                or (
                    mention.entity_type == "Initiative"
                    and mention.qualifies_project
                    and any(m.entity_type == "Project" for m in things[index + 1 :])
                )
            )
        ):
            continue
        return mention
    return None


def _membership_type(obj: Mention | None, fallback_type: str | None = None) -> str:
    """States take part in projects, operations and battlegroups; they are members of the rest."""
    kind = obj.entity_type if obj else fallback_type
    battlegroup = obj is not None and kind == "Formation" and BATTLE.search(obj.text)
    return "participation" if kind in ("Project", "Operation") or battlegroup else "membership"


# forces, taken part in: battlegroups and the forward presence they make up
BATTLE = re.compile(r"battle\s?group|combat\s+group|forward\s+presence|\beFP\b", re.I)


Found = tuple[str, str, str, float, dict]


def joined(state: str, obj: Mention, confidence: float, extra: dict) -> Iterator[Found]:
    """A joining and the membership (or participation) it makes."""
    yield "joining", state, obj.entity, confidence, extra  # type: ignore[misc]
    yield _membership_type(obj), state, obj.entity, confidence, extra  # type: ignore[misc]


Rule = Callable[[Context], Iterator[Found]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[name] = function
        return function

    return register


def _subject_cue_object(
    ctx: Context,
    cue: re.Pattern[str],
    *,
    kinds: tuple[str, ...],
    confidence: float,
    fallback: bool,
    subject_types: tuple[str, ...] = ("State",),
) -> Iterator[Found]:
    for match in cue.finditer(ctx.text):
        subjects = (
            ctx.subjects(match.start(), subject_types)
            or ctx.shared_subject(match.start())
            or ctx.pronoun_subject(match.start())
        )
        if not subjects:
            continue
        after = [
            m
            for m in ctx.things(match.end(), bracket_end(ctx.text, match.start()))  # "(joined in 1995)"
            if "\n" not in ctx.text[match.end() : ctx.local(m)]
        ]
        if after and POSSESSIVE.match(ctx.text, ctx.local(after[0]) + len(after[0].text)):
            # "the alliance's Partnership for Peace Programme": the programme; "EU's legal mission": none
            after = [m for m in after[1:] if ctx.local(m) - ctx.local(after[0]) <= 40]
        obj = _object(after)
        described = DESCRIBED.match(ctx.text, match.end())
        if described and not ctx.things(match.end(), described.end()):
            obj = ctx.described(described.group(1), match.start()) or obj
        bare = ELLIPTIC.match(ctx.text, match.end()) if fallback else None
        if obj is None and bare:
            # "Hybrid CoE was established when A and B signed the MoU": the sentence's subject
            obj = ctx.opening_thing(match.start()) if bare.group(1) is None else None
            obj = obj or ctx.referent_mention(bare.group(1))
            target = obj.entity if obj else ctx.dominant
            conf_drop = 0.2
        else:
            target = obj.entity if obj else None
            conf_drop = 0.0
        if target is None:
            continue
        conf = confidence - conf_drop if obj else confidence - 0.2
        # the date after the cue, else any in the sentence ("... in 2022 and joined PESCO in 2023")
        tail = FOLLOWERS.split(ctx.text[match.end() :], maxsplit=1)[0]  # (their date is theirs)
        when = _date(tail, ctx.year) or _date(ctx.text, ctx.year)
        extra = {"date": when, "cue": match.span()}
        gapped = list(ctx.gapped(match.end()))
        second = ctx.coordinated(obj)
        for subject, own_date in [(m.entity, None) for m in subjects] + gapped:
            for kind in kinds:
                relation = _membership_type(obj) if kind == "member" else kind
                yield (
                    relation,
                    subject,
                    target,
                    conf,
                    extra if own_date is None else {**extra, "date": own_date},
                )
                if second is not None and second.entity:  # "joined both the EU and NATO"
                    yield (
                        _membership_type(second) if kind == "member" else kind,
                        subject,
                        second.entity,
                        conf,
                        extra,
                    )


CLAIMS = {"overlap", "duplication", "complementarity", "cooperation"}
DATED_BY_WEEKDAY = {"joining", "leaving", "invitation", "membership", "participation"}


def extract(
    sentences: list[Sentence],
    mentions: list[Mention],
    quote: Callable[[int, int], tuple[int, int, str]],
    document_date: str | None = None,
    battlegroups: dict[str, str] | None = None,
    candidates: list[Candidate] | None = None,
) -> list[Relation]:
    """Relations found in each sentence, deduplicated per (type, subject, object, value), each
    with its modality (see modality.py)."""
    dominant = dominant_entity(mentions)
    families = {m.entity: m.family for m in mentions if m.entity}
    found: dict[tuple, Relation] = {}
    index = 0
    recent: list[Mention] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    document_year = document_date[:4] if document_date else None
    context_year: str | None = None  # the last year a sentence stated ("In 2023 ... On 4 April")
    previous: list[Mention] = []
    before: Context | None = None
    for sentence in sentences:
        while index < len(ordered) and ordered[index].end <= sentence.start:
            index += 1
        stop = index  # mentions are sorted by start: the sentence's are a slice, found in its length
        while stop < len(ordered) and ordered[stop].start < sentence.end:
            stop += 1
        inside = ordered[index:stop]
        if not inside:  # kept as the sentence before: "This structure is ... It consists of"
            context_year = last_year(sentence.text) or context_year
            previous, before = [], Context(sentence, [], dominant, recent, before=before)
            continue
        ctx = Context(
            sentence,
            inside,
            dominant,
            recent,
            [m for m in ordered[stop:] if m.entity and m.entity_type in NON_STATE][:30]
            if not recent
            else None,
            year=context_year or document_year,
            previous_states=previous,
            before=before,
            battlegroups=battlegroups or {},
        )
        for method, function in RULES.items():
            for kind, subject, obj, confidence, extra in function(ctx):
                cue = extra.get("cue")
                if subject == obj or (kind in CLAIMS and own_parent(subject, obj, families)):
                    continue
                key = (
                    (kind, *sorted((subject, obj)), extra.get("value"))
                    if kind in ("overlap", "duplication", "complementarity", "cooperation")
                    else (kind, subject, obj, extra.get("value"))
                )
                dated_later = key in found and found[key].date is None and extra.get("date")
                if key in found and found[key].confidence >= confidence and not dated_later:
                    continue  # (a later sentence that says when replaces an undated one, quote and all)
                stated = extra.get("modality") or modality(  # a rule may know it ("non-NATO")
                    ctx.text, cue, date=extra.get("date"), document_date=document_date, kind=kind
                )
                if key in found and found[key].modality == "asserted" and stated != "asserted":
                    continue  # a hedge elsewhere never takes the place of what a sentence asserts
                if not extra.get("date") and kind in DATED_BY_WEEKDAY:
                    extra = {**extra, "date": weekday_date(ctx.text, document_date)}
                start, end, text = quote(sentence.start, sentence.end)
                found[key] = Relation(
                    type=kind,
                    subject=subject,
                    object=obj,
                    start=start,
                    end=end,
                    quote=text,
                    method=method,
                    confidence=confidence,
                    modality=stated,
                    **{k: v for k, v in extra.items() if v is not None and k not in ("cue", "modality")},
                )
        recent = (recent + ctx.things())[-30:]
        context_year = last_year(sentence.text) or context_year
        previous = ctx.lone_subject()
        before = ctx
    for state, holder, head, figure in tables.table_rows(sentences, ordered):
        key = ("participation", state, holder, None)
        if key not in found:
            start, end, text = quote(head.start, figure.end)
            found[key] = Relation(
                type="participation",
                subject=state,
                object=holder,
                start=start,
                end=end,
                quote=text,
                method="table-row",
                confidence=0.75,
                modality="asserted",
            )
    for row in pipes.pipe_rows(sentences, ordered):
        key = (row.kind, row.state, row.thing, None)
        if key not in found:
            start, end, text = quote(row.start, row.end)
            found[key] = Relation(
                type=row.kind,  # type: ignore[arg-type]
                subject=row.state,
                object=row.thing,
                start=start,
                end=end,
                quote=text,
                method="pipe-table-row",
                confidence=0.75,
                modality="asserted",
            )
            if row.label and candidates is not None and row.thing not in {c.key for c in candidates}:
                candidates.append(Candidate(key=row.thing, label=row.label, start=row.start, end=row.end))
    return list(found.values())


from defence_kg.loaders.documents import rules  # noqa: E402  (registers the rule families)
from defence_kg.loaders.documents.rules import pipes, tables  # noqa: E402

__all__ = ["RULES", "extract", "rules"]
