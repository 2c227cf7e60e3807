"""Dates as English texts write them, as partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD).

"25 June 2018", "June 25, 2018", "the 7th of November 2018", "the 1st December 2011",
"On 1. December 2011", "May 2023", "in 2017", "since 2017", "summer 2017"; "on 4 April" takes its
year from the year given (the document's), else it is no date. The first date of a text counts.
"on Thursday" is read against the document's date (`weekday_date`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {name: index for index, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({name[:3]: index for name, index in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
DAY = r"(\d{1,2})(?:st|nd|rd|th|\.)?"
YEAR = r"((?:19|20)\d{2})"
DATE = re.compile(
    rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"  # 25 June 2018, the 7th of November 2018
    rf"|\b{MONTH}\s+{DAY},?\s+{YEAR}\b"  # June 25, 2018
    rf"|\b{MONTH}\s+(?:of\s+)?{YEAR}\b"  # May 2023
    rf"|\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Bb]y|[Oo]n|[Dd]uring|[Tt]hroughout)\s+{YEAR}\b"  # in 2017
    rf"|\b[Oo]n\s+(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?![\w,]*\s*\d)"  # on 4 April (year from context)
    rf"|\b[Oo]n\s+{MONTH}\s+{DAY}(?![\w,]*\s*\d)"  # on April 4
    # summer 2017, early 2020
    rf"|\b(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter|[Ee]arly|[Ll]ate|[Mm]id-?)\s+(?:of\s+)?{YEAR}\b",
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY = re.compile(r"\b(?:[Oo]n|[Ll]ast)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _iso(year: str, month: str | None = None, day: str | None = None) -> str | None:
    if month is None:
        return year
    number = MONTHS.get(month.lower().rstrip("."))
    if number is None:
        return None
    if day is None:
        return f"{year}-{number:02d}"
    if not 1 <= int(day) <= 31:
        return None
    return f"{year}-{number:02d}-{int(day):02d}"


@lru_cache(maxsize=512)  # asked once per cue, for the same sentence
def parse_date(text: str, year: str | None = None) -> str | None:
    """The first date stated in `text`; `year` completes a date written without one."""
    match = DATE.search(text)
    if match is None:
        return None
    g = match.groups()
    if g[2]:
        return _iso(g[2], g[1], g[0])
    if g[5]:
        return _iso(g[5], g[3], g[4])
    if g[7]:
        return _iso(g[7], g[6])
    if g[8]:
        return g[8]
    if g[10]:
        return _iso(year, g[10], g[9]) if year else None
    if g[11]:
        return _iso(year, g[11], g[12]) if year else None
    return g[13]


def weekday_date(text: str, document_date: str | None) -> str | None:
    """'on Thursday' in a dated news text: the last such weekday on or before the document's
    date (a news report tells of the days of its week)."""
    match = WEEKDAY.search(text)
    if match is None or document_date is None or len(document_date) != 10:
        return None
    published = date.fromisoformat(document_date)
    back = (published.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7
    return (published - timedelta(days=back)).isoformat()
