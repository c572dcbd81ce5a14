"""When a number holds: the period of a fact, and the baseline a change is measured against.

`Timing.period` looks for the period in the number's sentence (skipping periods that belong to
another number or to a baseline such as `from 6,146 t in August`), then falls back on the
paragraph, the heading and the title. `Timing.change_unit` names a change pct_yoy, pct_mom or
pct_qoq from its wording or from how its baseline period relates to its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assay.extract.facts import cues
from assay.extract.facts.readings import compare_periods, shift
from assay.extract.facts.slots import Carry, Sentence, is_bound_to_other, near_quantities
from assay.extract.periods.finder import PeriodMention
from assay.extract.text.gazetteer import GEO
from assay.extract.text.layout import Layout
from assay.extract.text.openers import fast_start
from assay.model import Quantity, QuantityKind

_FLOWS = ("exports", "imports", "production", "consumption", "exports_share", "imports_share", "production_share")


def _named_baseline(window: str) -> str | None:
    if cues.QOQ.search(window):
        return "pct_qoq"
    if cues.MOM.search(window):
        return "pct_mom"
    if cues.YOY.search(window):
        return "pct_yoy"
    return None


class Timing:
    """Period and baseline rules over one document's text and layout."""

    def __init__(
        self, text: str, layout: Layout, published: date | None, title_carry: Carry, *, day_known: bool = True
    ) -> None:
        self.text = text
        self.layout = layout
        self.published = published
        # a page dated to the month ("2008-12") dates a price "now" by that month, not by a day it never gave
        self.page_day = (published.isoformat() if day_known else published.isoformat()[:7]) if published else None
        self.title_carry = title_carry
        self._regions: dict[int, tuple[int, list[tuple[int, int, PeriodMention | None]]]] = {}
        self._no_number: dict[tuple[int, int, int], bool] = {}  # (period span, sentence start): no number holds in it

    def baseline_period(self, q: Quantity, sentence: Sentence) -> PeriodMention | None:
        """The period a change is measured from: `from 2019`, `compared to 2024`, `than in H1 2013`, `较2018年`."""
        regions = [r for r in self.baseline_regions(sentence) if r[2] is not None]
        for region_start, _, period in regions:  # "5.6% less than in October 2021"
            if region_start >= q.end and region_start - q.end < 60:
                if _CLAUSE_SEPARATOR.search(self.text, q.end, region_start) and any(
                    o.start >= region_start and o.kind is QuantityKind.PERCENT for o in sentence.quantities
                ):
                    continue  # "较6月增长6.1%，较去年同期下降7.6%": the next clause's baseline is its own change's
                return period
        for _, region_end, period in regions:  # "较2018年增长9.47%": only a movement word between
            gap = self.text[region_end : q.start]
            if region_end <= q.start and len(gap) < 6 and not re.search(r"\band\b|[,，;；、]", gap):
                return period
            if region_end <= q.start and _with_own_level(self.text, region_end, q, sentence.quantities):
                return period
        return None

    def baseline_regions(self, sentence: Sentence) -> list[tuple[int, int, PeriodMention | None]]:
        """Spans that name what a change is measured from (`from 2019`, `compared to 2024`, `较2018年`)."""
        cached = self._regions.get(sentence.span.start)
        if cached is None or cached[0] != sentence.span.end:
            cached = (sentence.span.end, self._baseline_regions(sentence))
            self._regions[sentence.span.start] = cached
        return cached[1]

    def _baseline_regions(self, sentence: Sentence) -> list[tuple[int, int, PeriodMention | None]]:
        text = self.text
        regions: list[tuple[int, int, PeriodMention | None]] = []
        s = sentence.span
        for m in cues.BASELINE_WORD.finditer(text, s.start, s.end):
            word = m.group().lower()
            nxt = text[m.end() : m.end() + 3].lstrip()
            if word in ("than", "over", "above", "below") and nxt[:1].isdigit():
                continue  # "more than 300,000 t", "over 80%": an approximation
            if word in ("over", "during", "in") and not _quantity_in_clause_before(sentence, m.start(), text):
                continue  # "Over the first nine months China sold …", "…, exports over January-November fell 7%"
            clause = self.layout.clause(m.start())
            period = next((p for p in sentence.periods if p.start >= m.end() and p.end <= clause.end + 30), None)
            if period is None:
                if word in ("from",):
                    continue
                regions.append((m.start(), min(clause.end, m.end() + 40), None))
                continue
            between = text[m.end() : period.start]
            if word.isascii() and any(
                x.kind in (GEO,) and m.end() <= x.start < period.start for x in sentence.mentions
            ):
                continue  # "imports from Myanmar last year": an origin, not a baseline (较国内同期 stays one)
            if len(between) > 60 or re.search(r"\bto\b|至|到", between):
                continue  # "fell 92pc on the year to 173t in December": December is the new level's
            if (
                word == "from"
                and _CLAUSE_SEPARATOR.search(between)
                and not any(m.end() <= o.start < period.start for o in sentence.quantities)
            ):
                continue  # "statistics from the Ministry, as of the end of 2009, …": the next clause's own time
            regions.append((m.start(), period.end, period))
        return regions

    def change_unit(self, q: Quantity, sentence: Sentence, period: str | None, after: str) -> str:
        text = self.text
        window_after = after[:40]
        nxt = [o.start for o in sentence.quantities if o.start >= q.end]
        if nxt:
            window_after = text[q.end : min(nxt[0], q.end + 40)]
            # "较6月增75.5%，并较去年同期增加4.8%": a cue in the next clause, which has its own number, is that number's
            window_after = _CLAUSE_SEPARATOR.split(window_after, maxsplit=1)[0]
        prev_q = max((o.end for o in sentence.quantities if o.end <= q.start), default=sentence.span.start)
        window_before = text[max(prev_q, q.start - 40) : q.start]
        # the cue next to the number first: "环比增长6.8%,同比增长0.6%", "up 23.4% MoM and down 5.6% YoY"
        for window in (window_before[-8:], window_after[:14], window_after):
            found = _named_baseline(window)
            if found:
                return found
        baseline = self.baseline_period(q, sentence)
        if baseline is not None and period:
            unit = compare_periods(period, baseline.period)
            if unit:
                return unit
        found = _named_baseline(window_before)
        if found:
            return found
        whole = text[sentence.span.start : sentence.span.end]
        if cues.MOM.search(whole) and not cues.YOY.search(whole):
            return "pct_mom"
        if cues.YOY.search(whole) and not cues.MOM.search(whole):
            return "pct_yoy"
        return "pct_change"

    def period(
        self, q: Quantity, sentence: Sentence, carry: Carry, heading: Carry, metric: str, same_sentence: bool = False
    ) -> str | None:
        """The period of a number: its clause, its sentence, then carried context, heading, title."""
        text = self.text
        regions = self.baseline_regions(sentence)

        def region_of(pos: int) -> int | None:
            for i, (s, e, _) in enumerate(regions):
                if s <= pos < e:
                    return i
            return None

        q_region = region_of(q.start)
        report_day = self.published.isoformat() if self.published and metric != "price" else None
        ranked: list[tuple[int, int, int, PeriodMention]] = []
        now = self._current(q, sentence, metric)
        if now is not None:
            return now
        described = (
            self._described_period(q, sentence)
            or self._own_period(q, sentence, carry)
            or self._same_period_after(q, sentence, carry)
        )
        if described is not None:
            return described
        for p in sentence.periods:
            if p.start < q.end and p.end > q.start:
                continue
            if self._holds_no_number(p, sentence.span.start):
                continue
            if p.period == report_day:
                continue  # a dateline ("SHANGHAI, Nov 24 (SMM) -") dates the report, not the number
            if metric in _FLOWS and p.period.count("-") == 2 and "/" not in p.period:
                continue  # "On September 23, customs data showed exports of ...": trade and output are not daily
            p_region = region_of(p.start)
            if p_region is not None and p_region != q_region:
                continue
            if (
                p.start >= q.end
                and _CLAUSE_GAP.fullmatch(text, q.end, p.start)
                and any(o.start >= p.end and not _CLAUSE_END.search(text, p.end, o.start) for o in sentence.quantities)
            ):
                continue  # "45万元/吨，上周为44万元/吨": a period opening the next clause dates its number
            bound = is_bound_to_other(p, q, sentence.quantities, text)
            tight = p.start >= q.end and p.start - q.end <= 4
            if getattr(p, "baseline", False) and p_region is None and not tight:
                continue
            lo, hi = (p.end, q.start) if p.end <= q.start else (q.end, p.start)
            crosses = any(lo <= o.start and o.end <= hi for o in sentence.quantities if o is not q)
            after = 1 if p.start >= q.end else 0
            rank = 1 if crosses else 0
            if bound:  # "to 95,000 t in March": a change may share the period of its level, a level may not
                rank = 1 if q.kind is QuantityKind.PERCENT else 2
            ranked.append((rank, after if crosses else 0, abs(hi - lo), p))
        ranked.sort(key=lambda r: r[:3])
        chosen = ranked[0][3] if ranked and ranked[0][0] < 2 else None
        if chosen is not None and ranked[0][0] == 1 and q.kind is QuantityKind.PERCENT and carry.local:
            same_sentence = carry.period is not None and same_sentence
            if same_sentence:
                return carry.period  # "22,966 mt in October, up 23.4% MoM": the change shares its level's period
        if (
            chosen is not None
            and chosen.relative
            and re.search(r"year (?:ago|earlier)|year-ago|previous year|prior year", chosen.text, re.IGNORECASE)
        ):
            anchor = self.anchor(sentence, chosen, carry)
            if anchor:
                return shift(anchor, -1)
        if chosen is not None:
            return chosen.period
        if self.published and re.search(
            r"\b(?:current(?:ly)?|now|at present)\b|目前|当前", text[sentence.span.start : q.start]
        ):
            return self.page_day if metric == "price" else str(self.published.year)
        if metric in ("reserves", "reserves_share"):
            return None  # a stock the sentence does not date: another sentence's year is not its period
        lead = text[sentence.span.start : q.start]
        if _ALWAYS.search(lead) or (metric.endswith("_share") and _STANDING_SHARE.search(lead)):
            return None  # "China represents about 80% of world supply", "出口量一直在40万吨左右": true for years
        for ctx in (carry, heading, self.title_carry):
            if ctx.period:
                return ctx.period
        if metric == "price" and self.published:
            return self.page_day
        return None

    def _holds_no_number(self, p: PeriodMention, sentence_start: int) -> bool:
        """A period its own words say no number holds in; read once per period, not once per number."""
        key = (p.start, p.end, sentence_start)
        found = self._no_number.get(key)
        if found is None:
            text = self.text
            found = self._no_number[key] = bool(
                # "the quotas for 2024, released in August, were …": the date of the release
                _RELEASE_BEFORE.search(text, max(sentence_start, p.start - 30), p.start)
                or _RELEASE_AFTER.match(text, p.end)
                # "采矿权有效期至2024年6月，年产能302万吨": when a licence lapses, not when the number holds
                or _VALID_UNTIL.search(text, max(sentence_start, p.start - 24), p.start)
                # "their lowest since late May", "自5月以来": where a run began, not when the number holds
                or cues.SINCE_BEFORE.search(text, max(sentence_start, p.start - 20), p.start)
                or _SINCE_AFTER.match(text, p.end)
            )
        return found

    def _described_period(self, q: Quantity, sentence: Sentence) -> str | None:
        """`… than in August, when exports had reached 6,146 tonnes`: a number inside a clause that describes a
        period (`, when`, `，当时`) holds in that period, with no other period or number between them."""
        for p in reversed(sentence.periods):
            if p.end > q.start:
                continue
            lead = cues.WHEN_CLAUSE.match(self.text, p.end)
            if lead is None or lead.end() > q.start:
                return None
            between = self.text[lead.end() : q.start]
            if _CLAUSE_END.search(between) or any(
                p.end <= o.start < q.start and o.kind is not QuantityKind.NUMBER for o in sentence.quantities
            ):
                return None
            return p.period
        return None

    def _own_period(self, q: Quantity, sentence: Sentence, carry: Carry) -> str | None:
        """`较9月的5774吨`, `2024年同期的4725吨`: a period joined to the number by 的 is that number's own;
        `同期` after a year is the same months as the sentence's own period, in that year."""
        for p in sentence.periods:
            if p.end > q.start or q.start - p.end > 6:
                continue
            glue = cues.OWN_PERIOD_GLUE.fullmatch(self.text, p.end, q.start)
            if glue is None:
                continue
            if not glue.group("same") and not p.text.endswith("同期"):
                return p.period
            return _in_year(p.period, self._months_of(sentence, p, carry))
        return None

    def _same_period_after(self, q: Quantity, sentence: Sentence, carry: Carry) -> str | None:
        """`9,800 tonnes in the same period of 2023`, `7,240 t during the corresponding period last year`: the
        months of the sentence's own period (or the carried one), in the year named after the number."""
        lead = cues.SAME_PERIOD_AFTER.match(self.text, q.end, sentence.span.end)
        if lead is None:
            return None
        for p in sentence.periods:
            if p.start <= lead.end() < p.end:
                return _in_year(p.period, self._months_of(sentence, p, carry)) or p.period
        return None

    @staticmethod
    def _months_of(sentence: Sentence, beside: PeriodMention, carry: Carry) -> str | None:
        """The sentence's own period of months (`2024-01/2024-09`, `2024-10`), else the carried one."""
        own = (o.period for o in sentence.periods if o is not beside and not o.baseline and _MONTHS.fullmatch(o.period))
        return next(own, carry.period)

    def _current(self, q: Quantity, sentence: Sentence, metric: str) -> str | None:
        """ "from 45,000 tonnes a year today to …", "由目前的4.5万吨/年": the level now, in the year of publication."""
        if self.published is None:
            return None
        near = near_quantities(sentence, q, 40)
        lo = max([sentence.span.start, q.start - 24, *(o.end for o in near if o.end <= q.start)])
        hi = min([sentence.span.end, q.end + 16, *(o.start for o in near if o.start >= q.end)])
        before, after = self.text[lo : q.start], self.text[q.end : hi]
        if _NOW_BEFORE.search(before) or _NOW_AFTER.match(after):
            return self.page_day if metric == "price" else str(self.published.year)
        return None

    def anchor(self, sentence: Sentence, relative: PeriodMention, carry: Carry) -> str | None:
        others = [p for p in sentence.periods if p is not relative and p.start < relative.start]
        if others:
            return others[-1].period
        return carry.period


_OWN_LEVEL_LEAD = re.compile(r"\s*(?:的|[(（])\s*")
_OWN_LEVEL_TAIL = re.compile(r"\s*[)）]?\s*[^\d,，;；、]{0,5}")


def _with_own_level(text: str, region_end: int, q: Quantity, quantities: Sequence[Quantity]) -> bool:
    """ "较9月的5,300吨减少5.7%", "较8月（5,800吨）锐减31%": the baseline's own level stands between it and
    the change."""
    levels = [o for o in quantities if region_end <= o.start and o.end <= q.start]
    if len(levels) != 1 or levels[0].kind is QuantityKind.PERCENT:
        return False
    level = levels[0]
    return bool(
        _OWN_LEVEL_LEAD.fullmatch(text, region_end, level.start) and _OWN_LEVEL_TAIL.fullmatch(text, level.end, q.start)
    )


_RELEASE_BEFORE = re.compile(
    r"\b(?:released|announced|published|issued|unveiled|reported|made public|set|approved)\s+(?:on|in|at)\s+"
    r"(?:early|late|mid-?)?\s*$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;。；!?！？]")
_VALID_UNTIL = re.compile(
    r"(?:有效期|有效期限|期限)(?:至|到|为|為)?\s*\Z|\b(?:valid|expires?|expiring|runs)(?:\s+(?:until|till|through|in|on))?\s*\Z",
    re.I,
)
_CLAUSE_SEPARATOR = re.compile(r"[,，;；]")


def _quantity_in_clause_before(sentence: Sentence, at: int, text: str) -> bool:
    """A number before `at` with no clause break between: "up 5% over 2023" compares, "…, exports over 2023" spans."""
    last = max((o.end for o in sentence.quantities if o.end <= at), default=None)
    return last is not None and not _CLAUSE_SEPARATOR.search(text, last, at)


_CLAUSE_GAP = re.compile(r"\s*[,，;；]\s*")
_RELEASE_AFTER = re.compile(r"\s*(?:下达|发布|公布|印发|出台)")
# a level that has held for years, or a share stated in the present tense, takes no carried period
_ALWAYS = re.compile(r"一直|长期|長期|常年|历来|歷來|\b(?:has|have)\s+(?:long|always)\s+been\b", re.I)
_STANDING_SHARE = re.compile(
    r"\b(?:represents|accounts\s+for|plays|holds|controls|dominates|makes\s+up|supplies|produces|is\s+responsible)\b"
)
_SINCE_AFTER = re.compile(r"\s*(?:以来|以來)")  # "达到2014年以来最高水平": where a run began
_NOW_BEFORE = re.compile(r"(?:目前|现有|当前|现阶段)的?\s*$|\bcurrent(?:ly)?\s+(?:of\s+)?$", re.IGNORECASE)
_NOW_AFTER = re.compile(r"^\s*(?:a year\s+|per year\s+|/yr\s+)?(?:today|now|at present|currently)\b", re.I)
_SPAN = re.compile(r"((?:19|20)\d\d)-(\d\d)/((?:19|20)\d\d)-(\d\d)")
_NAMED_SPANS = {("01", "03"): "Q1", ("04", "06"): "Q2", ("07", "09"): "Q3", ("10", "12"): "Q4",
                ("01", "06"): "H1", ("07", "12"): "H2"}  # fmt: skip


_MONTHS = re.compile(r"\d{4}-(?:\d{2}|Q[1-4]|H[12])(?:/\d{4}-\d{2})?")


def _in_year(year: str, months: str | None) -> str | None:
    """The same months in another year: `2023` with `2024-01/2024-09` is `2023-01/2023-09`."""
    if not re.fullmatch(r"\d{4}", year) or months is None or not _MONTHS.fullmatch(months):
        return None
    return shift(months, int(year) - int(months[:4]))


def canonical_period(period: str | None) -> str | None:
    """An interval of months that is a quarter, a half or a whole year is written as one
    ("the first six months of 2014" → 2014-H1, "January–December 2024" → 2024); others stay intervals."""
    if period is None:
        return None
    found = _SPAN.fullmatch(period)
    if found is None or found.group(1) != found.group(3):
        return period
    year, first, last = found.group(1), found.group(2), found.group(4)
    if (first, last) == ("01", "12"):
        return year
    named = _NAMED_SPANS.get((first, last))
    return f"{year}-{named}" if named else period


_BARE_QUARTER = fast_start(re.compile(r"(?:((?:19|20)\d\d)\s*年\s*)?第\s*([一二三四1-4])\s*季(?!度)"))
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def bare_quarters(text: str, reference: date | None, found: Sequence[PeriodMention]) -> list[PeriodMention]:
    """Quarters written without 度, as Taiwan and Hong Kong filings do ("第三季財報", "2025年第三季"),
    that the period reader has not taken; a quarter without a year is in the year of the reference date."""
    out: list[PeriodMention] = []
    if "第" not in text:  # every bare quarter holds it; the scan would stop at every 1 and 2 of the text
        return out
    taken = [(p.start, p.end) for p in found]
    for m in _BARE_QUARTER.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        year = m.group(1) or (str(reference.year) if reference else None)
        if year is None:
            continue
        quarter = _QUARTER_NUMBER[m.group(2)]
        out.append(PeriodMention(m.start(), m.end(), m.group(), f"{year}-Q{quarter}", m.group(1) is None, False))
    return out


_QUARTER_SPAN = re.compile(
    r"第?\s*([一二三四1-4])\s*(?:至|到|-|–|—|~)\s*第?\s*([一二三四1-4])\s*季度?"
    r"|\bQ([1-4])\s*(?:-|–|—|to|through)\s*Q([1-4])\b"
    r"|\b(?:the\s+)?(first|second|third)(?:\s*,\s*(?:second|third))*(?:\s*,?\s*and\s+(?:the\s+)?(second|third|fourth))"
    r"\s+quarters\b",
    re.IGNORECASE,
)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def listed_periods(text: str, sentence: Sentence, start: int, year: int | None) -> list[str]:
    """The periods a `respectively`/分别 sentence lists before its values, in order: "第一至四季度营业收入分别为…",
    "in the first, second and third quarters … respectively", "1月、2月、3月出口量分别为…"."""
    spans = list(_QUARTER_SPAN.finditer(text, sentence.span.start, start))  # written before the values,
    spans = spans or list(_QUARTER_SPAN.finditer(text, start, sentence.span.end))  # or after them (English)
    span = spans[-1] if spans else None
    if span is not None:
        years = [p for p in sentence.periods if re.fullmatch(r"\d{4}", p.period) and not p.baseline]
        named = [p for p in years if p.end <= span.start()] or [p for p in years if p.start >= span.end()][:1]
        year = int(named[-1].period) if named else year
        if year is None:
            return []
        a, b = span.group(1) or span.group(3) or span.group(5), span.group(2) or span.group(4) or span.group(6)
        first, last = (_QUARTER_WORDS.get(x.lower()) or _QUARTER_NUMBER[x] for x in (a, b))
        return [f"{year:04d}-Q{n}" for n in range(first, last + 1)] if first < last else []
    before = [p for p in sentence.periods if p.end <= start and not p.baseline]
    run: list[PeriodMention] = []
    for p in reversed(before):  # the last list of periods joined by 、, "and" or commas
        if run and not re.fullmatch(r"\s*(?:[,，、/]|and|及|和|与|與)?\s*(?:and\s+)?", text[p.end : run[0].start]):
            break
        run.insert(0, p)
    return [p.period for p in run] if len(run) > 1 else []
