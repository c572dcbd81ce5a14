"""The price board and `assay ask` read only what they show, and give what the plain path gives.

The board reads each product's latest periods (its sparkline) and the period before its window;
`ask` counts the series of its selection in SQL and builds only the series its answer reaches.
Each is compared with a plain reference that reads every statement, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from assay.analyze import portal
from assay.analyze.ask import answer_question
from assay.analyze.portal import BoardRow, Product, price_board, price_history, price_points
from assay.analyze.prices import PriceQuery, assess_window
from assay.model import Period
from assay.store.records import select_facts
from assay.store.series import FactSelection, latest_periods
from knowledge_base import KnowledgeBase, make_fact

PRODUCTS = [("magnesium", "ingot"), ("magnesium", "oxide"), ("graphite", None), ("neodymium", "oxide")]


def generate_prices(kb: KnowledgeBase, seed: int = 5, n_docs: int = 40) -> None:
    """Daily, monthly and yearly quotes of a few products over two years, some far off (outliers)."""
    rng = random.Random(seed)
    first = date(2023, 1, 1).toordinal()
    for i in range(n_docs):
        facts = []
        for j in range(rng.randint(2, 12)):
            commodity, form = rng.choice(PRODUCTS)
            day = date.fromordinal(first + rng.randint(0, 729))
            period = rng.choice([day.isoformat(), day.isoformat(), day.isoformat()[:7], str(day.year)])
            value = rng.uniform(20_000, 24_000) * (5 if rng.random() < 0.05 else 1)
            unit = rng.choice(["CNY/t", "CNY/t", "CNY/t", "USD/t"])
            facts.append(
                make_fact(
                    round(value),
                    f"quote {i}-{j}",
                    commodity=commodity,
                    form=form,
                    metric="price",
                    period=period,
                    unit=unit,
                )
            )
        kb.doc(f"prices-{i}", *facts, published=f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")


def reference_row(kb: KnowledgeBase, product: Product, periods: int) -> BoardRow | None:
    """Every quote of the product read; the latest `periods` periods and the one before the
    assessment's window picked in Python."""
    assessment = portal.latest_assessment(kb.session, product)
    if assessment is None or assessment.mid is None or assessment.window is None:
        return None
    window_start, as_of = assessment.window
    selection = FactSelection(
        commodity=product.commodity,
        metric="price",
        form=product.form,
        starts_on_or_after=as_of - timedelta(days=portal.HISTORY_DAYS - 1),
        ends_on_or_before=as_of,
    )
    every = select_facts(kb.session, selection)
    spans = {r.fact.period: Period.parse(str(r.fact.period)) for r in every}
    latest_first = sorted(spans, key=lambda p: (spans[p].end, p), reverse=True)
    recent = latest_first[:periods]
    before = [p for p in latest_first if spans[p].end < window_start][:1]
    records = [r for r in every if r.fact.period in {*recent, *before}]
    first_day = min(spans[p].start for p in [*recent, *before])
    query = PriceQuery(product.commodity, product.form, portal.HISTORY_DAYS, as_of, product.currency, product.mass)
    points = price_points(assess_window(query, first_day, as_of, records))
    earlier = [p for p in points if Period.parse(p.period).end < window_start]
    history = tuple(p for p in points if p.period in recent)
    return BoardRow(product, assessment, earlier[-1].mid if earlier else None, history)


@pytest.fixture
def priced(kb_any: KnowledgeBase) -> KnowledgeBase:
    generate_prices(kb_any)
    return kb_any


@pytest.mark.parametrize("periods", [1, 5, 30])
def test_board_reads_the_latest_periods_as_the_reference_picks_them(
    priced: KnowledgeBase, periods: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal, "BOARD_HISTORY_PERIODS", periods)
    board = price_board(priced.session)
    expected = [row for p in portal.products(priced.session) if (row := reference_row(priced, p, periods))]
    assert board == expected
    assert len(board) >= 3
    assert all(len(row.history) <= periods for row in board)
    assert any(row.previous_mid is not None for row in board)
    if periods == 30:  # the generated products have more periods than that: the board cut them
        assert any(len(price_history(priced.session, row.product)) > 30 for row in board)


def test_board_with_every_period_equals_the_whole_history(
    priced: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal, "BOARD_HISTORY_PERIODS", 100_000)
    board = price_board(priced.session)
    assert board
    for row in board:
        history = price_history(priced.session, row.product)
        assert row.history == history
        assert row.assessment.window is not None
        earlier = [p for p in history if Period.parse(p.period).end < row.assessment.window[0]]
        assert row.previous_mid == (earlier[-1].mid if earlier else None)


def test_latest_periods_are_the_latest_distinct_periods(priced: KnowledgeBase) -> None:
    selection = FactSelection(commodity="magnesium", metric="price", form="ingot")
    spans = {str(r.fact.period): Period.parse(str(r.fact.period)) for r in select_facts(priced.session, selection)}
    expected = sorted(((p, s.start, s.end) for p, s in spans.items()), key=lambda t: (t[2], t[0]), reverse=True)
    assert latest_periods(priced.session, selection, 7) == expected[:7]
    assert latest_periods(priced.session, selection, 100_000) == expected
    assert latest_periods(priced.session, selection, 0) == []


def generate_trade(kb: KnowledgeBase, seed: int = 9, n_docs: int = 40) -> None:
    """Exports, production and prices in several units, geos, forms and partners."""
    rng = random.Random(seed)
    kinds = [  # metric, unit
        ("exports", "t"), ("exports", "t"), ("exports", "kt"), ("exports", "pct_yoy"), ("exports", "pct_mom"),
        ("production", "t"), ("production", "%"), ("trade_value", "USD"), ("price", "CNY/t"), ("price", "USD/kg"),
    ]  # fmt: skip
    for i in range(n_docs):
        facts = []
        for j in range(rng.randint(2, 10)):
            metric, unit = rng.choice(kinds)
            partner = rng.choice([None, None, "JP", "NL"]) if metric == "exports" else None
            flow = rng.choice(["exports", "imports"]) if metric == "trade_value" else "figures"
            facts.append(
                make_fact(
                    float(rng.randint(1, 500) * 10),
                    f"{flow} statement {i}-{j}",
                    commodity=rng.choice(["magnesium", "graphite"]),
                    metric=metric,
                    geo=rng.choice(["CN", "CN", "WORLD", "US"]),
                    period=rng.choice(["2023", "2024", "2024-03", "2024-04", "2023-04", "2024-05-02"]),
                    unit=unit,
                    partner=partner,
                    share_of="WORLD" if unit == "%" else None,
                    form=rng.choice([None, "ingot"]) if metric == "price" else None,
                )
            )
        kb.doc(f"trade-{i}", *facts)


QUESTIONS = [
    "What were China's magnesium exports in 2024?",
    "What were China's magnesium exports in 2023?",
    "What were China's graphite exports?",
    "How much magnesium did China export to Japan in April 2024?",
    "What were China's magnesium exports in 2019?",
    "By how much did China's magnesium exports rise in 2024?",
    "How much did China's graphite exports grow month on month in April 2024?",
    "By how much did China's graphite exports change?",
    "What was China's magnesium production in 2024?",
    "What share of world graphite production did China have in 2024?",
    "What was the value of China's magnesium exports in 2024?",
    "What was the price of magnesium ingot in March 2024?",
    "What was the price of graphite in USD per kg?",
    "2024年中国镁出口量是多少？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_building_one_series_answers_as_building_all(kb_any: KnowledgeBase, question: str) -> None:
    generate_trade(kb_any)
    counted = answer_question(kb_any.session, question)
    assert counted == answer_question(kb_any.session, question, every_series=True)
    assert counted.as_json() == answer_question(kb_any.session, question, every_series=True).as_json()


def test_ask_answers_something_from_the_generated_store(kb_any: KnowledgeBase) -> None:
    generate_trade(kb_any)
    answered = [answer_question(kb_any.session, q) for q in QUESTIONS]
    assert sum(a.value is not None for a in answered) >= len(QUESTIONS) // 2
