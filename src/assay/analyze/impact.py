"""Action and consequence: the series of an event's commodities before and after its date.

`compare_around` is a pure function over observations: the N periods before the event's
date against the N periods from it on, their means and the percent change. `event_impacts`
fetches the series (exports, production, prices, ...) of the commodities an event touches
and compares each. The figures show what moved around the event's date: co-occurrence,
not cause; other things happened in those months too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from assay.analyze.series import Observation, Series, SeriesQuery, build_series
from assay.extract.events.dates import month_start
from assay.model import Period
from assay.store.events import StoredEvent

CAVEAT = (
    "These figures show what the series did before and after the event's date: co-occurrence, not cause. "
    "Other events, seasons and prices move the same series."
)
DEFAULT_METRICS = ("exports", "imports", "production", "price", "mining_quota", "smelting_quota")
_GRANULARITY_ORDER = ("month", "quarter", "half", "year")


@dataclass(frozen=True)
class ImpactOptions:
    """How many periods to compare on each side, and which metrics to look at."""

    window: int = 3
    metrics: tuple[str, ...] = DEFAULT_METRICS
    geo: str | None = None  # None: CN for a Chinese actor's event, else every geo the store has


@dataclass(frozen=True)
class Comparison:
    """A series on both sides of a date: the periods and values used, their means, the change."""

    pivot: date
    granularity: str
    before: tuple[Observation, ...]
    after: tuple[Observation, ...]
    mean_before: float | None
    mean_after: float | None
    change_pct: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "pivot": self.pivot.isoformat(),
            "granularity": self.granularity,
            "before": [{"period": o.period, "value": o.value} for o in self.before],
            "after": [{"period": o.period, "value": o.value} for o in self.after],
            "mean_before": self.mean_before,
            "mean_after": self.mean_after,
            "change_pct": self.change_pct,
        }


@dataclass(frozen=True)
class SeriesImpact:
    series: Series
    comparison: Comparison

    def as_json(self) -> dict[str, object]:
        return {"series": self.series.fields, "label": self.series.label(), **self.comparison.as_json()}


def _granularity(obs: Observation) -> str | None:
    try:
        return Period.parse(obs.period).granularity
    except ValueError:
        return None


def _mean(observations: Sequence[Observation]) -> float | None:
    return sum(o.value for o in observations) / len(observations) if observations else None


def compare_around(observations: Sequence[Observation], pivot: date, window: int = 3) -> Comparison | None:
    """The `window` periods that end before `pivot` against the `window` from the one holding it on.

    The period that contains the pivot counts as after: a measure of 4 April shows in April's figures.
    Uses the finest granularity that has observations on both sides (months before quarters
    before years); spans such as `2024-01/2024-09` are left out, since they overlap. None when
    one side is empty.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    for granularity in _GRANULARITY_ORDER:
        chosen = sorted(
            (o for o in observations if _granularity(o) == granularity), key=lambda o: Period.parse(o.period).start
        )
        before = tuple(o for o in chosen if Period.parse(o.period).end < pivot)[-window:]
        after = tuple(o for o in chosen if Period.parse(o.period).end >= pivot)[:window]
        if before and after:
            mean_before, mean_after = _mean(before), _mean(after)
            change = None
            if mean_before and mean_after is not None:
                change = round((mean_after - mean_before) / abs(mean_before) * 100, 2)
            return Comparison(pivot, granularity, before, after, mean_before, mean_after, change)
    return None


def event_pivot(event_date: str | None) -> date | None:
    """The day an event's consequences are measured from: the first day its date covers."""
    return month_start(event_date)


def event_impacts(session: Session, event: StoredEvent, options: ImpactOptions | None = None) -> list[SeriesImpact]:
    """For each commodity of the event and each metric, the series compared around the event's date."""
    options = options or ImpactOptions()
    pivot = event_pivot(event.date)
    if pivot is None:
        return []
    # China's measures show in China's series; another actor's in every geo the store has
    geo = options.geo or ("CN" if event.actor == "CN" or event.actor.startswith(("CN:", "CN-")) else None)
    out: list[SeriesImpact] = []
    seen: set[tuple[object, ...]] = set()
    for commodity in event.commodities:
        for metric in options.metrics:
            for series in build_series(session, SeriesQuery(commodity=commodity, metric=metric, geo=geo)):
                if series.key in seen:
                    continue
                seen.add(series.key)
                comparison = compare_around(series.observations, pivot, options.window)
                if comparison is not None:
                    out.append(SeriesImpact(series, comparison))
    return out
