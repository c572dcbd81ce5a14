"""When a number holds: the period of a fact, and the baseline a change is measured against.

`Timing.period` looks for the period in the number's sentence (skipping periods that belong to
another number or to a baseline such as `from 6,146 t in August`), then falls back on the
paragraph, the heading and the title. `Timing.change_unit` names a change pct_yoy, pct_mom or
pct_qoq from its wording or from how its baseline period relates to its own.
"""

from __future__ import annotations

import re
from datetime import date

from assay.extract import cues
from assay.extract.gazetteer import GEO
from assay.extract.layout import Layout
from assay.extract.periods import PeriodMention
from assay.extract.readings import compare_periods, shift
from assay.extract.slots import Carry, Sentence, is_bound_to_other
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

    def __init__(self, text: str, layout: Layout, published: date | None, title_carry: Carry) -> None:
        self.text = text
        self.layout = layout
        self.published = published
        self.title_carry = title_carry
        self._regions: dict[int, tuple[int, list[tuple[int, int, PeriodMention | None]]]] = {}

    def baseline_period(self, q: Quantity, sentence: Sentence) -> PeriodMention | None:
        """The period a change is measured from: `from 2019`, `compared to 2024`, `than in H1 2013`, `较2018年`."""
        regions = [r for r in self.baseline_regions(sentence) if r[2] is not None]
        for region_start, _, period in regions:  # "5.6% less than in October 2021"
            if region_start >= q.end and region_start - q.end < 60:
                return period
        for _, region_end, period in regions:  # "较2018年增长9.47%": only a movement word between
            gap = self.text[region_end : q.start]
            if region_end <= q.start and len(gap) < 6 and not re.search(r"\band\b|[,，;；、]", gap):
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
            clause = self.layout.clause(m.start())
            period = next((p for p in sentence.periods if p.start >= m.end() and p.end <= clause.end + 30), None)
            if period is None:
                if word in ("from",):
                    continue
                regions.append((m.start(), min(clause.end, m.end() + 40), None))
                continue
            between = text[m.end() : period.start]
            if any(x.kind in (GEO,) and m.end() <= x.start < period.start for x in sentence.mentions):
                continue  # "imports from Myanmar last year": an origin, not a baseline
            if len(between) > 60 or re.search(r"\bto\b|至|到", between):
                continue  # "fell 92pc on the year to 173t in December": December is the new level's
            regions.append((m.start(), period.end, period))
        return regions

    def change_unit(self, q: Quantity, sentence: Sentence, period: str | None, after: str) -> str:
        text = self.text
        window_after = after[:40]
        nxt = [o.start for o in sentence.quantities if o.start >= q.end]
        if nxt:
            window_after = text[q.end : min(nxt[0], q.end + 40)]
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
        for p in sentence.periods:
            if p.start < q.end and p.end > q.start:
                continue
            if p.period == report_day:
                continue  # a dateline ("SHANGHAI, Nov 24 (SMM) -") dates the report, not the number
            if metric in _FLOWS and p.period.count("-") == 2 and "/" not in p.period:
                continue  # "On September 23, customs data showed exports of ...": trade and output are not daily
            p_region = region_of(p.start)
            if p_region is not None and p_region != q_region:
                continue
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
            return self.published.isoformat()
        for ctx in (carry, heading, self.title_carry):
            if ctx.period:
                return ctx.period
        if metric == "price" and self.published:
            return self.published.isoformat()
        return None

    def anchor(self, sentence: Sentence, relative: PeriodMention, carry: Carry) -> str | None:
        others = [p for p in sentence.periods if p is not relative and p.start < relative.start]
        if others:
            return others[-1].period
        return carry.period
