"""Checks over stored facts: contradictions between sources, and arithmetic that fails inside one.

Checks only read and flag; they never change a stored fact. Kinds of finding:
- `contradiction`: independent sources state one series key and period with values further apart
  than the metric's tolerance (`assay.analyze.bands.tolerance`); ranges and over/under bounds
  count as intervals, and approximate statements get at least 5 %.
- `change`: a source states a level, its pct_mom/pct_qoq/pct_yoy change and the earlier level,
  and they do not agree ("5,774 t, down 6.1% from 6,146 t" holds: 6146 × (1 − 0.061) ≈ 5771).
- `share`: a source states a share and both levels it is made of, and they do not agree
  ("1.026 million t, 91.6% of the world's 1.12 million t" holds).
- `destinations`: the partner figures a source gives add up to more than the total it gives.
- `implausible`: a value outside the plausible band for its metric, unit and commodity.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.bands import (
    APPROX_TOLERANCE,
    CHANGE_UNITS,
    MASS_METRICS,
    RESERVES_LIMIT_T,
    mass_limit,
    price_band,
    tolerance,
)
from assay.analyze.consensus import best_tier, independent_sources
from assay.analyze.money import rate_table, to_cny_per_tonne
from assay.analyze.series import SourceRef, json_number, source_ref
from assay.model import Approx, Period
from assay.store.series import FactSelection, StoredFactRecord, distinct_values, gc_paused, select_facts

KINDS = ("contradiction", "change", "share", "destinations", "implausible")
CHANGE_PREVIOUS = {"pct_mom": "previous", "pct_qoq": "previous", "pct_yoy": "year_before"}
SHARE_TOLERANCE_MIN_POINTS = 1.0  # rounding of the two levels (1.12 million) moves a share this much
DESTINATION_SLACK = 0.01  # partner figures may exceed the total by rounding only


@dataclass(frozen=True)
class CheckOptions:
    commodity: str | None = None
    metric: str | None = None
    geo: str | None = None
    since: str | None = None
    until: str | None = None
    kinds: tuple[str, ...] = KINDS
    limit: int | None = None  # only the first this many findings; the checks stop once these are known


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    key: dict[str, str | None]  # series key fields
    period: str | None
    statements: tuple[SourceRef, ...]
    expected: float | None = None
    found: float | None = None
    tolerance: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            **self.key,
            "period": self.period,
            "expected": json_number(self.expected) if self.expected is not None else None,
            "found": json_number(self.found) if self.found is not None else None,
            "tolerance": self.tolerance,
            "statements": [s.as_json() for s in self.statements],
        }


def source_of(record: StoredFactRecord) -> str:
    """The one source a fact comes from: its document, or its dataset."""
    return f"dataset:{record.dataset_id}" if record.dataset_id is not None else f"doc:{record.document_id}"


def run_checks(session: Session, options: CheckOptions | None = None) -> list[Finding]:
    """All findings over the facts `options` selects, contradictions first.

    Every check compares facts of one commodity, so an unfiltered run reads one commodity at a
    time: memory stays bounded by the largest commodity, not the whole store."""
    options = options or CheckOptions()
    if options.limit is not None and options.limit < 0:
        raise ValueError(f"limit must be 0 or more, not {options.limit}")
    wanted = [options.commodity] if options.commodity else distinct_values(session, "commodity")
    order = {kind: i for i, kind in enumerate(KINDS)}
    first_kind = min((k for k in options.kinds if k in order), key=order.__getitem__, default=None)
    findings: list[Finding] = []
    with gc_paused():
        for commodity in wanted:
            findings += check_records(select_facts(session, selection_for_checks(commodity, options)), options)
            # findings come kind by kind, each kind in commodity order: once the first kind alone
            # fills the limit, no later commodity can change the first `limit`
            if options.limit is not None and sum(f.kind == first_kind for f in findings) >= options.limit:
                break
    return sorted(findings, key=lambda f: order.get(f.kind, len(order)))[: options.limit]


def selection_for_checks(commodity: str, options: CheckOptions) -> FactSelection:
    """The facts the checks of one commodity read (raises ValueError on a malformed since/until)."""
    return FactSelection(
        commodity=commodity,
        geo=options.geo,
        starts_on_or_after=Period.parse(options.since).start if options.since else None,
        ends_on_or_before=Period.parse(options.until).end if options.until else None,
        with_period_only=False,
    )


def check_records(records: Sequence[StoredFactRecord], options: CheckOptions | None = None) -> list[Finding]:
    options = options or CheckOptions()
    wanted = [r for r in records if options.metric is None or r.fact.metric.startswith(options.metric)]
    findings: list[Finding] = []
    if "contradiction" in options.kinds:
        findings += contradictions(wanted)
        if options.limit is not None and len(findings) >= options.limit:  # the later kinds come after these
            return findings
    by_source: dict[str, list[StoredFactRecord]] = defaultdict(list)
    for record in records:
        by_source[source_of(record)].append(record)
    for facts in by_source.values():
        if "change" in options.kinds:
            findings += change_failures(facts)
        if "share" in options.kinds:
            findings += share_failures(facts)
        if "destinations" in options.kinds:
            findings += destination_failures(facts)
    if "implausible" in options.kinds:
        findings += implausible_values(wanted)
    if options.metric is not None:
        findings = [f for f in findings if str(f.key.get("metric") or "").startswith(options.metric)]
    return findings


def _key_fields(record: StoredFactRecord) -> dict[str, str | None]:
    f = record.fact
    return {
        "commodity": f.commodity,
        "form": f.form,
        "metric": f.metric,
        "geo": f.geo,
        "partner": f.partner,
        "share_of": f.share_of,
        "unit": f.unit,
    }


def _interval(record: StoredFactRecord) -> tuple[float, float]:
    f = record.fact
    if f.approx is Approx.OVER:
        return f.value, math.inf
    if f.approx is Approx.UNDER:
        return -math.inf, f.value
    return f.value, f.value_high if f.value_high is not None else f.value


def _extremes(heads: list[StoredFactRecord], absolute: bool) -> list[StoredFactRecord]:
    """The few statements among which the widest disagreement lies, found in one pass (in their order).

    Two statements disagree by the distance between the upper end of the lower one and the lower end
    of the higher one, over a tolerance that depends only on whether either is approximate (and, when
    relative, over the higher end). So, with no negative values, the widest pair is made of the lowest
    upper end and the highest lower end among the approximate statements or among the others. With
    negative values a relative gap has no such order, and every pair is compared."""
    if not absolute and any(r.fact.value < 0 or (r.fact.value_high or 0.0) < 0 for r in heads):
        return heads
    chosen: set[int] = set()
    for about in (True, False):
        members = [(i, _interval(r)) for i, r in enumerate(heads) if (r.fact.approx is Approx.ABOUT) is about]
        if members:
            chosen.add(min(members, key=lambda m: (m[1][1], m[0]))[0])
            chosen.add(max(members, key=lambda m: (m[1][0], -m[0]))[0])
    return [heads[i] for i in sorted(chosen)]


def _gap(a: StoredFactRecord, b: StoredFactRecord, tol: float, absolute: bool) -> float:
    """How far apart two statements are, in tolerances (over 1 means they contradict)."""
    (lo_a, hi_a), (lo_b, hi_b) = _interval(a), _interval(b)
    if hi_a < lo_b:
        near_a, near_b = hi_a, lo_b
    elif hi_b < lo_a:
        near_a, near_b = lo_a, hi_b
    else:
        return 0.0
    distance = abs(near_b - near_a)
    if absolute:
        return distance / tol
    if a.fact.approx is Approx.ABOUT or b.fact.approx is Approx.ABOUT:
        tol = max(tol, APPROX_TOLERANCE)
    scale = max(abs(near_a), abs(near_b)) * tol  # 0 also when a subnormal value underflows
    return distance / scale if scale else 0.0


def _tolerance_text(tol: float, absolute: bool, metric: str) -> str:
    return f"{tol:g} points for {metric}" if absolute else f"{tol:.0%} for {metric}"


def contradictions(records: Iterable[StoredFactRecord]) -> list[Finding]:
    grouped: dict[tuple[Any, ...], list[StoredFactRecord]] = defaultdict(list)
    for record in records:
        if record.fact.period:
            grouped[(*record.fact.series_key, record.fact.period)].append(record)
    findings: list[Finding] = []
    for (*_, period), members in grouped.items():
        sources = independent_sources(best_tier(members)) if len(members) > 1 else []
        if len(sources) < 2:
            continue
        heads = [group[0] for group in sources]
        first = heads[0].fact
        tol, absolute = tolerance(first.metric, first.unit, period)
        extremes = _extremes(heads, absolute)
        if len(extremes) < 2:  # one statement is both the lowest and the highest: all overlap it
            continue
        worst = max(
            ((a, b) for i, a in enumerate(extremes) for b in extremes[i + 1 :]),
            key=lambda pair: _gap(pair[0], pair[1], tol, absolute),
        )
        gap = _gap(worst[0], worst[1], tol, absolute)
        if gap <= 1.0:
            continue
        low, high = sorted(worst, key=lambda r: r.fact.value)
        apart = (
            f"{high.fact.value - low.fact.value:g} points"
            if absolute
            else f"{(high.fact.value - low.fact.value) / max(abs(high.fact.value), 1e-12):.1%}"
        )
        findings.append(
            Finding(
                kind="contradiction",
                message=(
                    f"{_who(low)} says {low.fact.value:,g} {first.unit}, {_who(high)} says {high.fact.value:,g}"
                    f" ({apart} apart; {len(heads)} independent sources)"
                ),
                key=_key_fields(low),
                period=period,
                statements=tuple(source_ref(r) for r in (low, high)),
                expected=low.fact.value,
                found=high.fact.value,
                tolerance=_tolerance_text(tol, absolute, first.metric),
            )
        )
    return findings


def _who(record: StoredFactRecord) -> str:
    return record.doc or record.dataset or f"fact {record.id}"


def _levels(facts: Sequence[StoredFactRecord]) -> dict[tuple[Any, ...], StoredFactRecord]:
    """A source's level facts (not shares, not changes) by (base key without unit, period, unit)."""
    out: dict[tuple[Any, ...], StoredFactRecord] = {}
    for r in facts:
        f = r.fact
        if f.unit not in CHANGE_UNITS and f.unit != "%":
            out.setdefault((f.commodity, f.form, f.metric, f.geo, f.partner, f.period, f.unit), r)
    return out


def _by_point(
    levels: dict[tuple[Any, ...], StoredFactRecord],
) -> dict[tuple[Any, ...], list[tuple[tuple[Any, ...], StoredFactRecord]]]:
    """A source's levels by key and period without the unit (in their order), so a change or a
    share finds its levels by lookup: linear in the source's facts, not quadratic."""
    out: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], StoredFactRecord]]] = {}
    for key, record in levels.items():
        out.setdefault(key[:6], []).append((key, record))
    return out


def change_failures(facts: Sequence[StoredFactRecord]) -> list[Finding]:
    levels = _levels(facts)
    by_point = _by_point(levels)
    findings: list[Finding] = []
    for r in facts:
        f = r.fact
        how = CHANGE_PREVIOUS.get(f.unit)
        if how is None or not f.period or f.approx is not None:
            continue
        try:
            period = Period.parse(f.period)
            earlier = period.previous() if how == "previous" else period.year_before()
        except ValueError:
            continue
        if earlier is None:
            continue
        for (commodity, form, metric, geo, partner, _, unit), now in by_point.get(
            (f.commodity, f.form, f.metric, f.geo, f.partner, f.period), ()
        ):
            before = levels.get((commodity, form, metric, geo, partner, earlier.text, unit))
            if before is None or before.fact.value == 0 or now.fact.approx or before.fact.approx:
                continue
            actual_pct = (_level(now) / _level(before) - 1) * 100
            allowed = max(0.5, 0.05 * abs(f.value))
            if abs(actual_pct - f.value) > allowed:
                findings.append(
                    Finding(
                        kind="change",
                        message=(
                            f"{_who(r)}: {_level(now):,g} {unit} against {_level(before):,g} {unit} in"
                            f" {earlier.text} is {actual_pct:+.1f}%, not the {f.value:+g}% stated"
                        ),
                        key=_key_fields(r),
                        period=f.period,
                        statements=tuple(source_ref(x) for x in (now, r, before)),
                        expected=_level(before) * (1 + f.value / 100),
                        found=_level(now),
                        tolerance=f"{allowed:g} points",
                    )
                )
    return findings


def _level(record: StoredFactRecord) -> float:
    """A level's value; the midpoint of a range ($615-720 → 667.5)."""
    f = record.fact
    return (f.value + f.value_high) / 2 if f.value_high is not None else f.value


def share_failures(facts: Sequence[StoredFactRecord]) -> list[Finding]:
    levels = _levels(facts)
    by_point = _by_point(levels)
    findings: list[Finding] = []
    for r in facts:
        f = r.fact
        if not f.metric.endswith("_share") or f.unit != "%" or not f.share_of:
            continue
        base = f.metric.removesuffix("_share")
        whole_geo, whole_partner = (f.share_of, None) if f.partner is None else (f.geo, None)
        for (commodity, form, *_, period, unit), part in by_point.get(
            (f.commodity, f.form, base, f.geo, f.partner, f.period), ()
        ):
            whole = levels.get((commodity, form, base, whole_geo, whole_partner, period, unit))
            if whole is None or whole.fact.value <= 0 or part.fact.approx or whole.fact.approx or f.approx:
                continue
            expected = part.fact.value / whole.fact.value * 100
            allowed = max(SHARE_TOLERANCE_MIN_POINTS, 0.03 * f.value)
            if abs(expected - f.value) > allowed:
                findings.append(
                    Finding(
                        kind="share",
                        message=(
                            f"{_who(r)}: {part.fact.value:,g} of {whole.fact.value:,g} {unit} is"
                            f" {expected:.1f}%, not the {f.value:g}% stated"
                        ),
                        key=_key_fields(r),
                        period=f.period,
                        statements=tuple(source_ref(x) for x in (r, part, whole)),
                        expected=expected,
                        found=f.value,
                        tolerance=f"{allowed:g} points",
                    )
                )
    return findings


def destination_failures(facts: Sequence[StoredFactRecord]) -> list[Finding]:
    totals: dict[tuple[Any, ...], StoredFactRecord] = {}
    parts: dict[tuple[Any, ...], dict[str, StoredFactRecord]] = defaultdict(dict)
    for r in facts:
        f = r.fact
        if f.metric not in ("exports", "imports", "trade_value") or f.approx in (Approx.OVER, Approx.UNDER):
            continue
        key = (f.commodity, f.form, f.metric, f.geo, f.period, f.unit)
        if f.partner is None:
            totals.setdefault(key, r)
        elif len(f.partner) == 2 and f.partner.isalpha() and f.partner != "EU":
            parts[key].setdefault(f.partner, r)  # countries only: EU would count its members twice
    findings: list[Finding] = []
    for key, total in totals.items():
        members = list(parts.get(key, {}).values())
        summed = sum(m.fact.value for m in members)
        if len(members) >= 2 and summed > total.fact.value * (1 + DESTINATION_SLACK):
            f = total.fact
            findings.append(
                Finding(
                    kind="destinations",
                    message=(
                        f"{_who(total)}: {len(members)} partners add up to {summed:,g} {f.unit},"
                        f" more than the total {f.value:,g} {f.unit}"
                    ),
                    key=_key_fields(total),
                    period=f.period,
                    statements=tuple(source_ref(x) for x in (total, *members)),
                    expected=f.value,
                    found=summed,
                    tolerance=f"{DESTINATION_SLACK:.0%}",
                )
            )
    return findings


def implausible_values(records: Iterable[StoredFactRecord]) -> list[Finding]:
    findings: list[Finding] = []
    for r in records:
        reason = implausibility(r)
        if reason:
            findings.append(
                Finding(
                    kind="implausible",
                    message=f"{_who(r)}: {reason}",
                    key=_key_fields(r),
                    period=r.fact.period,
                    statements=(source_ref(r),),
                    found=r.fact.value,
                )
            )
    return findings


def implausibility(record: StoredFactRecord) -> str | None:
    """Why a value cannot be right for its metric, unit and commodity; None when it can."""
    f = record.fact
    values = [f.value] + ([f.value_high] if f.value_high is not None else [])
    if f.unit == "%":
        if any(v < 0 or v > 100 for v in values):
            return f"a share of {f.value:g}% is outside 0-100%"
        return None
    if f.unit in CHANGE_UNITS:
        if f.value < -100:
            return f"a fall of {f.value:g}% is more than everything"
        return f"a change of {f.value:g}% is not believable" if f.value > 10_000 else None
    if f.metric == "price":
        year = _year(f.period)
        band = price_band(f.commodity, f.form)
        cny = to_cny_per_tonne(f.value, f.unit, year)
        if band is None or cny is None:
            return None
        if not band[0] <= cny <= band[1]:
            return (
                f"a {f.commodity}{' ' + f.form if f.form else ''} price of {f.value:,g} {f.unit}"
                f" (= {cny:,.0f} CNY/t) is outside the plausible {band[0]:,.0f}-{band[1]:,.0f} CNY/t"
            )
        return None
    if f.unit in ("t", "t/yr"):
        if any(v < 0 for v in values):
            return f"a negative {f.metric} of {f.value:,g} {f.unit}"
        limit = RESERVES_LIMIT_T if f.metric == "reserves" else mass_limit(f.commodity)
        if f.metric in (*MASS_METRICS, "reserves") and limit is not None and max(values) > limit:
            return f"{f.metric} of {max(values):,g} {f.unit} is more than the plausible {limit:,.0f} {f.unit}"
    return None


@lru_cache(maxsize=8192)  # one Period.parse per distinct period, not per price statement
def _year(period: str | None) -> int:
    if period:
        try:
            return Period.parse(period).end.year
        except ValueError:
            pass
    return max(year for years in rate_table().values() for year in years)
