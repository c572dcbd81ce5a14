"""One value from many statements of the same series key and period.

The method, in order:
1. Basis tier: actual and estimate statements outrank forecasts, which outrank targets; only
   the best tier present enters the consensus (a 2025 target never argues with 2025 output).
2. Independence: statements from one document and its near-duplicates (`duplicate_of`), from
   one reference publisher (all USGS MCS editions), or sharing the same quote text (syndicated
   copies) form one source.
3. Each source contributes one value: its freshest statement (a revision replaces the first
   figure).
4. The consensus value is the median of the sources' values; the spread is (max - min) / |median|;
   the freshest statement is the one published last.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from assay.model import Basis
from assay.store.series import StoredFactRecord

BASIS_TIER = {Basis.ACTUAL: 0, Basis.ESTIMATE: 0, Basis.FORECAST: 1, Basis.TARGET: 2}


@dataclass(frozen=True, slots=True)
class Consensus:
    value: float
    value_high: float | None
    spread: float
    n_independent: int
    used: tuple[StoredFactRecord, ...]  # the statements in the consensus tier
    source_values: tuple[tuple[StoredFactRecord, ...], ...]  # one tuple per independent source, freshest first
    freshest: StoredFactRecord


def quote_key(quote: str) -> str:
    """Quote text as syndication compares it: case, spacing and trailing punctuation ignored."""
    return " ".join(quote.split()).strip(".。;；,，").casefold()


def freshness(record: StoredFactRecord) -> tuple[str, int]:
    """Sort key: later publication first when sorted in reverse; undated statements rank oldest."""
    return (record.published or "", record.id)


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def independent_sources(records: Sequence[StoredFactRecord]) -> list[list[StoredFactRecord]]:
    """Group statements into independent sources (union of shared origin and shared quote),
    each group freshest first."""
    if len(records) == 1:
        return [[records[0]]]
    parent = list(range(len(records)))
    owner: dict[str, int] = {}
    for i, record in enumerate(records):
        keys = [record.independence_key]
        if record.dataset_id is None:
            keys.append("quote:" + quote_key(record.fact.quote))
        for key in keys:
            j = owner.setdefault(key, i)
            if j != i:
                a, b = _root(parent, j), _root(parent, i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[StoredFactRecord]] = {}
    for i, record in enumerate(records):
        groups.setdefault(_root(parent, i), []).append(record)
    return [sorted(g, key=freshness, reverse=True) if len(g) > 1 else g for g in groups.values()]


def best_tier(records: Sequence[StoredFactRecord]) -> list[StoredFactRecord]:
    tier = min(BASIS_TIER[r.fact.basis] for r in records)
    return [r for r in records if BASIS_TIER[r.fact.basis] == tier]


def relative_spread(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    middle = statistics.median(values)
    width = max(values) - min(values)
    return width / abs(middle) if middle else (float("inf") if width else 0.0)


def consensus(records: Sequence[StoredFactRecord]) -> Consensus:
    """The consensus of statements about one series key and period (records must not be empty)."""
    if not records:
        raise ValueError("consensus of no statements")
    if len(records) == 1:  # most observations: one statement, nothing to weigh
        (only,) = records
        return Consensus(only.fact.value, only.fact.value_high, 0.0, 1, (only,), ((only,),), only)
    used = best_tier(records)
    sources = sorted(independent_sources(used), key=lambda g: freshness(g[0]), reverse=True)
    values = [group[0].fact.value for group in sources]
    highs = [group[0].fact.value_high for group in sources if group[0].fact.value_high is not None]
    return Consensus(
        value=float(statistics.median(values)),
        value_high=float(statistics.median(highs)) if highs else None,
        spread=relative_spread(values),
        n_independent=len(sources),
        used=tuple(used),
        source_values=tuple(tuple(g) for g in sources),
        freshest=max(used, key=freshness),
    )
