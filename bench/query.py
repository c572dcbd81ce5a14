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
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from assay.analyze.checks import CheckOptions, run_checks
from assay.analyze.series import SeriesQuery, build_series
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


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def generate(path: Path, n_facts: int, seed: int = 7) -> Store:
    """A store at `path` holding `n_facts` generated facts (bulk insert through sqlite3)."""
    store = open_store(f"sqlite:///{path}")
    rng = random.Random(seed)
    n_docs = max(10, n_facts // 20)
    now = datetime(2026, 1, 1).isoformat(sep=" ")
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
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
    rows = []
    for i in range(n_facts):
        commodity = pick(rng, COMMODITIES)
        metric, _, unit, (low, high) = rng.choices(METRICS, [m[1] for m in METRICS])[0]
        geo = pick(rng, GEOS)
        partner = rng.choice(PARTNERS) if metric in ("exports", "imports") and rng.random() < 0.6 else None
        year = rng.randint(2010, 2025)
        if metric == "price":
            period = date.fromordinal(date(year, 1, 1).toordinal() + rng.randint(0, 364)).isoformat()
        elif rng.random() < 0.75:
            period = f"{year}-{rng.randint(1, 12):02d}"
        else:
            period = str(year)
        span = Period.parse(period)
        value = rng.uniform(low, high)
        rows.append((rng.randint(1, n_docs), commodity, rng.choice(FORMS), metric, geo, partner,
                     "WORLD" if unit == "%" else None, period, span.start.isoformat(), span.end.isoformat(), value,
                     unit, "actual", f"{commodity} {metric} {value:.0f} {unit} in {period}", "bench", "1"))  # fmt: skip
        if len(rows) == 50_000 or i == n_facts - 1:
            con.executemany(
                "INSERT INTO facts (document_id, commodity, form, metric, geo, partner, share_of, period,"
                " period_start, period_end, value, unit, basis, quote, rule, rule_version, span_start, span_end)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,-1,-1)",
                rows,
            )
            rows.clear()
    con.commit()
    con.execute("ANALYZE")
    con.close()
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
    """Drop the facts indexes, or (re)create them exactly as schema.py defines them."""
    with store.engine.begin() as connection:
        for index in FactRow.__table__.indexes:
            index.drop(connection, checkfirst=True)
            if present:
                index.create(connection)
        connection.exec_driver_sql("ANALYZE")


def timed(store: Store, work: list[Callable[[object], object]]) -> list[float]:
    latencies = []
    with store.session() as session:
        for job in work:
            started = time.perf_counter()
            job(session)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def summary(label: str, ms: list[float]) -> str:
    p95 = statistics.quantiles(ms, n=20)[18] if len(ms) >= 20 else max(ms)
    return f"{label:<62} n={len(ms):>4}  p50 {statistics.median(ms):8.1f} ms  p95 {p95:8.1f} ms"


def series_jobs(qs: list[SeriesQuery]) -> list[Callable[[object], object]]:
    return [lambda s, q=q: build_series(s, q) for q in qs]  # type: ignore[misc,arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--broad-queries", type=int, default=30, help="all-partner queries (each returns many facts)")
    parser.add_argument("--keep", type=Path, help="keep the generated database at this path (reused when it exists)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    big_path = args.keep or folder / "big.db"
    started = time.perf_counter()
    if args.keep and args.keep.exists():
        big = open_store(f"sqlite:///{big_path}")
        print(f"reusing {big_path}")
    else:
        big = generate(big_path, args.facts)
        print(f"generated {args.facts:,} facts in {time.perf_counter() - started:.1f} s ({big_path})")
    small = generate(folder / "small.db", 10_000)
    use_schema_indexes(big)
    use_schema_indexes(small)
    query_sets = (("one partner", queries(args.queries, True)), ("all partners", queries(args.broad_queries, False)))
    for label, qs in query_sets:
        timed(big, series_jobs(qs[:10]))  # warm the page cache
        indexed = timed(big, series_jobs(qs))
        with big.session() as session:
            rows = sum(len(o.sources) for q in qs[:10] for s in build_series(session, q) for o in s.observations)
        print(summary(f"series query, {label}, {args.facts:,} facts", indexed))
        print(f"{'':<62} ({rows / min(10, len(qs)):,.0f} facts returned per query on average)")
        print(summary(f"baseline: series query, {label}, 10,000 facts", timed(small, series_jobs(qs))))
        use_schema_indexes(big, present=False)
        print(
            summary(
                f"baseline: {label}, {args.facts:,} facts, no index",
                timed(big, series_jobs(qs[: 20 if label == "one partner" else 5])),
            )
        )
        use_schema_indexes(big)

    rng = random.Random(5)
    checks = [
        CheckOptions(commodity=pick(rng, COMMODITIES), geo="CN", since=str(y), until=str(y))
        for y in (rng.randint(2010, 2025) for _ in range(20))
    ]
    check_jobs: list[Callable[[object], object]] = [lambda s, o=o: run_checks(s, o) for o in checks]  # type: ignore[misc,arg-type]
    print(summary(f"checks, one commodity in CN for one year, {args.facts:,} facts", timed(big, check_jobs)))
    print(summary("baseline: the same checks, 10,000 facts", timed(small, check_jobs)))
    big.close()
    small.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
