"""Periods named by reference to an earlier one: "during this period", "in the same month", "此期间", 当月,
and a quarterly report's "during the quarter".

"In the first two months of 2024, exports fell. Flake graphite exports totaled 3,236 tonnes during this
period": the words stand for the period the last dated sentence before them is about (its first period
that is not a baseline, a deadline or a single day), however many paragraphs back, within a short reach.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assay.extract.periods.finder import PeriodMention
from assay.extract.periods.patterns import SENTENCE_END
from assay.extract.text.openers import fast_start

_THIS_PERIOD = fast_start(
    re.compile(
        r"\b(?:during|in|over|for|within)\s+(?:this|that|the\s+same)\s+(?:period|timeframe|time\s+frame|(?P<month>month))\b"
        r"(?!\s+(?:of|in|last|a\s+year|the\s+previous|the\s+prior)\b)"
        r"|(?:此|这一?|這一?|该|該|同一)(?:期间|期間|时期|時期)|(?:当|當)(?P<zh_month>月)(?!份?(?:底|末|初))",
        re.IGNORECASE,
    )
)
_MONTH = re.compile(r"\d{4}-\d{2}")
# words every match holds: a page without any of them is not scanned (a substring test costs far less)
_THIS_PERIOD_HINTS = (
    "this period", "that period", "same period", "timeframe", "time frame", "same month", "that month",
    "期间", "期間", "时期", "時期", "当月", "當月",
)  # fmt: skip
_THE_QUARTER_HINTS = ("the quarter", "该季", "該季", "当季", "當季")
_REACH = 800  # characters back to the period the words refer to


def periods_named_before(text: str, found: Sequence[PeriodMention]) -> list[PeriodMention]:
    """Each "this period" in `text`, as a mention of the last period named before it in `found`."""
    out: list[PeriodMention] = []
    if not any(hint in text for hint in _THIS_PERIOD_HINTS):
        return out
    for m in _THIS_PERIOD.finditer(text):
        if any(p.start < m.end() and m.start() < p.end for p in found):
            continue
        earlier = [
            p for p in found if m.start() - _REACH <= p.start and p.end <= m.start() and not p.baseline and not p.target
        ]
        spans = [p for p in earlier if p.period.count("-") < 2 or "/" in p.period]
        if m["month"] or m["zh_month"]:  # "in the same month", 当月: the month named last
            spans = [p for p in spans if _MONTH.fullmatch(p.period)][-1:]
        if not spans:
            continue
        named = spans[-1]
        for p in reversed(spans[:-1]):  # the sentence's first period is what it is about
            if SENTENCE_END.search(text, p.end, named.start):
                break
            named = p
        out.append(PeriodMention(m.start(), m.end(), m.group(), named.period, True, False))
    return out


_THE_QUARTER = fast_start(
    re.compile(
        r"\b(?:during|in|for|over|across|throughout)\s+the\s+quarter\b(?!\s+(?:of|ended|ending|to|through)\b)"
        r"|(?:该|該|当|當)季度?(?:内|內)?",
        re.I,
    )
)


def quarter_reported(text: str, published: date | None, found: Sequence[PeriodMention]) -> list[PeriodMention]:
    """ "NdPr production of 1,579 tonnes was achieved during the quarter": the quarter a quarterly report is
    about, the last quarter named before the words, else the last quarter that ended before the page's date."""
    out: list[PeriodMention] = []
    if not any(hint in text for hint in _THE_QUARTER_HINTS):
        return out
    for m in _THE_QUARTER.finditer(text):
        if any(p.start < m.end() and m.start() < p.end for p in found):
            continue
        named = [
            p for p in found if m.start() - _REACH <= p.start and p.end <= m.start() and _QUARTER.fullmatch(p.period)
        ]
        if named:
            period = named[-1].period
        elif published is not None:
            index = published.year * 4 + (published.month - 1) // 3 - 1  # the quarter before the page's
            period = f"{index // 4:04d}-Q{index % 4 + 1}"
        else:
            continue
        out.append(PeriodMention(m.start(), m.end(), m.group(), period, True, False))
    return out


_QUARTER = re.compile(r"\d{4}-Q[1-4]")
