"""Small readings shared by the fact rules: publication dates, repaired numbers and periods, dedupe.

Kept apart from the rules so that each stays short; nothing here knows about sentences.
"""

from __future__ import annotations

import bisect
import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache

from assay.extract.periods.finder import PeriodMention
from assay.extract.text.gazetteer import COMMODITY, Mention
from assay.extract.text.layout import Span
from assay.extract.text.openers import fast_start
from assay.model import Fact, Period, Quantity, QuantityKind

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_GLOSS = rf"[(（](?=[^)）]{{0,6}}[{_TONE_MARKS}])[a-zü{_TONE_MARKS}]{{1,7}}[)）]"
_GLOSSED_RUN = re.compile(rf"[\u4e00-\u9fff]+{_GLOSS}(?:[\u4e00-\u9fff]+(?:{_GLOSS})?)*")
_HAS_TONE_MARK = re.compile(f"[{_TONE_MARKS}]")


def fold_pinyin_glosses(text: str) -> str:
    """Machine-converted pages gloss characters with pinyin: 內(nèi)蒙古, 產(chǎn)量. The matching copy keeps
    its length but moves each run's characters together, the blanks after them ("内蒙古     "), so words are
    found whole; numbers and the run's first character keep their offsets."""
    if not _HAS_TONE_MARK.search(text):
        return text

    def packed(m: re.Match[str]) -> str:
        han = re.sub(_GLOSS, "", m.group())
        return han + " " * (len(m.group()) - len(han))

    return _GLOSSED_RUN.sub(packed, text)


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published.strip())
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 12), int(m[3] or 0)
    if not 1 <= month <= 12:
        return None
    if day == 0:
        day = Period.parse(f"{year:04d}-{month:02d}").end.day
    try:
        return date(year, month, day)
    except ValueError:
        return None


def reference_date(text: str, published: date | None, title: str = "") -> date | None:
    """The publication date, or when unknown the end of the latest year that dates the page itself.

    A year dates the page when the title names it, when the text names it with a month, quarter or
    half (`July 2025`, `2025年1-9月`), or names it more than once. A year named once, bare, belongs
    to the one statement that names it ("900,000 t in 2023"): a month elsewhere on the page ("In
    May …") is not resolved against it, and stays without a year."""
    if published is not None:
        return published
    body = text[:200_000]
    years = list(_PAGE_YEAR.finditer(body))
    if not years:
        return None
    counts = Counter(int(m.group(1)) for m in years)
    dated = {int(y) for y in _PAGE_YEAR.findall(title)}
    dated |= {year for year, n in counts.items() if n > 1}
    for m in years:  # a year with a month, quarter or half: looked at only where a year stands
        if _MONTHS_AFTER_YEAR.match(body, m.end()) or _MONTHS_BEFORE_YEAR.search(
            body, max(0, m.start() - 24), m.start()
        ):
            dated.add(int(m.group(1)))
    dated &= set(counts) | {int(y) for y in _PAGE_YEAR.findall(title)}
    if not dated:
        return None
    return _within_year(max(dated), body, title)


def _within_year(year: int, body: str, title: str) -> date:
    """When in its year an undated page was written: after the month its title names ("exports rise in Feb"),
    early the next year when its title reports the year as a whole and the page reports that year's last
    months ("exports in 2024 climb", with December's figures: "last year" is 2024), else at the year's end."""
    month = _TITLE_MONTH.search(title)
    if month and not _PAGE_YEAR.search(title):
        number = _MONTH_NUMBERS[month.group(1).lower()[:3]]
        return Period.parse(f"{year:04d}-{number:02d}").end
    bare = [m for m in _PAGE_YEAR.finditer(title) if int(m.group(1)) == year]
    whole = bare and not any(
        _MONTHS_AFTER_YEAR.match(title, m.end()) or _MONTHS_BEFORE_YEAR.search(title, 0, m.start()) for m in bare
    )
    if whole and _YEAR_END.search(body) and not _FORECAST_TITLE.search(title):
        return date(year + 1, 1, 31)
    return date(year, 12, 31)


_TITLE_MONTH = re.compile(
    r"\b(jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\b",
    re.IGNORECASE,
)
_MONTH_NUMBERS = {
    name: i
    for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
# the last months of a year, reported: the year is over when the page was written
_YEAR_END = re.compile(r"\b(?:December|fourth[\s-]quarter|second half|full[\s-]year)\b|12月|第四季度|下半年|全年")
_FORECAST_TITLE = re.compile(
    r"\b(?:forecasts?|expected|outlook|to\s+(?:rise|fall|reach))\b|预计|預計|预测|預測|展望", re.I
)


_PAGE_YEAR = fast_start(re.compile(r"(?<!\d)((?:19[5-9]|20[0-4])\d)(?!\d)"))
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTHS_BEFORE_YEAR = re.compile(
    rf"(?:\b{_MONTH_NAME}\s+(?:\d{{1,2}},?\s+)?|\b(?:Q[1-4]|H[12])\s*|\b(?:quarter|half|months)\s+of\s+)\Z",
    re.IGNORECASE,
)
_MONTHS_AFTER_YEAR = re.compile(
    r"\s*年\s*(?:\d{1,2}\s*[月\-–~]|[一二三四上下前第全]|1-)|[-/](?:0?[1-9]|1[0-2])\b(?![-/]?\d{3})|\s*(?:Q[1-4]|H[12])\b",
    re.IGNORECASE,
)


def carried_geo(carried: str | None, metric: str, title_geo: str | None = None) -> str:
    """The place a number inherits: its paragraph's subject (a company only for what companies report),
    else the place the title names, else China, the subject of this industry's news."""
    if carried and carried.startswith("company:"):
        if metric in COMPANY_METRICS:
            return carried
    elif carried and carried != "WORLD" and metric != "price":  # a market price is national unless placed
        return carried
    return title_geo or "CN"


COMPANY_METRICS = ("revenue", "net_profit", "investment", "production", "capacity", "output_value")


def home_like(code: str) -> bool:
    """Places whose mention makes them the subject of what follows: China, its provinces, companies."""
    return code == "CN" or code.startswith(("CN-", "company:"))


_EXAMPLES = re.compile(
    r"[(（]\s*(?:e\.g\.|eg|such as|including|like|例如|如|包括)[^)）]{0,120}[)）]"
    r"|,\s*(?:mostly|mainly|chiefly|largely|including|such as|e\.g\.)\s[^,.;]{0,80}(?=,)"
    r"|,\s*(?:whose|which|where|who)\s[^,.;]{0,160}(?=,)"  # a relative clause about something else
)
# the same, its opening bracket or comma read first (re skips to that class in C), each wording checking after it
# which one it was: the same matches at the same places
_EXAMPLES_FROM_FIRST = re.compile(
    r"[(（,](?:(?<=[(（])\s*(?:e\.g\.|eg|such as|including|like|例如|如|包括)[^)）]{0,120}[)）]"
    r"|(?<=,)\s*(?:mostly|mainly|chiefly|largely|including|such as|e\.g\.)\s[^,.;]{0,80}(?=,)"
    r"|(?<=,)\s*(?:whose|which|where|who)\s[^,.;]{0,160}(?=,))"
)


def example_spans(text: str, span: Span) -> list[tuple[int, int]]:
    """Parenthesised examples (`(e.g., samarium, gadolinium)`), appositions (`, mostly DBM and CCM,`) and
    relative clauses (`, whose clays feed … heavy rare earths,`) name other things than the subject."""
    return [(m.start(), m.end()) for m in _EXAMPLES_FROM_FIRST.finditer(text, span.start, span.end)]


_RANGE_TO = re.compile(r"\s+(?:to|through)\s+|至|到")
_PRICE_TAIL = re.compile(r"(?:/\s*(?:t|mt|tonne|ton)|\s+(?:per|a)\s+(?:tonne|ton|mt))\s*$", re.IGNORECASE)
_CNY_BEFORE = re.compile(r"(?:rmb|cny|yuan|renminbi|¥)\W{0,3}$", re.IGNORECASE)


_BARE_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)\s*年(?!\s*\d)")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
# the month name leads the pattern so the scan skips to capitals; the glued letter is checked after
_GLUED_MONTH = re.compile(
    r"(January|February|March|April|June|July|August|September|October|November|December)(?=[ \t:])"
)
_LOWER_ASCII = frozenset(string.ascii_lowercase)


def glued_months(text: str, reference: date | None) -> list[PeriodMention]:
    """Month names run into the word before them by careless extraction (`Export DynamicsSeptember Volume`)."""
    out: list[PeriodMention] = []
    if reference is None:
        return out
    for m in _GLUED_MONTH.finditer(text):
        if m.start() == 0 or text[m.start() - 1] not in _LOWER_ASCII:
            continue  # no month name is a suffix of another, so a skipped match hides no glued one
        month = _MONTHS.index(m.group(1).lower()) + 1
        year = reference.year if month <= reference.month else reference.year - 1
        out.append(PeriodMention(m.start(), m.end(), m.group(), f"{year:04d}-{month:02d}", True, False))
    return out


_OF_LAST_YEAR = re.compile(r"\s*(?:of\s+)?(?:last|the previous|the prior)\s+year", re.IGNORECASE)


_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")
_FOUR_DIGITS = re.compile(r"\d{4}")


def month_of_last_year(text: str, periods: list[PeriodMention]) -> list[PeriodMention]:
    """`July of last year` read as `July` and `last year` is one period: July of the year before."""
    out: list[PeriodMention] = []
    skip: set[int] = set()
    for i, p in enumerate(periods):
        if i in skip:
            continue
        nxt = periods[i + 1] if i + 1 < len(periods) else None
        if (
            nxt is not None
            and _YEAR_MONTH.fullmatch(p.period)
            and _FOUR_DIGITS.fullmatch(nxt.period)
            and _OF_LAST_YEAR.fullmatch(text[p.end : nxt.end])
        ):
            period = f"{nxt.period}-{p.period[5:7]}"
            out.append(PeriodMention(p.start, nxt.end, text[p.start : nxt.end], period, True, False))
            skip.add(i + 1)
            continue
        out.append(p)
    return out


_IN_YEAR = fast_start(re.compile(r"\b(?:in|for|during)\s+((?:19|20)\d\d)(?![\d,.]\d)\b"))


class _Covered:
    """Spans sorted by start, asked by bisection (a long document holds thousands of periods)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each index
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def touches(self, lo: int, hi: int) -> bool:
        """Whether a span holds `lo`, or starts within [lo, hi)."""
        i = bisect.bisect_right(self.starts, lo)
        if i > 0 and self.reach[i - 1] > lo:
            return True
        j = bisect.bisect_left(self.starts, lo)
        return j < len(self.starts) and self.starts[j] < hi


def with_bare_years(text: str, periods: list[PeriodMention]) -> list[PeriodMention]:
    """`2019年` and `in 2022` stand for that year even where the period reader saw something else
    (`2019年中国…` is not 年中, mid-year; `89 kt in 2022 and 54 kt in 2021` names two years)."""
    periods = sorted(periods, key=lambda p: p.start)
    covered = _Covered([(p.start, p.end) for p in periods])
    extra = [
        PeriodMention(m.start(1), m.end(), text[m.start(1) : m.end()], m.group(1), False, False)
        for pattern in ((_BARE_YEAR, _IN_YEAR) if "年" in text else (_IN_YEAR,))  # every _BARE_YEAR holds 年
        for m in pattern.finditer(text)
        if not covered.touches(m.start(1), m.end())
    ]
    if not extra:
        return periods
    return sorted([*periods, *extra], key=lambda p: p.start)


_AGO_AFTER = re.compile(r"\s*(?:ago|earlier|before)\b")
_PER_YEAR_TAIL = re.compile(r"\s*(?:a|per|/)\s*(?:year|yr)$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_RANGE_TO_NUMBER = re.compile(r"\s*(?:to|-|–|至)\s*\d")
_NOT_A_NUMBER = re.compile(r"[^\d\s.,]")


def repair(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Readings the slot filler must see differently: `from 2019 to 35,539t` and `from 45,000 t/yr to 100,000
    t/yr` are two numbers, not a range; `(Rmb) 5,000/tonne` is a price in yuan."""
    out: list[Quantity] = []
    for q in quantities:
        if q.kind is QuantityKind.RATE and _AGO_AFTER.match(text[q.end : q.end + 10]):
            cut = _PER_YEAR_TAIL.search(q.text)
            if cut is not None:  # "670 tons a year ago" is a tonnage and a period, not a rate
                q = replace(q, kind=QuantityKind.MASS, unit="t", text=q.text[: cut.start()], end=q.start + cut.start())
        if _YEAR.fullmatch(q.text.strip()) and _RANGE_TO_NUMBER.match(text[q.end : q.end + 6]):
            continue  # "from 2019 to 35,539t": a year, not a tonnage
        if q.value_high is not None:
            split = _RANGE_TO.search(q.text)
            if split is not None:
                low_text, high_text = q.text[: split.start()], q.text[split.end() :]
                year_low = _YEAR.fullmatch(low_text.strip()) is not None
                own_unit = bool(_NOT_A_NUMBER.search(low_text.strip().lstrip("$¥€")))
                if year_low or own_unit:
                    high_start = q.start + split.end()
                    if not year_low:
                        out.append(replace(q, text=low_text, end=q.start + len(low_text), value_high=None))
                    out.append(replace(q, text=high_text, start=high_start, value=q.value_high, value_high=None))
                    continue
        if (
            q.kind is QuantityKind.NUMBER
            and _PRICE_TAIL.search(q.text)
            and _CNY_BEFORE.search(text[max(0, q.start - 8) : q.start])
        ):
            q = replace(q, kind=QuantityKind.PRICE, unit="CNY/t")
        out.append(q)
    return out


def trade(metric: str | None) -> str | None:
    return "exports" if metric == "shipments" else metric


def first(mentions: Sequence[Mention], kind: str) -> str | None:
    for m in mentions:
        if m.kind == kind and m.value not in ("-", "value", "quota"):
            return m.value
    return None


def first_form(mentions: Sequence[Mention]) -> str | None:
    for m in mentions:
        if m.kind == COMMODITY and m.value != "-":
            return m.form
    return None


def base_metric(metric: str) -> str:
    return metric.removesuffix("_share")


@lru_cache(maxsize=4096)  # the same few period strings recur on every page; the bound keeps memory flat
def valid_period(text: str) -> bool:
    try:
        Period.parse(text)
    except ValueError:
        return False
    return True


def shift(period: str, years: int) -> str:
    return re.sub(r"\d{4}", lambda m: f"{int(m.group()) + years:04d}", period)


def compare_periods(fact_period: str, baseline: str) -> str | None:
    try:
        current, base = Period.parse(fact_period), Period.parse(baseline)
    except ValueError:
        return None
    try:
        if base == current.year_before() or (base.granularity == "year" and base.start.year == current.start.year - 1):
            return "pct_yoy"
    except ValueError:
        return None
    previous = current.previous()
    if previous is not None and base == previous:
        return {"month": "pct_mom", "quarter": "pct_qoq"}.get(current.granularity, "pct_yoy")
    return None


def dedupe(facts: list[Fact]) -> list[Fact]:
    """A number stated twice (a repeated page, a table restated in the text) is one fact."""
    kept: list[Fact] = []
    index: dict[tuple[object, ...], list[Fact]] = {}
    for fact in facts:
        key = (fact.commodity, fact.form, fact.metric, fact.geo, fact.partner, fact.share_of, fact.unit, fact.period)
        same = index.setdefault(key, [])
        if any(_close(f.value, fact.value) and _close_opt(f.value_high, fact.value_high) for f in same):
            continue
        same.append(fact)
        kept.append(fact)
    return kept


def _close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 0.005 * max(abs(a), abs(b))


def _close_opt(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return _close(a, b)


def dominant_commodity(mentions: Sequence[Mention]) -> str | None:
    """The commodity a document names most often: the last resort for a number that names none."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.kind == COMMODITY and m.value != "-":
            counts[m.value] = counts.get(m.value, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
