"""extract_facts: every number of a document that measures a metric of a commodity becomes a Fact.

The pipeline for one document, each step linear in the text:
1. read numbers (`numbers.read_quantities`), periods (`periods.find_periods`) and gazetteer
   mentions (`gazetteer.find_mentions`) once over the whole clean text;
2. cut the text into blocks, sentences and clauses (`layout.analyse`), and read tables apart
   (`tables.table_facts`);
3. for each number in prose, decide what it is (a level, a percent change, a share, or not a
   fact at all) and fill its slots (`slots`), carrying context through the paragraph;
4. drop a number stated twice.

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

from assay.extract import FACT_RULES_VERSION
from assay.extract.facts import changes, cues
from assay.extract.facts.labels import labelled_place
from assay.extract.facts.readings import (
    COMPANY_METRICS,
    base_metric,
    carried_geo,
    dedupe,
    dominant_commodity,
    example_spans,
    first,
    first_form,
    fold_pinyin_glosses,
    glued_months,
    home_like,
    month_of_last_year,
    parse_published,
    reference_date,
    repair,
    trade,
    valid_period,
    with_bare_years,
)
from assay.extract.facts.results import ResultsInput, ResultsReader, subject_company
from assay.extract.facts.results_tables import results_table_facts
from assay.extract.facts.slots import (
    LEVEL_METRICS,
    SHARE_METRICS,
    Carry,
    Sentence,
    adjacent_price,
    choose_geo,
    choose_metric,
    choose_whole,
    commodity_of,
    common_parent,
    governments_as_countries,
    metrics_in,
    near_quantities,
    percent_runs,
    respective_commodities,
    respective_runs,
    short_partner_names,
)
from assay.extract.facts.tables import TableReader
from assay.extract.facts.timing import Timing, bare_quarters, canonical_period, listed_periods
from assay.extract.numbers.reader import read_quantities
from assay.extract.periods.anaphora import periods_named_before, quarter_reported
from assay.extract.periods.finder import PeriodMention, find_periods
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
_ALL_METRICS = (
    "exports", "imports", "production", "reserves", "consumption", "mining_quota", "smelting_quota", "quota",
    "trading_volume", "capacity", "revenue", "net_profit", "investment", "output_value", "trade_value", "value",
    "price", "shipments",
)  # fmt: skip
_LIST_JOIN = re.compile(r"\s*(?:,|、|/|and|or|和|及|与)\s*")
_DAY_PRECISE = re.compile(r"\s*\d{4}-\d{2}-\d{2}")  # a page dated to the day can place a weekday
_YEAR_BEFORE = re.compile(r"last|previous|prior|ago|earlier|上年|去年|同期", re.IGNORECASE)


def extract_facts(doc: Document, analysed: AnalysedText | None = None) -> list[Fact]:
    """The facts a document states, each with its verbatim quote and span in `doc.clean_text`.
    `analysed` is the clean text already read for the event rules (`extract_all`), if it is."""
    text = doc.clean_text or ""
    if not text.strip():
        return []
    if analysed is None or analysed.text != text:
        analysed = AnalysedText(text)
    return _Reader(doc, text, analysed).run()


# A note after a bare amount saying it is per tonne: "(ton price, the same below)", "（吨价，下同）"
_WEIGHT_NOTE = re.compile(
    r"\s*[(（]\s*(?:(?:per\s+)?(?:metric\s+)?(?:tons?|tonnes?)\s+price|吨价|噸價|元/吨|元/噸)", re.I
)

# Two quotas named by one head noun: "开采、冶炼分离总量控制指标", "mining and smelting quotas"
_QUOTA_PAIR = re.compile(
    r"(?:开采|采矿|\bmining)\s*(?:、|和|与|及|,|\band\b)\s*(?:冶炼分离|冶炼|smelting(?:\s+and\s+separation)?|separation)"
    r"[^。.;\d]{0,16}?(?:指标|配额|quotas)",
    re.I,
)

# Units of things assay does not count: energy, vehicles, pieces
_UNTRACKED_UNIT = re.compile(
    r"\s*(?:[kMGT]Wh\b|[kMGT]W\b|units?\b|vehicles?\b|cars?\b|sets?\b|pieces?\b|辆|輛|台|套|件|千瓦时|千瓦時)"
)

_REACH = 400  # how far the change rules look from a number: long flattened tables stay linear
# the weight a price is for, written before the amount: 每吨 62.49 万元, 每公斤850元, "per tonne of 580,000 yuan"
_PER_MASS_BEFORE = re.compile(
    r"每\s*(?:(?P<t>吨)|(?P<kg>公斤|千克))\s*(?:为|達|达|约|在)?\s*$"
    r"|\bper\s+(?:metric\s+)?(?:(?P<t2>tonnes?|tons?|mt)|(?P<kg2>kg|kilograms?))\s+(?:of|at|was|is|stood at)\s*$",
    re.IGNORECASE,
)
_SAME_BELOW = re.compile(r"\s*[,，]?\s*(?:the same below|same below|下同)", re.I)
_DIFFERENCE_AFTER = re.compile(r"\s*(?:lower|higher|less|more|cheaper|dearer|above|below)\s+than\b", re.I)
_REVENUE_SHARE = re.compile(r"营收|营业收入|營收|營業收入|收入占比|\brevenues?\b|\bsales\b", re.I)
_COMBINED = re.compile(r"合计|合計|合共|共同|\b(?:together|combined|jointly|between them)\b", re.I)

_NOT_A_PRICE = re.compile(
    r"\b(?:cost|costs|margin|margins|profit|profits|revenue|sales|turnover|worth|value|loss|fee|tax|subsid\w*)\b"
    r"|成本|利润|利潤|毛利|成交额|成交額|金额|金額|销售额|銷售額|费用|費用|税|稅|补贴|補貼|亏损|虧損",
    re.I,
)

# One value for each item of a list before it: 均为, 都是, "both at", "each at", "all at"
_EACH_BEFORE = re.compile(
    r"(?:(?<!平)均(?:为|為)?|都是|都为|都為|皆为|皆為|\b(?:both|each|all)\s+(?:at|were|was|stood at))\s*\Z", re.I
)
_EACH_GLUE = re.compile(r"\s*(?:[,、/&]|and|or|和|及|与|與|以及)\s*", re.IGNORECASE)

# The world's supply as the whole of a share: what the world produces
_SUPPLY_WHOLE = re.compile(
    r"^\s*(?:of\s+)?(?:the\s+)?(?:world|global|worldwide)(?:'s|’s)?\s+(?:[a-z-]+\s+){0,2}supply\b"
    r"|(?:占|佔)(?:到)?(?:全球|世界)(?:的)?(?:[\u4e00-\u9fff]{0,4})?供(?:应|應|给|給)(?:量)?(?:的)?\s*(?:约|約|近|超过|超過)?\s*$",
    re.IGNORECASE,
)

# "China supplies around 85% of the world's magnesium": a share of what the world produces
_SUPPLY_VERB = re.compile(
    r"\b(?:supplies|supplied|supplying|provides|provided|providing)\s+(?:about|around|nearly|almost|over|more than|"
    r"some|roughly|approximately|an estimated|up to)?\s*$",
    re.IGNORECASE,
)
_OF_THE_WORLD = re.compile(r"\s*(?:%|percent|per cent|pc)?\s*of\s+(?:the\s+)?(?:world|global)", re.IGNORECASE)

_SCALE_WORD = frozenset("万萬亿億")


def _not_a_level(text: str, q: Quantity, clause: Span, clause_before: str) -> bool:
    """Numbers that measure nothing assay tracks: a unit word alone ("（单位：万吨）"), an amount per vehicle
    or per item made ("Each EV uses 2-4 kg", "单车用量从12kg提升至20kg"), and a stock ("库存维持在1.3万吨")."""
    if text[q.start] in _SCALE_WORD:
        return True
    if q.start >= 2 and text[q.start - 1] == "." and "\u4e00" <= text[q.start - 2] <= "\u9fff":
        return True  # "出口金额为.67万美元": a decimal that lost its leading digits on a converted page
    if cues.REMAINDER_BEFORE.search(clause_before[-32:]) or cues.REMAINDER_AFTER.match(text[q.end : clause.end]):
        return True  # "140 kt in other regions", "其他地区占比约8%": the rest, no one place
    if q.kind is QuantityKind.MASS and cues.INVENTORY_BEFORE.search(clause_before[-24:]):
        return True
    if q.kind in (QuantityKind.MASS, QuantityKind.PERCENT):
        return bool(cues.PER_ITEM.search(text, clause.start, min(clause.end, q.end + 24)))
    return False


def _glosses_a_price(text: str, q: Quantity, sentence: Sentence) -> bool:
    """A bare amount in brackets right after a price in the same currency sign ("$US48/kg ($73)") restates
    that price in another, unnamed currency: not a fact of its own."""
    prior = next((o for o in reversed(sentence.quantities) if o.end <= q.start), None)
    return (
        prior is not None
        and prior.kind is QuantityKind.PRICE
        and (prior.unit or "").startswith(f"{q.unit}/")
        and re.fullmatch(r"\s*[(（]\s*", text[prior.end : q.start]) is not None
    )


class _Reader:
    """One document being read: its layout, mentions and carried context."""

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
        title_mentions = find_mentions(title)
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
            runs = respective_runs(sentence, self.text)
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

    def _unpaired_list_item(self, q: Quantity, sentence: Sentence) -> bool:
        """ "magnesia bricks, magnesia-carbon bricks and silica bricks fell 12.1%, 6.5% and 3.2%, respectively": a list
        that names one of our products twice names finer things than our products; past its first item, which value
        is whose cannot be told."""
        at = self._run_position.get(q.start)
        if at is None or at[1] == 0 or self._respective != (None, None):
            return False
        first = self._runs[at[0]][0]
        named = [m.value for m in sentence.mentions if m.kind == COMMODITY and m.value != "-" and m.end <= first.start]
        return len(set(named)) < len(named)

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
            if m.kind == METRIC and m.value in _ALL_METRICS and m.value not in ("value", "quota"):
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

    # --- one number -------------------------------------------------------------------------

    def _facts_for(
        self, q: Quantity, sentence: Sentence, carry: Carry, heading: Carry, done: Sequence[Fact]
    ) -> list[Fact]:
        text = self.text
        clause = self.layout.clause(q.start)
        before = text[sentence.span.start : q.start]
        clause_before = text[clause.start : q.start]
        after = text[q.end : sentence.span.end]
        if cues.NOT_A_FACT_AFTER.match(after) or cues.NOT_A_FACT_BEFORE.search(clause_before[-20:]):
            return []
        if _not_a_level(text, q, clause, clause_before):
            return []
        if q.kind is QuantityKind.NUMBER and 0 < q.value < 1 and cues.FRACTION_WORD.search(self.text, q.start, q.end):
            # "three quarters of the world's", "rises of around a fifth", "超过全国的一半": a share or change in words
            q = replace(q, kind=QuantityKind.PERCENT, value=round(q.value * 100, 4), unit="%")
        if q.kind is QuantityKind.PERCENT:
            return self._percent_facts(q, sentence, clause, carry, heading)
        if q.kind is QuantityKind.MONEY and q.unit:
            if _glosses_a_price(text, q, sentence):
                return []  # "$US48/kg ($73)": the same price in the page's own dollars, left unnamed
            q = self._priced_as_before(q, sentence, carry)
        kinds = LEVEL_METRICS.get(q.kind)
        if kinds is None or q.unit is None or q.unit not in FACT_UNITS or q.value == 0:
            return []
        if self._is_absolute_change(q, sentence, clause_before, after):
            self.absolute_changes.add(q.start)
            return []
        metric = choose_metric(sentence, q, clause, kinds, text, carry.metric or heading.metric)
        if metric is None:
            fallback = carry.metric or heading.metric or self.title_carry.metric
            if q.kind is QuantityKind.PRICE:
                metric = "price"
            elif q.kind is QuantityKind.RATE:
                metric = "capacity"
            elif fallback in kinds:
                metric = fallback
            elif fallback in ("exports", "imports") and q.kind is QuantityKind.MONEY:
                metric = "trade_value"
            else:
                return []
        if q.kind is QuantityKind.MONEY and metric in ("exports", "imports", "shipments", "value"):
            metric = "trade_value"
        change = changes.change_before(self._made, q, text)
        if change is not None and change.metric in kinds:
            metric = change.metric  # "up by 5% from 114,000 tonnes in 2021": the baseline is a level of what changed
        total = changes.running_total(text, sentence.span.start, q.start)
        if total is not None:  # "imports … dropped 41.1% to 9,645 tons, producing a 2024 total of 132,931 tons"
            earlier = [m.value for m in sentence.mentions if m.kind == METRIC and m.end <= total]
            named = [t for v in reversed(earlier) if (t := trade(v)) is not None and t in kinds]
            metric = named[0] if named else metric
        if q.kind is QuantityKind.RATE and metric == "production":
            metric = "capacity"  # "设计生产规模12万吨/年", "will begin 2,000 t/yr of magnet production": a yearly rate
        if metric in ("quota", "value"):
            return []
        if q.kind is QuantityKind.MASS and metric == "capacity" and q.unit == "t":
            q = replace(q, unit="t/yr")  # "capacity of 50,000 tonnes" is a yearly rate
        fact = self._fill(q, sentence, clause, carry, heading, metric, q.unit or "", before, clause_before)
        if fact is not None and self._is_starting_level(q, sentence, clause_before, after):
            # "output rose to 38,000 tonnes from 12,000 tonnes" in a sentence about a year: the year before
            year = fact.period or ""
            if re.fullmatch(r"(?:19|20)\d\d", year):
                fact = replace(fact, period=str(int(year) - 1))
        if fact is not None and _EACH_BEFORE.search(clause_before[-12:]):
            return self._each_of(fact, sentence, q)
        return [fact] if fact else []

    def _zero_level(self, sentence: Sentence, carry: Carry, heading: Carry) -> Fact | None:
        """A level that fell to zero ("from 6,000 tonnes in May to zero in June"): the measure, subject and unit of
        the level it fell from, the period of its own clause."""
        found = changes.zero_after(self._made, self.text, sentence.span.end)
        if found is None:
            return None
        level, start, end = found
        zero = replace(level.quantity, value=0.0, value_high=None, start=start, end=end, text=self.text[start:end])
        clause = self.layout.clause(start)
        before = self.text[sentence.span.start : start]
        fact = self._fill(
            zero, sentence, clause, carry, heading, level.fact.metric, level.fact.unit, before, before[-200:]
        )
        if fact is None:
            return None
        quote_start = min(level.fact.start, fact.start)
        return replace(
            fact,
            commodity=level.fact.commodity,
            form=level.fact.form,
            geo=level.fact.geo,
            partner=level.fact.partner,
            approx=None,
            start=quote_start,
            quote=self.original[quote_start : fact.end],
        )

    def _change_of_untracked(self, q: Quantity, sentence: Sentence) -> bool:
        """A change of a level in units we do not track ("output of power batteries rose to 159.8GWh, up by
        250pc", "sales were 216,000 units, up 74.9%", "产量25万辆，同比增长30%") is that level's, not a mineral's."""
        text = self.text
        for o in sentence.quantities:
            if o.kind is not QuantityKind.NUMBER or not _UNTRACKED_UNIT.match(text, o.end):
                continue
            if o.end <= q.start and not any(
                m.kind == COMMODITY and o.end <= m.start < q.start for m in sentence.mentions
            ):
                return True
            if o.start >= q.end and o.start - q.end <= 8:  # "increased by 168.1pc to 107.5GWh"
                return True
        return False

    def _priced_as_before(self, q: Quantity, sentence: Sentence, carry: Carry) -> Quantity:
        """A bare amount in a sentence about prices takes the weight of the price quoted before it in its
        paragraph ("$2,850 per tonne … below $2,800 in mid November", "900,000 yuan per tonne this week from
        850,000 yuan last week"), or of a note beside it ("20,000 yuan (ton price, the same below)", 吨价)."""
        per = _PER_MASS_BEFORE.search(self.text, max(0, q.start - 24), q.start)
        if per is not None:  # "均价每吨 62.49 万元", "a price per tonne of 580,000 yuan": the weight written first
            unit = f"{q.unit}/{'kg' if per['kg'] or per['kg2'] else 't'}"
            self._priced[q.start] = (q.end, unit, q.value)
            return replace(q, kind=QuantityKind.PRICE, unit=unit)
        metrics = {m.value for m in sentence.mentions if m.kind == METRIC}
        if metrics & {"revenue", "net_profit", "investment", "output_value", "trade_value", "value", "exports"}:
            return q
        note = _WEIGHT_NOTE.match(self.text, q.end) if "price" in metrics else None
        if note is not None:
            self._priced[q.start] = (q.end, f"{q.unit}/t", q.value)
            if _SAME_BELOW.match(self.text, note.end()):
                self._weight_below.add(f"{q.unit}/t")  # "(ton price, the same below)": every later quote too
            return replace(q, kind=QuantityKind.PRICE, unit=f"{q.unit}/t")
        if "price" in metrics and f"{q.unit}/t" in self._weight_below:
            return replace(q, kind=QuantityKind.PRICE, unit=f"{q.unit}/t")
        clause = self.layout.clause(q.start)
        if _DIFFERENCE_AFTER.match(self.text, q.end):
            return q  # "US$ 1,900 lower than July-September level": a difference, not a quote
        if _NOT_A_PRICE.search(self.text, clause.start, q.start):
            return q  # a cost, a margin, a turnover: money, not the market's price
        # the sentence's own quote, or one of the sentences just before when this one speaks of the price
        start = sentence.span.start if "price" not in metrics else max(0, sentence.span.start - 300)
        earlier = [
            (o.end, o.unit or "", o.value)
            for o in self.quantities
            if start <= o.start < q.start and o.kind is QuantityKind.PRICE and (o.unit or "").startswith(f"{q.unit}/")
        ] + [found for at, found in self._priced.items() if start <= at < q.start]
        last = max(earlier, default=None)
        # the earlier quote of the same thing in the same currency: its level is comparable (within a factor 3)
        if last is not None and last[1].startswith(f"{q.unit}/") and last[2] / 3 <= q.value <= last[2] * 3:
            self._priced[q.start] = (q.end, last[1], q.value)
            return replace(q, kind=QuantityKind.PRICE, unit=last[1])
        return q

    def _each_of(self, fact: Fact, sentence: Sentence, q: Quantity) -> list[Fact]:
        """ "氧化镧及氧化铈的价格均为9,800元/吨", "both lanthanum and cerium oxide at 9,800 yuan/t": one value,
        each of the products listed before it."""
        items = [m for m in self._usable(sentence) if m.kind == COMMODITY and m.end <= q.start]
        listed = [items[-1]] if items else []
        for m in reversed(items[:-1]):
            if not _EACH_GLUE.fullmatch(self.text, m.end, listed[0].start):
                break
            listed.insert(0, m)
        ids = list(dict.fromkeys(m.value for m in listed))
        if len(ids) < 2 or fact.commodity in ids:
            return [fact]
        return [replace(fact, commodity=i, form=m.form) for i, m in zip(ids, listed, strict=False)]

    def _is_starting_level(self, q: Quantity, sentence: Sentence, clause_before: str, after: str) -> bool:
        if not cues.FROM_LEVEL_BEFORE.search(clause_before[-24:]) or cues.OWN_TIME_AFTER.match(after):
            return False
        if any(0 <= p.start - q.end <= 6 for p in sentence.periods):
            return False  # "from 670 tons a year ago": the level has its own period
        return any(
            o.kind is q.kind and cues.TO_LEVEL_BEFORE.search(self.text, max(0, o.start - 16), o.start)
            for o in near_quantities(sentence, q, 120)
        )

    def _is_absolute_change(self, q: Quantity, sentence: Sentence, clause_before: str, after: str) -> bool:
        if q.signed and q.kind is not QuantityKind.PERCENT:
            return True
        tail = clause_before[-40:]
        if cues.ABSOLUTE_CHANGE_BEFORE.search(tail) and not cues.TO_AFTER_CHANGE.search(tail):
            return True
        if q.kind is QuantityKind.PRICE and cues.PRICE_GAP_BEFORE.search(clause_before[-48:]):
            return True  # "比国内同期17200元/吨的均价低1190元/吨": the gap between two prices
        if cues.ABSOLUTE_CHANGE_AFTER.match(after[:30]) and q.kind is not QuantityKind.PRICE:
            return True
        # a list after a change: "an increase of 1,554 mt, 1,516 mt and 1,129 mt respectively"
        previous = [o for o in sentence.quantities if o.end <= q.start and o.kind is q.kind]
        if previous:
            prior = previous[-1]
            gap = self.text[prior.end : q.start]
            if len(gap) <= 8 and re.fullmatch(r"\s*(?:,|、|and|和|及)?\s*(?:and)?\s*", gap):
                return prior.start in self.absolute_changes
        return False

    def _percent_facts(self, q: Quantity, sentence: Sentence, clause: Span, carry: Carry, heading: Carry) -> list[Fact]:
        text = self.text
        before = text[sentence.span.start : q.start]
        clause_before = text[clause.start : q.start]
        after = text[q.end : sentence.span.end]
        lead = self._run_lead.get(q.start, q)  # "增长21.4%和18.8%": the list's first value carries the cue
        prev_q = max((o.end for o in sentence.quantities if o.end <= lead.start), default=sentence.span.start)
        near_before = text[max(prev_q, lead.start - 48) : lead.start]
        is_change = q.signed or bool(cues.CHANGE_BEFORE.search(near_before)) or bool(cues.CHANGE_AFTER.match(after))
        comparative = changes.zh_comparative(near_before)  # "比去年均价低40%": lower than last year's price
        is_change = is_change or comparative != 0
        is_share = (
            bool(cues.SHARE.search(clause_before[-80:]))
            or bool(cues.SHARE_AFTER.match(after))
            or bool(cues.ZH_WHOLE_BEFORE.search(clause_before[-12:]))
        )
        if is_share and not q.signed and not changes.movement_after(after):
            return self._share_fact(q, sentence, clause, carry, heading, before, clause_before, after)
        span_levels = changes.percent_span_levels(q, sentence.quantities, text)
        if (cues.APPROVAL.search(after[:80]) and not is_change) or (
            span_levels and cues.APPROVAL.search(clause_before[-80:])
        ):
            fact = self._fill(q, sentence, clause, carry, heading, "approval_rate", "%", before, clause_before)
            return [fact] if fact else []
        if not is_change or span_levels:
            return []  # "growth rose from 5% to 8%": levels of a rate we do not know
        if (
            self._change_of_untracked(q, sentence)
            or changes.is_weight_saving(near_before, after)
            or changes.per_step(near_before)
            or self._unpaired_list_item(q, sentence)
        ):
            return []
        if (
            re.match(r"^\s*(?:higher|lower|more|less|cheaper)\s+than\b", after)
            and not self.timing.baseline_period(q, sentence)
            and not (self.reference is not None and changes.names_a_time(after[:60]))  # undated: no period to give
        ):
            return []  # a comparison across places or products, not a change over time
        metric = choose_metric(sentence, q, clause, _ALL_METRICS, text, carry.metric or heading.metric)
        if metric is None or metric not in metrics_in(sentence, clause):
            price_next = adjacent_price(self.text, q, sentence)
            if price_next:
                metric = "price"
        if metric is None:
            metric = carry.metric or heading.metric or self.title_carry.metric
        if metric is None and any(o.kind is QuantityKind.PRICE for o in sentence.quantities):
            metric = "price"  # "With a 9.4 percent climb, yttrium …, settling at CNY 290.00 per kilogram"
        level = self._level_of_change(q, sentence)
        metric = level.fact.metric if level is not None else self._measure_of_change(q, sentence, clause, metric)
        if metric is None or metric in ("quota", "value"):
            return []
        direction = comparative or cues.change_direction(near_before[-40:], after[:16])
        sign = -1.0 if (not q.signed and direction < 0) else 1.0
        value = q.value * sign if not q.signed else q.value
        high = q.value_high * sign if (q.value_high is not None and not q.signed) else q.value_high
        if high is not None and sign < 0:
            value, high = high, value
        if high is not None and high < value:
            value, high = high, value
        changed = replace(q, value=value, value_high=high)
        fact = self._fill(changed, sentence, clause, carry, heading, metric, "pct_change", before, clause_before)
        if fact is None:
            return []
        if level is not None:  # the change of the level it follows: the same product, in the same period
            period = self._period_of_level(level, q, sentence) or fact.period
            fact = replace(fact, commodity=level.fact.commodity, form=level.fact.form, period=period)
        unit = self.timing.change_unit(q, sentence, fact.period, after)
        if unit == "pct_change":
            earlier = [m.fact for m in self._made]
            unit = changes.same_basis_unit(near_before, after, earlier) or unit
        if unit == "pct_change" and self.timing.baseline_period(q, sentence) is None:
            around = changes.own_statement(text[max(sentence.span.start, q.start - 60) : clause.end])
            unit = changes.yearly_unit(fact.metric, fact.period, around) or unit
        return [replace(fact, unit=changes.sequential_unit(unit, fact.period))]

    def _level_of_change(self, q: Quantity, sentence: Sentence) -> changes.Made | None:
        """The level a change follows in its statement ("Export values totalled $45 million, an increase of 20%"),
        when nothing between them but an aside in brackets names another measure or product."""
        if not self._made:
            return None
        asides = changes.bracketed(self.text, max(sentence.span.start, q.start - _REACH), q.start)
        found = changes.level_before(self._made, q, self.text, asides)
        if found is None:
            return None
        if q.start in self._run_position or found.quantity.start in self._run_position:
            return None  # lists pair their items in order ("分别为30万吨、12万吨，同比分别增长5%和8%")
        if changes.volume_named(self.text[found.quantity.end : q.start]):
            return None  # "金额为6,000万美元，数量较8月减少30%": a change of the other measure
        if any(
            found.quantity.end <= m.start < q.start
            and not any(a <= m.start < b for a, b in asides)
            and (m.kind == METRIC or (m.kind == COMMODITY and m.value not in ("-", found.fact.commodity)))
            for m in sentence.mentions
        ):
            return None
        return found

    def _period_of_level(self, level: changes.Made, q: Quantity, sentence: Sentence) -> str | None:
        """ "…a 2024 total of 132,931 tons, down 24.4% from 2023": the change holds when its level does, unless
        that level is itself a baseline or the change names a time of its own."""
        if level.fact.period is None or changes.is_baseline_level(self.text, level.quantity.start):
            return None
        regions = self.timing.baseline_regions(sentence)
        clause = self.layout.clause(q.start)
        for p in sentence.periods:
            if not (level.quantity.end + 16 < p.start < max(clause.end, q.end)):
                continue  # the level's own time ("1,427 tonnes in December") or another clause's
            if not any(a <= p.start < b for a, b, _ in regions):
                return None  # "…, and rose 5% in Q2": a time of the change's own
        return level.fact.period

    def _measure_of_change(self, q: Quantity, sentence: Sentence, clause: Span, metric: str | None) -> str | None:
        """The measure a percent change is of, when its wording says more than the nearest metric word: the level
        it follows, the trade flow a 数量/volume names, a market price when it is a change over a week."""
        text = self.text
        lead = changes.statement_start(text, max(sentence.span.start, q.start - _REACH), q.start)
        if changes.volume_named(text[lead : q.start]):  # "数量较8月（5,791.8吨）锐减30.9%": back to the comma
            named = [m.value for m in sentence.mentions if m.kind == METRIC]
            flows = [trade(v) for v in named if v in ("exports", "imports", "shipments")]
            if metric in ("trade_value", "value") and flows:
                return flows[0]
        near = text[max(sentence.span.start, q.start - _REACH) : min(sentence.span.end, q.end + _REACH)]
        if not metrics_in(sentence, clause) and changes.is_weekly(near):
            return "price"
        return metric

    def _share_fact(
        self,
        q: Quantity,
        sentence: Sentence,
        clause: Span,
        carry: Carry,
        heading: Carry,
        before: str,
        clause_before: str,
        after: str,
    ) -> list[Fact]:
        text = self.text
        if _REVENUE_SHARE.search(text, max(clause.start, q.start - 30), q.start):
            return []  # "营收占比分别为63.51%和35.95%", "40% of its revenue": a share of sales, not of output
        if cues.COST_SHARE_BEFORE.search(text, max(clause.start, q.start - 30), q.start) or cues.COST_SHARE_AFTER.match(
            after
        ):
            return []  # "其成本占负极材料成本约45%", "45% of the cost of anode production": a share of costs
        if cues.TOP_GROUP.search(text, max(clause.start, q.start - 60), q.start):
            return []  # "前十大企业产量占比41.2%", "the top five producers accounted for 61.2%": a group's share
        named = {m.value for m in sentence.mentions if m.kind in (COMPANY, GEO) and m.end <= q.start}
        if len(named) >= 2 and _COMBINED.search(text, sentence.span.start, q.start):
            return []  # "两家合计占全国90%以上", "together they hold 90%": no one holder to give it to
        metrics = [m for m in sentence.mentions if m.kind == METRIC and m.value in _ALL_METRICS]
        zhan = text.rfind("占", clause.start, q.start)
        if zhan >= 0:  # 中国出口量占国内产量的50%: the whole sits between 占 and the number
            whole_metric = next((m.value for m in metrics if zhan <= m.start < q.start), None)
            part_metric = next((m.value for m in reversed(metrics) if m.end <= zhan), None)
        else:
            whole_metric = next((m.value for m in metrics if q.end <= m.start < clause.end), None)
            part_metric = next((m.value for m in reversed(metrics) if m.end <= q.start), None)
        whole_metric, part_metric = trade(whole_metric), trade(part_metric)
        supplies_world = bool(_SUPPLY_VERB.search(clause_before[-40:]) and _OF_THE_WORLD.match(after))
        if whole_metric is None and (
            supplies_world or _SUPPLY_WHOLE.search(text[q.end : clause.end][:60] + "|" + clause_before[-24:])
        ):
            whole_metric = "production"  # "80% of world supply", "占全球供应量的80%": a share of what is produced
            part_metric = part_metric if part_metric in SHARE_METRICS else None  # not "the price …, which represents"
        if cues.MARKET_SHARE.search(text[max(sentence.span.start, q.start - 30) : q.end + 10]):
            part_metric = part_metric or "production"
        if whole_metric and part_metric and whole_metric != part_metric:
            return []  # a ratio of two measures (exports equal to half of output), not a share
        base = whole_metric or part_metric or carry.metric or heading.metric or self.title_carry.metric
        if base not in SHARE_METRICS:
            return []
        fact = self._fill(q, sentence, clause, carry, heading, SHARE_METRICS[base], "%", before, clause_before)
        if fact is None:
            return []
        whole = choose_whole(sentence, q, text, fact.geo, fact.partner)
        return [replace(fact, share_of=whole)]

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
