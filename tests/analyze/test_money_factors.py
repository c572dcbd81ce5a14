"""Converting many prices with a unit's factors worked out once gives exactly what convert_price gives."""

from __future__ import annotations

import random

import pytest

from assay.analyze.money import PriceUnitError, convert_price, convert_with, price_factors

UNITS = ("CNY/t", "CNY/kg", "USD/t", "USD/kg", "USD/lb", "EUR/t", "EUR/kg", "t", "%", "CNY/m3")


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("target", [("CNY", "t"), ("USD", "kg"), ("EUR", "lb")])
def test_factors_convert_exactly_as_convert_price(unit: str, target: tuple[str, str]) -> None:
    rng = random.Random(unit)
    for year in (1990, 2015, 2024, 2040):  # years without a rate use the nearest one
        factors = price_factors(unit, *target, year)
        for value in [0.0, 1.0, 3.7, *(rng.uniform(0.01, 5_000_000) for _ in range(200))]:
            try:
                expected: float | None = convert_price(value, unit, *target, year).value
            except PriceUnitError:
                expected = None
            got = convert_with(value, factors) if factors is not None else None
            assert got == expected, (unit, target, year, value)
