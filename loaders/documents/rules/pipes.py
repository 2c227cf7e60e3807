"""Tables written with pipes, as wiki and Markdown exports flatten them:

    Battle group | Leading nation | Other participants | Size |
    ---|---|---|---|
    Battle Group 107 | Germany | Netherlands and Finland | 1500 |

The header says what each column holds: the thing in the first column (a battle group, project,
mission, programme), who leads it ("lead", "framework", "coordinator") and who else takes part
("participants", "members", "contributing nations"). Each row then gives its thing's leader and
members. A thing the graph does not know becomes a candidate named by its cell, so a curated
entry can take it over. Like the line tables this reads across sentences, once per document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from defence_kg.loaders.documents.mentions import candidate_key
from defence_kg.loaders.documents.models import Mention, Sentence

THING_COLUMN = re.compile(
    r"battle\s?groups?|projects?|missions?|operations?|programmes?|programs?|initiatives?|centres?|"
    r"centers?|formations?|forces?|units?|name",
    re.I,
)
LEAD_COLUMN = re.compile(r"lead|framework|coordinat|chair|command", re.I)
MEMBER_COLUMN = re.compile(r"participa|members?|contribut|other|nations|countries|states|partners", re.I)
RULE_LINE = re.compile(r"[\s|:–-]+")
NAME = re.compile(r"[A-Z][\w’'.–-]*(?:\s+(?:[A-Z0-9][\w’'.–-]*|of|and|the|for)){0,6}")
TAKEN_PART_IN = ("Operation", "Formation", "Project")


@dataclass
class Row:
    """One statement a row makes: who, what kind, which thing; the row's span; a new thing's label."""

    kind: str
    state: str
    thing: str
    start: int
    end: int
    label: str | None = None


def _text(sentences: list[Sentence]) -> str:
    """The cleaned text rebuilt from its sentences (gaps as spaces), so offsets still hold."""
    size = max((x.end for x in sentences), default=0)
    chars = [" "] * size
    for sentence in sentences:
        chars[sentence.start : sentence.start + len(sentence.text)] = sentence.text
    return "".join(chars)


# The rule under a header: "---|---|---|": its width is the table's
RULE = re.compile(r"(?:\|?[ \t]*:?-{3,}:?[ \t]*)(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The cells between two offsets, split at pipes, with their spans."""
    cells, offset = [], start
    for part in text[start:end].split("|"):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        cells.append((offset + lead, offset + lead + len(stripped), stripped))
        offset += len(part) + 1
    return cells


def _tables(text: str) -> Iterator[tuple[list[str], list[list[tuple[int, int, str]]]]]:
    """Each pipe table: its header cells and its rows (one cell list a row). Flattened tables
    keep their pipes but may lose their line breaks, so rows are read as runs of cells as wide
    as the rule under the header."""
    for rule in RULE.finditer(text):
        width = len(re.findall(r"-{3,}", rule.group()))
        before = _cells(text, max(0, rule.start() - 400), rule.start())
        head = [c for c in before if c[2]][-width:]
        if len(head) < width:
            continue
        after_end = text.find("\n\n", rule.end())
        after_end = len(text) if after_end < 0 else after_end
        cells = _cells(text, rule.end(), after_end)
        if cells and not cells[0][2]:
            cells = cells[1:]  # the pipe that closes the rule
        rows = [cells[i : i + width] for i in range(0, len(cells) - width + 1, width)]
        yield [c[2] for c in head], rows


def pipe_rows(sentences: list[Sentence], mentions: list[Mention]) -> Iterator[Row]:
    linked = [m for m in mentions if m.entity]
    text = _text(sentences)
    for header, rows in _tables(text):
        if not THING_COLUMN.search(header[0]):
            continue
        roles = {
            index: "lead" if LEAD_COLUMN.search(name) else "member"
            for index, name in enumerate(header)
            if index and (LEAD_COLUMN.search(name) or MEMBER_COLUMN.search(name))
        }
        for cells in rows if roles else []:
            a, b, name = cells[0]
            things = [m for m in linked if a <= m.start and m.end <= b and m.entity_type != "State"]
            label = None
            if things:
                thing, kind_of = things[-1].entity or "", things[-1].entity_type
            elif NAME.fullmatch(name):
                thing, kind_of, label = candidate_key(name), None, name
            else:
                continue
            taking_part = kind_of in TAKEN_PART_IN or kind_of is None
            member_kind = "participation" if taking_part else "membership"
            span = (a, cells[-1][1])
            for index, role in roles.items():
                start, end, _ = cells[index]
                states = [
                    m.entity for m in linked if start <= m.start and m.end <= end and m.entity_type == "State"
                ]
                for state in dict.fromkeys(states):
                    if role == "lead":
                        yield Row("coordination", state, thing, *span, label)  # type: ignore[arg-type]
                    yield Row(member_kind, state, thing, *span, label)  # type: ignore[arg-type]
