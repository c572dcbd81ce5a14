"""build_series: one series per full key, one consensus observation per period."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from assay.analyze.series import Observation, SeriesQuery, SourceRef, build_series
from assay.model import Basis, Fact


def test_forms_and_units_are_never_one_series(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "smm-nd",
        fact(800000, "Nd oxide 800,000 yuan/t", commodity="neodymium", metric="price", unit="CNY/t", form="oxide"),
        fact(990000, "Nd metal 990,000 yuan/t", commodity="neodymium", metric="price", unit="CNY/t", form="metal"),
        fact(110, "Nd oxide $110/kg", commodity="neodymium", metric="price", unit="USD/kg", form="oxide"),
    )
    found = build_series(kb.session, SeriesQuery("neodymium", "price"))
    keys = {(s.fields["form"], s.fields["unit"]) for s in found}
    assert keys == {("oxide", "CNY/t"), ("metal", "CNY/t"), ("oxide", "USD/kg")}
    oxide = build_series(kb.session, SeriesQuery("neodymium", "price", form="oxide", unit="CNY/t"))
    assert [o.value for s in oxide for o in s.observations] == [800000]


def test_observations_are_in_time_order_with_partner_series_apart(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "mg-2024",
        fact(6140, "to the Netherlands 6,140 t", partner="NL", period="2024-05"),
        fact(5000, "to the Netherlands 5,000 t", partner="NL", period="2024-03"),
        fact(20836, "exports were 20,836 t", period="2024-05"),
        fact(-11.0, "down 11.0% MoM", period="2024-05", unit="pct_mom"),
    )
    found = build_series(kb.session, SeriesQuery("magnesium", "exports", geo="CN", partner="NL"))
    assert len(found) == 1
    assert [o.period for o in found[0].observations] == ["2024-03", "2024-05"]
    everything = build_series(kb.session, SeriesQuery("magnesium", "exports", geo="CN"))
    assert {(s.fields["partner"], s.fields["unit"]) for s in everything} == {
        ("NL", "t"),
        (None, "t"),
        (None, "pct_mom"),
    }


def test_duplicates_and_syndicated_copies_count_once(kb_any, fact: Callable[..., Fact]) -> None:
    kb = kb_any
    quote = "exports to the Netherlands totaled approximately 6,140 mt"
    first = kb.doc("smm-a", fact(6140, quote, partner="NL"), published="2024-06-10")
    kb.doc("smm-a-copy", fact(6140, "NL: 6,140 t", partner="NL"), published="2024-06-11", duplicate_of=first)
    kb.doc("repost", fact(6140, quote + ".", partner="NL"), published="2024-06-12", source_name="other.example")
    kb.doc("argus", fact(6200, "Netherlands took 6,200 t", partner="NL"), published="2024-06-09")
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "exports", partner="NL"))
    (obs,) = series.observations
    assert obs.n_independent == 2
    assert len(obs.sources) == 4
    assert obs.value == 6170  # median of the two independent values, 6140 and 6200
    assert abs(obs.spread - 60 / 6170) < 1e-9
    assert obs.freshest.doc == "repost"  # published last


def test_a_source_counts_its_freshest_statement(kb, fact: Callable[..., Fact]) -> None:
    first = kb.doc(
        "report-v1", fact(900000, "China 900 kt", metric="production", period="2022"), published="2023-01-31"
    )
    kb.doc(
        "report-v2",
        fact(933000, "China 933 kt", metric="production", period="2022"),
        published="2024-01-31",
        duplicate_of=first,
    )
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "production"))
    (obs,) = series.observations
    assert (obs.value, obs.n_independent) == (933000, 1)
    assert [(s.doc, s.in_consensus) for s in obs.sources] == [("report-v2", True), ("report-v1", False)]


def test_targets_do_not_argue_with_actual_figures(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("plan", fact(1200000, "output target of 1.2 Mt", metric="production", period="2025", basis=Basis.TARGET))
    kb.doc("news", fact(1000000, "produced 1 Mt", metric="production", period="2025"))
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "production"))
    (obs,) = series.observations
    assert obs.value == 1000000 and obs.n_independent == 1
    assert {s.doc: s.in_consensus for s in obs.sources} == {"news": True, "plan": False}


def test_since_until_and_undated_facts(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "years",
        *(fact(100 * y, f"{y}: {100 * y} t", metric="production", period=str(y)) for y in range(2019, 2025)),
        fact(5, "some undated figure", metric="production", period=None),
    )
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "production", since="2021", until="2023"))
    assert [o.period for o in series.observations] == ["2021", "2022", "2023"]
    (whole,) = build_series(kb.session, SeriesQuery("magnesium", "production"))
    assert len(whole.observations) == 6  # an undated fact has no place on a time axis


def test_json_rows_carry_sources_and_key(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("r", fact(42000, "Yuan 42,000-42,500 a tonne", metric="price", unit="CNY/t", value_high=42500))
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "price"))
    (row,) = series.rows_json()
    assert row["value"] == 42000 and row["value_high"] == 42500 and row["unit"] == "CNY/t"
    assert row["n_sources"] == 1 and row["commodity"] == "magnesium" and row["metric"] == "price"
    assert row["sources"][0]["doc"] == "r" and row["sources"][0]["quote"] == "Yuan 42,000-42,500 a tonne"


def test_sources_and_observations_are_whole_frozen_dataclasses(kb, fact: Callable[..., Fact]) -> None:
    # build_series makes these without their __init__ (speed): they must equal the constructor's
    kb.doc("one", fact(6140, "6,140 t", period="2024-05"), fact(6100, "6,100 t", period="2024-06"))
    kb.doc("two", fact(6100, "about 6,100 t", period="2024-06"))
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "exports"))
    for obs in series.observations:
        assert set(vars(obs)) == {f.name for f in dataclasses.fields(Observation)}
        assert Observation(**vars(obs)) == obs
        for ref in obs.sources:
            assert set(vars(ref)) == {f.name for f in dataclasses.fields(SourceRef)}
            assert SourceRef(**vars(ref)) == ref
            assert hash(SourceRef(**vars(ref))) == hash(ref)
            with pytest.raises(dataclasses.FrozenInstanceError):
                ref.quote = "changed"  # type: ignore[misc]
    assert [len(o.sources) for o in series.observations] == [1, 2]
