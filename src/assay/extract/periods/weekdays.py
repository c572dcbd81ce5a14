"""Weekdays as days of the page's week: "fell to $240-280 per tonne on Tuesday", "周二，镁锭报价…".

A weekly price report names the day of a quote by its weekday alone; the day is the latest such weekday
on or before the page's date ("last Tuesday": strictly before it; 上周二: the Tuesday of the week before).
Only a page dated to the day can place a weekday; a weekday beside its own date ("Tuesday March 9") is
left to that date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from assay.extract.periods.finder import PeriodMention
from assay.extract.text.openers import fast_start

_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY = fast_start(
    re.compile(
        r"\b(?:(?P<last>last|previous)\s+)?(?P<en>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        # 周 after a numeral or 每 is a count of weeks ("两周一次", "每周一"), not a weekday
        r"|(?<![一二两兩三四五六七八九十几幾每數数])(?P<zh_last>上)?(?:周|週|星期|礼拜|禮拜)(?P<zh>[一二三四五六日天])"
    )
)
# a weekday with its own date after it ("Tuesday March 9", "Friday, November 15", "周二（3月9日）")
_HINTS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "周",
    "週",
    "星期",
    "礼拜",
    "禮拜",
)
_DATE_AFTER = re.compile(r"[\s,，(（]*(?:[A-Z][a-z]{2,8}\.?\s+\d|\d)")
_NEXT_BEFORE = re.compile(r"\b(?:next|coming|this coming)\s+$|下\s*$", re.IGNORECASE)


def weekday_mentions(text: str, published_day: date | None, found: Sequence[PeriodMention]) -> list[PeriodMention]:
    """Weekdays in `text` that no other period mention covers, as the days they name in the page's week."""
    if published_day is None or not any(hint in text for hint in _HINTS):
        return []
    taken = [(p.start, p.end) for p in found]
    out: list[PeriodMention] = []
    for m in _WEEKDAY.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if _DATE_AFTER.match(text, m.end()) or _NEXT_BEFORE.search(text, max(0, m.start() - 14), m.start()):
            continue  # dated by its own date, or a day still to come
        weekday = _EN_DAYS.index(m["en"].lower()) if m["en"] else _ZH_DAYS[m["zh"]]
        back = (published_day.weekday() - weekday) % 7
        if m["last"] and back == 0:
            back = 7  # "last Tuesday" on a Tuesday
        elif m["zh_last"] and weekday <= published_day.weekday():
            back += 7  # 上周二: the Tuesday of the week before
        day = published_day - timedelta(days=back)
        out.append(PeriodMention(m.start(), m.end(), m.group(), day.isoformat(), True, False))
    return out
