"""Parallel lists paired by "respectively": "the battle groups based in Estonia, Latvia and
Lithuania, led by the United Kingdom, Canada and Germany respectively"; "France, Italy and Spain
lead the first, second and third projects respectively" is left alone (no names to pair).

The i-th leader leads the i-th thing. Things are named, or given by their host state where the
graph knows the battlegroup that state hosts ("based in Estonia": the battlegroup in Estonia).
Both lists must have the same length, or nothing is paired."""

from __future__ import annotations

import re
from collections.abc import Iterator

from defence_kg.loaders.documents.models import Mention
from defence_kg.loaders.documents.relations import Context, Found, rule
from defence_kg.loaders.documents.rules.enumerations import runs

RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
AFTER_LIST = re.compile(r"[\s,]*respectively\b", re.I)
LED_BY = re.compile(r"\b(?:led|commanded|headed|coordinated)\s+by\s+(?:the\s+)?$", re.I)
HOSTED_IN = re.compile(
    r"\b(?:based|stationed|deployed|located|hosted)?\s*(?:in|at)\s+(?:the\s+)?$|\bhosts?\s+(?:are\s+)?$",
    re.I,
)
SEPARATED = re.compile(r"\s*(?:,|and|,\s*and|&)?\s*(?:the\s+)?", re.I)


def _named_run(ctx: Context, end: int) -> list[Mention]:
    """The things listed right before offset `end`, joined by commas or 'and'."""
    before = ctx.things(0, end)
    group: list[Mention] = []
    for mention in reversed(before):
        stop = ctx.local(group[-1]) if group else end
        if group and not SEPARATED.fullmatch(ctx.text, ctx.local(mention) + len(mention.text), stop):
            break
        group.append(mention)
    return list(reversed(group))


THESE_GROUPS = re.compile(r"\s*(?:These|The|Those)\s+(?:\w+\s+)?(?:battle\s?groups|battalions)\b", re.I)


def _hosts_before(ctx: Context) -> list[Mention]:
    """The host states the sentence before lists ('battle groups based in A, B and C')."""
    before = ctx.before
    if before is None:
        return []
    for hosts in reversed(list(runs(before, 2))):
        start = before.local(hosts[0])
        if HOSTED_IN.search(before.text, max(0, start - 25), start) and re.search(
            r"battle\s?groups|battalions", before.text[max(0, start - 80) : start], re.I
        ):
            return hosts
    return []


@rule("respectively")
def respectively(ctx: Context) -> Iterator[Found]:
    if not RESPECTIVELY.search(ctx.text):
        return
    lists = list(runs(ctx, 2))
    for index, leaders in enumerate(lists):
        first = ctx.local(leaders[0])
        cue = LED_BY.search(ctx.text, max(0, first - 25), first)
        tail = ctx.local(leaders[-1]) + len(leaders[-1].text)
        if cue is None or not AFTER_LIST.match(ctx.text, tail):
            continue
        things: list[str | None] = []
        hosts = lists[index - 1] if index else []
        earlier = _hosts_before(ctx) if not hosts and THESE_GROUPS.match(ctx.text) else []
        if hosts and HOSTED_IN.search(ctx.text, max(0, ctx.local(hosts[0]) - 25), ctx.local(hosts[0])):
            things = [ctx.battlegroups.get(m.entity or "") for m in hosts]
        elif earlier:  # "... battle groups based in A, B and C. These battle groups are led by ..."
            things = [ctx.battlegroups.get(m.entity or "") for m in earlier]
        else:
            things = [m.entity for m in _named_run(ctx, cue.start())]
        if len(things) != len(leaders) or None in things:
            continue
        for leader, thing in zip(leaders, things, strict=True):
            yield "coordination", leader.entity, thing, 0.75, {"cue": cue.span()}  # type: ignore[misc]
