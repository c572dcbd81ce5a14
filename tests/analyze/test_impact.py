"""Action and consequence: series compared before and after an event's date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assay.analyze.impact import CAVEAT, ImpactOptions, compare_around, event_impacts, event_pivot
from assay.analyze.series import Observation
from assay.model import Basis, Event, Fact, Stance
from assay.store.db import Store
from assay.store.events import EventFilter, query_events, record_events
from assay.store.facts import replace_facts
from assay.store.schema import DocumentRow


def obs(period: str, value: float) -> Observation:
    return Observation(period=period, value=value, unit="t", sources=(), spread=0.0, n_independent=1)


def test_means_before_and_after_and_the_change() -> None:
    series = [obs("2025-01", 100), obs("2025-02", 110), obs("2025-03", 90), obs("2025-04", 40), obs("2025-05", 60)]
    result = compare_around(series, date(2025, 4, 1), window=2)
    assert result is not None
    assert [o.period for o in result.before] == ["2025-02", "2025-03"]
    assert [o.period for o in result.after] == ["2025-04", "2025-05"]
    assert (result.mean_before, result.mean_after, result.change_pct) == (100.0, 50.0, -50.0)
    assert result.granularity == "month"


def test_months_are_preferred_to_years_and_spans_are_left_out() -> None:
    series = [obs("2024", 1000), obs("2025", 2000), obs("2025-01/2025-09", 5), obs("2025-03", 10), obs("2025-05", 20)]
    result = compare_around(series, date(2025, 4, 1))
    assert result is not None and result.granularity == "month"
    assert result.change_pct == 100.0
    yearly = compare_around([obs("2024", 1000), obs("2025", 2000)], date(2025, 1, 1))
    assert yearly is not None and (yearly.granularity, yearly.change_pct) == ("year", 100.0)


def test_one_empty_side_gives_no_comparison() -> None:
    assert compare_around([obs("2025-05", 1), obs("2025-06", 2)], date(2025, 4, 1)) is None
    assert compare_around([], date(2025, 4, 1)) is None
    with pytest.raises(ValueError, match="window"):
        compare_around([obs("2025-05", 1)], date(2025, 4, 1), window=0)


def test_zero_before_has_no_percent_change() -> None:
    result = compare_around([obs("2025-03", 0), obs("2025-04", 5)], date(2025, 4, 1))
    assert result is not None and result.change_pct is None


def test_event_dates_become_pivots() -> None:
    assert event_pivot("2025-04") == date(2025, 4, 1)
    assert event_pivot("2025-10-09") == date(2025, 10, 9)
    assert event_pivot("2021/2025") == date(2021, 1, 1)
    assert event_pivot(None) is None


def test_the_caveat_says_co_occurrence_not_cause() -> None:
    assert "not cause" in CAVEAT


def test_impacts_of_a_stored_event_come_from_the_stored_series(store: Store) -> None:
    with store.transaction() as session:
        doc = DocumentRow(
            name="customs",
            source="customs.txt",
            raw_sha256="1" * 64,
            text_sha256="2" * 64,
            fetched_at=datetime(2025, 10, 1),
            raw_text="",
            clean_text="",
            cleaning_steps=[],
        )
        session.add(doc)
        session.flush()
        facts = [
            Fact(
                doc="customs",
                commodity="rare_earth_magnets",
                metric="exports",
                geo="CN",
                period=period,
                value=value,
                unit="t",
                basis=Basis.ACTUAL,
                quote=f"exports were {value} tonnes in {period}",
            )
            for period, value in [
                ("2025-01", 5000),
                ("2025-02", 4000),
                ("2025-03", 6000),
                ("2025-04", 2600),
                ("2025-05", 1200),
            ]
        ]
        replace_facts(session, doc.id, facts)
        record_events(
            session,
            doc.id,
            [
                Event(
                    doc="customs",
                    type="export_control",
                    actor="CN:MOFCOM",
                    date="2025-04-04",
                    commodities=("rare_earth_magnets",),
                    stance=Stance.TIGHTEN,
                    quote="export controls from 4 April",
                )
            ],
        )
    with store.session() as session:
        [stored] = query_events(session, EventFilter())
        [impact] = event_impacts(session, stored, ImpactOptions(window=3))
    c = impact.comparison
    assert [o.period for o in c.before] == ["2025-01", "2025-02", "2025-03"]
    assert [o.period for o in c.after] == ["2025-04", "2025-05"]
    assert c.change_pct == -62.0
    assert impact.series.fields["metric"] == "exports"
    assert impact.as_json()["change_pct"] == -62.0
