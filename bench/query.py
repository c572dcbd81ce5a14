"""Series and check latency at one million facts, with baselines beside.

    python bench/query.py [--facts 1000000] [--queries 200] [--keep DB]

Generates facts into a temporary SQLite file (bulk insert, a realistic key distribution: most
facts are Chinese trade and price figures by month or day, a long tail of commodities,
partners and provinces; 5 % of documents are near-duplicates of another), then times:
- `build_series` for random series queries (commodity + metric + geo, some with a partner),
  p50 and p95, against two baselines: the same queries with the series index dropped (a table
  scan), and the same queries on a 10,000-fact store;
- `run_checks` over one commodity and place for one year (every check kind), p50 and p95.
Prints the figures; asserts nothing (no timed tests).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy.orm import Session

from assay.analyze.checks import CheckOptions, run_checks
from assay.analyze.series import Series, SeriesQuery, build_series
from assay.model import Period
from assay.store.db import Store, open_store
from assay.store.schema import FactRow

COMMODITIES = [  # (id, weight)
    ("magnesium", 20), ("rare_earths", 12), ("graphite", 10), ("prnd", 8), ("neodymium", 6), ("dysprosium", 5),
    ("terbium", 4), ("magnesia", 6), ("fused_magnesia", 3), ("dead_burned_magnesia", 3), ("magnesite", 3),
    ("ndfeb_magnets", 6), ("flake_graphite", 4), ("spherical_graphite", 3), ("synthetic_graphite", 3),
    ("magnesium_alloy", 2), ("lanthanum", 1), ("cerium", 1),
]  # fmt: skip
METRICS = [  # (id, weight, unit, value range)
    ("exports", 30, "t", (100, 60000)), ("price", 28, "CNY/t", (2000, 3_000_000)), ("imports", 8, "t", (10, 20000)),
    ("production", 12, "t", (1000, 2_000_000)), ("capacity", 5, "t/yr", (1000, 500_000)),
    ("exports", 6, "pct_yoy", (-50, 80)), ("exports", 4, "pct_mom", (-30, 30)), ("reserves", 2, "t", (1e5, 1e9)),
    ("production_share", 3, "%", (1, 99)), ("trade_value", 2, "USD", (1e5, 1e9)),
]  # fmt: skip
GEOS = [("CN", 70), ("WORLD", 5), ("CN-LN", 4), ("CN-NM", 4), ("CN-SN", 3), ("US", 2), ("AU", 2), ("MZ", 1), ("EU", 1)]
PARTNERS = ["NL", "JP", "KR", "US", "DE", "IN", "TR", "CA", "BR", "RU", "VN", "MY", "TH", "IT", "FR", "GB", "MX", "ID"]
FORMS = [None, None, None, "oxide", "metal", "ingot", "alloy"]
BUDGET_MS = 100.0  # the aim for one series query


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


class Picker:
    """Weighted choice with the cumulative weights computed once (generation draws millions)."""

    def __init__(self, rng: random.Random, weighted: list[tuple[Any, ...]]) -> None:
        self.rng, self.items = rng, weighted
        self.cum_weights = list(itertools.accumulate(w[1] for w in weighted))

    def __call__(self) -> tuple[Any, ...]:
        return self.rng.choices(self.items, cum_weights=self.cum_weights)[0]


def generate(path: Path, n_facts: int, seed: int = 7) -> Store:
    """A store at `path` holding `n_facts` generated facts.

    The schema comes from `open_store` (Alembic); rows go in through sqlite3 `executemany` in one
    transaction with the journal and fsync off and the facts indexes dropped, then the indexes are
    built once at the end: a throwaway bench file needs no crash safety."""
    open_store(f"sqlite:///{path}").close()
    rng = random.Random(seed)
    n_docs = max(10, n_facts // 20)
    now = datetime(2026, 1, 1).isoformat(sep=" ")
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-200000")  # 200 MB while building the indexes
    indexes = [name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' AND sql IS NOT NULL")]  # fmt: skip
    for name in indexes:
        con.execute(f'DROP INDEX "{name}"')
    con.execute("BEGIN")
    docs = []
    for i in range(1, n_docs + 1):
        dup = rng.randint(1, i - 1) if i > 1 and rng.random() < 0.05 else None
        day = date(2010, 1, 1).toordinal() + rng.randint(0, 5800)
        docs.append((i, f"doc-{i}", f"/c/doc-{i}.txt", f"{i:064x}", f"{i:064x}", now, date.fromordinal(day).isoformat(),
                     "", "", "[]", "[]", dup, f"source{rng.randint(1, 300)}"))  # fmt: skip
    con.executemany(
        "INSERT INTO documents (id, name, source, raw_sha256, text_sha256, fetched_at, published, raw_text,"
        " clean_text, cleaning_steps, commodity_families, duplicate_of, source_name)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        docs,
    )
    commodities, metrics, geos = Picker(rng, COMMODITIES), Picker(rng, METRICS), Picker(rng, GEOS)
    spans: dict[str, tuple[str, str]] = {}
    rows = []
    for i in range(n_facts):
        (commodity, _), (metric, _, unit, (low, high)), (geo, _) = commodities(), metrics(), geos()
        partner = rng.choice(PARTNERS) if metric in ("exports", "imports") and rng.random() < 0.6 else None
        year = rng.randint(2010, 2025)
        if metric == "price":
            period = date.fromordinal(date(year, 1, 1).toordinal() + rng.randint(0, 364)).isoformat()
        elif rng.random() < 0.75:
            period = f"{year}-{rng.randint(1, 12):02d}"
        else:
            period = str(year)
        if period not in spans:
            parsed = Period.parse(period)
            spans[period] = (parsed.start.isoformat(), parsed.end.isoformat())
        start, end = spans[period]
        value = rng.uniform(low, high)
        rows.append((rng.randint(1, n_docs), commodity, rng.choice(FORMS), metric, geo, partner,
                     "WORLD" if unit == "%" else None, period, start, end, value,
                     unit, "actual", f"{commodity} {metric} {value:.0f} {unit} in {period}", "bench", "1"))  # fmt: skip
        if len(rows) == 100_000 or i == n_facts - 1:
            con.executemany(
                "INSERT INTO facts (document_id, commodity, form, metric, geo, partner, share_of, period,"
                " period_start, period_end, value, unit, basis, quote, rule, rule_version, span_start, span_end)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,-1,-1)",
                rows,
            )
            rows.clear()
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")  # as open_store leaves it
    con.close()
    store = open_store(f"sqlite:///{path}")
    use_schema_indexes(store)
    return store


def queries(n: int, with_partner: bool, seed: int = 11) -> list[SeriesQuery]:
    """Series queries as users ask them: one partner (`--partner NL`), or every partner at once."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        commodity = pick(rng, COMMODITIES)
        if with_partner:
            out.append(
                SeriesQuery(commodity, rng.choice(["exports", "imports"]), geo="CN", partner=rng.choice(PARTNERS))
            )
        else:
            out.append(SeriesQuery(commodity, rng.choice(["exports", "price", "production", "imports"]), geo="CN"))
    return out


def use_schema_indexes(store: Store, present: bool = True) -> None:
    """Drop every facts index the file has (whatever migration made it), then, when `present`,
    create the indexes exactly as schema.py defines them for SQLite."""
    with store.engine.begin() as connection:
        names = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' AND sql IS NOT NULL"
        ).scalars()
        for name in list(names):
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        if present:
            for index in FactRow.metadata.tables["facts"].indexes:
                index.create(connection)  # skips indexes schema.py marks for PostgreSQL only
        connection.exec_driver_sql("ANALYZE")


def timed(store: Store, work: list[Callable[[Session], object]]) -> tuple[list[float], list[object]]:
    """Latency of each job in ms, and what each returned (counted outside the timed window)."""
    latencies: list[float] = []
    results: list[object] = []
    with store.session() as session:
        for job in work:
            started = time.perf_counter()
            results.append(job(session))
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies, results


def summary(label: str, ms: list[float]) -> str:
    p95 = f"p95 {statistics.quantiles(ms, n=20)[18]:8.1f} ms" if len(ms) >= 20 else f"max {max(ms):8.1f} ms"
    return f"{label:<62} n={len(ms):>4}  p50 {statistics.median(ms):8.1f} ms  {p95}"


def statements(results: list[object]) -> float:
    """Facts returned per series query, on average over all the timed queries."""
    counts = [sum(len(o.sources) for s in cast(list[Series], r) for o in s.observations) for r in results]
    return sum(counts) / max(1, len(counts))


def series_jobs(qs: list[SeriesQuery]) -> list[Callable[[Session], object]]:
    return [functools.partial(build_series, query=q) for q in qs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts in the big store (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--broad-queries", type=int, default=30, help="all-partner queries (each returns many facts)")
    parser.add_argument("--keep", type=Path, help="keep the generated database at this path (reused when it exists)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    big_path = args.keep or folder / "big.db"
    started = time.perf_counter()
    if args.keep and args.keep.exists():
        big = open_store(f"sqlite:///{big_path}")
        with big.engine.connect() as connection:
            n_facts = connection.exec_driver_sql("SELECT count(*) FROM facts").scalar_one()
        print(f"reusing {big_path} ({n_facts:,} facts; --facts ignored)")
    else:
        big = generate(big_path, args.facts)
        n_facts = args.facts
        print(f"generated {n_facts:,} facts in {time.perf_counter() - started:.1f} s ({big_path})")
    small = generate(folder / "small.db", 10_000)
    use_schema_indexes(big)
    print(f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (latencies include contention)")
    print(f"aim: p95 under {BUDGET_MS:.0f} ms for a one-partner series query")
    query_sets = (("one partner", queries(args.queries, True)), ("all partners", queries(args.broad_queries, False)))
    for label, qs in query_sets:
        timed(big, series_jobs(qs[:10]))  # warm the page cache
        indexed, results = timed(big, series_jobs(qs))
        line = summary(f"series query, {label}, {n_facts:,} facts", indexed)
        if label == "one partner":
            p95 = statistics.quantiles(indexed, n=20)[18] if len(indexed) >= 20 else max(indexed)
            line += "  (within the aim)" if p95 < BUDGET_MS else "  (OVER the aim)"
        print(line)
        print(f"{'':<62} ({statements(results):,.0f} facts returned per query on average)")
        print(summary(f"baseline: series query, {label}, 10,000 facts", timed(small, series_jobs(qs))[0]))
        use_schema_indexes(big, present=False)
        print(
            summary(
                f"baseline: {label}, {n_facts:,} facts, no index",
                timed(big, series_jobs(qs[: 20 if label == "one partner" else 5]))[0],
            )
        )
        use_schema_indexes(big)

    rng = random.Random(5)
    checks = [
        CheckOptions(commodity=pick(rng, COMMODITIES), geo="CN", since=str(y), until=str(y))
        for y in (rng.randint(2010, 2025) for _ in range(20))
    ]
    check_jobs: list[Callable[[Session], object]] = [functools.partial(run_checks, options=o) for o in checks]
    print(summary(f"checks, one commodity in CN for one year, {n_facts:,} facts", timed(big, check_jobs)[0]))
    print(summary("baseline: the same checks, 10,000 facts", timed(small, check_jobs)[0]))
    big.close()
    small.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
