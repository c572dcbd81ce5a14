"""extract_facts: every number of a document that measures a metric of a commodity becomes a Fact.

The pipeline for one document, each step linear in the text:
1. read numbers (`numbers.read_quantities`), periods (`periods.find_periods`) and gazetteer
   mentions (`gazetteer.find_mentions`) once over the whole clean text;
2. cut the text into blocks, sentences and clauses (`layout.analyse`), and read tables apart
   (`tables.table_facts`);
3. for each number in prose, decide what it is (a level, a percent change, a share, or not a
   fact at all: `number_rules.py`) and fill its slots (`document.py`, `slots`), carrying context
   through the paragraph (this module);
4. drop a number stated twice.

Steps 1 and 2 and the slots are `document.DocumentReader`, the rules for one number
`number_rules.NumberRules`; `_Reader` here reads the document sentence by sentence.

Classes of wording handled (each has sentences in tests/extract/test_facts_*.py, written for them):
- levels: "exports stood at 22,966 mt in October", "totalled", "reached", "amounted to", "镁锭出口量累计24.3万吨",
  "Neodymium oxide 450,000-455,000 yuan/t" (a label, then the number), "(Rmb) 5,000/tonne";
- percent changes: "up 23.4% MoM", "down 5.6% YoY", "a 7.5% decrease compared to 2024", "27.9% higher than
  in H1 2013", "fell 74% from a year earlier to", "同比增长13.45%", "环比下降", "较2018年增长9.47%", "较去年同期减少",
  "按年增長" (HK), "(+50.76% YoY)"; the cue next to the number wins ("环比增长6.8%,同比增长0.6%"); a baseline
  named by a period gives pct_yoy (the year before) or pct_mom/pct_qoq (the month/quarter before), else pct_change;
  the rest of the changes' classes (implied baselines, the measure a change belongs to, baseline levels, "from 25%
  to 60%", "to zero", weekly price moves, pricing-formula steps) are in `changes.py`;
- shares and approval rates ("25% of applications approved"): "accounting for 91.6% of the global total",
  "85% of China's total reserves", "占全球产量的70%", "占出口总量的96%", "market share of over 87%",
  "陕西地区产量占比约60%", a destination's share of exports;
- not facts: absolute changes ("rose 30,000 yuan/t", "下调5万元/吨至…", "increases of 900 mt and 450 mt
  respectively"), comparisons without a time baseline ("20% lower than other countries"), ratios of
  two different measures ("exports equal to 30% of output", "出口量占国内产量的三成"), purity and grades
  ("99.9%min", "94-97% C", "N52"), years, counts, HS codes, zero values, percentage points;
- context: a paragraph's commodity, metric, subject place and period carry to later sentences; a heading,
  a headline label ("September Volume: 5,774 tons") and the title give the rest; lists of products
  ("镁锭、镁合金、镁粉") give their common parent; examples in parentheses ("(e.g., samarium)") do not count;
- places: countries and adjectives ("Chinese"), provinces and cities ("海城地区", "Fugu"), companies by name
  or ticker ("Zhenghai Magnetic Materials (300224.SZ)" → company:zhenghai-magnetic-materials, whose main
  commodity fills a missing one); datelines ("SHANGHAI, Nov 24") and superlatives ("world's largest") are not
  places of the number;
- trade partners: "exports to the Netherlands", "imports from Myanmar", "对日本出口", "Turkey 3,196 mt",
  "US: Shipments fell"; a list of destinations ("to the US, Holland and Japan") names no single partner;
- periods: the nearest in the clause, skipping periods that belong to another number ("6,146 tons in August")
  or to a baseline ("from $730 in July last year"); "a year earlier" counts from the sentence's own year;
  datelines and daily dates are not periods of trade or output; prices "currently" quoted take the
  publication date, other undated prices too;
- basis: will/expected/预计 → forecast, plans/target/by 2025/规划/目标 → target, estimated → estimate,
  current/目前 → actual; a quota that has been set is actual;
- fractions in words: "three quarters of the world's", "a fifth", "超过全国的一半" are shares or changes in %;
- lists: "镁锭、镁合金出口量分别为30万吨、12万吨", "were 300,000 t and 120,000 t respectively" pair products (or
  the measures stated before, "…分别较2022年增长21.4%和18.8%") with values in order;
- wholes: "77% of world output" (the world is the whole, not the subject), "40% of the total" after a world
  figure, "约占全国的85%、全球的22%" (the whole written before each number), "占全省的86%"; "world output of
  940,000 tonnes" is the world's level; "in the province"/"the region" lifts a carried city to its province;
- more periods: release dates ("released in August") are skipped; "today"/目前 is the publication year; "by
  2030" after a target wins over its stage; "to 38,000 t from 12,000 t" dates the start a year earlier;
  undated reserves take no carried year; "Over the first nine months" opens a period, not a baseline;
  第三季 without 度; month intervals that are a quarter, half or year are written so (2014-H1);
- tables: "a | b | c" rows (markdown too, blank lines between rows), one cell per line, and columns aligned
  with spaces (PDF); years, dates, units (元/吨, 万美元, thousand tonnes, US$ per kilogram), measures
  ("Mining quota"), low/high and change columns read from the header, the row label and the caption;
  rows named after countries are places (or trade partners); "Share of total" columns are shares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assay.extract.facts import changes
from assay.extract.facts.document import ALL_METRICS
from assay.extract.facts.number_rules import NumberRules
from assay.extract.facts.readings import (
    base_metric,
    dedupe,
    home_like,
    trade,
)
from assay.extract.facts.results import ResultsInput, ResultsReader
from assay.extract.facts.results_tables import results_table_facts
from assay.extract.facts.slots import (
    Carry,
    Sentence,
    common_parent,
    may_pair_lists,
    percent_runs,
    respective_commodities,
    respective_runs,
)
from assay.extract.facts.tables import TableReader
from assay.extract.facts.timing import canonical_period, listed_periods
from assay.extract.periods.finder import PeriodMention
from assay.extract.text.analysed import AnalysedText
from assay.extract.text.gazetteer import (
    COMMODITY,
    COMPANY,
    GEO,
    METRIC,
    Mention,
)
from assay.model import Document, Fact, Quantity, QuantityKind

_LIST_JOIN = re.compile(r"\s*(?:,|、|/|and|or|和|及|与)\s*")


def extract_facts(doc: Document, analysed: AnalysedText | None = None) -> list[Fact]:
    """The facts a document states, each with its verbatim quote and span in `doc.clean_text`.
    `analysed` is the clean text already read for the event rules (`extract_all`), if it is."""
    text = doc.clean_text or ""
    if not text.strip():
        return []
    if analysed is None or analysed.text != text:
        analysed = AnalysedText(text)
    return _Reader(doc, text, analysed).run()


_QUOTA_PAIR = re.compile(
    r"(?:开采|采矿|\bmining)\s*(?:、|和|与|及|,|\band\b)\s*(?:冶炼分离|冶炼|smelting(?:\s+and\s+separation)?|separation)"
    r"[^。.;\d]{0,16}?(?:指标|配额|quotas)",
    re.I,
)

# Units of things assay does not count: energy, vehicles, pieces


class _Reader(NumberRules):
    """One document read sentence by sentence, its context carried from one to the next."""

    def run(self) -> list[Fact]:
        tables = TableReader(self.text, self.mentions, self.quantities, self.reference, self.title_carry.geo or "CN")
        facts: list[Fact] = []
        for table_fact in tables.facts():
            facts.append(self._finish_table_fact(table_fact))
        in_tables = tables.covered
        results = ResultsReader(
            ResultsInput(
                self.text,
                self.original,
                self.mentions,
                [q for q in self.quantities if not any(s <= q.start < e for s, e in in_tables)],
                self.periods,
                self.title_mentions,
                [b.start for b in self.layout.blocks],
                self.doc_commodity,
            )
        )
        facts.extend(self._finish_table_fact(f) for f in results.facts())
        taken = [(f.start, f.end) for f in facts]
        for f in results_table_facts(
            self.text, self.reference, results.company_near, results.commodity_of_company, taken
        ):
            results.claim(f.start, f.end)
            facts.append(self._finish_table_fact(f))
        claimed = results.claimed
        sentences = self._sentences()
        may_pair = may_pair_lists(self.text)
        carry_by_block: dict[int, Carry] = {}
        heading_carry: Carry = Carry()
        running = Carry()
        last_block = -1
        for sentence in sentences:
            block = self.layout.block_at(sentence.span.start)
            if block != last_block:
                info = self.layout.blocks[block]
                if info.heading:
                    heading_carry = self._carry_of(sentence, heading_carry)
                last_block = block
            carry = carry_by_block.get(block) or self._opening_carry(running)
            made_here = False
            runs = respective_runs(sentence, self.text) if may_pair else []
            self._list_periods(sentence, runs)
            percents = percent_runs(sentence, self.text)
            paired = {o.start for run in runs for o in run}
            for run in percents:  # "A and B fell 12% and 25%": in order, as 分别 would
                if run[0].start not in paired and respective_commodities(sentence, run, self.text) is not None:
                    runs.append(run)
            self._run_lead = {o.start: run[0] for run in runs for o in run[1:]}
            for run in percents:  # "slipped by 14.6% and 31.6%": one cue for the list
                self._run_lead.update({o.start: run[0] for o in run[1:] if o.start not in self._run_lead})
            self._run_position = {o.start: (r, i) for r, run in enumerate(runs) for i, o in enumerate(run)}
            self._runs = runs
            in_sentence: list[Fact] = []
            self._made = []
            for q in sentence.quantities:
                self._carry_from_sentence = made_here
                self._respective = self._respective_slots(q, sentence, runs, in_sentence)
                if q.start in claimed or any(s <= q.start < e for s, e in in_tables):
                    continue
                made = self._facts_for(q, sentence, carry, heading_carry, facts)
                for fact in made:
                    # the sentence's first fact is its main statement; later ones may be baselines
                    period = carry.period if made_here and carry.local else fact.period
                    carry = Carry(
                        commodity=fact.commodity,
                        form=fact.form,
                        metric=base_metric(fact.metric),
                        geo=fact.geo,
                        partner=fact.partner,
                        period=period,
                        local=True,
                    )
                facts.extend(made)
                in_sentence.extend(made)
                self._made.extend(changes.Made(q, f) for f in made)
                if made:
                    zero = self._zero_level(sentence, carry, heading_carry)
                    if zero is not None:
                        facts.append(zero)
                        in_sentence.append(zero)
                if self._lede is None:
                    self._lede = next((f for f in made if f.period and not f.unit.startswith("pct")), None)
                made_here = made_here or bool(made)
            carry = self._carry_of(sentence, carry, made_here)
            carry_by_block[block] = carry
            running = carry
        if self._listed:  # company results read before the lists were: each value takes its listed period
            facts = [
                replace(f, period=self._listed[f.end]) if f.end in self._listed and f.unit[:3] != "pct" else f
                for f in facts
            ]
        # most periods are canonical already: copy a fact only when its period changes
        return dedupe([f if (p := canonical_period(f.period)) == f.period else replace(f, period=p) for f in facts])

    def _respective_slots(
        self, q: Quantity, sentence: Sentence, runs: Sequence[Sequence[Quantity]], earlier: Sequence[Fact]
    ) -> tuple[tuple[str, str | None] | None, str | None]:
        """(commodity, metric) that a `respectively`/分别 list gives this number, by its place in the list."""
        at = self._run_position.get(q.start)
        if at is None:
            return None, None
        run, index = runs[at[0]], at[1]
        items = respective_commodities(sentence, run, self.text) if index < len(run) else None
        if items is not None:
            return (items[index].value, items[index].form), None
        quota_pair = _QUOTA_PAIR.search(self.text, sentence.span.start, run[0].start)
        if len(run) == 2 and q.kind is QuantityKind.MASS and quota_pair:
            return None, ("mining_quota", "smelting_quota")[index]  # "开采、冶炼分离总量控制指标分别为12万吨、11.5万吨"
        if q.kind is QuantityKind.PERCENT:  # "指标为25.5万吨，…为24万吨，分别较2022年增长21.4%和18.8%"
            levels = [f.metric for f in earlier if f.unit not in ("%", "pct_yoy", "pct_mom", "pct_qoq", "pct_change")]
            metrics = list(dict.fromkeys(levels))
            if len(metrics) == len(run):
                return None, metrics[index]
        return None, None

    def _list_periods(self, sentence: Sentence, runs: Sequence[Sequence[Quantity]]) -> None:
        """The period a `respectively` list gives each value by its place ("第一至四季度营业收入分别为A、B、C、D"),
        kept by the value's end: company results read apart take it too."""
        year = self.reference.year if self.reference else None
        for run in runs:
            listed = listed_periods(self.text, sentence, run[0].start, year) if len(run) > 1 else []
            if len(listed) == len(run):
                self._listed.update({q.end: period for q, period in zip(run, listed, strict=True)})

    def _opening_carry(self, previous: Carry) -> Carry:
        """A new paragraph keeps the document's running commodity and place, not its metric or period."""
        return Carry(commodity=previous.commodity, form=previous.form, geo=previous.geo, local=False)

    def _sentences(self) -> list[Sentence]:
        spans = self.layout.sentences
        buckets_m: list[list[Mention]] = [[] for _ in spans]
        buckets_p: list[list[PeriodMention]] = [[] for _ in spans]
        buckets_q: list[list[Quantity]] = [[] for _ in spans]
        for m in self.mentions:
            buckets_m[self.layout.sentence_at(m.start)].append(m)
        for p in self.periods:
            buckets_p[self.layout.sentence_at(p.start)].append(p)
        for q in self.quantities:
            buckets_q[self.layout.sentence_at(q.start)].append(q)
        return [
            Sentence(span, buckets_m[i], buckets_p[i], buckets_q[i])
            for i, span in enumerate(spans)
            if buckets_m[i] or buckets_q[i] or buckets_p[i]
        ]

    def _carry_of(self, sentence: Sentence, carry: Carry, made_facts: bool = False) -> Carry:
        """Context a sentence leaves for the next: its last commodity, metric, subject place and period."""
        commodity, form, metric, period, geo = carry.commodity, carry.form, carry.metric, carry.period, carry.geo
        local = carry.local
        items = [m for m in self._usable(sentence) if m.kind == COMMODITY and m.value != "-"]
        if items and not made_facts and commodity in {m.value for m in items}:
            items = []  # the sentence goes on about the same commodity
        if items and not made_facts:  # a sentence that stated numbers leaves the commodity of its facts
            last = items[0]  # the subject: "natural graphite ... to feed its spherical graphite plants"
            group = [last]
            for m in items[1:]:
                if _LIST_JOIN.fullmatch(self.text, group[-1].end, m.start):
                    group.append(m)
                else:
                    break
            common = common_parent([m.value for m in group]) if len(group) > 1 else last.value
            commodity, form = (common, None) if common != last.value else (last.value, last.form)
            local = True
        for m in sentence.mentions:
            if m.kind == METRIC and m.value in ALL_METRICS and m.value not in ("value", "quota"):
                metric = trade(m.value) if m.value != "shipments" or metric != "imports" else "imports"
        subjects = [
            m
            for m in sentence.mentions
            if m.kind in (GEO, COMPANY) and home_like(m.value) and m.start - sentence.span.start < 40
        ]  # the subject opens its sentence; "…, when Chinese smelters were curbed" is not one
        if subjects and not made_facts:
            geo = subjects[0].value
        absolute = [p for p in sentence.periods if not p.relative and p.period.count("-") < 2]
        if absolute and not made_facts:  # a date line (2022年5月16日) dates the page, not what follows
            period = absolute[-1].period
        return Carry(commodity, form, metric, geo, carry.partner, period, local)
