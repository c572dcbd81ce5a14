"""The price board built set-wise gives, row for row, what the board built one product at a time gives.

`price_board` reads every product's recent quotes together, reaching further back in rounds
until each product's window, sparkline and previous period are sure to be read; `board_row`
(one product, its periods found in SQL) is the reference, itself compared with a plain
read-everything reference in test_board_and_ask_queries.py. The generated store has what makes
the rounds hard: sparse products, months, years and spans beside days, windows without a quote
in a mass unit, products whose every quote lies in the window, and forms stated and not.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from assay.analyze import portal
from assay.analyze.portal import Product, board_row, price_board, price_history, price_points, products
from assay.analyze.prices import PriceQuery, PriceQueryError, assess_prices
from assay.model import Period
from assay.store import records
from assay.store.db import Store
from assay.store.price_products import KeyExtent
from assay.store.records import select_facts
from assay.store.schema import FactRow
from assay.store.series import FactSelection, StartRange, fact_rows_in_ranges, key_extents
from knowledge_base import KnowledgeBase, make_fact

LAST_DAY = date(2025, 6, 30)


def quotes(rng: random.Random, every_days: int, years: int, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(period, unit) of quotes going back `years` from LAST_DAY, one every `every_days` on average."""
    out = []
    day = LAST_DAY
    while day > LAST_DAY - timedelta(days=365 * years):
        kind = rng.choice(kinds)
        if kind == "day":
            out.append((day.isoformat(), rng.choice(["CNY/t", "CNY/t", "USD/t", "CNY/kg"])))
        elif kind == "month":
            out.append((day.isoformat()[:7], "CNY/t"))
        elif kind == "year":
            out.append((str(day.year), "USD/t"))
        elif kind == "span":
            out.append((f"{day.year - 2}-01/{day.isoformat()[:7]}", "CNY/t"))
        day -= timedelta(days=rng.randint(1, 2 * every_days - 1))
    return out


PRODUCTS = {  # (commodity, form): (a quote every n days, years, period kinds)
    ("magnesium", "ingot"): (1, 2, ("day",)),
    ("magnesium", "oxide"): (20, 8, ("day",)),  # sparse: several rounds
    ("graphite", None): (25, 6, ("month", "month", "year", "day")),
    ("neodymium", "oxide"): (15, 5, ("day", "span")),  # spans: read back to the history's start
    ("terbium", None): (2, 1, ("day",)),
}


def generate(kb: KnowledgeBase, seed: int = 4) -> None:
    rng = random.Random(seed)
    facts = []
    for (commodity, form), (every, years, kinds) in PRODUCTS.items():
        for period, unit in quotes(rng, every, years, kinds):
            value = rng.uniform(20_000, 24_000) * (6 if rng.random() < 0.05 else 1)
            if unit == "CNY/kg":
                value /= 1000
            facts.append((commodity, form, period, unit, value))
    # terbium: a stated form beside the unstated ones (one product over both) and a geo beside CN
    facts += [("terbium", "metal", "2025-06-20", "CNY/t", 21_000.0), ("terbium", None, "2025-06-25", "USD/t", 3_000.0)]
    # dysprosium: every quote within the last month, so no period before the window
    facts += [("dysprosium", "oxide", f"2025-06-{d:02d}", "CNY/t", 1_000.0 + d) for d in (3, 9, 17, 28)]
    # lanthanum: the latest month is quoted in a unit that is not per mass, so a wider window
    facts += [("lanthanum", "oxide", f"2025-06-{d:02d}", "CNY/m3", 50.0) for d in (5, 25)]
    facts += [("lanthanum", "oxide", f"2025-0{m}-15", "CNY/t", 30_000.0 + m) for m in (1, 2)]
    # cerium: two stated forms, so no product without a form has a row
    facts += [("cerium", f, f"2025-05-{d:02d}", "CNY/t", 9_000.0) for f in ("oxide", "metal", None) for d in (1, 2)]
    rng.shuffle(facts)
    for i in range(0, len(facts), 25):
        made = [
            make_fact(
                round(value, 2),
                f"quote {i + j}",
                commodity=commodity,
                form=form,
                metric="price",
                period=period,
                unit=unit,
                geo=rng.choice(["CN", "CN", "CN", "WORLD"]),
            )
            for j, (commodity, form, period, unit, value) in enumerate(facts[i : i + 25])
        ]
        kb.doc(f"prices-{i}", *made, published="2025-07-01")


@pytest.fixture
def priced(kb_any: KnowledgeBase) -> KnowledgeBase:
    generate(kb_any)
    return kb_any


@pytest.mark.parametrize("periods", [3, 12, 60])
def test_setwise_board_equals_the_board_one_product_at_a_time(
    priced: KnowledgeBase, periods: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal, "BOARD_HISTORY_PERIODS", periods)
    rounds: list[int] = []

    def counted(*args: object) -> list[object]:
        rounds.append(len(args[2]))  # type: ignore[arg-type]  # the ranges
        return fact_rows_in_ranges(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(portal, "fact_rows_in_ranges", counted)
    board = price_board(priced.session)
    expected = [row for p in products(priced.session) if (row := board_row(priced.session, p))]
    assert board == expected
    shown = {(row.product.commodity, row.product.form) for row in board}
    assert {("magnesium", "ingot"), ("magnesium", "oxide"), ("graphite", None), ("neodymium", "oxide")} <= shown
    assert {("terbium", None), ("dysprosium", "oxide"), ("lanthanum", "oxide")} <= shown
    assert ("cerium", None) not in shown
    lanthanum = next(row for row in board if row.product.commodity == "lanthanum")
    assert lanthanum.assessment.query.window_days == 365  # neither 30 nor 90 days hold a quote per mass
    assert next(row for row in board if row.product.commodity == "dysprosium").previous_mid is None
    assert len(rounds) >= 2  # the sparse and spanning products needed a second reading


def test_setwise_board_reads_back_only_as_far_as_a_product_needs(
    priced: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[tuple[str, date]] = []

    def recorded(*args: object) -> list[object]:
        read.extend((r.commodity, r.since) for r in args[2])  # type: ignore[attr-defined]
        return fact_rows_in_ranges(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(portal, "fact_rows_in_ranges", recorded)
    price_board(priced.session)
    # magnesium's sparse oxide needs a few years for its sparkline, not the eight stored
    assert min(since for commodity, since in read if commodity == "magnesium") > LAST_DAY - timedelta(days=365 * 6)
    # terbium metal has one quote: only reading back to the history's start shows there is no other
    assert min(since for commodity, since in read if commodity == "terbium") < LAST_DAY - timedelta(days=365 * 29)


def plain_history(kb: KnowledgeBase, product: Product) -> tuple[portal.PricePoint, ...]:
    """Before: every quote of 30 years assessed as records, the points taken from the assessment."""
    query = PriceQuery(product.commodity, product.form, portal.HISTORY_DAYS, None, product.currency, product.mass)
    try:
        return price_points(assess_prices(kb.session, query))
    except PriceQueryError:
        return ()


def test_price_history_on_plain_values_equals_the_assessed_history(priced: KnowledgeBase) -> None:
    found = products(priced.session)
    assert len(found) >= 8
    for product in found:
        assert price_history(priced.session, product) == plain_history(priced, product)
    assert any(len(price_history(priced.session, p)) > 100 for p in found)


def test_key_extents_are_what_the_records_give(priced: KnowledgeBase) -> None:
    selection = FactSelection(metric="price")
    expected: dict[tuple[str | None, ...], list[object]] = {}
    for record in select_facts(priced.session, selection):
        f = record.fact
        key = (f.commodity, f.form, f.metric, f.geo, f.partner, f.share_of, f.unit)
        span = Period.parse(str(f.period))
        n, first, last, short, long = expected.get(key, [0, date.max, date.min, 99, 0])
        expected[key] = [n + 1, min(first, span.start), max(last, span.end), min(short, len(str(f.period))),
                         max(long, len(str(f.period)))]  # type: ignore[operator,call-overload]  # fmt: skip
    got = {e.key: e for e in key_extents(priced.session, selection)}
    assert got == {key: KeyExtent(key, *values) for key, values in expected.items()}  # type: ignore[arg-type]


def test_fact_rows_in_ranges_are_the_facts_starting_in_them(priced: KnowledgeBase) -> None:
    selection = FactSelection(metric="price")
    ranges = [
        StartRange("magnesium", "CN", None, date(2025, 3, 1), date(2025, 4, 1)),
        StartRange("graphite", "WORLD", None, date(2020, 1, 1)),
        StartRange("graphite", "XX", None, date(2000, 1, 1)),
    ]
    rows = fact_rows_in_ranges(priced.session, selection, ranges)
    expected = [
        r.id
        for r in select_facts(priced.session, selection)
        if any(
            r.fact.commodity == w.commodity
            and r.fact.geo == w.geo
            and r.fact.partner is None
            and Period.parse(str(r.fact.period)).start >= w.since
            and (w.before is None or Period.parse(str(r.fact.period)).start < w.before)
            for w in ranges
        )
    ]
    assert [row[0] for row in rows] == expected
    assert len(expected) > 20
    assert records.records_of_rows(priced.session, rows) == [
        r for r in select_facts(priced.session, selection) if r.id in set(expected)
    ]
    assert fact_rows_in_ranges(priced.session, selection, []) == []
    oxide = StartRange("magnesium", "CN", None, date(2024, 1, 1), forms=("oxide",))
    expected_oxide = [
        r.id
        for r in select_facts(priced.session, replace(selection, commodity="magnesium", geo="CN", form="oxide"))
        if Period.parse(str(r.fact.period)).start >= oxide.since and r.fact.partner is None
    ]
    assert [row[0] for row in fact_rows_in_ranges(priced.session, selection, [oxide])] == expected_oxide
    assert expected_oxide


def quoted(kb: KnowledgeBase, product: Product) -> int:
    """A product's price statements in any unit, counted from the records (the plain reference)."""
    return sum(
        1
        for r in select_facts(kb.session, FactSelection(commodity=product.commodity, metric="price"))
        if r.fact.form == product.form and r.fact.period
    )


@pytest.mark.parametrize("family", ["magnesium", "rare_earths", "graphite", "cerium", "terbium"])
def test_the_charted_price_history_is_the_most_quoted_products(priced: KnowledgeBase, family: str) -> None:
    from assay.analyze.portal import charted_price_history
    from assay.store.facts import commodity_and_descendants

    members = set(commodity_and_descendants(family))
    found = [p for p in products(priced.session) if p.commodity in members]
    assert found
    for listed in (found, found[::-1]):  # ties go to the product listed first
        with_history = [p for p in listed if plain_history(priced, p)]
        expected = max(with_history, key=lambda p: quoted(priced, p))
        assert charted_price_history(priced.session, listed) == (expected, plain_history(priced, expected))
    if family == "cerium":  # two stated forms: the product without one has no history, so is passed over
        assert any(p.form is None for p in found) and charted_price_history(priced.session, found)[0].form


def drawn_reference(history: tuple[portal.PricePoint, ...], label: Callable[[date], str]) -> list[tuple[Any, ...]]:
    """The reduced line worked out plainly: the points grouped by `label` of their period's last day."""
    groups: dict[str, list[portal.PricePoint]] = {}
    for point in sorted(history, key=lambda p: (Period.parse(p.period).end, p.period)):
        groups.setdefault(label(Period.parse(point.period).end), []).append(point)
    return [
        (name, min(p.low for p in g), max(p.high for p in g), g[-1].mid, sum(p.n_quotes for p in g))
        for name, g in groups.items()
    ]


def test_a_chart_draws_a_long_history_as_one_point_per_month_quarter_or_year(priced: KnowledgeBase) -> None:
    history = price_history(priced.session, Product("magnesium", "ingot", "CNY", "t"))
    assert len(history) > 400  # a quote most days for two years
    assert portal.chart_points(history, limit=len(history)) == history  # a line that fits is drawn whole
    month = drawn_reference(history, lambda d: f"{d.year}-{d.month:02d}")
    quarter = drawn_reference(history, lambda d: f"{d.year}-Q{(d.month + 2) // 3}")
    year = drawn_reference(history, lambda d: str(d.year))
    assert 20 < len(month) < 400 and len(year) < len(quarter) < len(month)
    for limit, expected in ((400, month), (len(month), month), (len(month) - 1, quarter), (len(quarter) - 1, year)):
        drawn = portal.chart_points(history, limit=limit)
        assert [(p.period, p.low, p.high, p.mid, p.n_quotes) for p in drawn] == expected
        assert sum(p.n_quotes for p in drawn) == sum(p.n_quotes for p in history)
        assert [p.end for p in drawn] == sorted(p.end for p in drawn)
    assert portal.chart_points(history, limit=1) == portal.chart_points(history, limit=len(year))  # years at most


def test_the_boards_quotes_come_from_index_pages_alone_on_postgresql(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every column the board reads of a quote must be in ix_facts_price_quotes (migration 0010), or
    # each quote costs a heap page; after VACUUM the visibility map lets the scan skip the heap
    with pg_store.session() as session:
        generate(KnowledgeBase(pg_store, session))
        session.commit()
    with pg_store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE facts")
    statements: list[tuple[str, Any]] = []

    def recorded(conn: object, cursor: object, statement: str, parameters: Any, *_: object) -> None:
        if "UNION ALL" in statement or "period_end" in statement:
            statements.append((statement, parameters))

    event.listen(pg_store.engine, "before_cursor_execute", recorded)
    with pg_store.session() as session:
        board = price_board(session)
    event.remove(pg_store.engine, "before_cursor_execute", recorded)
    assert board and statements
    quote_reads = [(s, p) for s, p in statements if s.lstrip().startswith("SELECT facts.id, facts.commodity")]
    assert quote_reads, [s[:80] for s, _ in statements]
    with pg_store.engine.connect() as connection, connection.begin() as transaction:
        # the other facts indexes dropped for this transaction alone: a tiny store's planner picks
        # any of them by cost, and what is tested is that this one serves every branch alone
        others = [index.name for index in FactRow.__table__.indexes if index.name != "ix_facts_price_quotes"]
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {', '.join(str(name) for name in others)}")
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        for statement, parameters in quote_reads:
            plan = [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]
            scans = [line for line in plan if " on facts" in line]
            assert scans, plan
            assert all("Index Only Scan using ix_facts_price_quotes" in line for line in scans), plan
        transaction.rollback()
