"""USGS MCS world tables (the real files in ../shared/data) read as official facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.analyze.reference import ReferenceImportError, country_code, import_usgs_mcs, parse_number, parse_usgs_world
from assay.analyze.series import SeriesQuery, build_series
from assay.model import Approx, Basis

pytestmark = pytest.mark.shared


@pytest.fixture
def mcs(shared_dir: Path) -> Path:
    return shared_dir / "data" / "usgs-mcs-data-release"


def china(path: Path) -> dict[tuple[str, str, str], float]:
    parsed = parse_usgs_world(path)
    return {(f.commodity, f.metric, str(f.period)): f.value for f in parsed.facts if f.geo == "CN"}


def test_china_figures_match_the_usgs_headlines(mcs: Path) -> None:
    assert china(mcs / "mcs2024" / "mcs2024-mgmet_world.csv") == {
        ("magnesium", "production", "2022"): 933000,
        ("magnesium", "production", "2023"): 830000,
    }
    assert china(mcs / "mcs2023" / "mcs2023-mgcomp_world.csv") == {
        ("magnesite", "production", "2021"): 18_000_000,
        ("magnesite", "production", "2022"): 17_000_000,
        ("magnesite", "reserves", "2022"): 580_000_000,
    }
    # MCS2024 counts contained MgO: another series than MCS2023's magnesite gross weight
    assert china(mcs / "mcs2024" / "mcs2024-mgcomp_world.csv")[("magnesia", "production", "2023")] == 13_000_000
    assert china(mcs / "mcs2022" / "graphite_mcs2022-graph_world.csv")[("graphite", "production", "2020")] == 762000
    assert china(mcs / "mcs2024" / "mcs2024-raree_world.csv") == {
        ("rare_earths", "production", "2022"): 210000,
        ("rare_earths", "production", "2023"): 240000,
        ("rare_earths", "reserves", "2023"): 44_000_000,
    }


def test_quirks_of_the_tables(mcs: Path) -> None:
    parsed = parse_usgs_world(mcs / "mcs2024" / "mcs2024-mgmet_world.csv")  # BOM, footnote 8, empty columns
    world = [f for f in parsed.facts if f.geo == "WORLD"]
    assert sorted(f.value for f in world) == [940000, 1050000] and all(f.approx is Approx.ABOUT for f in world)
    assert "World total (rounded)8" in world[0].quote
    assert not any(f.geo == "US" for f in parsed.facts)  # W: withheld
    assert any("'W' (no value)" in note for note in parsed.notes)
    assert all(f.basis is Basis.ESTIMATE for f in parsed.facts)  # both columns are _est_ in MCS2024
    graphite = parse_usgs_world(mcs / "mcs2024" / "mcs2024-graph_world.csv")  # "72,000" and NBSP in names
    brazil = {f.period: f.value for f in graphite.facts if f.geo == "BR" and f.metric == "production"}
    assert brazil == {"2022": 72000, "2023": 73000}
    assert {f.geo for f in graphite.facts if f.metric == "production"} >= {"US", "KP", "KR", "TR", "VN", "TZ"}
    assert not any("Included in World total" in note for note in graphite.notes)
    assert parsed.spec.name == "usgs-mcs2024-mgmet_world" and parsed.spec.published == "2024-01-31"


def test_cells_and_names() -> None:
    assert parse_number('"1,000,000"'.strip('"')) == (1_000_000, None)
    assert parse_number(">50") == (50, Approx.OVER)
    assert [parse_number(c) for c in ("W", "NA", "E", "XX", "")] == [None] * 5
    assert country_code("United\xa0States".replace("\xa0", " ")) == "US"
    assert country_code("Burma") == "MM" and country_code("Korea, North") == "KP"
    assert country_code("World total (rounded), excluding United States") == "WORLD"
    assert country_code("Other countries") is None


def test_import_twice_adds_nothing_and_facts_are_official(kb, mcs: Path) -> None:
    path = mcs / "mcs2023" / "mcs2023-mgmet_world.csv"
    first, parsed = import_usgs_mcs(kb.session, path)
    kb.session.commit()
    again, _ = import_usgs_mcs(kb.session, path)
    assert (first.added, first.unchanged) == (len(parsed.facts), False)
    assert (again.added, again.unchanged, again.same_as) == (0, True, "usgs-mcs2023-mgmet_world")
    (series,) = build_series(kb.session, SeriesQuery("magnesium", "production", geo="CN"))
    source = series.observations[0].sources[0]
    assert source.official and source.dataset == "usgs-mcs2023-mgmet_world" and source.doc is None


def test_salient_table_is_refused(mcs: Path) -> None:
    with pytest.raises(ReferenceImportError, match="not a USGS MCS world table"):
        parse_usgs_world(mcs / "mcs2024" / "mcs2024-mgmet_salient.csv")
    with pytest.raises(ReferenceImportError, match="cannot read"):
        parse_usgs_world(mcs / "missing.csv")
