"""Stage 2: remove extraction noise while keeping a map back to the original characters.

Only deletions and one-for-one substitutions are made, so every clean character has exactly one
original position: running page headers and footers, cookie lines and bare page numbers are
deleted, a hyphen that breaks a word across lines is deleted, a single line break becomes a space
and runs of spaces become one. Paragraph breaks stay, unless they fall inside a sentence (a page
break).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from defence_kg.loaders.documents.models import CleanText

NOISE_LINE = re.compile(
    r"^\s*(?:(?!(?:19|20)\d\d\s*$)\d{1,4}|page \d+( of \d+)?|.*\bcookies?\b.*|.*\bconsent\b.*)\s*$", re.I
)
YEAR_ENDED = re.compile(r"(?:^|[\s,])(?:19|20)\d\d\s*$")
TABLE_CAPTION = re.compile(r"^\s*Table\s+\d+\s*[:.]", re.I)
CELL = 80  # a table's cells are short lines; the first longer line ends the table (rules/tables.py too)
BROKEN_WORD = re.compile(r"(?<=[a-z])-\n(?=[a-z])")


def _header_lines(lines: list[str]) -> set[int]:
    """Indexes of lines that belong to running headers or footers: short lines that recur, in
    runs of three or more such lines (a page header block), or recurring three times or more."""
    counts = Counter(line.strip() for line in lines if line.strip())
    recurring = [
        bool(line.strip()) and counts[line.strip()] >= 2 and len(line.strip()) <= 60 for line in lines
    ]
    drop: set[int] = set()
    run: list[int] = []
    for index, flag in enumerate([*recurring, False]):
        if flag:
            run.append(index)
            continue
        if len(run) >= 3:
            drop.update(run)
        run = []
    for index, line in enumerate(lines):
        if recurring[index] and counts[line.strip()] >= 3 and len(line.split()) <= 8:
            drop.add(index)
    return drop


def _table_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of captioned tables flattened to one cell per line ("Table 1: ...",
    then short lines up to the first long one): their figures and repeated names are cells, not
    page numbers or running headers."""
    inside: set[int] = set()
    table = False
    for index, line in enumerate(lines):
        if TABLE_CAPTION.match(line):
            table = True
        elif len(line.strip()) > CELL:
            table = False
        if table:
            inside.add(index)
    return inside


def clean(text: str) -> CleanText:
    """Clean `text`; the result's segments map clean offsets to original ones."""
    keep = [True] * len(text)
    out = list(text)
    lines = text.split("\n")
    headers = _header_lines(lines) - (tables := _table_lines(lines))
    position = 0
    # A line ending in a year ("1952", "Founding members, 1949") is a timeline or table row: its
    # line breaks stay, so rules can read the rows.
    row_breaks: set[int] = set()
    for index, line in enumerate(lines):
        end = position + len(line)
        if YEAR_ENDED.search(line):
            row_breaks.update(i for i in (position - 1, end) if 0 <= i < len(text))
        noise = index not in tables and line.strip() and NOISE_LINE.match(line) and len(line) <= 80
        if index in headers or noise:
            for i in range(position, min(end + 1, len(text))):
                keep[i] = False
        position = end + 1
    for match in BROKEN_WORD.finditer(text):
        keep[match.start()] = keep[match.start() + 1] = False
    for i, ch in enumerate(text):
        if ch == "\n" and keep[i]:
            paragraph = (i + 1 < len(text) and text[i + 1] == "\n") or (i > 0 and text[i - 1] == "\n")
            out[i] = "\n" if paragraph or i in row_breaks else " "
        elif ch in "\t\r\f\v\u00a0":
            out[i] = " "
    previous = ""
    for i, flag in enumerate(keep):  # a run of spaces becomes one space
        if not flag:
            continue
        if out[i] == " " and previous == " ":
            keep[i] = False
            continue
        previous = out[i]
    chars: list[str] = []
    segments: list[tuple[int, int, int]] = []
    for i, flag in enumerate(keep):
        if not flag:
            continue
        if segments and segments[-1][1] + segments[-1][2] == i:
            start, orig, length = segments[-1]
            segments[-1] = (start, orig, length + 1)
        else:
            segments.append((len(chars), i, 1))
        chars.append(out[i])
    _mend_page_breaks(chars)
    return CleanText(text="".join(chars), segments=segments)


def _mend_page_breaks(chars: list[str]) -> None:
    """A paragraph break inside a sentence (no end punctuation before it, a lower-case word
    after it) is a page or column break: make its line breaks spaces."""
    i, n = 0, len(chars)
    while i < n:
        if chars[i] != "\n":
            i += 1
            continue
        j = i
        while j < n and chars[j] in "\n ":
            j += 1
        k = i - 1
        while k >= 0 and chars[k] == " ":
            k -= 1
        if k >= 0 and j < n and chars[k] not in '.!?:;"”’)' and chars[j].islower():
            for m in range(i, j):
                chars[m] = " "
        i = j


class OffsetMap:
    """Clean offsets to original offsets, by binary search over the segments."""

    def __init__(self, cleaned: CleanText) -> None:
        self.starts = [s[0] for s in cleaned.segments]
        self.segments = cleaned.segments

    def original(self, offset: int) -> int:
        if not self.segments:
            return 0
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        start, orig, length = self.segments[index]
        return orig + min(offset - start, length)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the clean span [start, end)."""
        return self.original(start), self.original(max(start, end - 1)) + 1
