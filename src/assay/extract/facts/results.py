"""Company results: a listed company's revenue and net profit, their changes, and analysts' forecasts.

A results statement names a measure (营业收入, 归母净利润, 扣非净利润, revenue, net loss), then its amount and
its changes (同比增长4.33%, 环比下降0.08%, -52.24% year over year). The reader cuts the text into statements
(sentences, list items, `[1]` footnotes), and each measure word opens a segment that runs to the next one;
a segment's first amount is the level and its percents the changes, so a number takes its slots from its own
statement, never from a distant line. Words for other measures (毛利率, gross margin, EPS, adjusted EBITDA,
inventories) open segments whose numbers are not facts. The company is the one named in the statement, the
last one named before it in the paragraph, or the one of the title ("金力永磁(300748):…"); the period is the
one named before the amount (2025H1, Q3 2024, Q1-Q3 … in 2024, 前三季度), else the statement's last one, else
the document's first results period. Forecast rows ("预计2025-2027年归母净利润分别为7.03/9.36/11.05亿元，对应
同比增长141.43%/33.15%/18.11%") give one fact per year.

Wordings live in `vocab/data/results_cues.csv`; the reader claims the numbers it has read so that the
prose reader does not read them again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assay.extract import FACT_RULES_VERSION
from assay.extract.facts import cues
from assay.extract.facts.results_cues import Cue, find_cues, statements
from assay.extract.periods.finder import PeriodMention
from assay.extract.text.gazetteer import COMMODITY, COMPANY, GEO, Mention, company_commodities
from assay.extract.text.openers import fast_start
from assay.model import Basis, Fact, Quantity, QuantityKind

_RESULT_KINDS = frozenset({"revenue", "net_profit", "net_loss", "operating_income"})
_METRIC_OF = {"revenue": "revenue", "net_profit": "net_profit", "net_loss": "net_profit", "operating_income": "revenue"}
# statement boundaries: sentence ends, line breaks, footnote marks, list dashes and bullets
_COMPARED_AFTER = re.compile(r"\s*(?:more|higher|greater|less|lower|above|below)\s+than\b", re.IGNORECASE)
_AMOUNT_OF = re.compile(r"\s+(?:in|of)\s+(?:total\s+|quarterly\s+|annual\s+)?", re.IGNORECASE)
_LIST_JOIN = re.compile(r"\s*(?:、|,|，|/|和|及|与|以及|and|&)\s*", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"分别|respectively", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,，;；]")
_POINTS_AFTER = re.compile(r"\s*(?:个百分点|百分点|个pct|pct\b|pcts?\b|percentage points?|pp\b|ppts?\b|bps\b)", re.I)
_LATIN_CHANGE_AFTER = re.compile(
    r"\s*[)）]?\s*(?:(?P<yoy>year[- ]over[- ]year|year[- ]on[- ]year|yoy|y-o-y|y/y|from a year (?:earlier|ago))"
    r"|(?P<qoq>month[- ]on[- ]month|month[- ]over[- ]month|mom|m-o-m|qoq|q-o-q|q/q|quarter[- ]on[- ]quarter|"
    r"quarter[- ]over[- ]quarter|sequentially|from the previous quarter))\b",
    re.IGNORECASE,
)
_ZH_QOQ = re.compile(r"环比|季增|季减|按季|较上季|比上季")
_MOVED = re.compile(
    r"\b(?:up|down|rose|fell|grew|increased?|decreased?|declined?|dropped|jumped|surged|plunged|climbed|"
    r"growth|gain|gained)\b|增长|增加|上升|上涨|提高|提升|下降|减少|下滑|下跌|增|降|减",
    re.IGNORECASE,
)
_FORECAST = re.compile(
    r"预计|预测|预期|盈利预测|\b(?:expects?|expected|forecasts?|forecasted|projects?|projected|estimates?|"
    r"guidance|outlook|consensus)\b",
    re.IGNORECASE,
)
_COMPANY_WORD = fast_start(re.compile(r"公司|集团|\b(?:the company|the group|its)\b", re.IGNORECASE))
_YEAR_RANGE = re.compile(r"(20\d\d)\s*(?:E|年)?\s*(?:[-–~～至到]|/)\s*(20\d\d)\s*(?:E|年)?")
_NUM = r"\d[\d,]*(?:\.\d+)?"
_LIST = re.compile(
    rf"(?P<cur>RMB|CNY|US\$|\$|¥|￥)?\s*(?P<values>-?{_NUM}%?(?:\s*[/、]\s*-?{_NUM}%?){{1,5}})\s*"
    r"(?P<unit>亿元|亿|百万元|万元|(?:billion|bn|million|mn)(?:\s+(?:yuan|RMB|CNY|dollars|USD))?)?",
    re.IGNORECASE,
)
_LIST_SCALE = (
    (re.compile(r"亿元?", re.I), 1e8), (re.compile(r"百万元", re.I), 1e6), (re.compile(r"万元", re.I), 1e4),
    (re.compile(r"billion|bn", re.I), 1e9), (re.compile(r"million|mn", re.I), 1e6),
)  # fmt: skip
_ACCOUNTING_NEGATIVE = re.compile(rf"(?:US)?\$\s*\(\s*({_NUM})\s*\)\s*(billion|million|thousand)?", re.IGNORECASE)


_YEAR_TO_DATE = re.compile(r"\byear[- ]to[- ]date\b|\bYTD\b|年初至今|年初至报告期末|今年以来", re.IGNORECASE)


def _year_to_date(period: str | None) -> str | None:
    """The months from January to the end of `period` (2025-Q3 → 2025-01/2025-09)."""
    m = re.fullmatch(r"(\d{4})-([QH])([1-4])", period or "")
    if m is None:
        return None
    last = int(m.group(3)) * (3 if m.group(2) == "Q" else 6)
    return f"{m.group(1)}-01/{m.group(1)}-{last:02d}" if last > 3 else period


def subject_company(
    text: str, start: int, end: int, mentions: Sequence[Mention], title_mentions: Sequence[Mention]
) -> str | None:
    """The company that "the company"/"公司" in text[start:end] refers to: the title's, else the only one named."""
    if not _COMPANY_WORD.search(text, start, end):
        return None
    title = next((m.value for m in title_mentions if m.kind == COMPANY), None)
    if title:
        return title
    distinct = {m.value for m in mentions if m.kind == COMPANY}
    return distinct.pop() if len(distinct) == 1 else None


@dataclass(frozen=True, slots=True)
class ResultsInput:
    """What the results reader needs of a document, read once by the fact extractor."""

    text: str  # Simplified copy of the clean text
    original: str
    mentions: Sequence[Mention]
    quantities: Sequence[Quantity]
    periods: Sequence[PeriodMention]
    title_mentions: Sequence[Mention]
    block_starts: Sequence[int]  # start offset of each paragraph
    doc_commodity: str | None


class ResultsReader:
    """Facts of company results statements; `claimed` holds the starts of the numbers it has read."""

    def __init__(self, given: ResultsInput) -> None:
        self.given = given
        self.text = given.text
        self.claimed: set[int] = set()
        self.companies = [m for m in given.mentions if m.kind == COMPANY]
        # sorted copies for bisection
        self._by_mention = sorted(given.mentions, key=lambda m: m.start)
        self._by_quantity = sorted(given.quantities, key=lambda q: q.start)
        self._by_period = sorted(given.periods, key=lambda p: p.start)
        self._mention_starts = [m.start for m in self._by_mention]
        self._quantity_starts = [q.start for q in self._by_quantity]
        self._period_starts = [p.start for p in self._by_period]
        self.title_company = next((m.value for m in given.title_mentions if m.kind == COMPANY), None)
        self.main_period: str | None = None
        self.reported: tuple[int, str | None] = (-1, None)  # paragraph start, company named in its results
        self.statement_starts: list[int] = []

    def facts(self) -> list[Fact]:
        text = self.text
        all_cues = find_cues(text)
        if not all_cues:
            return []
        cue_starts = [c.start for c in all_cues]
        out: list[Fact] = []
        spans = statements(text)
        self.statement_starts = [s for s, _ in spans]
        for start, end in spans:
            lo, hi = bisect.bisect_left(cue_starts, start), bisect.bisect_left(cue_starts, end)
            found = all_cues[lo:hi]
            if not found:
                continue
            company = self._company(start, end, found)
            if company is None:
                continue
            out.extend(self._statement(start, end, found, company))
        return out

    # --- who ---------------------------------------------------------------------------------

    def _company(self, start: int, end: int, found: Sequence[Cue]) -> str | None:
        first_cue = next((c.start for c in found if c.kind in _RESULT_KINDS), found[0].start)
        named = [m for m in self.companies if start <= m.start < end]
        before = [m for m in named if m.start < first_cue]
        block = self.given.block_starts[max(0, bisect.bisect_right(self.given.block_starts, start) - 1)]
        if before or named:
            company = (before[-1] if before else named[0]).value
            if any(c.kind in _RESULT_KINDS for c in found):
                self.reported = (block, company)
            return company
        places = [m for m in self._mentions(start, first_cue) if m.kind == GEO]
        if places:
            return None  # "中国稀土行业营收…": a place's industry, not a company
        if self.reported[0] == block and self.reported[1]:
            return self.reported[1]  # the company whose results the paragraph has been giving
        openers = [m for m in self.companies if block <= m.start < start and self._opens_statement(m.start)]
        if openers:  # "Energy Fuels reported Q2 results. Revenue was …": the subject of a sentence before
            return openers[-1].value
        if self.title_company:
            return self.title_company
        return subject_company(self.text, start, end, self.given.mentions, self.given.title_mentions)

    def _mentions(self, start: int, end: int) -> Sequence[Mention]:
        """The mentions that start in [start, end), found by bisection: pages are long, statements many."""
        lo, hi = bisect.bisect_left(self._mention_starts, start), bisect.bisect_left(self._mention_starts, end)
        return self._by_mention[lo:hi]

    def _quantities(self, start: int, end: int) -> Sequence[Quantity]:
        lo, hi = bisect.bisect_left(self._quantity_starts, start), bisect.bisect_left(self._quantity_starts, end)
        return self._by_quantity[lo:hi]

    def _periods(self, start: int, end: int) -> Sequence[PeriodMention]:
        lo, hi = bisect.bisect_left(self._period_starts, start), bisect.bisect_left(self._period_starts, end)
        return self._by_period[lo:hi]

    def company_near(self, start: int, end: int) -> str | None:
        """The company of a table: named in its caption or header, else the title's, else the only one named."""
        named = [m for m in self.companies if start <= m.start < end]
        if named:
            return named[-1].value
        if self.title_company:
            return self.title_company
        distinct = {m.value for m in self.companies}
        return distinct.pop() if len(distinct) == 1 else None

    def commodity_of_company(self, company: str) -> str | None:
        return company_commodities().get(company) or self.given.doc_commodity

    def claim(self, start: int, end: int) -> None:
        self.claimed.update(q.start for q in self._quantities(start, end))

    def _opens_statement(self, offset: int) -> bool:
        i = bisect.bisect_right(self.statement_starts, offset) - 1
        return i >= 0 and not self.text[self.statement_starts[i] : offset].strip(" \t-•·")

    def _commodity(self, company: str, start: int, cue: Cue) -> tuple[str, str | None] | None:
        label = [
            m
            for m in self._mentions(max(start, cue.start - 12), cue.start)
            if m.kind == COMMODITY and m.end <= cue.start and m.value != "-"
        ]
        if label:  # a product's revenue: "钕铁硼磁钢产品收入"
            return label[-1].value, label[-1].form
        main = company_commodities().get(company) or self.given.doc_commodity
        return (main, None) if main else None

    # --- one statement -------------------------------------------------------------------------

    def _statement(self, start: int, end: int, found: Sequence[Cue], company: str) -> list[Fact]:
        text = self.text
        quantities = [q for q in self._quantities(start, end) if q.start not in self.claimed]
        out: list[Fact] = []
        out.extend(self._forecast_lists(start, end, found, company))
        quantities = [q for q in quantities if q.start not in self.claimed]
        period: str | None = None
        anchor = start
        grouped = self._respective_groups(found)
        for i, cue in enumerate(found):
            stop = found[i + 1].start if i + 1 < len(found) else end
            mine = [q for q in quantities if cue.end <= q.start < stop]
            if i in grouped:
                group = grouped[i]
                if group:  # the last measure of "营业收入、归母净利润分别为67.51亿元、2.91亿元"
                    made = self._respective(group, mine, company, start, period)
                    out.extend(made)
                    if made:
                        period = made[0].period
                        anchor = max(q.end for q in mine)
                continue
            if cue.kind not in _RESULT_KINDS:
                # "毛利率16.39%同比提高7.73个百分点", "库存11.58亿元": numbers of other measures, up to the clause's end
                clause_end = _CLAUSE_END.search(text, cue.end, stop)
                until = clause_end.start() if clause_end else stop
                self.claimed.update(
                    q.start for q in mine if q.start < until and q.kind in (QuantityKind.PERCENT, QuantityKind.MONEY)
                )
                owed = self._money_before(quantities, cue, 40)  # "a $150.0 million project loan"
                if owed is not None and not _CLAUSE_END.search(text, owed.end, cue.start):
                    self.claimed.add(owed.start)
                continue
            ahead = self._money_before(quantities, cue, 24)
            if ahead is not None and not _AMOUNT_OF.fullmatch(text, ahead.end, cue.start):
                ahead = None  # only "$53.6 million in revenue", "$12 million of net loss"
            if not mine and ahead is None and cue.kind != "net_loss":
                continue
            level = next((q for q in mine if q.kind is QuantityKind.MONEY), None) or ahead
            value_at = level.start if level else (mine[0].start if mine else stop)
            named = self._period(anchor, value_at) or self._period_after(value_at, mine, stop)
            if named is None and _YEAR_TO_DATE.search(text, anchor, value_at):
                named = _year_to_date(period or self.main_period or self._earlier_period(start))
            period = named or period or self.main_period or self._earlier_period(start)
            if named and self.main_period is None:
                self.main_period = named
            basis = Basis.FORECAST if _FORECAST.search(text, start, cue.start) else Basis.ACTUAL
            commodity = self._commodity(company, anchor, cue)
            if commodity is None:
                continue
            slots = _Slots(company, commodity, _METRIC_OF[cue.kind], period, basis)
            made = self._level(cue, level, stop, slots)
            out.extend(made)
            for q in mine:
                if q.kind is QuantityKind.PERCENT:
                    out.extend(self._change(q, cue, mine, slots))
            if mine:
                anchor = max(q.end for q in mine)
        return out

    def _respective_groups(self, found: Sequence[Cue]) -> dict[int, list[Cue]]:
        """Measures joined into a list ("营业收入、归母净利润", "revenue and net profit"): index → the group at
        its last member, an empty list at the others."""
        groups: dict[int, list[Cue]] = {}
        i = 0
        while i < len(found):
            j = i
            while (
                j + 1 < len(found)
                and found[j].kind in _RESULT_KINDS
                and found[j + 1].kind in _RESULT_KINDS
                and _LIST_JOIN.fullmatch(self.text, found[j].end, found[j + 1].start)
            ):
                j += 1
            if j > i and found[i].kind in _RESULT_KINDS:
                limit = found[j + 1].start if j + 1 < len(found) else found[j].end + 90
                tail = self.text[found[j].end : min(limit, found[j].end + 90)]
                if _RESPECTIVELY.search(tail):
                    for k in range(i, j):
                        groups[k] = []
                    groups[j] = list(found[i : j + 1])
            i = j + 1
        return groups

    def _respective(
        self, group: Sequence[Cue], mine: Sequence[Quantity], company: str, start: int, carried: str | None
    ) -> list[Fact]:
        """One level per measure, in order; the changes that follow in sets of the same length."""
        n = len(group)
        levels = [q for q in mine if q.kind is QuantityKind.MONEY][:n]
        if len(levels) != n:
            return []
        percents = [q for q in mine if q.kind is QuantityKind.PERCENT and not _POINTS_AFTER.match(self.text, q.end)]
        period = self._period(start, levels[0].start) or carried or self.main_period or self._earlier_period(start)
        basis = Basis.FORECAST if _FORECAST.search(self.text, start, group[0].start) else Basis.ACTUAL
        out: list[Fact] = []
        for k, (cue, level) in enumerate(zip(group, levels, strict=True)):
            commodity = self._commodity(company, start, group[0])
            if commodity is None:
                return []
            slots = _Slots(company, commodity, _METRIC_OF[cue.kind], period, basis)
            out.extend(self._level(cue, level, level.end, slots))
            if len(percents) % n == 0:
                for q in percents[k::n]:
                    out.extend(self._change(q, cue, mine, slots))
        return out

    def _money_before(self, quantities: Sequence[Quantity], cue: Cue, reach: int) -> Quantity | None:
        """The unclaimed amount that ends at most `reach` characters before the measure word."""
        near = [
            q
            for q in quantities
            if q.kind is QuantityKind.MONEY and q.end <= cue.start <= q.end + reach and q.start not in self.claimed
        ]
        return near[-1] if near else None

    def _period(self, start: int, end: int) -> str | None:
        """The period named between `start` and the amount: the most specific, then the nearest."""
        named = [p for p in self._periods(start, end) if not p.baseline and not p.target]
        if not named:
            return None
        specific = [p for p in named if not re.fullmatch(r"\d{4}", p.period)]
        return (specific or named)[-1].period

    def _earlier_period(self, start: int) -> str | None:
        """The paragraph's last quarter or half: "MP Materials reported Q3 2025 results. Revenue was …"."""
        block = self.given.block_starts[max(0, bisect.bisect_right(self.given.block_starts, start) - 1)]
        named = [
            p for p in self._periods(block, start) if not p.baseline and not p.target and re.search(r"[QH/]", p.period)
        ]
        return named[-1].period if named else None

    def _period_after(self, value_at: int, mine: Sequence[Quantity], stop: int) -> str | None:
        """A period right after the amount: "net loss of $41.8 million for the third quarter of 2025"."""
        following = [q.start for q in mine if q.start > value_at]
        return self._period(value_at + 1, min([*following, stop, value_at + 60]))

    def _level(self, cue: Cue, level: Quantity | None, stop: int, slots: _Slots) -> list[Fact]:
        value: float
        if level is not None and level.unit in ("CNY", "USD"):
            if cue.kind == "operating_income" and level.unit != "CNY":
                self.claimed.add(level.start)
                return []  # US operating income is a profit, not revenue; translated 营业收入 is in yuan
            value, start, end = level.value, min(level.start, cue.start), max(level.end, cue.end)
            if cue.kind == "net_loss" and value > 0:
                value = -value
            self.claimed.add(level.start)
            unit = level.unit
        else:
            m = _ACCOUNTING_NEGATIVE.search(self.text, cue.end, stop)  # "net loss of $(22.4) million"
            if m is None:
                return []
            scale = {"billion": 1e9, "million": 1e6, "thousand": 1e3}.get((m.group(2) or "").lower(), 1.0)
            value, start, end, unit = -float(m.group(1).replace(",", "")) * scale, m.start(), m.end(), "USD"
            self.claimed.update(q.start for q in self._quantities(start, end))
        return [self._fact(slots, value, unit, min(start, cue.start), end)]

    def _change(self, q: Quantity, cue: Cue, mine: Sequence[Quantity], slots: _Slots) -> list[Fact]:
        text = self.text
        after_end = min([o.start for o in mine if o.start > q.start] + [q.end + 30])
        after = text[q.end : after_end]
        if _POINTS_AFTER.match(after):
            self.claimed.add(q.start)  # 同比提高7.73个百分点: a change in points is not a fact
            return []
        previous = max([o.end for o in mine if o.end <= q.start] + [cue.end])
        before = text[previous : q.start]
        latin = _LATIN_CHANGE_AFTER.match(after)
        if latin:
            unit = "pct_yoy" if latin.group("yoy") else "pct_qoq"
        elif _ZH_QOQ.search(before) or cues.QOQ.search(before) or cues.MOM.search(before):
            unit = "pct_qoq"
        elif cues.YOY.search(before) or q.signed or _MOVED.search(before) or _COMPARED_AFTER.match(after):
            unit = "pct_yoy"  # results compare with the same period a year before unless they say otherwise
        else:
            return []  # "占营收的30%": a share, left to the prose reader
        value = q.value
        if not q.signed and cues.change_direction(before[-40:], after[:16]) < 0:
            value = -value
        self.claimed.add(q.start)
        near = before[-12:]
        mover = _MOVED.search(near) or cues.YOY.search(near) or _ZH_QOQ.search(near)
        start = q.start - len(near) + mover.start() if mover else q.start
        return [self._fact(slots, value, unit, start, q.end)]

    # --- forecast rows -------------------------------------------------------------------------

    def _forecast_lists(self, start: int, end: int, found: Sequence[Cue], company: str) -> list[Fact]:
        """One value per year of the range: "2025-2027年归母净利润分别为7.03/9.36/11.05亿元"."""
        text = self.text
        years = _YEAR_RANGE.search(text, start, end)
        if years is None:
            return []
        first, last = int(years.group(1)), int(years.group(2))
        count = last - first + 1
        if not 2 <= count <= 6:
            return []
        out: list[Fact] = []
        money_metric: str | None = None
        for m in _LIST.finditer(text, start, end):
            values = [v.strip().rstrip("%") for v in re.split(r"[/、]", m.group("values"))]
            percent = m.group("values").endswith("%")
            if len(values) != count or not (percent or m.group("unit")):
                continue
            cue = next((c for c in reversed(found) if c.end <= m.start()), None)
            covered = [q.start for q in self._quantities(m.start(), m.end())]
            if percent:
                if money_metric is None or cue is None:
                    continue
                if not (cues.YOY.search(text, cue.end, m.start()) or _MOVED.search(text, cue.end, m.start())):
                    continue
                metric, unit, scale = money_metric, "pct_yoy", 1.0
            else:
                if cue is None or cue.kind not in _RESULT_KINDS:
                    self.claimed.update(covered)
                    continue
                metric = _METRIC_OF[cue.kind]
                money_metric = metric
                unit = (
                    "USD"
                    if (m.group("cur") or "").endswith("$") or re.search(r"dollar|USD", m.group("unit") or "")
                    else "CNY"
                )
                scale = next((s for p, s in _LIST_SCALE if p.search(m.group("unit") or "")), 1.0)
            commodity = company_commodities().get(company) or self.given.doc_commodity
            if commodity is None:
                continue
            quote_start = cue.start if cue is not None and cue.start >= start else m.start()
            for i, raw in enumerate(values):
                slots = _Slots(company, (commodity, None), metric, str(first + i), Basis.FORECAST)
                out.append(self._fact(slots, float(raw.replace(",", "")) * scale, unit, quote_start, m.end()))
            self.claimed.update(covered)
        return out

    def _fact(self, slots: _Slots, value: float, unit: str, start: int, end: int) -> Fact:
        commodity, form = slots.commodity
        return Fact(
            doc="",
            commodity=commodity,
            metric=slots.metric,
            geo=slots.company,
            period=slots.period,
            value=round(value, 6),
            unit=unit,
            basis=slots.basis,
            quote=self.given.original[start:end],
            start=start,
            end=end,
            form=form,
            rule=f"results.{slots.metric}",
            rule_version=FACT_RULES_VERSION,
        )


@dataclass(frozen=True, slots=True)
class _Slots:
    company: str
    commodity: tuple[str, str | None]
    metric: str
    period: str | None
    basis: Basis
