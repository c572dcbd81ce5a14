"""Price assessment: units and currencies normalised, outliers excluded by the stated rule."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date

import pytest

from assay.analyze.money import PriceUnitError, convert_price
from assay.analyze.prices import PriceQuery, PriceQueryError, assess_prices, outlier_reasons, parse_window
from assay.model import Fact


def price(fact: Callable[..., Fact], value: float, day: str, unit: str = "CNY/t", **kw: object) -> Fact:
    return fact(
        value,
        f"PrNd oxide {value} {unit} on {day}",
        commodity="prnd",
        metric="price",
        unit=unit,
        form="oxide",
        period=day,
        **kw,
    )


def test_conversion_shows_the_rate_and_its_year() -> None:
    per_kg = convert_price(450, "CNY/kg", "CNY", "t", 2024)
    assert per_kg.value == 450000 and per_kg.rates == ()
    usd = convert_price(100, "USD/kg", "CNY", "t", 2023)
    assert usd.value == pytest.approx(100 * 1000 * 7.0467)
    assert usd.rates[0].year == 2023 and "7.0467 CNY per USD" in usd.rates[0].describe()
    later = convert_price(1, "USD/t", "CNY", "t", 2031)
    assert "no 2031 USD/CNY rate" in later.note
    with pytest.raises(PriceUnitError):
        convert_price(1, "t", "CNY", "t", 2024)


def test_window_parsing() -> None:
    assert [parse_window(w) for w in ("30d", "4w", "3m", "1y", "10")] == [30, 28, 90, 365, 10]
    with pytest.raises(ValueError, match="window"):
        parse_window("soon")


def test_outlier_rule() -> None:
    assert outlier_reasons([1.0, 2.0, 100.0]) == [None, None, None]  # too few to judge
    reasons = outlier_reasons([100.0, 101.0, 99.0, 100.5, 160.0])
    assert [r is not None for r in reasons] == [False, False, False, False, True]
    flat = outlier_reasons([100.0, 100.0, 100.0, 100.0, 105.0, 130.0])
    assert [r is not None for r in flat] == [False, False, False, False, False, True]


def test_assessment_normalises_and_excludes(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "smm",
        price(fact, 440000, "2024-06-03"),
        price(fact, 445000, "2024-06-04", value_high=455000),
        published="2024-06-04",
    )
    kb.doc("asian-metal", price(fact, 63, "2024-06-05", unit="USD/kg"), published="2024-06-05")
    kb.doc("baiinfo", price(fact, 448, "2024-06-05", unit="CNY/kg"), published="2024-06-05")
    kb.doc("typo", price(fact, 44000, "2024-06-06"), published="2024-06-06")
    kb.doc("old", price(fact, 300000, "2024-03-01"), published="2024-03-01")
    result = assess_prices(kb.session, PriceQuery("prnd", "oxide", window_days=30))
    assert result.window == (date(2024, 5, 8), date(2024, 6, 6))
    assert result.n_quotes == 4 and result.n_sources == 3  # smm gives two quotes
    assert [q.source.doc for q in result.excluded] == ["typo"]
    assert "scaled MADs" in (result.excluded[0].excluded or "")
    usd = next(q for q in result.used if q.source.doc == "asian-metal")
    assert usd.value == pytest.approx(63 * 1000 * 7.1217) and "2024 annual average" in (usd.rate or "")
    assert result.low == 440000 and result.high == 455000
    assert result.mid == pytest.approx(statistics.median([440000, 450000, 448000, 63 * 7121.7]))
    assert result.warnings == ()


def test_one_source_with_most_quotes_is_named(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("daily", *(price(fact, 440000 + d * 100, f"2024-06-{d:02d}") for d in range(1, 6)))
    kb.doc("other", price(fact, 441000, "2024-06-03"))
    result = assess_prices(kb.session, PriceQuery("prnd", "oxide", as_of=date(2024, 6, 30)))
    assert result.n_quotes == 6 and result.n_sources == 2
    assert any("one source (daily) gives 5 of 6 quotes" in w for w in result.warnings)


def test_nothing_stored_says_so(kb) -> None:
    result = assess_prices(kb.session, PriceQuery("dysprosium"))
    assert result.mid is None and result.warnings == ("no price quotes stored",)


def test_forms_never_mix_unless_one_is_chosen(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("oxide-desk", price(fact, 525000, "2023-10-20"), published="2023-10-20")
    metal = fact(
        642500,
        "PrNd metal 642500 CNY/t",
        commodity="prnd",
        metric="price",
        unit="CNY/t",
        form="metal",
        period="2023-10-20",
    )
    kb.doc("metal-desk", metal, published="2023-10-20")
    with pytest.raises(PriceQueryError, match="several forms \\(metal, oxide\\)"):
        assess_prices(kb.session, PriceQuery("prnd"))
    oxide = assess_prices(kb.session, PriceQuery("prnd", "oxide"))
    assert (oxide.n_quotes, oxide.mid) == (1, 525000)
