"""Tables flattened to one cell per line, as PDF and HTML extraction leaves them:

    Table 1: Third country participation in missions and operations
    EUTM Mali
    Albania
    4
    Serbia
    3

A row is a state followed by a figure, under the last operation or project line above it. A
row naming a state the graph lacks ("Chile", then "19") is passed over and keeps the group; any
other line (an unknown mission, a section heading) ends it, so its rows are not pinned on the
operation before. Unlike the sentence rules this reads across sentences, so
it is called once per document by `extract`."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from defence_kg.loaders.documents.clean import CELL
from defence_kg.loaders.documents.models import Mention, Sentence

FIGURE = re.compile(r"\d[\d,.]*(?:\s*\(.*\))?")
# A table whose caption or header row says it lists who contributes
CAPTION = re.compile(r"\b(?:participa\w*|contribut\w*|personnel|troops|staff|deploy\w*)\b", re.I)
HOLDS = ("Operation", "Project")
FILLER = re.compile(r"[\s()/,–-]*|\s*\(.*\)\s*")
# A name cell the gazetteer does not know: one to five capitalised words ("Republic of Korea")
NAME_CELL = re.compile(r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of|and|the|[A-Z][\w'’.-]*)){0,4}")


def _covers(line: Sentence, mentions: list[Mention]) -> bool:
    """The line is the mentions' names and nothing more than brackets, a place in brackets."""
    rest = line.text
    for mention in mentions:
        rest = rest.replace(mention.text, " ")
    return bool(FILLER.fullmatch(rest))


ALIASED = re.compile(r"\s*[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}\s*\(\s*$")


def _aliased(line: Sentence, held: Mention) -> bool:
    """'EUFOR Somalia (Operation Atalanta)': a name the graph lacks, the one it knows in brackets."""
    start, end = held.start - line.start, held.end - line.start
    return bool(ALIASED.fullmatch(line.text[:start])) and line.text[end:].strip() == ")"


def _unknown_row(line: Sentence, inside: list[Mention], after: Sentence | None) -> bool:
    """A name cell that links to nothing, followed by a figure: a row of a state the graph lacks."""
    return (
        not inside
        and after is not None
        and bool(NAME_CELL.fullmatch(line.text.strip()))
        and bool(FIGURE.fullmatch(after.text.strip()))
    )


def table_rows(
    sentences: list[Sentence], mentions: list[Mention]
) -> Iterator[tuple[str, str, Sentence, Sentence]]:
    """(state, operation, operation line, figure line) for each row of a contributors' table."""
    ordered = sorted((m for m in mentions if m.entity), key=lambda m: m.start)
    starts = [m.start for m in ordered]
    captioned = False
    holder: str | None = None
    holder_line: Sentence | None = None
    for index, line in enumerate(sentences):
        if "\n" in line.text.strip() or len(line.text) > CELL:  # prose: the table, if any, ended
            captioned, holder, holder_line = False, None, None
            continue
        if CAPTION.search(line.text) and line.text.lower().startswith(
            ("table", "mission", "number", "contribut")
        ):
            captioned = True
        if not captioned:
            continue
        inside = ordered[bisect_left(starts, line.start) : bisect_left(starts, line.end)]
        states = [m for m in inside if m.entity_type == "State"]
        held = [m for m in inside if m.entity_type in HOLDS]
        after = sentences[index + 1] if index + 1 < len(sentences) else None
        bracketed = [m for m in held if _aliased(line, m)]
        if held and (bracketed or _covers(line, inside)):
            holder, holder_line = (bracketed or held)[0].entity, line
        elif (
            len(states) == 1
            and _covers(line, states)
            and after is not None
            and FIGURE.fullmatch(after.text.strip())
        ):
            if holder and holder_line is not None:
                yield states[0].entity, holder, holder_line, after  # type: ignore[misc]
        elif _unknown_row(line, inside, after):
            continue
        elif not FIGURE.fullmatch(line.text.strip()):
            holder = holder_line = None
