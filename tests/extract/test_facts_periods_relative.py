"""Periods relative to a page or to another statement, one wording class per test, in sentences written
for these tests: a clause that describes a period, a world total beside a quota, undated pages."""

from __future__ import annotations

from fact_helpers import facts_reader, one, read_facts

facts_of = facts_reader("2025-10-20")


def test_a_clause_describing_a_period_holds_in_that_period() -> None:
    en = facts_of(
        "Magnet exports eased to 5,774 tonnes in September, 6.1% less than in August, "
        "when exports had reached a seven-month high of 6,146 tonnes."
    )
    assert one(en, value=6146)["period"] == "2025-08"
    assert one(en, value=5774)["period"] == "2025-09"
    zh = facts_of("9月稀土永磁出口5,774吨，低于8月，当时出口量达到6,146吨。")
    assert one(zh, value=6146)["period"] == "2025-08"


def test_a_world_total_beside_a_quota_is_not_a_quota() -> None:
    facts = facts_of(
        "China's rare earth mine production in 2020 was 140,000 tonnes, equal to that year's mining quota, "
        "out of a world total of 240,000 tonnes."
    )
    world = one(facts, value=240000)
    assert (world["geo"], world["metric"]) == ("WORLD", "production")


def test_an_undated_page_does_not_date_a_month_by_another_statements_year() -> None:
    text = (
        "China produced 900,000 tonnes of primary magnesium in 2023, the association said.\n\n"
        "In May, magnesium ingot exports rose to 40,000 tonnes."
    )
    facts = facts_of(text, None)
    assert one(facts, value=900000)["period"] == "2023"
    assert one(facts, value=40000).get("period") is None


def test_an_undated_page_dates_a_month_by_the_year_of_its_own_time() -> None:
    text = (
        "For the first seven months of 2025, magnet exports amounted to 27,897 tonnes.\n\n"
        "In July, Germany received 1,116 tonnes of magnets, against 900,000 tonnes of ore mined in 2010."
    )
    facts = facts_of(text, None)
    assert one(facts, value=1116)["period"] == "2025-07"
    titled = facts_of("In May, magnesium ingot exports rose to 40,000 tonnes.", None, title="May 2024 exports")
    assert one(titled, value=40000)["period"] == "2024-05"


def test_a_period_joined_by_de_is_the_numbers_own() -> None:
    facts = facts_of("大陸10月稀土磁鐵出口量為5473噸，較9月的5774噸減少5.2%，較2024年同期的4725噸增長15.8%。")
    assert one(facts, value=5473)["period"] == "2025-10"
    assert one(facts, value=5774)["period"] == "2025-09"
    assert one(facts, value=4725)["period"] == "2024-10"


def test_a_later_paragraph_on_the_same_flow_takes_the_pages_lead_period() -> None:
    text = (
        "中国10月稀土磁铁出口量为5473吨。\n\n"
        "北京当时承诺暂停稀土出口管制措施一年。\n\n"
        "按国家划分，稀土磁铁出口量最大的目的地为德国。其中对德国的出口达到1118吨。"
    )
    facts = facts_of(text)
    germany = one(facts, value=1118)
    assert (germany["commodity"], germany["period"], germany.get("partner")) == ("rare_earth_magnets", "2025-10", "DE")


def test_a_change_against_the_same_period_of_a_named_year_is_year_on_year() -> None:
    zh = facts_of("中國12月稀土出口量為4400噸，比2024年同期的3326噸高出32%。")
    assert one(zh, value=32)["unit"] == "pct_yoy"
    en = facts_of(
        "Flake graphite exports in January-February 2024 were 3,235 tonnes, a 77.66% decrease from 14,483 "
        "tonnes recorded in the same timeframe in 2023."
    )
    assert one(en, value=-77.66)["unit"] == "pct_yoy"


def test_this_week_against_last_week_dates_each_quote() -> None:
    facts = read_facts(
        "Neodymium oxide was quoted at 900,000 yuan per tonne this week, against 850,000 yuan per tonne last week.",
        "2025-06-13",
    )
    assert one(facts, value=900000)["period"] == "2025-06-13"
    assert one(facts, value=850000)["period"] == "2025-06-06"
    zh = read_facts("本周氧化镨钕价格为45万元/吨，上周为44万元/吨。", "2025-06-13")
    assert one(zh, value=450000)["period"] == "2025-06-13"
    assert one(zh, value=440000)["period"] == "2025-06-06"
    hant = read_facts("本週氧化鏑報價為265萬元/噸，上週為260萬元/噸。", "2025-06-13")
    assert one(hant, value=2600000)["period"] == "2025-06-06"


def test_a_weekly_wraps_lone_last_week_is_the_week_it_reports() -> None:
    facts = read_facts("Samarium oxide traded sideways last week, around CNY 23,000 per metric ton.", "2025-06-16")
    assert one(facts, value=23000)["period"] == "2025-06-16"


def test_each_clause_keeps_its_own_baseline() -> None:
    zh = read_facts("7月份稀土磁材出口量为5577吨，较6月增长6.1%，较去年同期下降7.6%。", "2025-08-20")
    assert one(zh, value=6.1)["unit"] == "pct_mom"
    assert one(zh, value=-7.6)["unit"] == "pct_yoy"
    hant = read_facts("7月份稀土磁鐵出口量為619噸，較6月暴增75.5%，並較去年同期增加4.8%。", "2025-08-20")
    assert (one(hant, value=75.5)["unit"], one(hant, value=4.8)["unit"]) == ("pct_mom", "pct_yoy")
    en = read_facts("Magnet exports were 5,577 t in July, up 6.1%, compared with 5,256 t in June.", "2025-08-20")
    assert one(en, value=6.1)["unit"] == "pct_mom"


def test_when_a_licence_lapses_is_not_the_period_of_a_number() -> None:
    zh = read_facts("该稀土矿采矿权有效期至2030年6月，年产能达5万吨。", "2025-06-01")
    assert one(zh, value=50000)["period"] != "2030-06"
    hant = read_facts("該稀土礦採礦權有效期至2030年6月，年產能達5萬噸。", "2025-06-01")
    assert one(hant, value=50000)["period"] != "2030-06"
