"""Plausible value bands and contradiction tolerances, per metric, unit and commodity.

These tables are the checks' judgement, kept in one place so they can be read and argued
with (docs/checks.md prints them). Bands are deliberately wide: they catch a magnesium price
of 5 CNY/t or a share of 250 %, not a market move. Prices are compared in CNY/t after
`assay.analyze.money` normalisation.
"""

from __future__ import annotations

from functools import cache

from assay.vocab import ancestors

# (commodity or family, form or None) -> (low, high) in CNY/t. The nearest match wins:
# exact commodity and form, then the commodity, then its ancestors.
PRICE_BANDS: dict[tuple[str, str | None], tuple[float, float]] = {
    ("magnesium", None): (5_000, 100_000),
    ("magnesium_alloy", None): (5_000, 120_000),
    ("magnesium_powder", None): (5_000, 150_000),
    ("magnesite", None): (30, 2_000),
    ("magnesia", None): (300, 30_000),
    ("graphite", None): (1_000, 100_000),
    ("flake_graphite", None): (1_000, 40_000),
    ("spherical_graphite", None): (5_000, 100_000),
    ("synthetic_graphite", None): (5_000, 150_000),
    ("rare_earths", None): (2_000, 50_000_000),
    ("prnd", None): (150_000, 2_500_000),
    ("neodymium", None): (100_000, 3_000_000),
    ("praseodymium", None): (100_000, 3_000_000),
    ("dysprosium", None): (500_000, 8_000_000),
    ("terbium", None): (2_000_000, 30_000_000),
    ("lanthanum", None): (2_000, 150_000),
    ("cerium", None): (2_000, 150_000),
    ("yttrium", None): (10_000, 1_000_000),
    ("samarium", None): (5_000, 500_000),
    ("gadolinium", None): (50_000, 1_500_000),
    ("holmium", None): (200_000, 3_000_000),
    ("europium", None): (100_000, 10_000_000),
    ("lutetium", None): (1_000_000, 20_000_000),
    ("scandium", None): (1_000_000, 50_000_000),
    ("rare_earth_magnets", None): (50_000, 3_000_000),
    ("ferrite_magnets", None): (3_000, 100_000),
}

# Upper limits for a country-year of mass (t); beyond them a number is a unit slip.
MASS_LIMITS_T: dict[str, float] = {
    "magnesium": 5_000_000,
    "magnesite": 200_000_000,
    "magnesia": 100_000_000,
    "graphite": 50_000_000,
    "synthetic_graphite": 50_000_000,
    "rare_earths": 3_000_000,
    "rare_earth_magnets": 3_000_000,
    "ferrite_magnets": 10_000_000,
}
RESERVES_LIMIT_T = 20_000_000_000
MASS_METRICS = ("production", "capacity", "consumption", "exports", "imports", "mining_quota", "smelting_quota")
CHANGE_UNITS = ("pct_yoy", "pct_mom", "pct_qoq", "pct_change")

# metric -> relative tolerance before two sources of one key and period contradict each other
TOLERANCE_BY_METRIC: dict[str, float] = {
    "exports": 0.02,  # customs volumes: sources copy one figure, rounding is all that differs
    "imports": 0.02,
    "trade_value": 0.02,
    "mining_quota": 0.01,  # a government number, stated exactly
    "smelting_quota": 0.01,
    "production": 0.10,  # estimates by different analysts
    "reserves": 0.10,
    "capacity": 0.10,
    "consumption": 0.10,
    "trading_volume": 0.05,
    "revenue": 0.05,
    "net_profit": 0.05,
    "output_value": 0.05,
    "investment": 0.05,
}
DEFAULT_TOLERANCE = 0.05
PRICE_TOLERANCE_DAY = 0.05  # prices of the same day
PRICE_TOLERANCE_LONGER = 0.10  # a month's or a year's average from different baskets
APPROX_TOLERANCE = 0.05  # at least this much when a statement says about/over/under
SHARE_TOLERANCE_POINTS = 2.0  # shares (%) compare in percentage points
CHANGE_TOLERANCE_POINTS = 1.0  # pct_yoy etc. compare in percentage points


@cache  # checks ask once per price statement; the vocab walk is the same every time
def price_band(commodity: str, form: str | None) -> tuple[float, float] | None:
    """The plausible CNY/t band for a commodity (and form), or None when we hold none."""
    for name in ancestors(commodity) or [commodity]:
        for key in ((name, form), (name, None)):
            if key in PRICE_BANDS:
                return PRICE_BANDS[key]
    return None


@cache
def mass_limit(commodity: str) -> float | None:
    for name in ancestors(commodity) or [commodity]:
        if name in MASS_LIMITS_T:
            return MASS_LIMITS_T[name]
    return None


def tolerance(metric: str, unit: str, period: str | None) -> tuple[float, bool]:
    """(tolerance, absolute?): relative for levels, percentage points for shares and changes."""
    if unit == "%":
        return SHARE_TOLERANCE_POINTS, True
    if unit in CHANGE_UNITS:
        return CHANGE_TOLERANCE_POINTS, True
    if metric == "price":
        day = bool(period) and period is not None and len(period) == 10 and "/" not in period
        return (PRICE_TOLERANCE_DAY if day else PRICE_TOLERANCE_LONGER), False
    return TOLERANCE_BY_METRIC.get(metric, DEFAULT_TOLERANCE), False
