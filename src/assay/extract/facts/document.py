"""One document read once for the fact rules, and the slots every number's fact fills.

`DocumentReader` holds what the rules read from the whole text before any number: the Simplified
copy, the layout, gazetteer mentions, periods and numbers, the title's context and the timing
rules; and fills a number's slots (commodity, place, partner, period, basis, quote) into a Fact.
The rules that decide what a number is are in `number_rules.py`; the reading of a document
sentence by sentence, with its carried context, is in `extractor.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assay.extract import FACT_RULES_VERSION
from assay.extract.facts import changes, cues
from assay.extract.facts.labels import labelled_place
from assay.extract.facts.readings import (
    COMPANY_METRICS,
    carried_geo,
    dominant_commodity,
    example_spans,
    first,
    first_form,
    fold_pinyin_glosses,
    glued_months,
    month_of_last_year,
    parse_published,
    reference_date,
    repair,
    valid_period,
    with_bare_years,
)
from assay.extract.facts.results import subject_company
from assay.extract.facts.slots import (
    LEVEL_METRICS,
    Carry,
    Sentence,
    choose_geo,
    commodity_of,
    governments_as_countries,
    short_partner_names,
)
from assay.extract.facts.timing import Timing, bare_quarters
from assay.extract.numbers.reader import read_quantities
from assay.extract.periods.anaphora import periods_named_before, quarter_reported
from assay.extract.periods.finder import find_periods
from assay.extract.periods.weekdays import weekday_mentions
from assay.extract.text.analysed import AnalysedText
from assay.extract.text.gazetteer import (
    COMMODITY,
    COMPANY,
    GEO,
    METRIC,
    Mention,
    company_commodities,
    find_mentions,
    to_simplified,
)
from assay.extract.text.layout import Layout, Span, analyse
from assay.model import Approx, Basis, Document, Fact, Quantity, QuantityKind
from assay.vocab import units

FACT_UNITS = frozenset(units())
ALL_METRICS = (
    "exports", "imports", "production", "reserves", "consumption", "mining_quota", "smelting_quota", "quota",
    "trading_volume", "capacity", "revenue", "net_profit", "investment", "output_value", "trade_value", "value",
    "price", "shipments",
)  # fmt: skip
_DAY_PRECISE = re.compile(r"\s*\d{4}-\d{2}-\d{2}")  # a page dated to the day can place a weekday
_YEAR_BEFORE = re.compile(r"last|previous|prior|ago|earlier|上年|去年|同期", re.IGNORECASE)


def _title_mentions(title: str, original: str, text: str, analysed: AnalysedText) -> list[Mention]:
    """`find_mentions(title)`: sliced out of the whole text's gazetteer pass when the title is written in
    the text (as its first line, mostly) and that pass is the one the rules read the text with."""
    at = original.find(title) if title and text == original else -1
    if at >= 0 and analysed.sliceable:
        return analysed.span_mentions(at, at + len(title))  # = find_mentions(to_simplified(title)), the same
    return find_mentions(title)


class DocumentReader:
    """One document being read: its layout, mentions, periods, numbers and carried context."""

    def __init__(self, doc: Document, text: str, analysed: AnalysedText) -> None:
        self.doc = doc
        self.original = text
        # rules read a Simplified copy of the same length; quotes come from the original
        self.text = fold_pinyin_glosses(analysed.simplified(text))
        text = self.text
        self.published = parse_published(doc.published)
        self.reference = reference_date(text, self.published, to_simplified(doc.title or ""))
        self.layout: Layout = analyse(text)
        self.mentions = short_partner_names(governments_as_countries(analysed.mentions(text), text), text)
        # a page with no year of its own resolves a month only by a year of the month's own sentence
        own_years = self.reference is None
        found = [p for p in find_periods(text, self.reference, own_sentence_years=own_years) if valid_period(p.period)]
        self.periods = month_of_last_year(text, with_bare_years(text, found + glued_months(text, self.reference)))
        quarters = bare_quarters(text, self.reference, self.periods)
        day = self.published if _DAY_PRECISE.match(doc.published or "") else None
        quarters += weekday_mentions(text, day, [*self.periods, *quarters])
        named = sorted([*self.periods, *quarters], key=lambda p: p.start)
        quarters += periods_named_before(text, named) + quarter_reported(text, day, named)
        if quarters:
            self.periods = sorted([*self.periods, *quarters], key=lambda p: p.start)
        self.quantities = repair(text, read_quantities(text))
        title = doc.title or ""
        title_mentions = _title_mentions(title, self.original, text, analysed)
        self.title_mentions = title_mentions
        title_periods = [p for p in find_periods(title, self.reference) if valid_period(p.period)]
        self.title_carry = Carry(
            commodity=first(title_mentions, COMMODITY),
            form=first_form(title_mentions),
            metric=first(title_mentions, METRIC),
            geo=next((m.value for m in title_mentions if m.kind == GEO and m.value != "WORLD"), None),
            period=next((p.period for p in title_periods if not _YEAR_BEFORE.search(p.text)), None),
        )
        self.doc_commodity = dominant_commodity(self.mentions)
        # a title naming one company and no place: the page is that company's report
        title_companies = {m.value for m in title_mentions if m.kind == COMPANY}
        self._title_company = (
            title_companies.pop() if len(title_companies) == 1 and self.title_carry.geo is None else None
        )
        self.timing = Timing(text, self.layout, self.published, self.title_carry, day_known=day is not None)
        self.absolute_changes: set[int] = set()
        self._weight_below: set[str] = set()  # units a note declared for the rest of the page ("下同")
        self._priced: dict[int, tuple[int, str, float]] = {}  # bare amounts read as prices: start -> (end, unit, value)
        self._carry_from_sentence = False
        self._examples_at: tuple[int, list[tuple[int, int]]] = (-1, [])
        self._usable_at: tuple[int, list[Mention]] = (-1, [])
        self._run_lead: dict[int, Quantity] = {}
        self._run_position: dict[int, tuple[int, int]] = {}
        self._respective: tuple[tuple[str, str | None] | None, str | None] = (None, None)
        self._listed: dict[int, str] = {}  # a value's end -> the period its `respectively` list gives it
        self._lede: Fact | None = None  # the page's first dated fact from prose: what it is about, and when
        self._made: list[changes.Made] = []  # the sentence's numbers read so far, with their facts
        self._runs: Sequence[Sequence[Quantity]] = []  # the sentence's lists paired in order

    def _examples(self, sentence: Sentence) -> list[tuple[int, int]]:
        if self._examples_at[0] != sentence.span.start:
            self._examples_at = (sentence.span.start, example_spans(self.text, sentence.span))
        return self._examples_at[1]

    def _usable(self, sentence: Sentence) -> list[Mention]:
        """The sentence's mentions outside its examples (`such as …`); every number in it asks for them."""
        if self._usable_at[0] != sentence.span.start:
            examples = self._examples(sentence)
            usable = [m for m in sentence.mentions if not any(a <= m.start < b for a, b in examples)]
            self._usable_at = (sentence.span.start, usable)
        return self._usable_at[1]

    def _raw_material_nearer(
        self, q: Quantity, sentence: Sentence, clause: Span, found: tuple[str, str | None] | None
    ) -> bool:
        """A raw material named between the product and the number ("府谷地区白云石到场价稳定在140元/吨"):
        the number is the material's."""
        if cues.RAW_MATERIAL.match(self.text, q.end, min(q.end + 4, clause.end)):
            return True  # "60万吨兰炭生产线": the number measures the material named right after it
        raws = list(cues.RAW_MATERIAL.finditer(self.text, max(sentence.span.start, q.start - 40), q.start))
        if not raws:
            return False
        named = [m for m in sentence.mentions if m.kind == COMMODITY and m.end <= q.start]
        return found is None or not named or named[-1].end <= raws[-1].start()

    def _usable_for(self, sentence: Sentence, q: Quantity) -> list[Mention]:
        """The mentions a number may take its product from: a number inside a relative clause or an example
        ("China, which accounts for over 90% of global rare earth magnet production, …") takes that clause's own."""
        own = next(((a, b) for a, b in self._examples(sentence) if a <= q.start < b), None)
        if own is None:
            return self._usable(sentence)
        inside = [m for m in sentence.mentions if own[0] <= m.start < own[1]]
        return sorted([*self._usable(sentence), *inside], key=lambda m: m.start)

    # --- slots shared by every kind of number -------------------------------------------------

    def _fill(
        self,
        q: Quantity,
        sentence: Sentence,
        clause: Span,
        carry: Carry,
        heading: Carry,
        metric: str,
        unit: str,
        before: str,
        clause_before: str,
    ) -> Fact | None:
        text = self.text
        found = self._respective[0] or commodity_of(self._usable_for(sentence, q), q, clause, text)
        if self._raw_material_nearer(q, sentence, clause, found):
            return None
        if self._respective[1] and not metric.endswith("_share"):
            metric = self._respective[1]
        geo, partner = choose_geo(sentence, q, clause, text, metric, carry)
        label = labelled_place(text, sentence.span.start, q.start, sentence.mentions)
        if label is not None:  # "山西:230,739噸,…。陜西:181,123噸": the item's own label
            geo = label
        if geo is None and not any(m.kind in (GEO, COMPANY) for m in sentence.mentions):
            # "the company's output rose 40%": the company of the title, not the country carried along
            geo = subject_company(text, sentence.span.start, q.start, self.mentions, self.title_mentions)
            if geo is None and carry.geo is None and metric in COMPANY_METRICS:
                geo = self._title_company  # "Lynas quarterly report": "REO production was 4,945 t" is Lynas's
        local_only = metric in ("investment", "output_value", "revenue", "net_profit") and not (geo or "").startswith(
            "company:"
        )
        if found is None and (geo or "") in company_commodities():
            found = (company_commodities()[geo or ""], None)
        if found is None:
            contexts = (carry, heading) if local_only else (carry, heading, self.title_carry)
            for ctx in contexts:
                if ctx.commodity and (ctx.local or not local_only):
                    found = (ctx.commodity, ctx.form)
                    break
        if found is None and self.doc_commodity and not local_only:
            found = (self.doc_commodity, None)
        if found is None or found[0] == "-":
            return None
        commodity, form = found
        if geo is None:
            geo = carried_geo(carry.geo, metric, self.title_carry.geo)
            if geo and ":" in geo and cues.WHOLE_PROVINCE.search(text, sentence.span.start, sentence.span.end):
                geo = geo.split(":", 1)[0]  # "two or three mining groups in the province": not the city named before
        if metric in ("mining_quota", "smelting_quota") and geo == "WORLD":
            # "mine production … equal to that year's mining quota, out of a world total of 240,000 t": a quota
            # is a country's, never the world's; the world total is of the sentence's other measure
            others = [
                m.value for m in sentence.mentions if m.kind == METRIC and m.value in LEVEL_METRICS.get(q.kind, ())
            ]
            measure = next((m for m in others if m not in ("mining_quota", "smelting_quota", "quota")), None)
            if measure is None:
                return None
            metric = measure
        if metric not in ("exports", "imports", "exports_share", "imports_share"):
            partner = None
        period = self.timing.period(q, sentence, carry, heading, metric, self._carry_from_sentence)
        period = self._listed.get(q.end, period)
        lede = self._lede
        if period is None and lede is not None and (lede.metric, lede.commodity) == (metric, commodity):
            # a later paragraph goes on about the flow the page opened with ("其中对德国的出口…达到1118吨")
            # and names no time of its own: the page's lead period
            period = lede.period
        basis = self._basis(q, sentence, clause, metric, before, clause_before)
        if basis is Basis.TARGET:
            # "by 2030" right after the number is its deadline, over a stage ("from 2026 to 2030") named earlier
            deadline = next((p for p in sentence.periods if p.target and 0 <= p.start - q.end <= 30), None)
            if deadline is not None:
                period = deadline.period
            elif period is None:
                target = next((p for p in sentence.periods if p.target), None)
                period = target.period if target else None
        approx = q.approx or cues.approx_of(clause_before, text[q.end : clause.end])
        start, end = self._quote_span(q, sentence, clause)
        value = q.value
        return Fact(
            doc=self.doc.name,
            commodity=commodity,
            metric=metric,
            geo=geo,
            period=period,
            value=value,
            unit=unit,
            basis=basis,
            quote=self.original[start:end],
            start=start,
            end=end,
            partner=partner if partner != geo else None,
            value_high=q.value_high,
            form=form,
            approx=approx if isinstance(approx, Approx) else None,
            rule=f"prose.{metric}",
            rule_version=FACT_RULES_VERSION,
        )

    def _basis(
        self, q: Quantity, sentence: Sentence, clause: Span, metric: str, before: str, clause_before: str
    ) -> Basis:
        if metric in ("mining_quota", "smelting_quota"):
            return Basis.ACTUAL
        prev_end = max((o.end for o in sentence.quantities if o.end <= q.start), default=clause.start)
        local = self.text[max(prev_end, clause.start) : q.start]
        if cues.CURRENT.search(local[-25:]):
            return Basis.ACTUAL
        targets = [p for p in sentence.periods if p.target and 0 <= p.start - q.end < 40]
        basis = cues.basis_of(before, local)
        if basis is Basis.ACTUAL and targets:
            return Basis.TARGET
        return basis

    def _quote_span(self, q: Quantity, sentence: Sentence, clause: Span) -> tuple[int, int]:
        """The shortest span of the clause that holds the number and the cues next to it."""
        start, end = q.start, q.end
        for m in sentence.mentions:
            if clause.start <= m.start and m.end <= q.start and m.kind in (COMMODITY, METRIC, GEO):
                start = min(start, m.start)
                break
        for p in sentence.periods:
            if clause.start <= p.start < clause.end and p.end <= clause.end and p.start >= q.end:
                end = max(end, p.end)
                break
        text = self.text
        if q.kind is QuantityKind.PERCENT and start == q.start:
            lead = max(clause.start, q.start - 24)
            moved = cues.CHANGE_BEFORE.search(text, lead, q.start)
            if moved is not None:  # "down 12%", "同比增长9.47%": the movement word belongs to the number
                start = moved.start()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def _finish_table_fact(self, fact: Fact) -> Fact:
        quote = self.original[fact.start : fact.end]
        return replace(fact, doc=self.doc.name, quote=quote, rule_version=FACT_RULES_VERSION)
