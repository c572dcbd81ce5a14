"""Periods named in a text, as FactSpec period strings: `find_periods(text, published)`.

Absolute (`September 16, 2025`, `December 2023`, `H1 2014`, `2024年1-9月`, `2021-25`) and relative to
the publication date (`in August`, `last year`, `去年`, `Q3`, `前三季度`). A month without a year
takes the year named earlier in the same sentence, else the publication year (a month after the
publication month means the year before), else the year named last before it in the text.

Each mention says whether it was `relative` (the year was not written), whether it is a `target`
(`by 2025`, `到2025年`) and whether it is a `baseline` that a change is measured against
(`a year earlier`, `去年同期`), so that it is not taken for the period of the fact itself.
`period_near(mentions, start, end, text)` picks the mention that applies to a number at a span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assay.extract.periods.patterns import (
    CHINESE_MONTHS,
    CHINESE_QUARTERS,
    CJK_LOOKBACK,
    FIVE_YEAR_PLANS,
    LOOKBACK,
    MAY_OPEN_AT_A_DIGIT_NOT_A_YEAR,
    MONTHS,
    ORDINAL_WORDS,
    PATTERN_AT_A_DIGIT_NOT_A_YEAR,
    PATTERN_BY_LETTER,
    PATTERN_BY_START,
    SENTENCE_END,
    START_ASCII,
    anchors,
)

_ADJACENT = re.compile(r"\s?(?:of\s+|的)?")


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A period named in a text: span, FactSpec period string, and how it was written."""

    start: int
    end: int
    text: str
    period: str
    relative: bool
    target: bool
    baseline: bool = False  # the base of a comparison: a year earlier, 去年同期


@dataclass(slots=True)
class _Pending:
    """A match whose year is still to be decided."""

    start: int
    end: int
    shape: str  # year, month, months, day, quarter, quarters, half, span, date, relyear, relmonth, relweek
    year: int | None
    a: int = 0
    b: int = 0
    c: int = 0
    target: bool = False
    baseline: bool = False
    offset: int = 0  # relyear / relmonth: shift from the publication date


_WEEK_BEFORE_QUOTE = 1  # relweek's `c`: a week before the day its sentence dates ("on June 12 … a week earlier")


def find_periods(text: str, published: date | None, *, own_sentence_years: bool = False) -> list[PeriodMention]:
    """Every period named in `text`, sorted by start. Without a publication date a month or quarter takes
    the last year named before it; with `own_sentence_years` only a year named in its own sentence."""
    if not text:
        return []
    pending = [p for m in _matches(text) if (p := _read(m)) is not None]
    sentence_starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    out: list[PeriodMention] = []
    last_year: int | None = None
    sentence_year: tuple[int, int] | None = None  # (sentence index, year)
    sentence_day: tuple[int, date] | None = None  # (sentence index, the day it names)
    for i, p in enumerate(pending):
        sentence = bisect.bisect_right(sentence_starts, p.start) - 1
        year = p.year
        relative = year is None
        if year is None and p.shape not in ("relyear", "relmonth", "relweek"):
            beside = _relative_year_beside(text, pending, i, published)
            if beside is not None:
                year = beside  # 去年前三季度, the first half of last year
            elif sentence_year is not None and sentence_year[0] == sentence:
                year = sentence_year[1]
            elif published is not None:
                year = _year_before(published, _last_month(p))
            elif not own_sentence_years:
                year = last_year
        anchor = published
        own = sentence_year is not None and sentence_year[0] == sentence
        if anchor is None and own_sentence_years and p.shape == "relyear" and own and sentence_year:
            anchor = date(sentence_year[1], 12, 31)  # "In 2022 … a year earlier": the year before the sentence's own
        if p.shape == "relweek" and p.c == _WEEK_BEFORE_QUOTE and sentence_day and sentence_day[0] == sentence:
            anchor = sentence_day[1]
        period = _period(p, year, anchor)
        if period is None:
            continue
        if p.shape == "day" and not p.baseline:
            sentence_day = (sentence, date.fromisoformat(period))
        if (
            p.shape == "relweek"
            and p.offset < 0
            and p.c != _WEEK_BEFORE_QUOTE
            and not _this_week_beside(pending, sentence_starts, sentence)
        ):
            continue  # a weekly wrap's lone "last week" is the week it reports on, not the week before
        if not relative and not p.baseline:
            last_year = year
            sentence_year = (sentence, year) if year is not None else sentence_year
        out.append(PeriodMention(p.start, p.end, text[p.start : p.end], period, relative, p.target, p.baseline))
    return out


def _this_week_beside(pending: list[_Pending], sentence_starts: list[int], sentence: int) -> bool:
    """`this week` (本周) in the same sentence: "up this week from 850,000 yuan last week" contrasts two weeks."""
    return any(
        o.shape == "relweek" and o.offset == 0 and bisect.bisect_right(sentence_starts, o.start) - 1 == sentence
        for o in pending
    )


def _relative_year_beside(text: str, pending: list[_Pending], i: int, published: date | None) -> int | None:
    """The year of `last year` / `去年` written right before or after a period that has no year."""
    if published is None:
        return None
    for j in (i - 1, i + 1):
        if not 0 <= j < len(pending) or pending[j].shape != "relyear" or pending[j].baseline:
            continue
        first, second = (pending[j], pending[i]) if j < i else (pending[i], pending[j])
        if _ADJACENT.fullmatch(text[first.end : second.start]):
            return published.year + pending[j].offset
    return None


def _matches(text: str) -> Iterator[re.Match[str]]:
    """What `PERIOD_PATTERN.finditer` would find, tried only just before words every period contains.

    Every wording holds an anchor (a digit, a month, Q/H, year, month, quarter, half, 年, 月, 季, 期);
    the big alternation is tried only at the word starts shortly before each anchor, which keeps
    the cost per character that of one cheap regex scan. Word starts are found once, in a scan
    that moves with the anchors and skips the text no anchor reaches back to (each start is one
    character, read the same whatever window it is looked for in).
    """
    starts: list[int] = []  # the word starts found so far, in order
    scanned = 0  # word starts are found up to here; the text before an anchor's reach is never scanned
    has_cjk = not text.isascii()
    tried = 0  # every start before this was tried already (and a match there would hold an anchor)
    for at, anchor_kind in anchors(text):
        if at < tried:
            continue
        # the starts up to this anchor not scanned yet (anchors come in order; what decides a start lies at
        # most 8 characters past it, so the window's end changes none of them)
        begin = max(scanned, tried, at - _LONGEST_LOOKBACK)
        starts += [s.start() for s in START_ASCII.finditer(text, begin, at + _START_REACH) if s.start() <= at]
        scanned = at + 1
        lo = max(tried, at - LOOKBACK[anchor_kind])
        candidates = starts[bisect.bisect_left(starts, lo) : bisect.bisect_right(starts, at)]
        if has_cjk:
            lo = max(tried, at - CJK_LOOKBACK[anchor_kind])
            cjk = [i for i in range(lo, at + 1) if text[i] >= "\x80"]
            if cjk:
                candidates = sorted(candidates + cjk) if candidates else cjk
        for position in candidates:
            m = _match_at(text, position)
            if m:
                yield m
                tried = m.end()
                break
        else:
            tried = at + 1


def _match_at(text: str, position: int) -> re.Match[str] | None:
    """The period wording that matches at `position`, of those that can open with its character."""
    char = text[position]
    if char >= "\x80":
        pattern: re.Pattern[str] | None = _BY_CJK
    elif "0" <= char <= "9":
        if text.startswith(("19", "20"), position):
            pattern = _BY_DIGIT
        elif MAY_OPEN_AT_A_DIGIT_NOT_A_YEAR.match(text, position):
            pattern = PATTERN_AT_A_DIGIT_NOT_A_YEAR
        else:
            return None  # no wording can open here
    else:
        pattern = PATTERN_BY_LETTER.get(char.lower())
    return pattern.match(text, position) if pattern is not None else None


def opens_before(text: str, limit: int) -> bool:
    """Whether a period wording matches at a position before `limit`: `find_periods(text, …)` names a
    period starting there only if one does (its wordings are tried, at word starts, with `_match_at`)."""
    return any(_match_at(text, position) is not None for position in range(min(limit, len(text))))


_LONGEST_LOOKBACK = max(LOOKBACK.values())
_START_REACH = 12  # past the anchor, enough for what decides a start (at most 8 characters past it) to be seen
_BY_DIGIT = PATTERN_BY_START["d"]
_BY_CJK = PATTERN_BY_START["c"]


def period_near(
    mentions: Sequence[PeriodMention], start: int, end: int, text: str | None = None, max_distance: int = 300
) -> PeriodMention | None:
    """The mention that most likely gives the period of the number at `start:end`.

    The nearest mention that is not a baseline, before or after the number; when `text` is given,
    only mentions in the same sentence count first, then the nearest earlier one in the paragraph.
    """
    lo, hi = max(0, start - max_distance), end + max_distance
    if text is not None:
        sentence_lo = max(text.rfind(ch, 0, start) for ch in ".。!！?？;；\n") + 1
        sentence_hi = min((i for i in (text.find(ch, end) for ch in "。!！?？;；\n") if i >= 0), default=len(text))
        dot = re.search(r"\.(?:\s|$)", text[end:sentence_hi])
        if dot:
            sentence_hi = end + dot.start()
        best = _nearest(mentions, start, end, max(lo, sentence_lo), min(hi, sentence_hi))
        if best is not None:
            return best
        paragraph_lo = text.rfind("\n\n", 0, start) + 1
        return _nearest(mentions, start, end, max(lo, paragraph_lo), start)
    return _nearest(mentions, start, end, lo, hi)


def _nearest(mentions: Sequence[PeriodMention], start: int, end: int, lo: int, hi: int) -> PeriodMention | None:
    best: tuple[int, PeriodMention] | None = None
    for m in mentions:
        if m.baseline or m.start < lo or m.end > hi:
            continue
        if m.end <= start:
            distance = start - m.end
        elif m.start >= end:
            distance = m.start - end
        else:
            distance = 0
        if best is None or distance < best[0]:
            best = (distance, m)
    return best[1] if best else None


def _year_before(published: date, month: int) -> int:
    """The year of a month named without one: this year, unless the month is still to come."""
    return published.year if month <= published.month else published.year - 1


def _last_month(p: _Pending) -> int:
    if p.shape in ("month", "day"):
        return p.a
    if p.shape == "months":
        return p.b
    if p.shape == "quarter":
        return 3 * p.a - 2
    if p.shape == "quarters":
        return 3 * p.a
    if p.shape == "half":
        return 6 * p.a - 5
    if p.shape == "months_to":
        return p.a
    return 1


def _period(p: _Pending, year: int | None, published: date | None) -> str | None:
    if p.shape == "relyear":
        if published is None:
            return None
        return f"{published.year + p.offset:04d}"
    if p.shape == "relweek":
        return (published + timedelta(days=7 * p.offset)).isoformat() if published is not None else None
    if p.shape == "relmonth":
        if published is None:
            return None
        if p.a:  # a named month in a relative year: July last year
            return f"{published.year + p.offset:04d}-{p.a:02d}"
        total = published.year * 12 + published.month - 1 + p.offset
        return f"{total // 12:04d}-{total % 12 + 1:02d}"
    if year is None or not 1800 <= year <= 2200:
        return None
    try:
        if p.shape == "year":
            return f"{year:04d}"
        if p.shape == "month" and 1 <= p.a <= 12:
            return f"{year:04d}-{p.a:02d}"
        if p.shape == "day":
            return date(year, p.a, p.b).isoformat()
        if p.shape == "months" and 1 <= p.a < p.b <= 12:
            return f"{year:04d}-{p.a:02d}/{year:04d}-{p.b:02d}"
        if p.shape == "months_to" and 1 <= p.a <= 12:
            return f"{year:04d}-01/{year:04d}-{p.a:02d}" if p.a > 1 else f"{year:04d}-01"
        if p.shape == "quarter" and 1 <= p.a <= 4:
            return f"{year:04d}-Q{p.a}"
        if p.shape == "quarters" and 1 <= p.a <= 4:
            if p.a == 1:
                return f"{year:04d}-Q1"
            if p.a == 2:
                return f"{year:04d}-H1"
            if p.a == 4:
                return f"{year:04d}"
            return f"{year:04d}-01/{year:04d}-{3 * p.a:02d}"
        if p.shape == "half" and p.a in (1, 2):
            return f"{year:04d}-H{p.a}"
        if p.shape == "span" and year < p.a <= year + 30:
            return f"{year:04d}/{p.a:04d}"
    except ValueError:
        return None
    return None


def _num(value: str | None) -> int:
    """A month, quarter or count written in digits, Chinese numerals or English words."""
    if not value:
        return 0
    value = value.strip().lower().rstrip(".")
    if value.isdigit():
        return int(value)
    if value in ORDINAL_WORDS:
        return ORDINAL_WORDS[value]
    if value in CHINESE_MONTHS:
        return CHINESE_MONTHS[value]
    return MONTHS.get(value, 0)


def _year(value: str | None) -> int | None:
    if not value:
        return None
    digits = value.strip("'’")
    if len(digits) == 2:
        return 2000 + int(digits)
    return int(digits) if digits.isdigit() else None


def _read(m: re.Match[str]) -> _Pending | None:
    kind = m.lastgroup
    g = m  # a Match reads its groups by name, without groupdict's dict of every group
    s, e = m.start(), m.end()
    if kind == "en_date_mdy":
        return _Pending(s, e, "day", _year(g["mdy_y"]), _num(g["mdy_m"]), int(g["mdy_d"]))
    if kind == "en_date_dmy":
        return _Pending(s, e, "day", _year(g["dmy_y"]), _num(g["dmy_m"]), int(g["dmy_d"]))
    if kind == "iso_date":
        return _Pending(s, e, "day", int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    if kind == "iso_month":
        return _Pending(s, e, "month", int(g["im_y"]), int(g["im_m"]))
    if kind == "zh_date":
        return _Pending(s, e, "day", _year(g["zd_y"]), _num(g["zd_m"]), int(g["zd_d"]))
    if kind == "en_month_pair":
        first = _num(g["mp_pair"].split()[0])
        return _Pending(s, e, "months", _year(g["mp_y"]), first, first + 1)
    if kind == "en_month_range":
        return _Pending(s, e, "months", _year(g["mr_y"] or g["mr_y0"]), _num(g["mr_a"]), _num(g["mr_b"]))
    if kind == "zh_month_range":
        return _Pending(s, e, "months", _year(g["zr_y"]), _num(g["zr_a"]), _num(g["zr_b"]))
    if kind == "en_first_months":
        return _Pending(s, e, "months_to", _year(g["fm_y"]), _num(g["fm_n"]))
    if kind == "zh_first_months":
        return _Pending(s, e, "months_to", _year(g["zfm_y"]), _zh_count(g["zfm_n"]))
    if kind == "en_month_rel":
        offset = {"last": -1, "this": 0, "next": 1, "previous": -1}[g["mrl_w"].lower()]
        return _Pending(s, e, "relmonth", None, _num(g["mrl_m"]), offset=offset)
    if kind == "en_month_year":
        return _Pending(s, e, "month", _year(g["my_y"]), _num(g["my_m"]))
    if kind == "zh_month":
        return _Pending(s, e, "month", _year(g["zm_y"]), _num(g["zm_m"]))
    if kind == "en_month_day":
        return _Pending(s, e, "day", None, _num(g["md_m"]), int(g["md_d"]))
    if kind == "en_month":
        return _Pending(s, e, "month", None, _num(g["mo_m"]))
    if kind == "en_day_month":
        return _Pending(s, e, "day", None, _num(g["dmo_m"]), int(g["dmo_d"]))
    if kind == "quarter_code":
        q = g["qc_q"] or g["qc_q2"] or g["qc_q3"]
        return _Pending(s, e, "quarter", _year(g["qc_y"] or g["qc_y2"] or g["qc_y3"]), int(q))
    if kind == "quarter_span":
        return _Pending(s, e, "quarters", _year(g["qs_y"]), int(g["qs_b"]))
    if kind == "en_quarter":
        return _Pending(s, e, "quarter", _year(g["eq_y"] or g["eq_y0"]), _num(g["eq_n"]))
    if kind == "en_quarters":
        return _Pending(s, e, "quarters", _year(g["eqs_y"]), _num(g["eqs_n"]))
    if kind == "zh_quarter":
        return _Pending(s, e, "quarter", _year(g["zq_y"]), CHINESE_QUARTERS.get(g["zq_n"], 0))
    if kind == "zh_quarters":
        return _Pending(s, e, "quarters", _year(g["zqs_y"]), CHINESE_QUARTERS.get(g["zqs_n"], 0))
    if kind == "half_code":
        return _Pending(
            s, e, "half", _year(g["hc_y"] or g["hc_y2"] or g["hc_y3"]), int(g["hc_h"] or g["hc_h2"] or g["hc_h3"])
        )
    if kind == "en_half":
        return _Pending(s, e, "half", _year(g["eh_y"] or g["eh_y0"]), 1 if g["eh_n"].lower() == "first" else 2)
    if kind == "zh_half":
        return _Pending(s, e, "half", _year(g["zh_y"]), 1 if g["zh_n"] == "上" else 2)
    if kind == "year_span":
        first = int(g["ys_a"])
        second = g["ys_b"] or g["ys_b2"]
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if last <= first:  # 2024-10 is no span; keep the year
            at = m.start("ys_a")
            return _Pending(at, at + 4, "year", first)
        return _Pending(s, e, "span", first, last)
    if kind == "plan":
        first, last = FIVE_YEAR_PLANS[g["plan_n"]]
        return _Pending(s, e, "span", first, last)
    if kind == "en_base_year":
        return _Pending(m.start("by_y"), e, "year", int(g["by_y"]), baseline=True)
    if kind == "zh_base_year":
        return _Pending(m.start("zby_y"), e, "year", int(g["zby_y"]), baseline=True)
    if kind == "target_year":
        return _Pending(s, e, "year", int(g["ty_y"]), target=True)
    if kind == "zh_target_year":
        return _Pending(s, e, "year", int(g["zty_y"] or g["zty_y2"]), target=True)
    if kind == "zh_year":
        return _Pending(s, e, "year", _zh_year(g["zy_y"]))
    if kind == "year":
        return _Pending(s, e, "year", int(g["y_y"]))
    if kind == "en_relyear":
        word = g["ry_w"].lower()
        offset = -1 if word in ("last", "previous", "prior", "past") else 1 if word == "next" else 0
        return _Pending(s, e, "relyear", None, offset=offset)
    if kind == "en_baseline":
        return _Pending(s, e, "relyear", None, offset=-1, baseline=True)
    if kind == "zh_relyear":
        offset = {"今": 0, "本": 0, "当": 0, "去": -1, "上": -1, "前": -2, "明": 1}[g["zry_w"]]
        return _Pending(s, e, "relyear", None, offset=offset, baseline=bool(g["zry_same"]))
    if kind == "zh_baseline":
        return _Pending(s, e, "relyear", None, offset=-1, baseline=True)
    if kind == "en_relmonth":
        offset = -1 if g["rm_w"].lower() in ("last", "previous", "prior") else 0
        return _Pending(s, e, "relmonth", None, offset=offset)
    if kind in ("en_weekago", "zh_weekago"):
        return _Pending(s, e, "relweek", None, offset=-1, c=_WEEK_BEFORE_QUOTE)
    if kind == "en_relweek":
        return _Pending(s, e, "relweek", None, offset=0 if g["rw_w"].lower() == "this" else -1)
    if kind == "zh_relweek":
        return _Pending(s, e, "relweek", None, offset=-1 if g["zrw_w"] == "上" else 0)
    if kind == "zh_relmonth":
        return _Pending(s, e, "relmonth", None, offset=-1 if g["zrm_w"] == "上" else 0)
    return None


def _zh_count(value: str) -> int:
    if value.isdigit():
        return int(value)
    return CHINESE_MONTHS.get(value, 0)


def _zh_year(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    digits = "".join(str("〇一二三四五六七八九".find(ch)) if ch != "零" else "0" for ch in value)
    return int(digits) if digits.isdigit() else None
