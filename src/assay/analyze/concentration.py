"""Market concentration: each country's share of a commodity's production or reserves in a year,
and the Herfindahl-Hirschman index (HHI, the sum of squared percentage shares, 0-10,000).

Each country's value and the world total are consensus observations (`build_series`), so USGS
and news figures for one year stand together. Shares are of the world total when one is stored
(countries not listed then make up the rest and are left out of the HHI, which makes it a lower
bound); without a world total they are of the countries' sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pycountry
from sqlalchemy.orm import Session

from assay.analyze.series import Observation, SeriesQuery, build_series, json_number
from assay.vocab import places

METRICS = ("production", "reserves")
# U.S. Department of Justice / FTC thresholds (2010 Horizontal Merger Guidelines)
HHI_BANDS = ((2500, "highly concentrated"), (1500, "moderately concentrated"), (0, "unconcentrated"))


class ConcentrationError(ValueError):
    """A concentration question that cannot be answered as asked."""


@dataclass(frozen=True)
class CountryShare:
    geo: str
    name: str
    value: float
    share: float  # percent of the total
    observation: Observation


@dataclass(frozen=True)
class Concentration:
    commodity: str
    metric: str
    year: str
    unit: str
    total: float
    total_is_world: bool
    world: Observation | None
    shares: tuple[CountryShare, ...]  # largest first
    hhi: float
    coverage: float  # countries' sum as percent of the total

    @property
    def level(self) -> str:
        return next(label for floor, label in HHI_BANDS if self.hhi >= floor)

    def as_json(self) -> dict[str, Any]:
        return {
            "commodity": self.commodity,
            "metric": self.metric,
            "year": self.year,
            "unit": self.unit,
            "total": json_number(self.total),
            "total_is_world": self.total_is_world,
            "hhi": round(self.hhi, 1),
            "level": self.level,
            "coverage": round(self.coverage, 2),
            "shares": [
                {
                    "geo": s.geo,
                    "name": s.name,
                    "value": json_number(s.value),
                    "share": round(s.share, 3),
                    "sources": [src.as_json() for src in s.observation.sources],
                }
                for s in self.shares
            ],
            "world_sources": [src.as_json() for src in self.world.sources] if self.world else [],
        }


def country_name(code: str) -> str:
    known = places().get(code)
    if known:
        return known.name
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code


def is_country(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and code.isupper() and code != "EU"


def concentration(session: Session, commodity: str, metric: str, year: str | int, unit: str = "t") -> Concentration:
    """Shares and HHI of `metric` (production or reserves) of `commodity` by country in `year`."""
    if metric not in METRICS:
        raise ConcentrationError(f"metric {metric!r}: concentration is of {' or '.join(METRICS)}")
    year_text = str(year)
    if not (len(year_text) == 4 and year_text.isdigit()):
        raise ConcentrationError(f"year {year_text!r}: give a year such as 2023")
    found = build_series(session, SeriesQuery(commodity, metric, unit=unit, since=year_text, until=year_text))
    countries: dict[str, Observation] = {}
    world: Observation | None = None
    for series in found:
        _, form, _, geo, partner, share_of, _ = series.key
        if partner or share_of or form:
            continue
        obs = next((o for o in series.observations if o.period == year_text), None)
        if obs is None:
            continue
        if geo == "WORLD":
            world = obs
        elif is_country(geo):
            countries[geo] = obs
    if not countries:
        raise ConcentrationError(f"no {commodity} {metric} by country stored for {year_text} (import USGS MCS tables?)")
    summed = sum(o.value for o in countries.values())
    total = world.value if world is not None and world.value >= summed * 0.5 else summed
    total_is_world = world is not None and total == world.value
    shares = sorted(
        (
            CountryShare(g, country_name(g), o.value, o.value / total * 100 if total else 0.0, o)
            for g, o in countries.items()
        ),
        key=lambda s: -s.value,
    )
    return Concentration(
        commodity=commodity,
        metric=metric,
        year=year_text,
        unit=unit,
        total=total,
        total_is_world=total_is_world,
        world=world if total_is_world else None,
        shares=tuple(shares),
        hhi=sum(s.share**2 for s in shares),
        coverage=summed / total * 100 if total else 0.0,
    )
