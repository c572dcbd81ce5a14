"""China customs codes of our commodities, checked against the real 2023 GACC code lists."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assay.analyze.reference import codes_for_commodity, commodity_for_hs, hs_codes
from assay.vocab import commodities

# Codes whose names mention our minerals but that are not our commodities (see hs8_codes.PROVENANCE.md).
NOT_OURS = {
    "25302000", "28161000", "28273100", "28332100", "28369910", "36069011", "36069019", "38013000", "38019090",
    "68129910", "68129990", "68151900", "68159100", "72021100", "72021900", "72023000", "85051190", "25309099",
    "38249992", "69021000", "85059090", "85112090", "85459000",
}  # fmt: skip


def gacc(path: Path) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("gb18030"))))
    return {row[0].strip(): row[1].strip() for row in rows[1:] if row and row[0].strip().isdigit()}


def test_lookups() -> None:
    assert commodity_for_hs("81041100") == "magnesium"
    assert commodity_for_hs("8104.11.00") == "magnesium"
    assert commodity_for_hs("81041900") == "magnesium_alloy"
    assert commodity_for_hs("810411") == "magnesium"
    assert commodity_for_hs("8104") == "magnesium"  # alloy, powder, scrap: all under magnesium
    assert commodity_for_hs("2846") == "rare_earths"
    assert commodity_for_hs("2519") is None  # magnesite and magnesia share no parent
    assert commodity_for_hs("25199010") == "fused_magnesia"
    assert commodity_for_hs("85051110") == "rare_earth_magnets"
    assert commodity_for_hs("01012100") is None and commodity_for_hs("not a code") is None
    assert {c.code for c in codes_for_commodity("prnd")} == set()  # no PrNd code of its own
    assert "28469013" in {c.code for c in codes_for_commodity("rare_earths")}
    assert all(code.commodity in commodities() for code in hs_codes().values())


@pytest.mark.shared
def test_mapping_matches_the_gacc_lists(shared_dir: Path) -> None:
    folder = shared_dir / "data" / "china-customs-codes"
    english, chinese = gacc(folder / "en-hs8-2023.csv"), gacc(folder / "zh-hs8-2023.csv")
    assert len(english) > 8900  # 9,007 lines, some codes listed twice
    for code, entry in hs_codes().items():
        assert english[code] == entry.en and chinese[code] == entry.zh, code
    words = ("稀土", "石墨", "镁", "钕", "镝", "铽", "镨", "镧", "铈", "钇", "钪", "铕", "镥", "永磁")
    ours_by_name = {code for code, name in chinese.items() if any(w in name for w in words)}
    assert ours_by_name - set(hs_codes()) <= NOT_OURS, sorted(ours_by_name - set(hs_codes()) - NOT_OURS)
