"""Dates: the event day, as opposed to the day the page was published.

Event reports say "On February 15, the club hosted…" and leave the year to the page's
dateline. The rules, in order of trust:

1. a labelled event date on the page (an "Event details — Date:" field, JSON-LD Event startDate);
2. a day with its year in the opening of the body ("on 19–20 May 2025" -> the first day);
3. a day without a year, the year taken from the dateline (the publication date), the year
   before when the day would fall after the dateline (an event is reported after it happens).

The publication date itself is never the event day, nor is "today" counted from it (a
transcript's "today" is the day it was spoken; a dateline shown above the text does count:
"Gdynia, 12 May 2022" then "Yesterday the institute hosted…"), and a press-release dateline opening the text
("Cambridge, Mass. – May 18, 2024 – …") is the release's day, not the event's.

Otherwise None: a guess is worse than nothing in a citation.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_RANGE = r"(?:\s*[-–—]\s*[0-3]?\d(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# "May 8, 2018", "February 19-20", "19–20 May 2025", "24 September 2019"
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+{_DAY}{_RANGE}(?:,?\s+{_YEAR})?\b", re.I)
_DAY_FIRST = re.compile(rf"\b{_DAY}{_RANGE}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)
_RELATIVE = re.compile(r"\b(today|yesterday)\b", re.I)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)")
_DOTTED = re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b")


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> date | None:
    """A full date (with its year) anywhere in `text`: ISO, dotted, or written out."""
    if not text:
        return None
    for rx in (_ISO, _DOTTED):
        m = rx.search(text)
        if m:
            month = int(m["month"])
            return _make(int(m["year"]), month, int(m["day"]))
    for day, month, year in _written_dates(text):
        if year:
            return _make(year, month, day)
    return None


def _written_dates(text: str) -> list[tuple[int, int, int | None]]:
    """(day, month, year or None) for every written-out date, in order of appearance."""
    found = []
    for rx in (_MONTH_FIRST, _DAY_FIRST):
        for m in rx.finditer(text):
            month = MONTHS.get(m["month"].lower().rstrip("."))
            day = int(m["day"])
            if month and 1 <= day <= 31:
                found.append((m.start(), day, month, int(m["year"]) if m["year"] else None))
    found.sort()
    return [(d, mo, y) for _, d, mo, y in found]


# a press-release dateline opening a paragraph, "Cambridge, Mass. – May 18, 2024 –": the day the
# release went out, not the event's
_PRESS_DATELINE = re.compile(
    r"^[ \t]*[A-Z][\w .,'’-]{0,60}?\s*[,–—-]\s*(?:\w+\.? \d{1,2},? \d{4}|\d{1,2} \w+\.? \d{4})\s*[–—-]",
    re.I | re.M,
)


def event_day_in_text(text: str, dateline: date | None, shown: date | None = None) -> date | None:
    """The first day named in `text`, its year from the text or inferred from the dateline;
    "today" / "yesterday" counted from the date the page shows above the text (`shown`)."""
    text = _PRESS_DATELINE.sub(" ", text)
    for day, month, year in _written_dates(text):
        if year:
            found = _make(year, month, day)
            if found:
                return found
        elif dateline:
            found = _make(dateline.year, month, day)
            if found and found > dateline + timedelta(days=2):
                found = _make(dateline.year - 1, month, day)
            if found:
                return found
    if shown:
        m = _RELATIVE.search(text)
        if m:
            return shown - timedelta(days=1 if m[1].lower() == "yesterday" else 0)
    return None


def names_a_day(text: str) -> bool:
    """Whether `text` names a day ("On February 15", "19–20 May 2025", a press dateline's)."""
    return bool(_written_dates(text))


def infer_event_date(
    labelled: str | None, opening_text: str, dateline: date | None, shown: date | None = None
) -> tuple[str | None, str]:
    """The event day as YYYY-MM-DD (or None) and the rule that gave it."""
    explicit = parse_date(labelled)
    if explicit:
        return explicit.isoformat(), "labelled"
    found = event_day_in_text(opening_text, dateline, shown)
    if found:
        return found.isoformat(), "text"
    return None, "unknown"
