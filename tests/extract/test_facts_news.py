"""Newswire and market-report wordings (English and Chinese), written for these tests."""

from __future__ import annotations

from fact_helpers import facts_reader, one, read_facts

facts_of = facts_reader("2025-06-15")


def test_change_from_a_year_earlier_then_level() -> None:
    text = "China's exports of rare earth magnets in May fell 74% from a year earlier to 1,238 tonnes, data showed."
    facts = facts_of(text, "2025-06-20")
    assert one(facts, unit="pct_yoy")["value"] == -74
    level = one(facts, unit="t")
    assert level["period"] == "2025-05" and level["commodity"] == "rare_earth_magnets"


def test_up_from_the_previous_year() -> None:
    facts = facts_of("China exported 58,142 tons of rare earths in 2024, up 6% from the previous year.")
    assert one(facts, unit="t")["period"] == "2024"
    assert one(facts, unit="pct_yoy")["value"] == 6


def test_foreign_subject_country() -> None:
    facts = facts_of("The United States imported 7,400 tons of rare earth compounds in 2024.")
    fact = one(facts, unit="t")
    assert fact["geo"] == "US" and fact["metric"] == "imports"


def test_grade_before_commodity_is_not_a_fact() -> None:
    facts = facts_of("The price of 97% fused magnesia fell to $610/t FOB China this week.", "2025-06-13")
    assert [f["value"] for f in facts] == [610]
    facts = facts_of("Magnesium ingot (99.9%min) was assessed at $2,650-2,700/t FOB China on Friday.", "2025-06-13")
    assert [f["value"] for f in facts] == [2650]


def test_city_price_range_in_chinese() -> None:
    facts = facts_of("6月13日,海城地区电熔镁砂报价3200-3400元/吨。", "2025-06-13")
    fact = one(facts, metric="price")
    assert fact["geo"] == "CN-LN:Haicheng" and fact["commodity"] == "fused_magnesia"
    assert fact["value"] == 3200 and fact["value_high"] == 3400


def test_chinese_cumulative_months() -> None:
    facts = facts_of("2025年1-9月,我国稀土出口量为4.5万吨,同比下降3.2%。", "2025-10-20")
    level = one(facts, unit="t")
    assert level["period"] == "2025-01/2025-09" and level["value"] == 45000
    assert one(facts, unit="pct_yoy")["value"] == -3.2


def test_chinese_customs_sentence_with_two_changes() -> None:
    facts = facts_of("据海关数据,8月中国出口稀土永磁5584吨,环比增长6.8%,同比增长0.6%。", "2025-09-20")
    assert one(facts, unit="t")["value"] == 5584
    assert one(facts, unit="pct_mom")["value"] == 6.8
    assert one(facts, unit="pct_yoy")["value"] == 0.6
    assert all(f["period"] == "2025-08" for f in facts)


def test_week_on_week_is_a_plain_change() -> None:
    facts = facts_of("本周氧化镨钕均价为52.3万元/吨,较上周上涨1.2%。", "2025-06-13")
    assert one(facts, unit="CNY/t")["value"] == 523000
    assert one(facts, value=1.2)["unit"] == "pct_change"


def test_export_share_to_a_destination() -> None:
    facts = facts_of("Exports to the US accounted for 12% of China's magnesium exports in 2024.")
    fact = one(facts, unit="%")
    assert fact["metric"] == "exports_share" and fact["partner"] == "US" and fact["share_of"] == "CN"


def test_estimate_basis() -> None:
    facts = facts_of("Analysts estimate that China's graphite output reached 1.3 million tonnes in 2024.")
    assert one(facts, unit="t")["basis"] == "estimate"


def test_tpa_capacity() -> None:
    facts = facts_of("The company commissioned a 20,000 tpa spherical graphite line in Heilongjiang.")
    fact = one(facts, metric="capacity")
    assert fact["unit"] == "t/yr" and fact["geo"] == "CN-HL" and fact["commodity"] == "spherical_graphite"


def test_heading_gives_commodity_to_a_bare_price_line() -> None:
    text = "Dysprosium\n\nOxide prices rose to 1,680,000 yuan/t on June 12."
    facts = facts_of(text, "2025-06-13")
    fact = one(facts, metric="price")
    assert fact["commodity"] == "dysprosium" and fact["period"] == "2025-06-12"


def test_percentage_points_are_not_percent_changes() -> None:
    facts = facts_of("China's share of global magnesium output fell 2 percentage points to 88% in 2024.")
    assert one(facts, unit="%")["value"] == 88
    assert not [f for f in facts if f["unit"].startswith("pct_")]


def test_markdown_table_with_leading_pipes() -> None:
    text = (
        "Chinese magnesium prices (yuan/t)\n"
        "| Product | Price | Change |\n"
        "|---|---|---|\n"
        "| Magnesium ingot 99.9% | 17,800-18,000 | -100 |\n"
        "| AZ91D alloy | 19,500 | 0 |\n"
    )
    facts = facts_of(text, "2025-06-13")
    ingot = one(facts, commodity="magnesium")
    assert ingot["value"] == 17800 and ingot["value_high"] == 18000 and ingot["unit"] == "CNY/t"
    assert one(facts, commodity="magnesium_alloy")["value"] == 19500
    assert len(facts) == 2


def test_same_period_last_year_in_chinese() -> None:
    facts = facts_of("1-5月,全国原镁产量38.6万吨,较去年同期减少2.1%。", "2025-06-20")
    assert one(facts, unit="t")["period"] == "2025-01/2025-05"
    assert one(facts, value=-2.1)["unit"] == "pct_yoy"


def test_label_colon_price_line() -> None:
    facts = facts_of("Terbium metal: 9,100,000-9,200,000 yuan/t, unchanged.", "2025-06-13")
    fact = one(facts, metric="price")
    assert fact["commodity"] == "terbium" and fact.get("form") == "metal" and fact["period"] == "2025-06-13"


def test_hong_kong_year_on_year() -> None:
    facts = facts_of("據統計,2024年中國稀土永磁出口量達5.8萬噸,按年增長10.3%。", None)
    assert one(facts, unit="pct_yoy")["value"] == 10.3


def test_examples_in_parentheses_do_not_set_the_commodity() -> None:
    text = (
        "Export permits for seven heavy rare earths (e.g., dysprosium, terbium) tightened supply. "
        "Only 30% of applications were approved."
    )
    fact = one(facts_of(text), metric="approval_rate")
    assert fact["commodity"] in ("heavy_rare_earths", "rare_earths")


def test_dateline_is_not_the_period() -> None:
    text = "BEIJING, Jul 20 (Reuters) - China's graphite exports fell 12% to 8,100 tonnes in June."
    facts = facts_of(text, "2025-07-20")
    assert one(facts, unit="t")["period"] == "2025-06"
    assert all(f["geo"] == "CN" for f in facts)


def test_report_date_is_not_the_period_of_trade() -> None:
    text = "On July 20, 2025, customs data showed magnet exports reached 3,300 tons in June."
    assert one(facts_of(text, "2025-07-25"), unit="t")["period"] == "2025-06"


def test_beijing_as_the_government() -> None:
    facts = facts_of("Beijing set the 2021 mining quota at 168,000 tonnes of rare earth oxide.")
    assert one(facts, unit="t")["geo"] == "CN"


def test_holds_names_reserves_and_each_share_has_its_whole() -> None:
    facts = facts_of(
        "Liaoning holds 3.5 billion tonnes of magnesite, some 85% of the national total and 22% of the world's."
    )
    assert one(facts, metric="reserves")["geo"] == "CN-LN"
    assert one(facts, value=85)["share_of"] == "CN"
    assert one(facts, value=22)["share_of"] == "WORLD"


def test_each_quota_by_its_own_clause() -> None:
    facts = facts_of("The rare earth quotas were 270,000 tonnes for mining and 254,000 tonnes for smelting in 2024.")
    assert one(facts, value=270000)["metric"] == "mining_quota"
    assert one(facts, value=254000)["metric"] == "smelting_quota"


def test_comparative_after_the_number() -> None:
    facts = facts_of(
        "China exported 22,900 tonnes of magnesium ingot in October, 5.6% less than in October 2023 "
        "and 4% above the previous month.",
        "2024-11-20",
    )
    yoy = one(facts, unit="pct_yoy")
    assert yoy["value"] == -5.6 and yoy["period"] == "2024-10"
    assert one(facts, unit="pct_mom")["value"] == 4


def test_world_named_before_a_level_is_its_place() -> None:
    facts = facts_of("China made about 88% of world output of 940,000 tonnes of primary magnesium in 2023.")
    assert one(facts, unit="t")["geo"] == "WORLD"
    share = one(facts, unit="%")
    assert share["geo"] == "CN" and share["share_of"] == "WORLD"


def test_two_comparisons_each_with_its_own_baseline() -> None:
    facts = facts_of(
        "China exported 22,966 tonnes of magnesium ingot in October 2022. "
        "That is 23.4% more than in September and 5.6% less than in October 2021.",
        "2022-11-24",
    )
    assert one(facts, value=23.4)["unit"] == "pct_mom"
    assert one(facts, value=-5.6)["unit"] == "pct_yoy"


def test_changes_of_levels_in_units_we_do_not_track_are_not_a_minerals() -> None:
    en = read_facts(
        "Graphite anode demand is rising. Output of power batteries rose to 120.5GWh in the first half, up by 90pc, "
        "while installed volumes increased by 80.2pc to 95.1GWh.",
        "2025-07-20",
    )
    assert not en
    zh = read_facts("稀土永磁需求旺盛。新能源汽车产量为25万辆，同比增长30%。", "2025-07-20")
    assert not zh
    kept = read_facts("Magnesium output rose 5% in June as vehicle sales reached 216,000 units.", "2025-07-20")
    assert [f["value"] for f in kept] == [5]
