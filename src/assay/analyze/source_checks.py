"""Checks that need no second source, on plain fact rows: arithmetic that fails inside one source
(`change`, `share`, `destinations`) and values outside their plausible band (`implausible`).

Each returns `Hit`s: the rows a finding cites and how to word it, built only when returned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from assay.analyze.bands import CHANGE_UNITS, MASS_METRICS, RESERVES_LIMIT_T, mass_limit, price_band
from assay.analyze.findings import (
    APPROX,
    COMMODITY,
    FORM,
    GEO,
    METRIC,
    PARTNER,
    PERIOD,
    SHARE_OF,
    UNIT,
    VALUE,
    VALUE_HIGH,
    Finding,
    Hit,
    Make,
    PlainFact,
    key_fields,
    level,
    who,
)
from assay.analyze.money import convert_with, price_factors, rate_table
from assay.analyze.series import source_ref
from assay.model import Approx, Period
from assay.store.records import StoredFactRecord

CHANGE_PREVIOUS = {"pct_mom": "previous", "pct_qoq": "previous", "pct_yoy": "year_before"}
SHARE_TOLERANCE_MIN_POINTS = 1.0  # rounding of the two levels (1.12 million) moves a share this much
DESTINATION_SLACK = 0.01  # partner figures may exceed the total by rounding only
BOUNDS = (Approx.OVER, Approx.UNDER)

Levels = dict[tuple[Any, ...], PlainFact]


def _levels(facts: Sequence[PlainFact]) -> Levels:
    """A source's level facts (not shares, not changes) by (base key without unit, period, unit)."""
    out: Levels = {}
    for r in facts:
        unit = r[UNIT]
        if unit not in CHANGE_UNITS and unit != "%":
            out.setdefault((r[COMMODITY], r[FORM], r[METRIC], r[GEO], r[PARTNER], r[PERIOD], unit), r)
    return out


def _by_point(levels: Levels) -> dict[tuple[Any, ...], list[tuple[tuple[Any, ...], PlainFact]]]:
    """A source's levels by key and period without the unit (in their order), so a change or a
    share finds its levels by lookup: linear in the source's facts, not quadratic."""
    out: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], PlainFact]]] = {}
    for key, row in levels.items():
        out.setdefault(key[:6], []).append((key, row))
    return out


@lru_cache(maxsize=8192)  # one Period.parse per distinct period and kind of change
def _earlier(period: str, how: str) -> str | None:
    """The period a change is measured from, or None when there is none."""
    try:
        parsed = Period.parse(period)
        earlier = parsed.previous() if how == "previous" else parsed.year_before()
    except ValueError:
        return None
    return earlier.text if earlier is not None else None


def change_hits(facts: Sequence[PlainFact]) -> list[Hit]:
    """One source's stated changes that its own levels contradict."""
    levels = _levels(facts)
    by_point = _by_point(levels)
    hits: list[Hit] = []
    for r in facts:
        how = CHANGE_PREVIOUS.get(r[UNIT])
        if how is None or not r[PERIOD] or r[APPROX]:
            continue
        earlier = _earlier(r[PERIOD], how)
        if earlier is None:
            continue
        for (commodity, form, metric, geo, partner, _, unit), now in by_point.get(
            (r[COMMODITY], r[FORM], r[METRIC], r[GEO], r[PARTNER], r[PERIOD]), ()
        ):
            before = levels.get((commodity, form, metric, geo, partner, earlier, unit))
            if before is None or before[VALUE] == 0 or now[APPROX] or before[APPROX]:
                continue
            actual_pct = (level(now) / level(before) - 1) * 100
            allowed = max(0.5, 0.05 * abs(r[VALUE]))
            if abs(actual_pct - r[VALUE]) > allowed:
                hits.append(Hit("change", r[METRIC], (now, r, before), _change(unit, earlier, actual_pct, allowed)))
    return hits


def _change(unit: str, earlier: str, actual_pct: float, allowed: float) -> Make:
    def make(records: Sequence[StoredFactRecord]) -> Finding:
        now, stated, before = records
        now_level, before_level, value = _record_level(now), _record_level(before), stated.fact.value
        return Finding(
            kind="change",
            message=(
                f"{who(stated)}: {now_level:,g} {unit} against {before_level:,g} {unit} in"
                f" {earlier} is {actual_pct:+.1f}%, not the {value:+g}% stated"
            ),
            key=key_fields(stated),
            period=stated.fact.period,
            statements=tuple(source_ref(x) for x in records),
            expected=before_level * (1 + value / 100),
            found=now_level,
            tolerance=f"{allowed:g} points",
        )

    return make


def _record_level(record: StoredFactRecord) -> float:
    f = record.fact
    return (f.value + f.value_high) / 2 if f.value_high is not None else f.value


def share_hits(facts: Sequence[PlainFact]) -> list[Hit]:
    """One source's stated shares that the two levels it also states contradict."""
    levels = _levels(facts)
    by_point = _by_point(levels)
    hits: list[Hit] = []
    for r in facts:
        metric, share_of = r[METRIC], r[SHARE_OF]
        if not metric.endswith("_share") or r[UNIT] != "%" or not share_of:
            continue
        base = metric.removesuffix("_share")
        whole_geo, whole_partner = (share_of, None) if r[PARTNER] is None else (r[GEO], None)
        for (commodity, form, *_, period, unit), part in by_point.get(
            (r[COMMODITY], r[FORM], base, r[GEO], r[PARTNER], r[PERIOD]), ()
        ):
            whole = levels.get((commodity, form, base, whole_geo, whole_partner, period, unit))
            if whole is None or whole[VALUE] <= 0 or part[APPROX] or whole[APPROX] or r[APPROX]:
                continue
            expected = part[VALUE] / whole[VALUE] * 100
            allowed = max(SHARE_TOLERANCE_MIN_POINTS, 0.03 * r[VALUE])
            if abs(expected - r[VALUE]) > allowed:
                hits.append(Hit("share", metric, (r, part, whole), _share(unit, expected, allowed)))
    return hits


def _share(unit: str, expected: float, allowed: float) -> Make:
    def make(records: Sequence[StoredFactRecord]) -> Finding:
        stated, part, whole = records
        return Finding(
            kind="share",
            message=(
                f"{who(stated)}: {part.fact.value:,g} of {whole.fact.value:,g} {unit} is"
                f" {expected:.1f}%, not the {stated.fact.value:g}% stated"
            ),
            key=key_fields(stated),
            period=stated.fact.period,
            statements=tuple(source_ref(x) for x in records),
            expected=expected,
            found=stated.fact.value,
            tolerance=f"{allowed:g} points",
        )

    return make


def destination_hits(facts: Sequence[PlainFact]) -> list[Hit]:
    """One source's partner figures that add up to more than the total it gives."""
    totals: dict[tuple[Any, ...], PlainFact] = {}
    parts: dict[tuple[Any, ...], dict[str, PlainFact]] = defaultdict(dict)
    for r in facts:
        if r[METRIC] not in ("exports", "imports", "trade_value") or r[APPROX] in BOUNDS:
            continue
        key = (r[COMMODITY], r[FORM], r[METRIC], r[GEO], r[PERIOD], r[UNIT])
        partner = r[PARTNER]
        if partner is None:
            totals.setdefault(key, r)
        elif len(partner) == 2 and partner.isalpha() and partner != "EU":
            parts[key].setdefault(partner, r)  # countries only: EU would count its members twice
    hits: list[Hit] = []
    for key, total in totals.items():
        members = list(parts.get(key, {}).values())
        summed = sum(m[VALUE] for m in members)
        if len(members) >= 2 and summed > total[VALUE] * (1 + DESTINATION_SLACK):
            hits.append(Hit("destinations", total[METRIC], (total, *members), _destinations(summed)))
    return hits


def _destinations(summed: float) -> Make:
    def make(records: Sequence[StoredFactRecord]) -> Finding:
        total, *members = records
        f = total.fact
        return Finding(
            kind="destinations",
            message=(
                f"{who(total)}: {len(members)} partners add up to {summed:,g} {f.unit},"
                f" more than the total {f.value:,g} {f.unit}"
            ),
            key=key_fields(total),
            period=f.period,
            statements=tuple(source_ref(x) for x in records),
            expected=f.value,
            found=summed,
            tolerance=f"{DESTINATION_SLACK:.0%}",
        )

    return make


def implausible_hits(rows: Iterable[PlainFact]) -> list[Hit]:
    hits: list[Hit] = []
    for r in rows:
        reason = implausibility(r)
        if reason:
            hits.append(Hit("implausible", r[METRIC], (r,), _implausible(reason)))
    return hits


def _implausible(reason: str) -> Make:
    def make(records: Sequence[StoredFactRecord]) -> Finding:
        (record,) = records
        return Finding(
            kind="implausible",
            message=f"{who(record)}: {reason}",
            key=key_fields(record),
            period=record.fact.period,
            statements=(source_ref(record),),
            found=record.fact.value,
        )

    return make


def implausibility(row: PlainFact) -> str | None:
    """Why a value cannot be right for its metric, unit and commodity; None when it can."""
    value, high, unit, metric = row[VALUE], row[VALUE_HIGH], row[UNIT], row[METRIC]
    values = [value] if high is None else [value, high]
    if unit == "%":
        if any(v < 0 or v > 100 for v in values):
            return f"a share of {value:g}% is outside 0-100%"
        return None
    if unit in CHANGE_UNITS:
        if value < -100:
            return f"a fall of {value:g}% is more than everything"
        return f"a change of {value:g}% is not believable" if value > 10_000 else None
    commodity = row[COMMODITY]
    if metric == "price":
        band = _price_band(commodity, row[FORM])
        if band is None:
            return None
        # `to_cny_per_tonne` with the unit's factors for that year worked out once
        factors = price_factors(unit, "CNY", "t", _year(row[PERIOD]))
        if factors is None:
            return None
        cny = convert_with(value, factors)
        if not band[0] <= cny <= band[1]:
            form = row[FORM]
            return (
                f"a {commodity}{' ' + form if form else ''} price of {value:,g} {unit}"
                f" (= {cny:,.0f} CNY/t) is outside the plausible {band[0]:,.0f}-{band[1]:,.0f} CNY/t"
            )
        return None
    if unit in ("t", "t/yr"):
        if any(v < 0 for v in values):
            return f"a negative {metric} of {value:,g} {unit}"
        limit = RESERVES_LIMIT_T if metric == "reserves" else mass_limit(commodity)
        if metric in (*MASS_METRICS, "reserves") and limit is not None and max(values) > limit:
            return f"{metric} of {max(values):,g} {unit} is more than the plausible {limit:,.0f} {unit}"
    return None


@lru_cache(maxsize=1024)  # a commodity's ancestors walked once per commodity and form, not per price
def _price_band(commodity: str, form: str | None) -> tuple[float, float] | None:
    return price_band(commodity, form)


@lru_cache(maxsize=8192)  # one Period.parse per distinct period, not per price statement
def _year(period: str | None) -> int:
    if period:
        try:
            return Period.parse(period).end.year
        except ValueError:
            pass
    return max(year for years in rate_table().values() for year in years)
