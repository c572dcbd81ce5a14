"""Daily price tables: the real rare-earth oxide file, and the long format."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.analyze.price_table import PriceTableOptions, parse_price_table, product_commodity
from assay.analyze.reference import ReferenceImportError


def test_product_names_map_to_commodity_and_form() -> None:
    assert product_commodity("氧化钕") == ("neodymium", "oxide")
    assert product_commodity("氧化镨钕") == ("prnd", "oxide")
    assert product_commodity("金属镨钕") == ("prnd", "metal")
    assert product_commodity("Dy oxide") == ("dysprosium", "oxide")
    assert product_commodity("widgets") is None


@pytest.mark.shared
def test_real_rare_earth_oxide_table(shared_dir: Path) -> None:
    path = shared_dir / "data" / "china-rare-earth-oxide-prices-daily" / "rare_earth_oxide_prices_cny.csv"
    parsed = parse_price_table(path)
    assert len(parsed.facts) == 4 * 2876
    assert "氧化钕: neodymium oxide in 万元/吨 (10,000 CNY/t)" in parsed.notes
    assert "氧化铈: cerium oxide in 千元/吨 (1,000 CNY/t)" in parsed.notes
    odd = sum(int(n.split(": ")[1].split()[0]) for n in parsed.notes if "outside their low-high range" in n)
    assert odd == 534  # as PROVENANCE.md counts
    peak = next(f for f in parsed.facts if f.period == "2022-02-24" and f.commodity == "neodymium")
    assert peak.form == "oxide" and peak.unit == "CNY/t" and 1_100_000 < peak.value <= 1_235_000
    assert "2022-02-24: 氧化钕最低价" in peak.quote
    assert parsed.spec.kind == "prices" and parsed.spec.published == "2024-07-05" and not parsed.spec.official


def test_long_format_and_scale_override(tmp_path: Path) -> None:
    long_file = tmp_path / "quotes.csv"
    long_file.write_text(
        "date,commodity,form,price,price_high,unit\n"
        "2024-06-03,prnd,oxide,440000,445000,CNY/t\n"
        "2024-06-03,dysprosium,oxide,260,,USD/kg\n"
        "2024-06-04,unobtainium,,1,,CNY/t\n",
        encoding="utf-8",
    )
    parsed = parse_price_table(long_file)
    assert [(f.commodity, f.value, f.value_high, f.unit) for f in parsed.facts] == [
        ("prnd", 440000, 445000, "CNY/t"),
        ("dysprosium", 260, None, "USD/kg"),
    ]
    assert any("unobtainium" in n for n in parsed.notes)
    wide = tmp_path / "wide.csv"
    wide.write_text("日期,氧化镨钕最低价,氧化镨钕最高价\n2024-06-03,44,45\n", encoding="utf-8")
    assert parse_price_table(wide).facts[0].value == 440000
    scaled = parse_price_table(wide, PriceTableOptions(scales={"氧化镨钕": 1000}))
    assert scaled.facts[0].value == 44000


def test_bad_tables_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("date\n", encoding="utf-8")
    with pytest.raises(ReferenceImportError, match="no price rows"):
        parse_price_table(empty)
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("日期,温度\n2024-01-01,5\n", encoding="utf-8")
    with pytest.raises(ReferenceImportError, match="no price columns"):
        parse_price_table(nothing)
