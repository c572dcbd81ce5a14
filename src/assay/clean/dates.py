"""Publication dates: normalise what metadata says, or find the date a text labels as its publication.

Trust order (decided by the caller): index.jsonl / feed metadata, then HTML metadata, then the text.
In the text, a labelled date ("Publish Time: 2025-11-25", "发布时间：2021年03月23日") wins over a lone
date line near the top ("2025-08-25"); dates inside sentences are events, never publication dates.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_FORMS = (
    r"(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)",
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]",
    _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d{2})",
    _WEEKDAY + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})",
    r"(?P<a>\d{2})\s*[/.]\s*(?P<b>\d{2})\s*[/.]\s*(?P<c>\d{2})(?![\d/.])",
)
_ANY_DATE = re.compile(
    "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', form)})" for form in _DATE_FORMS), re.IGNORECASE
)
_FORMS = tuple(re.compile(form, re.IGNORECASE) for form in _DATE_FORMS)
_LABEL = re.compile(
    r"(?<![A-Za-z])(?:publish(?:ed)?(?:\s+(?:time|date|on|at))?|posted(?:\s+on)?|release[ds]?(?:\s+(?:time|date))?|"
    r"updated(?:\s+on)?|date|time|发布时间|发布日期|发表时间|发表日期|发布于|日期|时间|更新时间)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_LONE_EXTRA = re.compile(r"^[\s•·*\-|:：,]*$|^\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*$", re.IGNORECASE)
_TOP_LINES = 20
_LABEL_SCAN_CHARS = 4000


def iso_date(text: str | None, not_after: date | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) from a metadata value ("2024-03-05T08:00:00+08:00", "Nov 24, 2022"), or a
    prefix of one ("2025-08", "2025") when that is all the value says."""
    if not text:
        return None
    value = text.strip()
    prefix = re.fullmatch(r"((?:19|20)\d{2})(?:-(\d{2}))?", value)
    if prefix:
        year, month = int(prefix.group(1)), prefix.group(2)
        if month is None:
            return value if _plausible(date(year, 1, 1), not_after) else None
        if 1 <= int(month) <= 12 and _plausible(date(year, int(month), 1), not_after):
            return value
        return None
    compact = re.fullmatch(r"((?:19|20)\d{2})(\d{2})(\d{2})", value)
    if compact:
        found = _valid(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
        return found.isoformat() if found and _plausible(found, not_after) else None
    found = _first_date(value, not_after)
    return found.isoformat() if found else None


def date_from_text(text: str, not_after: date | None = None) -> str | None:
    """The publication date a text states: a labelled date, else a lone date line near the top."""
    head = text[:_LABEL_SCAN_CHARS]
    for match in _ANY_DATE.finditer(head):
        line_start = head.rfind("\n", 0, match.start()) + 1
        before = head[line_start : match.start()]
        if _LABEL.search(before[-40:]):
            found = _parse_match(match.group(0), not_after)
            if found:
                return found.isoformat()
    lines = [line for line in head.split("\n") if line.strip()][:_TOP_LINES]
    for line in lines:
        lone = _ANY_DATE.search(line)
        if not lone:
            continue
        rest = line[: lone.start()] + " " + line[lone.end() :]
        if _LONE_EXTRA.match(rest):
            found = _parse_match(lone.group(0), not_after)
            if found:
                return found.isoformat()
    return None


def _first_date(text: str, not_after: date | None) -> date | None:
    for match in _ANY_DATE.finditer(text):
        found = _parse_match(match.group(0), not_after)
        if found:
            return found
    return None


def _parse_match(text: str, not_after: date | None) -> date | None:
    for form in _FORMS:
        match = form.fullmatch(text.strip())
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("a") is not None:
            return _two_digit(int(groups["a"]), int(groups["b"]), int(groups["c"]), not_after)
        month = _MONTHS[groups["mon"].lower().rstrip(".")] if groups.get("mon") else int(groups["m"])
        found = _valid(int(groups["y"]), month, int(groups["d"]))
        return found if found and _plausible(found, not_after) else None
    return None


def _two_digit(a: int, b: int, c: int, not_after: date | None) -> date | None:
    """`21/02/01`: accepted only when exactly one of yy/mm/dd, dd/mm/yy, mm/dd/yy is a plausible date."""
    readings = {
        reading
        for reading in (_valid(2000 + a, b, c), _valid(2000 + c, b, a), _valid(2000 + c, a, b))
        if reading and _plausible(reading, not_after)
    }
    return readings.pop() if len(readings) == 1 else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(found: date, not_after: date | None) -> bool:
    return found.year >= 1900 and (not_after is None or found <= not_after)
