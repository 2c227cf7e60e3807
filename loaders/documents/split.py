"""Stage 3: split clean text into sentences with character offsets.

Hand-written because the rule-based splitters on PyPI are either far slower than the 200 KB/s
this pipeline aims at (pysbd) or need model data downloaded at run time (NLTK's punkt).
"""

from __future__ import annotations

import re

from defence_kg.loaders.documents.models import Sentence

ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "no",
    "art",
    "para",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "fig",
    "al",
    "ibid",
    "approx",
    "inc",
    "ltd",
}
# A candidate end: ., ! or ? (with closing quotes or brackets) followed by space and an opener.
END = re.compile(r"[.!?][\"'’”)\]]*(?=\s+[\"'‘“(\[]?[A-Z0-9•])|\n\s*\n|\n(?=\s*[•\-–>*]\s)")
MAX_SENTENCE = 1_500  # characters; the corpus's longest sentence has 607
WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]{0,8})$")
LIST_NUMBER = re.compile(r"(?:[:,;]|\band)\s*\d{1,2}$")


def split(text: str) -> list[Sentence]:
    """Sentences of `text`, each with its clean-text offsets (whitespace trimmed)."""
    sentences: list[Sentence] = []
    start = 0
    for match in END.finditer(text):
        if match.group().startswith("."):
            word = WORD_BEFORE.search(text, max(0, match.start() - 10), match.start())
            if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
            if LIST_NUMBER.search(text, max(0, match.start() - 6), match.start()):
                continue  # "are: 1. Austria, 2. Belgium": the numbers of a list in a sentence
        _add(sentences, text, start, match.end())
        start = match.end()
    _add(sentences, text, start, len(text))
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Add the sentence text[start:end]; one longer than `MAX_SENTENCE` is cut at spaces first,
    since rules compare mentions pairwise within a sentence (a 1 MB "sentence" would be quadratic)."""
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _add_one(sentences, text, start, cut)
        start = cut
    _add_one(sentences, text, start, end)


def _add_one(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip(" \n•>*–-")
    if not stripped:
        return
    lead = piece.index(stripped)
    begin = start + lead
    sentences.append(Sentence(start=begin, end=begin + len(stripped), text=stripped))
