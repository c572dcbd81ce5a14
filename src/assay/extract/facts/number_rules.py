"""What one number of a sentence states: a level, a percent change, a share, or no fact at all.

`NumberRules` decides, for each number in prose, which kind of fact it is and which measure it
is of (absolute changes, prices quoted before, amounts per item, baselines, lists paired in
order, shares of a whole), then hands it to `DocumentReader._fill` for its slots.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assay.extract.facts import changes, cues
from assay.extract.facts.document import ALL_METRICS, FACT_UNITS, DocumentReader
from assay.extract.facts.readings import (
    trade,
)
from assay.extract.facts.slots import (
    LEVEL_METRICS,
    SHARE_METRICS,
    Carry,
    Sentence,
    adjacent_price,
    choose_metric,
    choose_whole,
    metrics_in,
    near_quantities,
)
from assay.extract.text.gazetteer import (
    COMMODITY,
    COMPANY,
    GEO,
    METRIC,
)
from assay.extract.text.layout import Span
from assay.model import Fact, Quantity, QuantityKind

_WEIGHT_NOTE = re.compile(
    r"\s*[(（]\s*(?:(?:per\s+)?(?:metric\s+)?(?:tons?|tonnes?)\s+price|吨价|噸價|元/吨|元/噸)", re.I
)

# Two quotas named by one head noun: "开采、冶炼分离总量控制指标", "mining and smelting quotas"

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


# the kinds a fact can be read from: a percent, and the kinds a level is measured in (a bare number only as a
# fraction in words, "three quarters of")
_MAY_STATE_A_FACT = frozenset({QuantityKind.PERCENT, *LEVEL_METRICS})


class NumberRules(DocumentReader):
    """The rules for one number, over a document already read."""

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

    # --- one number -------------------------------------------------------------------------

    def _facts_for(
        self, q: Quantity, sentence: Sentence, carry: Carry, heading: Carry, done: Sequence[Fact]
    ) -> list[Fact]:
        if q.kind not in _MAY_STATE_A_FACT and not (q.kind is QuantityKind.NUMBER and 0 < q.value < 1):
            return []  # a year, a count, percentage points: no rule below makes a fact of them, so none is run
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
        metric = choose_metric(sentence, q, clause, ALL_METRICS, text, carry.metric or heading.metric)
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
        metrics = [m for m in sentence.mentions if m.kind == METRIC and m.value in ALL_METRICS]
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
