"""How a statement is stated: asserted, planned, intended, negated or reported.

Read from cue words in the clause around the statement's cue (the verb or phrase a rule matched):
mostly just before it ("Denmark is looking to join", "will join", "is not a member of"), a few
just after ("are not"). One value per statement, by precedence negated > planned > intended >
reported, as the corpus-dev guidelines set it. A statement dated after its document's date is
planned. All expressions are linear-time.
"""

from __future__ import annotations

import re

from defence_kg.loaders.documents.models import Modality

# Where a clause ends: a new clause may carry its own modality ("X joined, while Y will ...").
BOUNDARY = re.compile(
    r";|\s[–—]\s|,?\s+(?:but|while|whereas|though|although|however|yet)\b|,\s+(?:which|who)\b", re.I
)
WINDOW = 70  # characters before the cue that may hold its modality words

NEGATED = re.compile(
    r"\b(?:not(?!\s+only)|never|no\s+longer|neither|nor)\b|n[’']t\b|"
    r"\b(?:declin|refus|reject)\w*\s+to\b|\bwithout\s+(?:being|becoming|joining)\b|"
    r"\brul(?:e|es|ed|ing)\s+out\b|\b(?:reject|renounc)\w*\s+(?:\w+\s+)?membership\b|"
    r"\b(?:avoid\w*|prevent\w*)\b|\b(?:remain\w*|stay\w*|kept|keeps?|is|are|was|were)\s+(?:\w+\s+)?outside\b",
    re.I,
)
# A headline's infinitive: "Denmark to join EU defence agency", "Sweden set to join NATO".
HEADLINE_PLANNED = re.compile(r"^\s*(?:[A-Z][\w’'-]*[\s,]+|and\s+)+(?:set\s+|due\s+|poised\s+)?to\s+$")
NEGATED_AFTER = re.compile(r"^[^,.;]{0,12}?\b(?:not|never)\b(?!\s+only)", re.I)
PLANNED = re.compile(
    r"\b(?:will|shall|would|(?:(?:is|are|was|were)\s+)?(?:set|due|scheduled|poised)\s+to|"
    r"(?:is|are|was|were)\s+(?:about|going)\s+to|"
    r"(?:is|are)\s+to\s+(?:join|become|take|sign|participate|be)|"
    r"agree[sd]?\s+to|in\s+the\s+process\s+of|permitted\s+to|"
    r"plann?(?:ed|ing|s)?\s+to|as\s+from|from\s+next\s+year|next\s+year)\b|[’']ll\b",
    re.I,
)
INTENDED = re.compile(
    r"\b(?:wants?\s+to|wanted\s+to|wish\w*\s+to|appl(?:y|ies|ied|ying)\b|applications?|bid\w*|"
    r"(?:is|are|was|were|been)\s+(?:also\s+|already\s+|now\s+)?looking\s+to|seek\w*|sought|pursu\w*\s+(?:\w+\s+)?membership|"
    r"request\w*|hop(?:e|es|ed|ing)\s+to|aim\w*\s+(?:to|at)|aspir\w*|intend\w*|intention|"
    r"ambitions?|candidacy|considering|push\w*\s+(?:to|for)|future|eventual|possible|"
    r"readiness|willingness|interest(?:ed)?\s+in|"
    r"(?:may|might|could)\s+(?:\w+\s+)?(?:join|participate|become|take\s+part|sign|accede)|"
    r"announced\s+(?:\w+\s+){0,2}(?:decision|intention|plan)s?\s+to)\b",
    re.I,
)
CLAIM_TYPES = {"overlap", "duplication", "complementarity"}
REPORTED = re.compile(
    r"\b(?:reportedly|allegedly|according\s+to|(?:is|are)\s+(?:expected|said|believed|reported|thought)"
    r"\s+to|reports?\s+that|reported\s+that|(?:website|newspaper|newsletter|media|sources?|agency)\s+"
    r"(?:reported|reports|said|says))\b",
    re.I,
)
# Said anywhere in the sentence, an attribution hedges every statement in it.
REPORTED_SENTENCE = re.compile(
    r"\b(?:reportedly|according\s+to|(?:website|newspaper|newsletter|media|sources?)\s+"
    r"(?:reported|reports|said|says))\b",
    re.I,
)


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` that holds the cue text[start:end]."""
    left = 0
    for match in BOUNDARY.finditer(text, max(0, start - 200), start):
        left = match.end()
    right_match = BOUNDARY.search(text, end)
    return left, right_match.start() if right_match else len(text)


def modality(
    text: str,
    cue: tuple[int, int] | None,
    *,
    date: str | None = None,
    document_date: str | None = None,
    kind: str | None = None,
) -> Modality:
    """The modality of a statement whose cue is text[cue[0]:cue[1]] (None: no cue, only a
    sentence-wide attribution counts)."""
    if cue is None:
        if date and document_date and date[: len(document_date)] > document_date:
            return "planned"
        return "reported" if REPORTED_SENTENCE.search(text) else "asserted"
    start, end = cue
    left, right = clause(text, start, end)
    before = text[max(left, start - WINDOW) : end]
    after = text[end:right]
    if NEGATED.search(before) or NEGATED_AFTER.search(after):
        return "negated"
    if PLANNED.search(before) or HEADLINE_PLANNED.match(text[left:start]):
        return "planned"
    if date and document_date and date[: len(document_date)] > document_date[: len(date)]:
        return "planned"
    intent = INTENDED.search(before)
    # "two projects aimed at achieving similar goals" states the overlap; it is not a wish
    if intent and not (kind in CLAIM_TYPES and intent.group().lower().startswith("aim")):
        return "intended"
    if REPORTED.search(before) or REPORTED_SENTENCE.search(text):
        return "reported"
    return "asserted"
