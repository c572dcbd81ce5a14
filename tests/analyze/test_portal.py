"""What the portal's pages show: the price board and histories, key figures, chart data, and a
fact's series point with the sources' agreement. Facts are made by hand; the store is real."""

from __future__ import annotations

from collections.abc import Callable

from assay.analyze.portal import (
    Product,
    exports_by_destination,
    exports_by_month,
    fact_context,
    key_figures,
    latest_assessment,
    price_board,
    price_history,
    production_by_country,
    products,
)
from assay.model import Fact
from assay.store.facts import FactFilter, query_facts


def price(fact: Callable[..., Fact], value: float, day: str, unit: str = "CNY/t", high: float | None = None) -> Fact:
    return fact(
        value, f"PrNd oxide {value} {unit} {day}", commodity="prnd", metric="price", unit=unit, form="oxide",
        period=day, value_high=high,
    )  # fmt: skip


def test_the_board_has_each_product_in_its_usual_unit_with_the_change(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("a", price(fact, 400_000, "2024-05-06"), price(fact, 410_000, "2024-06-03"), published="2024-06-03")
    kb.doc("b", price(fact, 420_000, "2024-06-28", high=430_000), price(fact, 60, "2024-06-20", "USD/kg"))
    assert products(kb.session) == [Product("prnd", "oxide", "CNY", "t")]
    (row,) = price_board(kb.session)
    assessment = row.assessment
    assert assessment.window is not None and assessment.window[1].isoformat() == "2024-06-28"
    assert assessment.low == 410_000 and assessment.high == 430_000
    assert row.previous_mid == 400_000  # the last period before the 30-day window
    assert row.change is not None and abs(row.change - (assessment.mid or 0) / 400_000 + 1) < 1e-9
    history = price_history(kb.session, row.product)
    assert [p.period for p in history] == ["2024-05-06", "2024-06-03", "2024-06-20", "2024-06-28"]
    assert history[-1].low == 420_000 and history[-1].high == 430_000


def test_sparse_prices_take_a_longer_window(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("yearly", price(fact, 500_000, "2022"), price(fact, 450_000, "2023"))
    assessment = latest_assessment(kb.session, Product("prnd", "oxide", "CNY", "t"))
    assert assessment is not None and assessment.mid == 450_000
    assert assessment.window is not None and (assessment.window[1] - assessment.window[0]).days == 364


def test_key_figures_prefer_long_series_of_key_metrics(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "usgs",
        *(fact(v, f"mined {v} t in {y}", metric="production", period=y) for y, v in (("2021", 9), ("2022", 10))),
        fact(11, "mined 11 t in 2023", metric="production", period="2023"),
        fact(5, "exported 5 t in 2023", metric="exports", period="2023"),
        fact(3, "exported 3 t to JP", metric="exports", period="2023", partner="JP"),
    )  # fmt: skip
    figures = key_figures(kb.session, "magnesium")
    assert [(k.series.fields["metric"], k.latest.value) for k in figures] == [("production", 11), ("exports", 5)]
    assert figures[0].values == [9, 10, 11]


def test_chart_data_production_by_country_and_exports(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "mix",
        fact(900, "China 900 t", metric="production", period="2023"),
        fact(100, "Israel 100 t", metric="production", geo="IL", period="2023"),
        fact(800, "World 1,000 t", metric="production", geo="WORLD", period="2023"),
        fact(50, "May exports 50 t", period="2024-05"),
        fact(60, "June exports 60 t", period="2024-06"),
        fact(30, "June to NL 30 t", period="2024-06", partner="NL"),
        fact(20, "June to JP 20 t", period="2024-06", partner="JP"),
    )
    production = production_by_country(kb.session, "magnesium")
    assert production is not None and production.title_period == "2023"
    assert [(b.label, b.value) for b in production.bars] == [("CN", 900), ("IL", 100)]  # no WORLD bar
    monthly = exports_by_month(kb.session, "magnesium")
    assert monthly is not None and [o.period for o in monthly.observations] == ["2024-05", "2024-06"]
    destinations = exports_by_destination(kb.session, "magnesium")
    assert destinations is not None and [b.label for b in destinations.bars] == ["NL", "JP"]
    assert production_by_country(kb.session, "graphite") is None


def test_a_fact_knows_whether_other_sources_agree(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("one", fact(4500, "exports 4,500 t in May"), published="2024-06-01")
    kb.doc("two", fact(4520, "exports of 4,520 t in May"), published="2024-06-02")
    kb.doc("three", fact(9000, "exports 9,000 t", geo="CN", period="2024-04"), published="2024-06-03")
    stored = {f.fact.doc: f for f in query_facts(kb.session, FactFilter())}
    agreed = fact_context(kb.session, stored["one"])
    assert agreed.observation is not None and agreed.observation.n_independent == 2 and agreed.agree
    alone = fact_context(kb.session, stored["three"])
    assert alone.observation is not None and len(alone.observation.sources) == 1 and alone.agree
    kb.doc("four", fact(9000, "exports were 9,000 t in May"), published="2024-06-04")
    stored = {f.fact.doc: f for f in query_facts(kb.session, FactFilter())}
    assert not fact_context(kb.session, stored["one"]).agree
