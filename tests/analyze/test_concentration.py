"""Shares and the Herfindahl-Hirschman index, from USGS tables and from hand-made facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.analyze.concentration import ConcentrationError, concentration
from assay.analyze.reference import import_usgs_mcs
from assay.model import Fact


def test_hhi_of_hand_made_shares(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "table",
        fact(60, "CN 60", commodity="graphite", metric="production", period="2023"),
        fact(30, "MZ 30", commodity="graphite", metric="production", geo="MZ", period="2023"),
        fact(10, "BR 10", commodity="graphite", metric="production", geo="BR", period="2023"),
    )
    result = concentration(kb.session, "graphite", "production", 2023)
    assert [(s.geo, round(s.share, 6)) for s in result.shares] == [("CN", 60), ("MZ", 30), ("BR", 10)]
    assert result.hhi == pytest.approx(3600 + 900 + 100) and result.level == "highly concentrated"
    assert not result.total_is_world and result.coverage == pytest.approx(100)
    with pytest.raises(ConcentrationError, match="no graphite production by country stored for 2019"):
        concentration(kb.session, "graphite", "production", 2019)
    with pytest.raises(ConcentrationError, match="production or reserves"):
        concentration(kb.session, "graphite", "exports", 2023)


@pytest.mark.shared
def test_graphite_2023_from_usgs(kb, shared_dir: Path) -> None:
    import_usgs_mcs(kb.session, shared_dir / "data" / "usgs-mcs-data-release" / "mcs2024" / "mcs2024-graph_world.csv")
    kb.session.commit()
    result = concentration(kb.session, "graphite", "production", 2023)
    assert result.total_is_world and result.total == 1_600_000
    assert result.shares[0].geo == "CN" and result.shares[0].share == pytest.approx(1_230_000 / 1_600_000 * 100)
    assert 5900 < result.hhi < 6100  # China's 76.9% alone gives 5,910
    reserves = concentration(kb.session, "graphite", "reserves", 2023)
    assert reserves.shares[0].geo == "CN" and reserves.total == 280_000_000
