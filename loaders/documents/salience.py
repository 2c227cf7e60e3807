"""What a document is about and when: its dominant organisation or initiative, the last year a
text states, and whether two things are an initiative and its own parent organisation."""

from __future__ import annotations

import re
from collections import Counter

from defence_kg.loaders.documents.models import Mention

PARENT_OF_FAMILY = {"EU": "eu", "NATO": "nato"}


def own_parent(a: str, b: str, families: dict[str | None, str | None]) -> bool:
    """An initiative and the organisation it belongs to ('PESCO' and 'the EU') are not two
    initiatives a claim can compare."""
    return any(PARENT_OF_FAMILY.get(families.get(x) or "") == y and x != y for x, y in ((a, b), (b, a)))


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def last_year(text: str) -> str | None:
    """The last year the text states (in its last 2,000 characters)."""
    years = YEAR.findall(text[-2000:])
    return years[-1] if years else None


def dominant_entity(mentions: list[Mention]) -> str | None:
    """The initiative or organisation a document is mostly about."""
    counts = Counter(
        m.entity for m in mentions if m.entity and m.entity_type in ("Initiative", "Organisation")
    )
    return counts.most_common(1)[0][0] if counts else None
