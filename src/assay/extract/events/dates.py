"""When an event happened: dates, months, years and plan spans in English and Chinese.

Event dates follow EventSpec: `2025`, `2025-04`, `2025-09-16`, or a span `2021/2025`.
A month or a day without a year ("in early April", "10月9日") is read against the
document's publication date: the latest such month not after it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from assay.extract.events.prefilter import PatternScan

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<{name}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?P<{name}>(?:19[89]|20[0-4])\d)"
_NOT_NUMBER_BEFORE = r"(?<![\d.,$¥€£])"
_NOT_NUMBER_AFTER = r"(?![\d%]|\.\d|,\d{3})"

FIVE_YEAR_PLANS = {13: "2016/2020", 14: "2021/2025", 15: "2026/2030"}
_ORDINALS = {"thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "13th": 13, "14th": 14, "15th": 15}
_ZH_PLANS = {"十三五": 13, "十四五": 14, "十五五": 15}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date read from text: `value` in EventSpec form, `kind` says how precise it is."""

    start: int
    end: int
    value: str
    kind: str  # day, month, year, span, target, relative


def _m(name: str) -> str:
    return _MONTH.format(name=name)


def _y(name: str) -> str:
    return _YEAR.format(name=name)


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(source))
    for kind, source in (
        ("five_year", r"(?i)\b(?P<ord>thirteenth|fourteenth|fifteenth|1[345]th)\s*Five[- ]Year"),
        ("five_year_zh", r"(?P<zh>十[三四五]五)"),
        ("zh_span", rf"{_y('y1')}\s*(?:年)?\s*[-—–~至到]\s*{_y('y2')}\s*年"),
        ("zh_day", rf"{_y('y')}\s*年\s*(?P<mo>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"),
        ("zh_month", rf"{_y('y')}\s*年\s*(?P<mo>\d{{1,2}})\s*月"),
        ("zh_target", rf"(?:到|至|截至)\s*{_y('y')}\s*年|{_y('y2')}\s*年(?:前|底前)"),
        ("zh_year", rf"{_y('y')}\s*年"),
        # "去年12月1日", "January 1 last year": a day or month placed by a year named relative to the page
        ("zh_rel_year_day", r"(?P<rel>去年|今年|明年)\s*(?P<mo>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"),
        ("rel_year_day", rf"\b{_m('mon')}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<rel>last|this|next)\s+year\b"),
        # "9月18日至10月19日", "from September 18 to October 19": days of a campaign, placed by its first
        (
            "zh_day_span",
            r"(?<![\d年])(?P<mo>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:至|到|-|—|~)\s*"
            r"(?P<mo2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日",
        ),
        (
            "day_span",
            rf"\b{_m('mon')}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:to|through|until|-|–)\s*{_m('mon2')}\s+"
            r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s*\d{4})",
        ),
        ("zh_month_span", r"(?<![\d年])(?P<mo>\d{1,2})\s*月\s*(?:至|到|-|—|~)\s*(?P<mo2>\d{1,2})\s*月"),
        ("zh_rel_day", r"(?<![\d年])(?P<mo>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
        ("zh_rel_month", r"(?<![\d年])(?P<mo>\d{1,2})\s*月(?:份)?"),
        ("zh_rel_year", r"(?P<rel>今年|去年|明年|上半年|下半年)"),
        ("iso_day", rf"{_NOT_NUMBER_BEFORE}{_y('y')}[-/](?P<mo>[01]?\d)[-/](?P<d>[0-3]?\d)(?!\d)"),
        ("mdy", rf"{_m('mon')}\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s*{_y('y')}(?!\d)"),
        ("dmy", rf"(?<!\d)(?P<d>[0-3]?\d)\s+{_m('mon')},?\s*{_y('y')}(?!\d)"),
        (
            "month_span",
            rf"{_m('mon')}\s*(?:and|to|through|until|-|–)\s*{_m('mon2')}(?:,?\s*(?:of\s*)?{_y('y')})?(?!\d)",
        ),
        ("month_year", rf"{_m('mon')},?\s*(?:of\s*)?{_y('y')}(?!\d)"),
        ("md", rf"\b{_m('mon')}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})"),
        ("dm", rf"(?<![\d,.])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+{_m('mon')}\b(?!,?\s*\d{{4}})"),
        ("weekday", r"\b(?:on|last|this)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
        ("today", r"(?i)\b(?:today|this week|yesterday)\b|今天|今日|本周|昨日|即日起"),
        # "over the past two weeks", "in the last few days": a time just before the page
        (
            "past_days",
            r"(?i)(?<=\bthe )(?:past|last) (?P<n>\d{1,2}|two|three|four|few|several)"
            r" (?P<unit>days|weeks)\b",
        ),
        ("quarter", rf"(?i)\b(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth)[- ]quarter)\s*(?:of\s*)?{_y('y')}"),
        ("half", rf"(?i)\b(?:H(?P<h>[12])|(?P<hw>first|second)[- ]half)\s*(?:of\s*)?{_y('y')}"),
        (
            "span",
            rf"{_NOT_NUMBER_BEFORE}(?:between\s+|from\s+)?{_y('y1')}\s*(?:-|–|—|to|through|until|and)\s*"
            rf"(?P<y2>(?:19|20)?\d\d)(?!\d|%)",
        ),
        ("target", rf"(?i)\b(?:by|until|till|before|through)\s+(?:the\s+end\s+of\s+)?{_y('y')}{_NOT_NUMBER_AFTER}"),
        ("year", rf"{_NOT_NUMBER_BEFORE}\b{_y('y')}{_NOT_NUMBER_AFTER}(?!\s*(?:tons?|tonnes?|t\b|mt\b))"),
        ("rel_half", r"(?i)\b(?P<hw>first|second)[- ]half\s+of\s+(?P<rel>last|this|next|previous)\s+year\b"),
        ("rel_year", r"(?i)\b(?P<rel>last|this|next|previous)\s+year\b"),
        ("rel_month", rf"\b(?:(?:early|mid|late|end of|beginning of|the end of)[- ]?)?{_m('mon')}\b(?![-\w])"),
    )
)

_ORDER = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_FUTURE_BEFORE = re.compile(
    r"(?i)\b(?:from|starting|effective|will|shall|take effect on|takes effect on|until)\s+(?:on\s+)?$|将于?$|自$"
)
_FUTURE_AFTER = re.compile(r"\s*(?:起|开始|后实施|起实施|实施)")


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _year_for_month(month: int, published: date | None, future: bool = False) -> int | None:
    """The year of a month named without one: the latest such month not after publication,
    or, when the text looks ahead ("from 1 December", "12月1日起"), the next one."""
    if published is None:
        return None
    if month <= published.month:
        return published.year
    return published.year if future else published.year - 1


def _read(kind: str, m: re.Match[str], published: date | None) -> tuple[str, str] | None:
    """(value, precision kind) for one match, or None when it cannot be placed in time."""
    g = m.groupdict()
    if kind == "five_year":
        return FIVE_YEAR_PLANS[_ORDINALS[g["ord"].lower()]], "span"
    if kind == "five_year_zh":
        return FIVE_YEAR_PLANS[_ZH_PLANS[g["zh"]]], "span"
    if kind in ("zh_span", "span"):
        first, second = int(g["y1"]), g["y2"]
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if not first < last <= first + 15:
            return None
        return f"{first}/{last}", "span"
    if kind in ("zh_day", "iso_day", "mdy", "dmy"):
        month = int(g["mo"]) if g.get("mo") else _month_number(g["mon"])
        day = int(g["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return f"{g['y']}-{month:02d}-{day:02d}", "day"
    if kind in ("zh_month", "month_year"):
        month = int(g["mo"]) if g.get("mo") else _month_number(g["mon"])
        return (f"{g['y']}-{month:02d}", "month") if 1 <= month <= 12 else None
    if kind in ("zh_target", "target"):
        return g.get("y") or g["y2"], "target"
    if kind in ("zh_year", "year"):
        return g["y"], "year"
    if kind == "quarter":
        q = int(g["q"]) if g["q"] else _ORDER[g["qw"].lower()]
        return f"{g['y']}-{3 * q - 2:02d}/{g['y']}-{3 * q:02d}", "span"  # EventSpec has no quarters
    if kind == "half":
        h = int(g["h"]) if g["h"] else _ORDER[g["hw"].lower()]
        return f"{g['y']}-{6 * h - 5:02d}/{g['y']}-{6 * h:02d}", "span"
    if kind == "month_span":
        first, last = _month_number(g["mon"]), _month_number(g["mon2"])
        year = int(g["y"]) if g.get("y") else _year_for_month(last, published)
        if year is None or last < first:
            return None
        return f"{year}-{first:02d}/{year}-{last:02d}", "span"
    if kind in ("zh_day_span", "day_span"):
        first, last = (int(g[k]) if g.get(k) else _month_number(g[n]) for k, n in (("mo", "mon"), ("mo2", "mon2")))
        days = int(g["d"]), int(g["d2"])
        year = _year_for_month(first, published, _looks_ahead(m)) if 1 <= first <= 12 and 1 <= last <= 12 else None
        if year is None or not all(1 <= day <= 31 for day in days):
            return None
        end_year = year if (last, days[1]) >= (first, days[0]) else year + 1
        return f"{year}-{first:02d}-{days[0]:02d}/{end_year}-{last:02d}-{days[1]:02d}", "span"
    if kind == "zh_month_span":
        first, last = int(g["mo"]), int(g["mo2"])
        year = _year_for_month(first, published, _looks_ahead(m)) if 1 <= first <= last <= 12 else None
        return (f"{year}-{first:02d}/{year}-{last:02d}", "span") if year else None
    if kind in ("zh_rel_year_day", "rel_year_day") and published is not None:
        shift = {"last": -1, "去年": -1, "next": 1, "明年": 1}.get(g["rel"].lower(), 0)
        month = int(g["mo"]) if g.get("mo") else _month_number(g["mon"])
        if not 1 <= month <= 12:
            return None
        if g.get("d"):
            return f"{published.year + shift}-{month:02d}-{int(g['d']):02d}", "day"
        return f"{published.year + shift}-{month:02d}", "month"
    if kind == "weekday" and published is not None:
        back = (published.weekday() - _WEEKDAYS.index(g["wd"].lower())) % 7
        return (published - timedelta(days=back)).isoformat(), "relative"
    if kind == "past_days" and published is not None:
        count = {"two": 2, "three": 3, "four": 4, "few": 2, "several": 3}.get(g["n"].lower()) or int(g["n"])
        earlier = published - timedelta(days=count * (7 if g["unit"].lower() == "weeks" else 1))
        return earlier.strftime("%Y-%m"), "relative"
    if kind == "today" and published is not None:
        return published.isoformat(), "relative"
    if kind in ("zh_rel_day", "md", "dm"):
        month = int(g["mo"]) if g.get("mo") else _month_number(g["mon"])
        day = int(g["d"])
        year = _year_for_month(month, published, _looks_ahead(m)) if 1 <= month <= 12 else None
        return (f"{year}-{month:02d}-{day:02d}", "day") if year and 1 <= day <= 31 else None
    if kind in ("zh_rel_month", "rel_month"):
        month = int(g["mo"]) if g.get("mo") else _month_number(g["mon"])
        year = _year_for_month(month, published, _looks_ahead(m)) if 1 <= month <= 12 else None
        return (f"{year}-{month:02d}", "month") if year else None
    if kind == "rel_half" and published is not None:
        shift = {"last": -1, "previous": -1, "next": 1}.get(g["rel"].lower(), 0)
        year, h = published.year + shift, _ORDER[g["hw"].lower()]
        return f"{year}-{6 * h - 5:02d}/{year}-{6 * h:02d}", "relative"
    if kind in ("zh_rel_year", "rel_year") and published is not None:
        shift = {"last": -1, "previous": -1, "去年": -1, "next": 1, "明年": 1}.get(g["rel"].lower(), 0)
        return str(published.year + shift), "relative"
    return None


def _looks_ahead(m: re.Match[str]) -> bool:
    """The text looks ahead from the date ("from 1 December", "12月1日起"): read only for the kinds
    whose year depends on it."""
    text = m.string
    return bool(_FUTURE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]) or _FUTURE_AFTER.match(text, m.end()))


DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(pattern for _, pattern in _PATTERNS)
_PATTERN_SCAN = PatternScan(DATE_PATTERNS)
# kinds placed in time only against a publication date (`_read` gives None without one): a text
# read with none (a document's reference date) skips their patterns, as no reading of theirs is
# kept and so none takes a place from another
_NEEDS_PUBLISHED = frozenset(
    {
        "zh_rel_year_day", "rel_year_day", "zh_day_span", "day_span", "zh_month_span", "zh_rel_day",
        "zh_rel_month", "zh_rel_year", "md", "dm", "weekday", "today", "past_days", "rel_half",
        "rel_year", "rel_month",
    }
)  # fmt: skip
_ABSOLUTE = tuple(index for index, (kind, _) in enumerate(_PATTERNS) if kind not in _NEEDS_PUBLISHED)
_ABSOLUTE_SCAN = PatternScan([DATE_PATTERNS[index] for index in _ABSOLUTE])


def _scan(text: str, published: date | None) -> Iterator[tuple[int, Iterator[re.Match[str]]]]:
    """`_PATTERN_SCAN.finditer(text)`, without the patterns that need `published` when there is none."""
    if published is not None:
        yield from _PATTERN_SCAN.finditer(text)
        return
    for index, matches in _ABSOLUTE_SCAN.finditer(text):
        yield _ABSOLUTE[index], matches


def find_event_dates(
    text: str, published: date | None, scanned: Iterable[tuple[int, Iterator[re.Match[str]]]] | None = None
) -> list[DateMention]:
    """Every date the text states, longest reading first where readings overlap. `scanned` is what
    a `PatternScan` of `DATE_PATTERNS` (first in its list) gave for the text, when the caller has it."""
    found: list[DateMention] = []
    # the spans taken so far never overlap one another: kept sorted, a new span can only
    # overlap its two neighbours
    starts: list[int] = []
    ends: list[int] = []
    # only the patterns that may match, tried where they may
    for index, matches in _scan(text, published) if scanned is None else scanned:
        kind = _PATTERNS[index][0]
        for m in matches:
            start, end = m.span()
            at = bisect.bisect_right(starts, start)
            if (at > 0 and starts[at - 1] < end and start < ends[at - 1]) or (
                at < len(starts) and starts[at] < end and start < ends[at]
            ):
                continue
            if kind == "rel_month" and m.group("mon") == "May" and not _looks_like_month(text, m):
                continue
            reading = _read(kind, m, published)
            if reading is None:
                continue
            starts.insert(at, start)
            ends.insert(at, end)
            found.append(DateMention(start, end, reading[0], reading[1]))
    return sorted(found, key=lambda d: d.start)


def _looks_like_month(text: str, m: re.Match[str]) -> bool:
    """ "May" is a month after "in", "since", "from", "early" ..., not a modal verb."""
    before = text[max(0, m.start() - 12) : m.start()].lower()
    return bool(re.search(r"(in|since|from|until|by|early|mid|late|of|and|to|during|over|for|through)\s*$", before))


def parse_published(published: str | None) -> date | None:
    """The publication date as a date (a month or a year counts as its last day)."""
    if not published:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 12), int(m[3] or 28)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Equal, or one a prefix of the other (`2025` and `2025-04`)."""
    if a is None or b is None:
        return a is None and b is None
    return a.startswith(b) or b.startswith(a)


def more_precise(a: str | None, b: str | None) -> str | None:
    """Of two compatible dates, the more precise one."""
    if a is None:
        return b
    if b is None:
        return a
    return a if len(a) >= len(b) else b


def month_start(value: str | None) -> date | None:
    """The first day an EventSpec date covers (`2021/2025` -> 2021-01-01)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}|Q[1-4]|H[12]))?(?:-(\d{2}))?", value)
    if not m:
        return None
    year, part, day = int(m[1]), m[2], int(m[3] or 1)
    month = 1
    if part and part.startswith("Q"):
        month = 3 * int(part[1]) - 2
    elif part and part.startswith("H"):
        month = 6 * int(part[1]) - 5
    elif part:
        month = int(part)
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 1)
