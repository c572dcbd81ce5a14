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

The core (`agree`) works on plain tuples, `Weighed`, so a broad series query weighs tens of
thousands of statements without building an object for each; `consensus`, `independent_sources`
and `best_tier` are the same method on `StoredFactRecord`s.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

from assay.model import Basis
from assay.store.records import StoredFactRecord

BASIS_TIER = {Basis.ACTUAL: 0, Basis.ESTIMATE: 0, Basis.FORECAST: 1, Basis.TARGET: 2}
TIER_OF_TEXT = {str(basis.value): tier for basis, tier in BASIS_TIER.items()}  # the stored `basis` column's text

# One statement as consensus weighs it, plain values by position:
#   (published or "", id, value, value_high, tier, origin, quote key or None)
# Freshness comes first: statements sort freshest last by the tuple itself (ids are unique).
# `origin` is what makes statements one source (a document's original, a dataset's publisher);
# the quote key (`quote_key`) is None for reference data, whose rows share wordings by design.
Weighed = tuple[str, int, float, float | None, int, Hashable, str | None]
VALUE: Final = 2
VALUE_HIGH: Final = 3
TIER: Final = 4
ORIGIN: Final = 5
QUOTE: Final = 6
_NONE_LEFT_OUT: frozenset[int] = frozenset()


class Agreement(NamedTuple):
    """The consensus of weighed statements; statements are named by their index in the input.
    (A named tuple: one is made per observation of a broad series query.)"""

    value: float
    value_high: float | None
    spread: float
    n_independent: int
    sources: Sequence[Sequence[int]]  # one per independent source, freshest source first, each freshest first
    used: Sequence[int]  # the statements in the consensus tier, in input order
    freshest: int
    listed: Sequence[int]  # every statement: the sources' in order, then the other tiers', freshest first
    left_out: frozenset[int]  # other tiers' statements, and figures their source revised since


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


def weighed(record: StoredFactRecord) -> Weighed:
    """A record as `agree` weighs it."""
    fact = record.fact
    if record.dataset_id is not None:
        return (record.published or "", record.id, fact.value, fact.value_high, BASIS_TIER[fact.basis],
                f"dataset:{record.dataset_kind or record.dataset}", None)  # fmt: skip
    return (record.published or "", record.id, fact.value, fact.value_high, BASIS_TIER[fact.basis],
            record.origin_id, quote_key(fact.quote))  # fmt: skip


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    a, b = _root(parent, j), _root(parent, i)
    if a != b:
        parent[max(a, b)] = min(a, b)


def independent_groups(statements: Sequence[Weighed]) -> list[list[int]]:
    """Group statements (by index) into independent sources: the union of shared origin and shared
    quote. Groups come in the order of their first statement, each freshest first."""
    n = len(statements)
    origins = {s[ORIGIN] for s in statements}
    quotes = [q for s in statements if (q := s[QUOTE]) is not None]
    if len(origins) == n and len(set(quotes)) == len(quotes):  # the common case: no two share anything
        return [[i] for i in range(n)]
    parent = list(range(n))
    by_origin: dict[Hashable, int] = {}
    by_quote: dict[str, int] = {}
    for i, statement in enumerate(statements):
        j = by_origin.setdefault(statement[ORIGIN], i)
        if j != i:
            _union(parent, i, j)
        quote = statement[QUOTE]
        if quote is not None:
            j = by_quote.setdefault(quote, i)
            if j != i:
                _union(parent, i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(_root(parent, i), []).append(i)
    return [sorted(g, key=statements.__getitem__, reverse=True) if len(g) > 1 else g for g in groups.values()]


def agree(statements: Sequence[Weighed]) -> Agreement:
    """The consensus of statements about one series key and period (there must be at least one)."""
    n = len(statements)
    if n < 2:
        if not n:
            raise ValueError("consensus of no statements")
        only = statements[0]
        return Agreement(only[VALUE], only[VALUE_HIGH], 0.0, 1, ((0,),), (0,), 0, (0,), _NONE_LEFT_OUT)
    freshness = statements.__getitem__  # a statement's tuple sorts by its freshness
    tier = min(s[TIER] for s in statements)
    used: Sequence[int] = range(n)
    if any(s[TIER] != tier for s in statements):
        used = [i for i in range(n) if statements[i][TIER] == tier]
        groups = [[used[k] for k in g] for g in independent_groups([statements[i] for i in used])]
    else:
        groups = independent_groups(statements)
    if len(groups) == len(used):  # every source one statement (the common case): each counts
        listed = sorted((g[0] for g in groups), key=freshness, reverse=True)
        sources: Sequence[Sequence[int]] = [(i,) for i in listed]
        left_out = _NONE_LEFT_OUT
    else:
        groups.sort(key=lambda g: freshness(g[0]), reverse=True)
        sources = groups
        listed = [i for g in groups for i in g]
        # a source's earlier statements that its freshest one revised did not enter the consensus
        left_out = frozenset(i for g in groups for i in g if statements[i][VALUE] != statements[g[0]][VALUE])
    if len(used) < n:  # the other tiers' statements come after, freshest first
        chosen = set(used)
        others = sorted((i for i in range(n) if i not in chosen), key=freshness, reverse=True)
        listed += others
        left_out = left_out.union(others)
    heads = [statements[g[0]] for g in sources]
    values = [s[VALUE] for s in heads]
    highs = [h for s in heads if (h := s[VALUE_HIGH]) is not None]
    middle = statistics.median(values)
    return Agreement(
        float(middle),
        float(statistics.median(highs)) if highs else None,
        _spread(values, middle),
        len(sources),
        sources,
        used,
        listed[0],  # the freshest source's freshest statement is the freshest of the tier
        listed,
        left_out,
    )


def agreed_value(statements: Sequence[Weighed]) -> float:
    """`agree(statements).value` alone (at least one statement): the median of the freshest
    value of each independent source in the best tier, with no order or index list built (a
    chart of consensus values weighs every period of its series)."""
    if len(statements) == 1:
        return statements[0][VALUE]
    tier = min(s[TIER] for s in statements)
    if any(s[TIER] != tier for s in statements):
        statements = [s for s in statements if s[TIER] == tier]
    groups = independent_groups(statements)
    if len(groups) == len(statements):  # every source one statement (the common case)
        return float(statistics.median([s[VALUE] for s in statements]))
    return float(statistics.median([statements[g[0]][VALUE] for g in groups]))  # each group freshest first


def independent_sources(records: Sequence[StoredFactRecord]) -> list[list[StoredFactRecord]]:
    """Group statements into independent sources (union of shared origin and shared quote),
    each group freshest first."""
    if len(records) == 1:
        return [[records[0]]]
    return [[records[i] for i in group] for group in independent_groups([weighed(r) for r in records])]


def best_tier(records: Sequence[StoredFactRecord]) -> list[StoredFactRecord]:
    tier = min(BASIS_TIER[r.fact.basis] for r in records)
    return [r for r in records if BASIS_TIER[r.fact.basis] == tier]


def relative_spread(values: Sequence[float]) -> float:
    return _spread(values, statistics.median(values)) if len(values) > 1 else 0.0


def _spread(values: Sequence[float], middle: float) -> float:
    if len(values) < 2:
        return 0.0
    width = max(values) - min(values)
    return width / abs(middle) if middle else (float("inf") if width else 0.0)


def consensus(records: Sequence[StoredFactRecord]) -> Consensus:
    """The consensus of statements about one series key and period (records must not be empty)."""
    if not records:
        raise ValueError("consensus of no statements")
    if len(records) == 1:  # most observations: one statement, nothing to weigh
        (only,) = records
        return Consensus(only.fact.value, only.fact.value_high, 0.0, 1, (only,), ((only,),), only)
    return consensus_of(records, agree([weighed(r) for r in records]))


def consensus_of(records: Sequence[StoredFactRecord], agreed: Agreement) -> Consensus:
    """`agreed`, the agreement of `records` weighed in order, with the records in place of indices."""
    return Consensus(
        value=agreed.value,
        value_high=agreed.value_high,
        spread=agreed.spread,
        n_independent=agreed.n_independent,
        used=tuple(records[i] for i in agreed.used),
        source_values=tuple(tuple(records[i] for i in g) for g in agreed.sources),
        freshest=records[agreed.freshest],
    )
