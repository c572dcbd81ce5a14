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

The checks judge plain rows (`store.records.fact_rows`): a record with its provenance is built
only for the statements of a group of statements that may contradict (their values are further
apart than the tolerance) and for the findings returned (see `assay.analyze.findings`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.bands import APPROX_TOLERANCE, tolerance
from assay.analyze.consensus import TIER, TIER_OF_TEXT, Weighed, independent_groups, quote_key, weighed
from assay.analyze.consensus import VALUE as W_VALUE
from assay.analyze.consensus import VALUE_HIGH as W_VALUE_HIGH
from assay.analyze.findings import (
    APPROX,
    BASIS,
    COMMODITY,
    DATASET_ID,
    DOCUMENT_ID,
    FORM,
    GEO,
    ID,
    METRIC,
    PARTNER,
    PERIOD,
    PERIOD_START,
    QUOTE,
    SHARE_OF,
    UNIT,
    VALUE,
    VALUE_HIGH,
    Finding,
    Hit,
    Make,
    PlainFact,
    key_fields,
    row_of,
    who,
)
from assay.analyze.series import source_ref
from assay.analyze.source_checks import change_hits, destination_hits, implausible_hits, share_hits
from assay.model import Approx, Period
from assay.store.records import (
    FACT_ROW_DUPLICATE_OF,
    FACT_ROW_PUBLISHED,
    StoredFactRecord,
    dataset_origins,
    fact_rows,
    records_from_rows,
)
from assay.store.series import FactSelection, gc_paused, stored_commodities
from assay.store.statements import origins

__all__ = [
    "KINDS",
    "CheckOptions",
    "CountedFindings",
    "Finding",
    "check_records",
    "contradictions",
    "count_checks",
    "run_checks",
]

KINDS = ("contradiction", "change", "share", "destinations", "implausible")
RecordsOf = Callable[[Sequence[PlainFact]], list[StoredFactRecord]]  # the records of rows, in their order
WeighedOf = Callable[[Sequence[PlainFact]], list[Weighed]]  # rows as consensus weighs them, in their order
Point = tuple[float, float, bool]  # a statement as an interval (low, high) and whether it is approximate
FIRST_BATCH = 16  # groups judged at once at least when a limit is asked (their provenance read together)


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
class CountedFindings:
    total: int  # every finding the checks make
    findings: list[Finding]  # the first of them, as many as asked


def run_checks(session: Session, options: CheckOptions | None = None) -> list[Finding]:
    """All findings over the facts `options` selects, contradictions first.

    Every check compares facts of one commodity, so an unfiltered run reads one commodity at a
    time: memory stays bounded by the largest commodity, not the whole store. With a limit that
    contradictions fill, the facts are read in period order only until those are known."""
    with gc_paused():
        return _findings(_ordered_hits(session, options or CheckOptions()), _records_reader(session))


def count_checks(session: Session, options: CheckOptions, shown: int) -> CountedFindings:
    """How many findings the checks make (without a limit), and the first `shown` of them: only
    those are worded (a table that counts every finding and shows a page)."""
    if shown < 0:
        raise ValueError(f"shown must be 0 or more, not {shown}")
    with gc_paused():
        hits = _ordered_hits(session, replace(options, limit=None))
        return CountedFindings(len(hits), _findings(hits[:shown], _records_reader(session)))


def _records_reader(session: Session) -> RecordsOf:
    def records_of(rows: Sequence[PlainFact]) -> list[StoredFactRecord]:
        return records_from_rows(session, rows)

    return records_of


def _rows_weigher(session: Session) -> WeighedOf:
    """Rows read `with_documents` as consensus weighs them (`consensus.weighed` of their records):
    the document's day and duplicate link come with each row; only the originals of duplicates and
    the datasets are looked up, for these rows alone. No record is built."""

    def weigh(rows: Sequence[PlainFact]) -> list[Weighed]:
        copies = {row[DOCUMENT_ID] for row in rows if row[FACT_ROW_DUPLICATE_OF] is not None}
        original = origins(session, copies) if copies else {}
        dataset_ids = {row[DATASET_ID] for row in rows if row[DATASET_ID] is not None}
        datasets = dataset_origins(session, dataset_ids) if dataset_ids else {}
        out: list[Weighed] = []
        for row in rows:
            document_id, dataset_id, published = row[DOCUMENT_ID], row[DATASET_ID], row[FACT_ROW_PUBLISHED]
            tier = TIER_OF_TEXT[row[BASIS]]
            if dataset_id is None:
                origin = original.get(document_id, document_id)
                out.append((published or "", row[ID], row[VALUE], row[VALUE_HIGH], tier, origin, quote_key(row[QUOTE])))
                continue
            dataset_published, publisher = datasets.get(dataset_id, (None, "dataset:None"))
            published = published if document_id is not None else dataset_published
            out.append((published or "", row[ID], row[VALUE], row[VALUE_HIGH], tier, publisher, None))
        return out

    return weigh


def _ordered_hits(session: Session, options: CheckOptions) -> list[Hit]:
    """The hits of `run_checks`, kind by kind, cut at the limit."""
    if options.limit is not None and options.limit < 0:
        raise ValueError(f"limit must be 0 or more, not {options.limit}")
    wanted = [options.commodity] if options.commodity else stored_commodities(session)
    order = {kind: i for i, kind in enumerate(KINDS)}
    first_kind = min((k for k in options.kinds if k in order), key=order.__getitem__, default=None)
    hits: list[Hit] = []
    weigh = _rows_weigher(session)
    for commodity in wanted:
        # hits come kind by kind, each kind in commodity order: once the first kind alone fills
        # the limit, no later commodity can change the first `limit`
        if options.limit is not None and sum(h.kind == first_kind for h in hits) >= options.limit:
            break
        left = None
        if options.limit is not None and first_kind == "contradiction":
            left = options.limit - sum(h.kind == "contradiction" for h in hits)
        # streamed in period order only when the contradictions may stop the reading part-way; read
        # whole for contradictions alone, only the groups whose statements may be apart leave SQL
        stream = left is not None
        spread_only = not stream and set(options.kinds) <= {"contradiction"}
        selection = selection_for_checks(commodity, options)
        with fact_rows(session, selection, stream=stream, with_documents=True, spread_groups_only=spread_only) as rows:
            hits += _hits(rows, options, weigh, left, in_start_order=True)
    return sorted(hits, key=lambda h: order.get(h.kind, len(order)))[: options.limit]


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
    """Every finding over records already read, kind by kind as the checks run them (`run_checks`
    sorts and limits)."""
    options = options or CheckOptions()
    records_of, weigh = _readers_of(records)
    hits = _hits(iter([row_of(r) for r in records]), options, weigh, None, in_start_order=False)
    return _findings(hits, records_of)


def contradictions(records: Iterable[StoredFactRecord]) -> list[Finding]:
    """The contradictions among records already read."""
    by_id = {record.id: record for record in records}
    records_of, weigh = _readers_of(list(by_id.values()))
    rows = (row_of(r) for r in by_id.values())
    return _findings(_contradiction_hits(rows, weigh, None, in_start_order=False), records_of)


def _readers_of(records: Sequence[StoredFactRecord]) -> tuple[RecordsOf, WeighedOf]:
    """The records, and their weighing, of rows made of records already read (`row_of`)."""
    by_id = {record.id: record for record in records}

    def records_of(rows: Sequence[PlainFact]) -> list[StoredFactRecord]:
        return [by_id[row[ID]] for row in rows]

    def weigh(rows: Sequence[PlainFact]) -> list[Weighed]:
        return [weighed(by_id[row[ID]]) for row in rows]

    return records_of, weigh


def _hits(
    rows: Iterator[PlainFact], options: CheckOptions, weigh: WeighedOf, left: int | None, in_start_order: bool
) -> list[Hit]:
    """The hits of one commodity's rows, kind by kind; with `left`, at most that many
    contradictions, and once those are found the rest of the rows is not read (nor the later kinds)."""
    metric = options.metric
    read: list[PlainFact] = []

    def reading() -> Iterator[PlainFact]:
        for row in rows:
            read.append(row)
            yield row

    stream = reading()
    hits: list[Hit] = []
    if "contradiction" in options.kinds:
        wanted = stream if metric is None else (r for r in stream if r[METRIC].startswith(metric))
        hits += _contradiction_hits(wanted, weigh, left, in_start_order)
        if left is not None and len(hits) >= left:  # the later kinds come after these
            return hits
    for _ in stream:  # every row, when the contradictions did not need them all
        pass
    per_source = ("change", "share", "destinations")
    if any(kind in options.kinds for kind in per_source):
        by_source: dict[tuple[str, Any], list[PlainFact]] = {}
        for row in read:  # one source: its dataset, else its document
            source = ("dataset", row[DATASET_ID]) if row[DATASET_ID] is not None else ("doc", row[DOCUMENT_ID])
            by_source.setdefault(source, []).append(row)
        for facts in by_source.values():
            if len(facts) < 2:  # every one of these compares two statements of a source at least
                continue
            if "change" in options.kinds:
                hits += change_hits(facts)
            if "share" in options.kinds:
                hits += share_hits(facts)
            if "destinations" in options.kinds:
                hits += destination_hits(facts)
    if "implausible" in options.kinds:
        hits += implausible_hits(read if metric is None else (r for r in read if r[METRIC].startswith(metric)))
    if metric is not None:
        hits = [h for h in hits if h.metric.startswith(metric)]
    return hits


def _findings(hits: Sequence[Hit], records_of: RecordsOf) -> list[Finding]:
    """The findings of `hits`, the records they cite built at once."""
    rows = list({row[ID]: row for hit in hits for row in hit.rows}.values())
    by_id = {record.id: record for record in records_of(rows)} if rows else {}
    return [hit.make([by_id[row[ID]] for row in hit.rows]) for hit in hits]


def _contradiction_hits(
    rows: Iterable[PlainFact], weigh: WeighedOf, left: int | None, in_start_order: bool
) -> list[Hit]:
    """Contradictions among `rows`, in the order of each group's first statement (at most `left`).

    Only groups whose statements are further apart than the tolerance may contradict (the heads
    of their independent sources are some of these statements); they are weighed as consensus
    weighs statements (plain tuples: no record built) to find the independent sources. Rows
    `in_start_order` (by the day their period starts) complete every group of a day when the next
    day begins, so with `left` the groups are judged a batch at a time as the rows come, and the
    rows stop being read once `left` are found."""
    hits: list[Hit] = []
    pending: list[tuple[str, list[PlainFact]]] = []

    def judge(batch: list[tuple[str, list[PlainFact]]]) -> None:
        statements = weigh([row for _, members in batch for row in members])
        start = 0
        for period, members in batch:
            group, start = statements[start : start + len(members)], start + len(members)
            first = members[0]
            found = _contradiction(period, group, [row[APPROX] for row in members], first[METRIC], first[UNIT])
            if found is not None:
                low, high, n_sources, tol, absolute = found
                make = _contradiction_finding(period, n_sources, tol, absolute)
                hits.append(Hit("contradiction", first[METRIC], (members[low], members[high]), make))
                if left is not None and len(hits) >= left:
                    return

    for block in _blocks(rows) if in_start_order else [rows]:
        pending += _candidates(block)
        while left is not None and len(pending) >= max(FIRST_BATCH, left - len(hits)):
            size = max(FIRST_BATCH, left - len(hits))
            judge(pending[:size])
            del pending[:size]
            if len(hits) >= left:
                return hits
    while pending and (left is None or len(hits) < left):
        size = len(pending) if left is None else max(FIRST_BATCH, left - len(hits))
        judge(pending[:size])
        del pending[:size]
    return hits


def _blocks(rows: Iterable[PlainFact]) -> Iterator[list[PlainFact]]:
    """Consecutive rows whose periods start on one day (a group of one key and period is in one)."""
    block: list[PlainFact] = []
    for row in rows:
        if block and row[PERIOD_START] != block[0][PERIOD_START]:
            yield block
            block = []
        block.append(row)
    if block:
        yield block


# a row's series key and period (the period last), taken in C: the hot loop of every check run
_GROUP_KEY = itemgetter(COMMODITY, FORM, METRIC, GEO, PARTNER, SHARE_OF, UNIT, PERIOD)


def _candidates(rows: Iterable[PlainFact]) -> list[tuple[str, list[PlainFact]]]:
    """The groups of one key and period among `rows` that may contradict, in order of first statement."""
    groups: dict[tuple[Any, ...], list[PlainFact]] = {}
    for row in rows:
        if row[PERIOD]:
            key = _GROUP_KEY(row)
            members = groups.get(key)
            if members is None:
                groups[key] = [row]
            else:
                members.append(row)
    return [
        (key[7], members)
        for key, members in groups.items()
        if len(members) > 1 and _may_contradict(members, *tolerance(key[2], key[6], key[7]))
    ]


Contradiction = tuple[int, int, int, float, bool]  # the lower and higher statement, sources, tolerance, absolute?


def _contradiction(
    period: str, statements: Sequence[Weighed], approx: Sequence[str | None], metric: str, unit: str
) -> Contradiction | None:
    """Whether the heads of the independent sources among statements of one series key and period
    (weighed as consensus weighs them; `approx` beside each) disagree beyond the tolerance: the
    lower and the higher statement of the widest disagreement (by index), the number of sources,
    and the tolerance."""
    tier = min(s[TIER] for s in statements)
    used = [i for i, s in enumerate(statements) if s[TIER] == tier]  # the best basis tier alone
    if len(used) < 2:
        return None
    heads = [used[group[0]] for group in independent_groups([statements[i] for i in used])]
    if len(heads) < 2:
        return None
    tol, absolute = tolerance(metric, unit, period)
    points = {i: _point(statements[i][W_VALUE], statements[i][W_VALUE_HIGH], approx[i]) for i in heads}
    if not absolute and any(_negative(statements[i][W_VALUE], statements[i][W_VALUE_HIGH]) for i in heads):
        extremes = heads  # with negative values a relative gap has no order: every pair is compared
    else:
        extremes = [heads[k] for k in _extreme_indices([points[i] for i in heads])]
    if len(extremes) < 2:  # one statement is both the lowest and the highest: all overlap it
        return None
    worst = max(
        ((a, b) for k, a in enumerate(extremes) for b in extremes[k + 1 :]),
        key=lambda pair: _gap_between(points[pair[0]], points[pair[1]], tol, absolute),
    )
    if _gap_between(points[worst[0]], points[worst[1]], tol, absolute) <= 1.0:
        return None
    low, high = sorted(worst, key=lambda i: statements[i][W_VALUE])
    return low, high, len(heads), tol, absolute


def _contradiction_finding(period: str, n_sources: int, tol: float, absolute: bool) -> Make:
    def make(pair: Sequence[StoredFactRecord]) -> Finding:
        return _worded(period, list(pair), n_sources, tol, absolute)

    return make


def _worded(period: str, pair: list[StoredFactRecord], n_sources: int, tol: float, absolute: bool) -> Finding:
    low, high = pair
    first = low.fact
    apart = (
        f"{high.fact.value - low.fact.value:g} points"
        if absolute
        else f"{(high.fact.value - low.fact.value) / max(abs(high.fact.value), 1e-12):.1%}"
    )
    return Finding(
        kind="contradiction",
        message=(
            f"{who(low)} says {low.fact.value:,g} {first.unit}, {who(high)} says {high.fact.value:,g}"
            f" ({apart} apart; {n_sources} independent sources)"
        ),
        key=key_fields(low),
        period=period,
        statements=tuple(source_ref(r) for r in (low, high)),
        expected=low.fact.value,
        found=high.fact.value,
        tolerance=f"{tol:g} points for {first.metric}" if absolute else f"{tol:.0%} for {first.metric}",
    )


def _point(value: float, high: float | None, approx: str | None) -> Point:
    if approx == Approx.OVER:
        return value, math.inf, False
    if approx == Approx.UNDER:
        return -math.inf, value, False
    return value, high if high is not None else value, approx == Approx.ABOUT


def _negative(value: float, high: float | None) -> bool:
    return value < 0 or (high or 0.0) < 0


def _record_point(record: StoredFactRecord) -> Point:
    f = record.fact
    return _point(f.value, f.value_high, f.approx)


def _extreme_indices(points: Sequence[Point]) -> list[int]:
    """Where the widest disagreement lies among statements with no negative value, found in one pass.

    Two statements disagree by the distance between the upper end of the lower one and the lower end
    of the higher one, over a tolerance that depends only on whether either is approximate (and, when
    relative, over the higher end). So the widest pair is made of the lowest upper end and the
    highest lower end among the approximate statements or among the others."""
    chosen: set[int] = set()
    for about in (True, False):
        members = [(i, point) for i, point in enumerate(points) if point[2] is about]
        if members:
            chosen.add(min(members, key=lambda m: (m[1][1], m[0]))[0])
            chosen.add(max(members, key=lambda m: (m[1][0], -m[0]))[0])
    return sorted(chosen)


def _extremes(heads: list[StoredFactRecord], absolute: bool) -> list[StoredFactRecord]:
    """The few statements among which the widest disagreement lies (in their order). With negative
    values a relative gap has no such order, and every pair is compared."""
    if not absolute and any(_negative(r.fact.value, r.fact.value_high) for r in heads):
        return heads
    return [heads[i] for i in _extreme_indices([_record_point(r) for r in heads])]


def _gap_between(a: Point, b: Point, tol: float, absolute: bool) -> float:
    (lo_a, hi_a, about_a), (lo_b, hi_b, about_b) = a, b
    if hi_a < lo_b:
        near_a, near_b = hi_a, lo_b
    elif hi_b < lo_a:
        near_a, near_b = lo_a, hi_b
    else:
        return 0.0
    distance = abs(near_b - near_a)
    if absolute:
        return distance / tol
    if about_a or about_b:
        tol = max(tol, APPROX_TOLERANCE)
    scale = max(abs(near_a), abs(near_b)) * tol  # 0 also when a subnormal value underflows
    return distance / scale if scale else 0.0


def _gap(a: StoredFactRecord, b: StoredFactRecord, tol: float, absolute: bool) -> float:
    """How far apart two statements are, in tolerances (over 1 means they contradict)."""
    return _gap_between(_record_point(a), _record_point(b), tol, absolute)


def _may_contradict(members: Sequence[PlainFact], tol: float, absolute: bool) -> bool:
    """Whether two of a group's statements are further apart than the tolerance (on row values
    alone): when none are, no two heads of its independent sources can be."""
    if not absolute and any(_negative(r[VALUE], r[VALUE_HIGH]) for r in members):
        return True  # no one-pass bound: the full check compares every pair of heads
    points = [_point(r[VALUE], r[VALUE_HIGH], r[APPROX]) for r in members]
    extremes = [points[i] for i in _extreme_indices(points)]
    widest = max(
        (_gap_between(a, b, tol, absolute) for i, a in enumerate(extremes) for b in extremes[i + 1 :]), default=0.0
    )
    return widest > 1.0 - 1e-9  # a margin for rounding: the full check decides near the bound
