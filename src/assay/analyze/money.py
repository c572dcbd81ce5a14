"""Prices in one unit and currency: CNY/kg → CNY/t, USD/t → CNY/t at a stated rate.

Rates are annual averages shipped in `vocab/data/fx_rates.csv` (CNY per USD from China's
National Bureau of Statistics annual communiqués; USD per EUR from the European Central
Bank). A quote is converted at its own year's rate; a year the table does not hold uses the
nearest year it does, and says so. Every conversion returns the rate it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from assay.vocab import read_rows

CURRENCIES = ("CNY", "USD", "EUR")
# how many of the mass unit make a tonne: a price per kg times 1000 is a price per t
PER_TONNE = {"t": 1.0, "kg": 1000.0, "lb": 2204.62262}


class PriceUnitError(ValueError):
    """A unit that is not a price we can convert (e.g. `%`, `t`)."""


@dataclass(frozen=True, slots=True)
class Rate:
    year: int
    pair: str  # USD/CNY: CNY per USD; EUR/USD: USD per EUR
    rate: float
    source: str

    def describe(self) -> str:
        base, quote = self.pair.split("/")
        return f"{self.rate:g} {quote} per {base}, {self.year} annual average ({self.source})"


@dataclass(frozen=True, slots=True)
class Converted:
    value: float
    unit: str
    rates: tuple[Rate, ...]  # empty when no currency changed
    note: str = ""  # e.g. "no 2025 rate: the 2024 rate was used"


@cache
def rate_table() -> dict[str, dict[int, Rate]]:
    table: dict[str, dict[int, Rate]] = {}
    for row in read_rows("fx_rates.csv"):
        rate = Rate(int(row["year"]), row["pair"], float(row["rate"]), row["source"])
        table.setdefault(rate.pair, {})[rate.year] = rate
    return table


def rate_for(pair: str, year: int) -> tuple[Rate, str]:
    """The pair's rate for `year`, or the nearest year held, with a note when it is not the same year."""
    years = rate_table().get(pair)
    if not years:
        raise PriceUnitError(f"no exchange rates for {pair}")
    if year in years:
        return years[year], ""
    nearest = min(years, key=lambda y: (abs(y - year), -y))
    return years[nearest], f"no {year} {pair} rate: the {nearest} rate was used"


def split_price_unit(unit: str) -> tuple[str, str]:
    """`CNY/t` → (`CNY`, `t`); raises PriceUnitError for anything that is not money per mass."""
    parts = unit.split("/")
    if len(parts) != 2 or parts[0] not in CURRENCIES or parts[1] not in PER_TONNE:
        raise PriceUnitError(f"{unit!r} is not a price unit (currency/t, /kg or /lb)")
    return parts[0], parts[1]


def _usd_per(currency: str, year: int) -> tuple[float, list[Rate], list[str]]:
    """USD for one unit of `currency` in `year`, with the rates and notes behind it."""
    if currency == "USD":
        return 1.0, [], []
    if currency == "CNY":
        rate, note = rate_for("USD/CNY", year)
        return 1.0 / rate.rate, [rate], [note] if note else []
    rate, note = rate_for("EUR/USD", year)
    return rate.rate, [rate], [note] if note else []


def convert_price(value: float, unit: str, currency: str = "CNY", mass: str = "t", year: int = 2024) -> Converted:
    """`value` in `unit` expressed in `currency` per `mass`, at `year`'s rates."""
    if currency not in CURRENCIES:
        raise PriceUnitError(f"unknown currency {currency!r} (use one of {', '.join(CURRENCIES)})")
    if mass not in PER_TONNE:
        raise PriceUnitError(f"unknown mass unit {mass!r}")
    from_currency, from_mass = split_price_unit(unit)
    per_tonne = value * PER_TONNE[from_mass]
    rates: list[Rate] = []
    notes: list[str] = []
    if from_currency != currency:
        usd_from, r1, n1 = _usd_per(from_currency, year)
        usd_to, r2, n2 = _usd_per(currency, year)
        per_tonne = per_tonne * usd_from / usd_to
        rates, notes = r1 + r2, n1 + n2
    return Converted(per_tonne / PER_TONNE[mass], f"{currency}/{mass}", tuple(rates), "; ".join(dict.fromkeys(notes)))


@cache
def price_factors(unit: str, currency: str, mass: str, year: int) -> tuple[float, float, float, float] | None:
    """What `convert_price` multiplies and divides a value in `unit` by, in its order (per tonne, USD
    per unit of the stated currency, USD per unit of the target, per target mass; the two USD factors
    1.0 when the currency stays), for converting many values: None when `unit` is not a price."""
    try:
        convert_price(1.0, unit, currency, mass, year)
    except PriceUnitError:
        return None
    from_currency, from_mass = split_price_unit(unit)
    usd_from = usd_to = 1.0
    if from_currency != currency:
        usd_from, usd_to = _usd_per(from_currency, year)[0], _usd_per(currency, year)[0]
    return PER_TONNE[from_mass], usd_from, usd_to, PER_TONNE[mass]


def convert_with(value: float, factors: tuple[float, float, float, float]) -> float:
    """`convert_price(value, ...).value` given its `price_factors`: the same operations in the same order."""
    per_tonne = value * factors[0] * factors[1] / factors[2]  # times and by 1.0 are exact: the same value
    return per_tonne / factors[3]


def to_cny_per_tonne(value: float, unit: str, year: int) -> float | None:
    """For plausibility checks: the price in CNY/t, or None when `unit` is not a price."""
    try:
        return convert_price(value, unit, "CNY", "t", year).value
    except PriceUnitError:
        return None
