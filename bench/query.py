"""Latency of every broad query the product runs, at one million facts, with baselines beside.

    python bench/query.py [--facts 1000000] [--queries 40] [--broad-queries 20] [--keep DB]
    python bench/query.py --database postgresql+psycopg://USER@HOST/EMPTY_DB [...]

Generates facts (bulk insert, a realistic key distribution: most facts are Chinese trade and
price figures by month or day, a long tail of commodities, partners and provinces; 5 % of
documents are near-duplicates of another) into a SQLite file (`--keep`: kept and reused) or the
PostgreSQL database `--database` names (filled with COPY when empty, reused when not), then
times each query the product runs: series (one partner; all partners as the CLI and API give
them; the series page's six), checks, a fact's consensus (the fact page), price assessment, the
price products and board, the commodity page's queries (its price chart too), fact lists with filters and pages, and
`assay ask`. For each: p50 and p95 now; the code path before issue 13 where it changed, in the
same run; the same queries on a 10,000-fact SQLite store; and the first three with the facts
indexes dropped (SQLite) or index scans switched off (PostgreSQL), the table-scan baseline.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import distinct, func, insert, select, text
from sqlalchemy.orm import Session

from assay.analyze import portal
from assay.analyze.ask import answer_question
from assay.analyze.checks import (
    KINDS,
    CheckOptions,
    Finding,
    check_records,
    count_checks,
    run_checks,
    selection_for_checks,
)
from assay.analyze.points import refresh_points
from assay.analyze.prices import PriceQuery, PriceQueryError, assess_prices, assess_window
from assay.analyze.series import (
    SERIES_PAGE_STATEMENTS,
    SeriesQuery,
    build_series,
    computed_series_values,
    longest_series,
    selection_for,
    series_budget_page,
    series_from_records,
    series_of_keys,
    series_rank,
)
from assay.analyze.series import series_page as paged_series
from assay.model import Period
from assay.store.browse import documents_about
from assay.store.db import Store, open_store
from assay.store.documents import SUMMARY_COLUMNS
from assay.store.facts import FactFilter, commodity_and_descendants, count_facts, list_count_cap, query_facts
from assay.store.facts import _conditions as fact_conditions  # round 4's page query, for "before"
from assay.store.facts import _current_document as current_document
from assay.store.facts import _order_and_cut as order_and_cut
from assay.store.facts import _select as select_with_documents  # the list's one-query path, for "before"
from assay.store.facts import _stored as stored_row
from assay.store.price_products import price_extents, rebuild_price_products
from assay.store.records import fact_rows, select_facts
from assay.store.schema import DocumentRow, FactRow, SeriesStaleRow
from assay.store.series import (
    KEY_COLUMNS,
    FactSelection,
    SeriesSize,
    distinct_values,
    gc_paused,
    key_extents,
    series_sizes,
)
from assay.store.series import selection_conditions as conditions  # round 3's sizes query, for "before"
from assay.store.series_points import mark_every_pair
from assay.store.statements import select_statements

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


def generated_rows(n_facts: int, seed: int = 7) -> tuple[list[tuple[Any, ...]], Iterator[list[tuple[Any, ...]]]]:
    """The documents, and the facts in batches of 100,000, of a generated store (the same for a seed)."""
    rng = random.Random(seed)
    n_docs = max(10, n_facts // 20)
    now = datetime(2026, 1, 1).isoformat(sep=" ")
    docs = []
    for i in range(1, n_docs + 1):
        dup = rng.randint(1, i - 1) if i > 1 and rng.random() < 0.05 else None
        day = date(2010, 1, 1).toordinal() + rng.randint(0, 5800)
        docs.append((i, f"doc-{i}", f"/c/doc-{i}.txt", f"{i:064x}", f"{i:064x}", now, date.fromordinal(day).isoformat(),
                     "", "", "[]", "[]", dup, f"source{rng.randint(1, 300)}"))  # fmt: skip

    def facts() -> Iterator[list[tuple[Any, ...]]]:
        commodities, metrics, geos = Picker(rng, COMMODITIES), Picker(rng, METRICS), Picker(rng, GEOS)
        spans: dict[str, tuple[date, date]] = {}
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
                spans[period] = (parsed.start, parsed.end)
            start, end = spans[period]
            value = rng.uniform(low, high)
            quote = f"{commodity} {metric} {value:.0f} {unit} in {period}"
            rows.append((rng.randint(1, n_docs), commodity, rng.choice(FORMS), metric, geo, partner,
                         "WORLD" if unit == "%" else None, period, start, end, value,
                         unit, "actual", quote, "bench", "1"))  # fmt: skip
            if len(rows) == 100_000 or i == n_facts - 1:
                yield rows
                rows = []

    return docs, facts()


DOCUMENT_COLUMNS = (
    "id, name, source, raw_sha256, text_sha256, fetched_at, published, raw_text, clean_text, cleaning_steps,"
    " commodity_families, duplicate_of, source_name"
)
FACT_COLUMNS = (
    "document_id, commodity, form, metric, geo, partner, share_of, period, period_start, period_end, value, unit,"
    " basis, quote, rule, rule_version"
)


def generate(path: Path, n_facts: int, seed: int = 7) -> Store:
    """A SQLite store at `path` holding `n_facts` generated facts.

    The schema comes from `open_store` (Alembic); rows go in through sqlite3 `executemany` in one
    transaction with the journal and fsync off and the facts indexes dropped, then the indexes are
    built once at the end: a throwaway bench file needs no crash safety."""
    open_store(f"sqlite:///{path}").close()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-200000")  # 200 MB while building the indexes
    indexes = [name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' AND sql IS NOT NULL")]  # fmt: skip
    for name in indexes:
        con.execute(f'DROP INDEX "{name}"')
    con.execute("BEGIN")
    docs, batches = generated_rows(n_facts, seed)
    con.executemany(f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({','.join('?' * 13)})", docs)
    for rows in batches:
        con.executemany(
            f"INSERT INTO facts ({FACT_COLUMNS}, span_start, span_end) VALUES ({','.join('?' * 16)},-1,-1)",
            [(*r[:8], r[8].isoformat(), r[9].isoformat(), *r[10:]) for r in rows],
        )
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")  # as open_store leaves it
    con.close()
    store = open_store(f"sqlite:///{path}")
    use_schema_indexes(store)
    with store.engine.begin() as connection:  # the facts went in around the store's functions
        rebuild_price_products(connection)
        mark_every_pair(connection)
    return store


def generate_postgres(url: str, n_facts: int, seed: int = 7) -> Store:
    """The same generated rows in the (empty, migrated) PostgreSQL database at `url`, through COPY."""
    store = open_store(url)
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        docs, batches = generated_rows(n_facts, seed)
        with cursor.copy(f"COPY documents ({DOCUMENT_COLUMNS}) FROM STDIN") as copy:
            for doc in docs:
                copy.write_row((*doc[:5], datetime.fromisoformat(doc[5]), *doc[6:]))
        for rows in batches:
            with cursor.copy(f"COPY facts ({FACT_COLUMNS}, span_start, span_end) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, -1, -1))
        cursor.execute("SELECT setval(pg_get_serial_sequence('documents', 'id'), (SELECT max(id) FROM documents))")
        raw.commit()
    finally:
        raw.close()
    with store.engine.begin() as connection:  # the facts went in around the store's functions
        rebuild_price_products(connection)
        mark_every_pair(connection)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")  # visibility map for index-only scans, and statistics
    return store


def queries(n: int, with_partner: bool, seed: int = 11) -> list[SeriesQuery]:
    """Series queries as users ask them: one partner (`--partner NL`), or every partner at once."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        commodity = pick(rng, COMMODITIES)
        if with_partner:
            metric, partner = rng.choice(["exports", "imports"]), rng.choice(PARTNERS)
            out.append(SeriesQuery(commodity, metric, geo="CN", partner=partner))
        else:
            metric = rng.choice(["exports", "price", "production", "imports"])
            out.append(SeriesQuery(commodity, metric, geo="CN"))
    return out


def use_schema_indexes(store: Store, present: bool = True) -> None:
    """SQLite: drop every facts index the file has (whatever migration made it), then, when
    `present`, create the indexes exactly as schema.py defines them for SQLite."""
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


Job = Callable[[Session], object]


@dataclass
class Case:
    """One query the product runs, with the code path before issue 13 when that changed."""

    label: str
    jobs: list[Job]
    old: list[Job] | None = None
    scan: bool = True  # also time it without the facts indexes (the table-scan baseline)
    floor: list[Job] | None = None  # only reading what the answer holds, as plain tuples
    round4: list[Job] | None = None  # round 4's path: consensus values weighed from the statements


CLOCK = time.perf_counter  # `--cpu`: this process's CPU time instead (less swayed by other jobs' load)


def timed(store: Store, work: list[Job], no_index: bool = False) -> list[float]:
    """Latency of each job in ms (PostgreSQL with `no_index`: index scans switched off)."""
    clock = CLOCK
    latencies: list[float] = []
    with store.session() as session:
        if no_index and store.engine.dialect.name == "postgresql":
            for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                session.execute(text(f"SET {setting} = off"))
        for job in work:
            started = clock()
            job(session)
            latencies.append((clock() - started) * 1000)
    return latencies


def summary(label: str, ms: list[float]) -> str:
    p95 = f"p95 {statistics.quantiles(ms, n=20)[18]:8.1f}" if len(ms) >= 20 else f"max {max(ms):8.1f}"
    over = "  OVER 100 ms" if (statistics.quantiles(ms, n=20)[18] if len(ms) >= 20 else max(ms)) > BUDGET_MS else ""
    return f"  {label:<34} n={len(ms):>4}  p50 {statistics.median(ms):8.1f}  {p95} ms{over}"


def cases(args: argparse.Namespace, sample_fact_ids: list[int]) -> list[Case]:
    rng = random.Random(5)
    few, broad = args.queries, args.broad_queries
    check_options = [
        CheckOptions(commodity=pick(rng, COMMODITIES), geo="CN", since=str(y), until=str(y))
        for y in (rng.randint(2010, 2025) for _ in range(broad))
    ]
    page_queries = queries(few, False, seed=13)
    products = [("magnesium", "ingot"), ("neodymium", "oxide"), ("prnd", "oxide"), ("graphite", "metal")]
    family = [c for c, _ in COMMODITIES[:8]]
    ask = [
        f"What were China's {('magnesium', 'graphite', 'neodymium')[i % 3]} exports in {2010 + i % 16}?"
        for i in range(few)
    ]
    listing = [
        FactFilter(commodity="magnesium", metric="exports", limit=50, offset=50 * rng.randint(0, 40))
        for _ in range(few)
    ]

    def each(function: Callable[..., object], **values: list[Any]) -> list[Job]:
        ((name, given),) = values.items()
        return [functools.partial(function, **{name: v}) for v in given]

    assessed = [PriceQuery(c, f, 30) for c, f in products * max(1, broad // len(products))]
    board_runs = max(5, broad)
    return [
        Case("series, one partner", series_jobs(queries(few, True)), each(record_series, query=queries(few, True))),
        Case(
            "series, all partners (CLI, API)",
            series_jobs(queries(broad, False)),
            each(record_series, query=queries(broad, False)),
            floor=each(statement_rows, query=queries(broad, False)),
        ),
        Case(
            "series, all partners, API page 1 (10 series, 5,000 statements)",
            each(api_series_page, query=queries(broad, False)),
            each(round4_api_series_page, query=queries(broad, False)),
            floor=each(budget_page_rows, query=queries(broad, False)),
        ),
        Case(
            "series page, all partners (6 series, 5,000 statements)",
            each(series_page, query=page_queries),
            each(round4_series_page, query=page_queries),
            floor=[functools.partial(budget_page_rows, query=q, n=SERIES_PER_PAGE) for q in page_queries],
        ),
        Case(
            "checks, one commodity, one year",
            each(run_checks, options=check_options),
            each(old_checks, options=check_options),
            floor=each(check_rows, options=check_options),
        ),
        Case(
            "checks, one commodity, one year, the table (all counted, 100 shown)",
            [functools.partial(count_checks, options=o, shown=100) for o in check_options],
            each(old_checks, options=check_options),
            floor=each(check_rows, options=check_options),
        ),
        Case(
            "checks, one commodity, one year, first 100 (--json --limit)",
            [functools.partial(run_checks, options=replace(o, limit=100)) for o in check_options],
            [functools.partial(old_checks, options=replace(o, limit=100)) for o in check_options],
        ),
        Case(
            "checks, one commodity, one year, contradictions only (--kind contradiction)",
            [functools.partial(run_checks, options=replace(o, kinds=("contradiction",))) for o in check_options],
            [functools.partial(old_checks, options=replace(o, kinds=("contradiction",))) for o in check_options],
            scan=False,
        ),
        Case(
            "checks: dashboard's 8 contradictions, every commodity",
            [dashboard_contradictions] * broad,
            [functools.partial(old_checks, options=DASHBOARD_CHECKS)] * 3,
            scan=False,
        ),
        Case("consensus of a fact (fact page)", each(fact_consensus, fact_id=sample_fact_ids)),
        Case("price assessment, 30 days", each(assess_prices, query=assessed), each(old_assessment, query=assessed)),
        Case("price products (board, pages)", [portal.products] * broad, [old_products] * 3),
        Case(
            "price board",
            [portal.price_board] * board_runs,
            [round3_board] * board_runs,
            scan=False,
            floor=[board_reads] * board_runs,
        ),
        Case(
            "commodity page: price chart",
            each(price_chart, commodity=family),
            each(round4_price_chart, commodity=family),
            scan=False,
        ),
        Case(
            "commodity page: key figures",
            each(portal.key_figures, commodity=family),
            each(round3_key_figures, commodity=family),
            round4=each(functools.partial(round4_section, section=portal.key_figures), commodity=family),
        ),
        Case(
            "commodity page: production bars",
            each(portal.production_by_country, commodity=family),
            each(round3_production, commodity=family),
            round4=each(functools.partial(round4_section, section=portal.production_by_country), commodity=family),
        ),
        Case(
            "commodity page: monthly exports",
            each(portal.exports_by_month, commodity=family),
            each(round3_monthly, commodity=family),
            round4=each(functools.partial(round4_section, section=portal.exports_by_month), commodity=family),
        ),
        Case(
            "commodity page: destinations",
            each(portal.exports_by_destination, commodity=family),
            round4=each(functools.partial(round4_section, section=portal.exports_by_destination), commodity=family),
        ),
        Case(
            "commodity page: documents",
            each(documents_about, commodity=family),
            each(round4_documents, commodity=family),
        ),
        Case("facts list, filtered, paged", each(facts_page, flt=listing), each(round4_facts_page, flt=listing)),
        Case(
            "facts list, unfiltered, page 1",
            [functools.partial(facts_page, flt=FactFilter(limit=50))] * broad,
            [functools.partial(round4_facts_page, flt=FactFilter(limit=50))] * broad,
        ),
        Case(
            "ask",
            each(answer_question, text=ask),
            [functools.partial(answer_question, text=t, every_series=True) for t in ask[:5]],
        ),
    ]


SERIES_PER_PAGE = 6


def series_jobs(qs: list[SeriesQuery]) -> list[Job]:
    return [functools.partial(build_series, query=q) for q in qs]


def record_series(session: Session, query: SeriesQuery) -> object:
    """Before (round 3): every statement read as a record (a Fact and a StoredFactRecord, its
    document read after), then series built from the records."""
    with gc_paused():
        return series_from_records(select_facts(session, selection_for(query)))


def statement_rows(session: Session, query: SeriesQuery, n: int | None = None) -> object:
    """The floor: only reading the statements the answer holds (with their documents) as plain tuples."""
    selection = selection_for(query)
    keys = None if n is None else [s.key for s in longest_series(session, selection, n)]
    return select_statements(session, selection, keys)


def series_page(session: Session, query: SeriesQuery) -> object:
    """/series, its first page: whole series, at most six and 5,000 statements (one longer series alone)."""
    return series_budget_page(session, query, 1, SERIES_PER_PAGE, SERIES_PAGE_STATEMENTS)


def round4_series_page(session: Session, query: SeriesQuery) -> object:
    """Before (round 5): /series showed the six longest series, however many statements they hold."""
    return build_series(session, query, limit=SERIES_PER_PAGE)


def api_series_page(session: Session, query: SeriesQuery) -> object:
    """/api/v1/series?page=1: whole series, at most ten and 5,000 statements (one longer series alone)."""
    return series_budget_page(session, query, 1, 10, SERIES_PAGE_STATEMENTS)


def round4_api_series_page(session: Session, query: SeriesQuery) -> object:
    """Before (round 4): /api/v1/series?page=1 was ten whole series, however many statements they hold."""
    return paged_series(session, query, 0, 10)


def budget_page_rows(session: Session, query: SeriesQuery, n: int = 10) -> object:
    """The floor of a first page (`n` series at most, and the statement budget): only reading its
    series' statements (with their documents) as tuples."""
    selection = selection_for(query)
    ranked = sorted(
        (s for s in series_sizes(session, selection) if s.periods), key=lambda s: series_rank(s.periods, s.key)
    )
    keys: list[tuple[str | None, ...]] = []
    held = 0
    for size in ranked[:n]:
        if keys and held + size.statements > SERIES_PAGE_STATEMENTS:
            break
        keys.append(size.key)
        held += size.statements
    return select_statements(session, selection, keys)


def old_products(session: Session) -> object:
    """Before: every stored price statement read as a record to count units in Python."""
    from collections import Counter

    units: dict[tuple[str, str | None], Counter[str]] = {}
    for record in select_facts(session, FactSelection(metric="price")):
        currency, _, mass = record.fact.unit.partition("/")
        if mass in ("t", "kg", "lb") and currency in ("CNY", "USD", "EUR"):
            units.setdefault((record.fact.commodity, record.fact.form), Counter())[record.fact.unit] += 1
    return units


def old_assessment(session: Session, query: PriceQuery) -> object:
    """Before: every price statement of the product read, the window cut in Python."""
    selection = FactSelection(commodity=query.commodity, metric="price", form=query.form, geo=query.geo)
    records = select_facts(session, selection)
    as_of = max(Period.parse(str(r.fact.period)).end for r in records)
    start = as_of - timedelta(days=query.window_days - 1)
    return assess_window(query, start, as_of, [r for r in records if Period.parse(str(r.fact.period)).start >= start])


def round3_board(session: Session) -> object:
    """Before (round 3 of issue 13): the board as now, but its products' units, forms and days
    grouped from every price statement's index entry (`key_extents`) instead of read from the
    price products table. Round 2 built one product at a time (`portal.board_row`, about seven
    queries each); before issue 13 every product's whole history was built (183 s at 1M facts)."""
    with gc_paused():
        extents = key_extents(session, FactSelection(metric="price"))
        plans = portal._plans(portal._products(session, extents), extents)
        portal._read_recent(session, plans, extents)
        return portal._board_rows(session, plans)


def board_reads(session: Session) -> object:
    """The board's reading alone: the price products table and every product's recent quotes, as plain rows."""
    with gc_paused():
        extents = price_extents(session)
        plans = portal._plans(portal._products(session, extents), extents)
        portal._read_recent(session, plans, extents)
        return plans


def price_chart(session: Session, commodity: str) -> object:
    """The commodity page's price chart: the family's most quoted product, its history and the line drawn."""
    family = set(commodity_and_descendants(commodity))
    priced = [p for p in portal.products(session) if p.commodity in family]
    if not priced:
        return None
    product, history = portal.charted_price_history(session, priced)
    return product, portal.chart_points(history)


def round4_price_chart(session: Session, commodity: str) -> object:
    """Before (round 4): the family's product with the most periods, histories built longest bound
    first (distinct periods per series key, summed per product) until none left could beat the best;
    every period of it drawn."""
    family = set(commodity_and_descendants(commodity))
    found = [p for p in portal.products(session) if p.commodity in family]
    if not found:
        return None
    sizes = series_sizes(session, FactSelection(commodities=tuple({p.commodity for p in found}), metric="price"))
    bounds = [
        sum(s.periods for s in sizes if s.key[0] == p.commodity and (p.form is None or s.key[1] == p.form))
        for p in found
    ]
    best: tuple[int, portal.Product, tuple[portal.PricePoint, ...]] | None = None
    for bound, place in sorted((-bound, place) for place, bound in enumerate(bounds)):
        if best is not None and (-bound < len(best[2]) or (-bound == len(best[2]) and place > best[0])):
            break
        history = portal.price_history(session, found[place])
        if best is None or len(history) > len(best[2]) or (len(history) == len(best[2]) and place < best[0]):
            best = (place, found[place], history)
    return best


def assessed_history(session: Session, product: portal.Product) -> object:
    query = PriceQuery(product.commodity, product.form, portal.HISTORY_DAYS, None, product.currency, product.mass)
    try:
        return portal.price_points(assess_prices(session, query))
    except PriceQueryError:
        return ()


@contextmanager
def round4_path() -> Iterator[None]:
    """The commodity page's sections as round 4 drew them: consensus values weighed from every
    statement of their series on each request (no series points read or stored)."""
    saved = {name: getattr(portal, name) for name in ("series_values", "refresh_points")}
    setattr(portal, "series_values", computed_series_values)  # noqa: B010  names portal imports
    setattr(portal, "refresh_points", lambda session, selection: None)  # noqa: B010
    try:
        yield
    finally:
        for name, found in saved.items():
            setattr(portal, name, found)


def round4_section(session: Session, section: Callable[[Session, str], object], commodity: str) -> object:
    with round4_path():
        return section(session, commodity)


def fill_points(store: Store) -> float:
    """Compute and store every stale series point (after the migration or a bulk load); seconds taken."""
    started = time.perf_counter()
    with store.session() as session:
        refresh_points(session, FactSelection())
    return time.perf_counter() - started


def after_ingest(store: Store, documents: int, families: list[str]) -> None:
    """A commodity page read right after an ingest of `documents` documents: their facts' points
    marked stale (as the ingest's writes mark them), then each family's page sections timed in a
    fresh session (the first section stores the family's stale points, the rest read them)."""
    with store.engine.begin() as connection:
        last = connection.execute(select(func.max(FactRow.document_id))).scalar_one() or 0
        pairs = select(*KEY_COLUMNS, FactRow.period).where(
            FactRow.document_id > last - documents, FactRow.period_start.is_not(None)
        )
        names = [c.key for c in (*KEY_COLUMNS, FactRow.period)]
        connection.execute(insert(SeriesStaleRow).from_select(names, pairs))
        marked = connection.execute(select(func.count()).select_from(SeriesStaleRow)).scalar_one()
    sections = (portal.production_by_country, portal.exports_by_month, portal.exports_by_destination)
    print(f"commodity page right after an ingest of {documents:,} documents ({marked:,} points marked stale)")
    for family in families:
        with store.session() as session:
            started, cpu = CLOCK(), time.process_time()
            for section in sections:
                section(session, family)
            portal.key_figures(session, family)
            print(f"  {family:<34} first page {(CLOCK() - started) * 1000:8.1f} ms "
                  f"(client CPU {(time.process_time() - cpu) * 1000:.1f} ms)")  # fmt: skip
        with store.session() as session:
            started = CLOCK()
            for section in sections:
                section(session, family)
            portal.key_figures(session, family)
            print(f"  {'':<34} next page  {(CLOCK() - started) * 1000:8.1f} ms")


def round3_key_figures(session: Session, commodity: str, limit: int = 6) -> object:
    """Before (round 3): the six chosen series built whole (every observation with its sources
    and consensus, each statement joined to its document), the sizes counted in one grouped query."""
    selection = FactSelection(
        commodities=tuple(commodity_and_descendants(commodity)), metrics=portal.KEY_METRICS, partner_is_null=True
    )
    ranked = sorted(
        (s for s in round3_sizes(session, selection) if s.key[6] in ("t", "kt", "Mt")),
        key=lambda s: (portal.KEY_METRICS.index(str(s.key[2])), -s.periods, [v or "" for v in s.key]),
    )
    chosen: list[SeriesSize] = []
    seen: set[tuple[str | None, ...]] = set()
    for size in ranked:
        if (size.key[0], size.key[2], size.key[3]) not in seen:
            seen.add((size.key[0], size.key[2], size.key[3]))
            chosen.append(size)
    chosen.sort(key=lambda s: (-s.periods, portal.KEY_METRICS.index(str(s.key[2]))))
    with gc_paused():
        return series_of_keys(session, selection, [s.key for s in chosen[:limit]])


def round3_sizes(session: Session, selection: FactSelection) -> list[SeriesSize]:
    """Before (round 3): series sizes in one grouped query, whatever lists the selection holds."""
    counts = (func.count(distinct(FactRow.period)), func.count())
    grouping = (FactRow.metric, FactRow.commodity, FactRow.geo, FactRow.partner, FactRow.form, FactRow.share_of)
    key = (FactRow.commodity, FactRow.form, FactRow.metric, FactRow.geo, FactRow.partner, FactRow.share_of)
    stmt = select(*key, FactRow.unit, *counts).where(*conditions(selection)).group_by(*grouping, FactRow.unit)
    return [SeriesSize(tuple(row[:7]), row[7], row[8]) for row in session.connection().execute(stmt)]


def round3_monthly(session: Session, commodity: str) -> object:
    """Before (round 3): the longest monthly series chosen in SQL, then built whole."""
    selection = FactSelection(commodity=commodity, metric="exports", geo="CN", partner_is_null=True)
    months = {s.key: s.periods for s in series_sizes(session, replace(selection, period_length=7))}
    ranked = [s for s in series_sizes(session, selection) if s.key[6] in ("t", "kt") and months.get(s.key, 0) >= 2]
    if not ranked:
        return None
    longest = max(sorted(ranked, key=lambda s: series_rank(s.periods, s.key)), key=lambda s: months[s.key])
    with gc_paused():
        return series_of_keys(session, replace(selection, period_length=7), [longest.key])


def round3_production(session: Session, commodity: str) -> object:
    """Before (round 3): the countries' yearly series built whole (the bars then taken from them)."""
    selection = FactSelection(commodity=commodity, metric="production", unit="t", partner_is_null=True, period_length=4)
    countries = [s.key for s in series_sizes(session, selection) if len(str(s.key[3])) == 2]
    with gc_paused():
        return series_of_keys(session, selection, [k for k in countries if not k[1] and not k[5]])


def round4_documents(session: Session, commodity: str) -> object:
    """Before (round 4): the facts of the commodity and those under it counted per document by
    grouping an expression (`document_id + 0`), also for a commodity alone."""
    document_id = (FactRow.document_id + 0).label("document_id")
    counted = (
        select(document_id, func.count().label("n"))
        .where(FactRow.commodity.in_(commodity_and_descendants(commodity)), document_id.is_not(None))
        .group_by(document_id)
        .order_by(func.count().desc(), document_id)
        .limit(10)
        .subquery()
    )
    listed = select(*SUMMARY_COLUMNS, counted.c.n).join(counted, counted.c.document_id == DocumentRow.id)
    return session.execute(listed.order_by(counted.c.n.desc(), DocumentRow.id)).all()


def fact_consensus(session: Session, fact_id: int) -> object:
    (stored,) = query_facts(session, FactFilter(fact_id=fact_id))
    return portal.fact_context(session, stored)


def facts_page(session: Session, flt: FactFilter) -> object:
    """The page and its count, as /facts and /api/v1/facts read them (the count stops at the cap)."""
    return query_facts(session, flt), count_facts(session, flt, list_count_cap(flt))


def round4_facts_page(session: Session, flt: FactFilter) -> object:
    """Before (round 4): the page's ids sorted and cut over every matching fact in one query, the
    fifty facts read by id, and the count exact."""
    listed = select(FactRow.id).where(current_document(), *fact_conditions(flt))
    ids = tuple(session.scalars(order_and_cut(session, flt, listed)))
    by_id = {row[0].id: stored_row(row) for row in session.execute(select_with_documents(session, FactFilter(ids=ids)))}
    return [by_id[i] for i in ids], count_facts(session, flt)


DASHBOARD_CHECKS = CheckOptions(kinds=("contradiction",), limit=8)


def dashboard_contradictions(session: Session) -> object:
    return run_checks(session, DASHBOARD_CHECKS)


def check_rows(session: Session, options: CheckOptions) -> object:
    """The reading any full check run pays: the commodity-year's facts as plain rows with their
    documents' day and duplicate link, as `run_checks` reads them (nothing judged)."""
    assert options.commodity is not None
    with gc_paused(), fact_rows(session, selection_for_checks(options.commodity, options), stream=False,
                                with_documents=True) as rows:  # fmt: skip
        return sum(1 for _ in rows)


def old_checks(session: Session, options: CheckOptions) -> object:
    """Before (round 2): every fact of a commodity read as a record, every check run over the
    records and every finding built, sorted by kind and cut; contradictions that fill the limit
    spare the commodity's other kinds and the later commodities."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    first_kind = min((k for k in options.kinds if k in order), key=order.__getitem__, default=None)
    findings: list[Finding] = []
    for commodity in [options.commodity] if options.commodity else distinct_values(session, "commodity"):
        records = select_facts(session, selection_for_checks(commodity, options))
        found = check_records(records, replace(options, kinds=tuple(k for k in options.kinds if k == "contradiction")))
        if options.limit is None or len(found) < options.limit:
            others = tuple(k for k in options.kinds if k != "contradiction")
            found += check_records(records, replace(options, kinds=others))
        findings += found
        if options.limit is not None and sum(f.kind == first_kind for f in findings) >= options.limit:
            break
    return sorted(findings, key=lambda f: order[f.kind])[: options.limit]


def open_big(args: argparse.Namespace, folder: Path) -> tuple[Store, int]:
    """The big store: generated, or reused when it already holds facts."""
    started = time.perf_counter()
    url = args.database or f"sqlite:///{args.keep or folder / 'big.db'}"
    store = open_store(url)
    with store.engine.connect() as connection:
        n_facts = int(connection.exec_driver_sql("SELECT count(*) FROM facts").scalar_one())
    if n_facts:
        print(f"reusing {store.engine.url.render_as_string()} ({n_facts:,} facts; --facts ignored)")
        return store, n_facts
    store.close()
    if args.database:
        store = generate_postgres(args.database, args.facts)
    else:
        store = generate(Path(str(store.engine.url.database)), args.facts)
    print(f"generated {args.facts:,} facts in {time.perf_counter() - started:.1f} s")
    return store, args.facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts in the big store (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=40, help="runs of each narrow query")
    parser.add_argument("--broad-queries", type=int, default=20, help="runs of each broad query")
    parser.add_argument("--keep", type=Path, help="SQLite: keep the generated database at this path (reused)")
    parser.add_argument("--database", help="a PostgreSQL URL: an empty database (filled) or one filled before")
    parser.add_argument("--only", help="run only the cases whose label contains this text")
    parser.add_argument("--skip", help="leave out the cases whose label contains this text")
    parser.add_argument("--no-scan", action="store_true", help="skip the table-scan baselines")
    parser.add_argument(
        "--with-index",
        metavar="NAME=COLUMN,COLUMN",
        help="time with this facts index added (one a migration could add), dropped at the end",
    )
    parser.add_argument(
        "--after-ingest",
        type=int,
        metavar="DOCUMENTS",
        help="at the end, time commodity pages right after an ingest of this many documents (points marked stale)",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time this process's CPU (not a PostgreSQL server's) instead of the wall clock",
    )
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    folder = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    big, n_facts = open_big(args, folder)
    small = generate(folder / "small.db", 10_000)
    postgres = big.engine.dialect.name == "postgresql"
    if not postgres:
        use_schema_indexes(big)
    if args.with_index:
        extra_index(big, args.with_index)
    with big.session() as session:
        sample = list(
            session.scalars(select(FactRow.id).where(FactRow.id % 97 == 0).order_by(FactRow.id).limit(args.queries))
        )
    chosen = [
        c
        for c in cases(args, sample)
        if (not args.only or args.only in c.label) and not (args.skip and args.skip in c.label)
    ]
    print(f"series points filled in {fill_points(big):.1f} s (every stale one)")
    fill_points(small)
    clocked = "CPU time of this process" if args.cpu else "latencies include contention"
    print(f"{big.engine.dialect.name}, {n_facts:,} facts; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores ({clocked}); aim: p95 under {BUDGET_MS:.0f} ms")  # fmt: skip
    for case in chosen:
        timed(big, case.jobs[:1])  # warm the caches
        print(case.label)
        print(summary("now", timed(big, case.jobs)))
        if case.old:
            print(summary("before (old code path)", timed(big, case.old)))
        if case.floor:
            print(summary("floor: its rows read as tuples", timed(big, case.floor)))
        if case.round4:
            print(summary("before (round 4: from statements)", timed(big, case.round4)))
        print(summary("baseline: 10,000 facts (SQLite)", timed(small, case.jobs)))
    if not args.no_scan:
        print("baseline: no facts index (a table scan), first 3 queries of each")
        if not postgres:
            use_schema_indexes(big, present=False)
        for case in chosen:
            if case.scan:
                print(summary(case.label, timed(big, case.jobs[:3], no_index=True)))
        if not postgres:
            use_schema_indexes(big)
    if args.after_ingest:
        after_ingest(big, args.after_ingest, [c for c, _ in COMMODITIES[:3]])
    if args.with_index:
        extra_index(big, args.with_index, present=False)
    big.close()
    small.close()
    return 0


def extra_index(store: Store, definition: str, present: bool = True) -> None:
    """Create (or drop) the facts index `NAME=COLUMN,COLUMN` given on the command line."""
    name, _, columns = definition.partition("=")
    if not name.isidentifier() or not all(c.isidentifier() for c in columns.split(",")):
        raise SystemExit(f"error: --with-index {definition!r}: give NAME=COLUMN,COLUMN")
    with store.engine.begin() as connection:
        if present:
            connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON facts ({columns})")
            connection.exec_driver_sql("ANALYZE facts")
        else:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    print(f"{'with' if present else 'dropped'} index {name} on facts ({columns})")


if __name__ == "__main__":
    sys.exit(main())
