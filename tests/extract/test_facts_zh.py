"""Chinese wordings (Simplified and Traditional), one class per test, in sentences written for these tests."""

from __future__ import annotations

from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-06-15")


def test_level_and_yoy_growth() -> None:
    facts = facts_of("2024年中国出口镁锭26.8万吨,同比增长6.5%。", None)
    level = one(facts, unit="t")
    assert level["value"] == 268000 and level["commodity"] == "magnesium" and level.get("form") == "ingot"
    assert level["metric"] == "exports" and level["period"] == "2024" and level["geo"] == "CN"
    assert one(facts, unit="pct_yoy")["value"] == 6.5


def test_yoy_decline_is_negative() -> None:
    facts = facts_of("2024年镁合金出口量9.6万吨,同比下降3.2%。", None)
    assert one(facts, unit="pct_yoy")["value"] == -3.2
    assert one(facts, unit="t")["commodity"] == "magnesium_alloy"


def test_mom_change() -> None:
    facts = facts_of("5月稀土永磁出口量5200吨,环比增长4.1%。", "2025-06-20")
    assert one(facts, unit="pct_mom")["value"] == 4.1
    level = one(facts, unit="t")
    assert level["period"] == "2025-05" and level["commodity"] == "rare_earth_magnets"


def test_change_against_named_year() -> None:
    facts = facts_of("2023年全国石墨产量125万吨,较2022年增长8%。", None)
    assert one(facts, value=8)["unit"] == "pct_yoy"
    assert one(facts, unit="t")["metric"] == "production"


def test_price_per_tonne_in_wan_yuan() -> None:
    facts = facts_of("6月12日氧化镨钕价格为45.2万元/吨。", "2025-06-13")
    fact = one(facts, metric="price")
    assert fact["value"] == 452000 and fact["unit"] == "CNY/t" and fact["commodity"] == "prnd"
    assert fact.get("form") == "oxide" and fact["period"] == "2025-06-12"


def test_oxide_against_metal() -> None:
    facts = facts_of("金属钕报价为56万元/吨,氧化钕报价为45万元/吨。", "2025-06-13")
    metal = one(facts, value=560000)
    oxide = one(facts, value=450000)
    assert metal["commodity"] == oxide["commodity"] == "neodymium"
    assert metal.get("form") == "metal" and oxide.get("form") == "oxide"


def test_price_cut_is_not_a_fact_but_new_level_is() -> None:
    facts = facts_of("氧化镝价格下调5万元/吨至160万元/吨。", "2025-06-13")
    assert [f["value"] for f in facts] == [1_600_000]


def test_share_of_world() -> None:
    facts = facts_of("中国稀土产量占全球产量的70%左右。", None)
    fact = one(facts, metric="production_share")
    assert fact["share_of"] == "WORLD" and fact["value"] == 70 and fact["approx"] == "~"


def test_market_share() -> None:
    facts = facts_of("中国原镁在全球的市场份额超过85%。", None)
    fact = one(facts, metric="production_share")
    assert fact["share_of"] == "WORLD" and fact["approx"] == ">"


def test_ratio_of_two_measures_is_not_a_share() -> None:
    assert facts_of("我国石墨出口量占国内产量的三成左右。", None) == []


def test_province_geo() -> None:
    facts = facts_of("2024年辽宁省菱镁矿产量约1500万吨。", None)
    fact = one(facts, unit="t")
    assert fact["geo"] == "CN-LN" and fact["commodity"] == "magnesite" and fact["approx"] == "~"


def test_city_geo() -> None:
    facts = facts_of("2024年包头市稀土永磁材料产能达到12万吨。", None)
    fact = one(facts, metric="capacity")
    assert fact["geo"] == "CN-NM:Baotou" and fact["unit"] == "t/yr"


def test_traditional_chinese() -> None:
    facts = facts_of("2024年中國出口鎂錠26.8萬噸,同比增長6.5%。", None)
    level = one(facts, unit="t")
    assert level["commodity"] == "magnesium" and level["metric"] == "exports" and level["value"] == 268000


def test_export_value_in_us_dollars() -> None:
    facts = facts_of("2024年中国镁产品出口金额12.3亿美元,同比增长4%。", None)
    fact = one(facts, unit="USD")
    assert fact["metric"] == "trade_value" and fact["value"] == 1_230_000_000
    assert one(facts, unit="pct_yoy")["metric"] == "trade_value"


def test_forecast_and_target_basis() -> None:
    facts = facts_of("预计2025年全球钕铁硼需求将达到30万吨。到2027年,该省规划石墨负极产能达到100万吨。", None)
    assert one(facts, metric="consumption")["basis"] == "forecast"
    target = one(facts, metric="capacity")
    assert target["basis"] == "target" and target["period"] == "2027"


def test_company_revenue() -> None:
    facts = facts_of("金力永磁2024年营业收入67.5亿元,同比增长2.5%。", None)
    fact = one(facts, unit="CNY")
    assert fact["geo"] == "company:jl-mag-rare-earth" and fact["metric"] == "revenue"


def test_quota() -> None:
    facts = facts_of("2024年第一批稀土开采总量控制指标为13.5万吨。", None)
    fact = one(facts, unit="t")
    assert fact["metric"] == "mining_quota" and fact["basis"] == "actual"


def test_price_table_one_cell_per_line() -> None:
    rows = ["产品", "价格区间(元/吨)", "均价(元/吨)", "涨跌(元/吨)"]
    rows += ["氧化铽", "7000000-7100000", "7050000", "-20000"]
    rows += ["金属铽", "8700000-8800000", "8750000", "0"]
    text = "\n|\n".join(rows) + "\n|\n6月13日铽价格小幅下跌。"
    facts = facts_of(text, "2025-06-13")
    oxide = one(facts, value=7_000_000)
    assert oxide["value_high"] == 7_100_000 and oxide["commodity"] == "terbium" and oxide.get("form") == "oxide"
    assert oxide["period"] == "2025-06-13"
    assert one(facts, value=8_750_000).get("form") == "metal"
    assert not [f for f in facts if f["value"] in (0, -20000, 20000)]


def test_pipe_table_with_year_columns() -> None:
    text = "表3 中国石墨出口量(吨)\n品种 | 2023 | 2024 | 增幅 |\n鳞片石墨 | 150000 | 162000 | 8.00% |\n"
    facts = facts_of(text, None)
    assert one(facts, value=150000)["period"] == "2023"
    later = one(facts, value=162000)
    assert later["period"] == "2024" and later["commodity"] == "flake_graphite" and later["metric"] == "exports"
    assert one(facts, value=8)["unit"] == "pct_yoy"
