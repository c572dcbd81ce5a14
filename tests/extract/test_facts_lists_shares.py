"""Wording classes of shares and lists, in English and Chinese sentences written for these tests:
fractions in words, wholes named before or after the number, world levels, `respectively`/分别 lists,
measurement bases (contained MgO) and table units from the caption nearest the table."""

from __future__ import annotations

import pytest
from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-06-15")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("China mined about three quarters of the world's natural graphite in 2023.", 75),
        ("In 2022 China produced two thirds of the world's magnesium.", 66.67),
        ("China mined half of the world's rare earths in 2021.", 50),
    ],
)
def test_a_fraction_in_words_is_a_share(text: str, value: float) -> None:
    share = one(facts_of(text), unit="%")
    assert share["metric"] == "production_share" and share["geo"] == "CN" and share["share_of"] == "WORLD"
    assert share["value"] == pytest.approx(value, rel=0.005)


def test_a_chinese_fraction_of_the_nation_is_a_share() -> None:
    share = one(facts_of("2022年，榆林市原镁产量超过全国的一半。"), unit="%")
    assert share["commodity"] == "magnesium" and share["metric"] == "production_share"
    assert share["geo"] == "CN-SN:Yulin" and share["share_of"] == "CN" and share["value"] == 50


def test_a_fraction_in_words_after_a_movement_is_a_change() -> None:
    fact = one(facts_of("China's magnesium exports fell by a third in 2023."), metric="exports")
    assert fact["value"] == pytest.approx(-33.33, rel=0.005) and fact["unit"] in ("pct_yoy", "pct_change")
    zh = one(facts_of("2023年我国稀土开采指标增长约五分之一。"), metric="mining_quota")
    assert zh["value"] == 20 and zh["unit"] in ("pct_yoy", "pct_change")


def test_the_world_is_the_whole_of_a_share_not_its_subject() -> None:
    facts = facts_of(
        "China mined 1.2 million tonnes of natural graphite in 2023, about 77% of world output of 1.6 million tonnes."
    )
    share = one(facts, unit="%")
    assert share["geo"] == "CN" and share["share_of"] == "WORLD" and share["metric"] == "production_share"
    world = one(facts, value=1600000)
    assert world["geo"] == "WORLD"


def test_a_share_of_the_total_after_a_world_figure() -> None:
    facts = facts_of(
        "The survey puts world reserves of rare earths at 110 million tonnes. "
        "China has 44 million tonnes, or 40% of the total."
    )
    assert one(facts, value=110000000)["geo"] == "WORLD"
    assert one(facts, value=44000000)["geo"] == "CN"
    share = one(facts, unit="%")
    assert share["metric"] == "reserves_share" and share["geo"] == "CN" and share["share_of"] == "WORLD"


def test_a_province_share_of_the_nation_and_of_the_world() -> None:
    facts = facts_of(
        "Chinese surveys put Liaoning's magnesite reserves at 3.5 billion tonnes, "
        "some 85% of the national total and 22% of the world's."
    )
    assert one(facts, value=85)["geo"] == "CN-LN" and one(facts, value=85)["share_of"] == "CN"
    assert one(facts, value=22)["geo"] == "CN-LN" and one(facts, value=22)["share_of"] == "WORLD"


def test_chinese_wholes_written_before_each_number() -> None:
    facts = facts_of(
        "辽宁菱镁矿保有资源量约35亿吨，约占全国的85%、全球的22%。鞍山的资源量占全省的86%，其中海城又占鞍山的70%。"
    )
    assert one(facts, value=85)["share_of"] == "CN"
    assert one(facts, value=22)["share_of"] == "WORLD"
    anshan = one(facts, value=86)
    assert anshan["geo"] == "CN-LN:Anshan" and anshan["share_of"] == "CN-LN"
    haicheng = one(facts, value=70)
    assert haicheng["geo"] == "CN-LN:Haicheng" and haicheng["share_of"] == "CN-LN:Anshan"


@pytest.mark.parametrize(
    "text",
    [
        "Chinese smelters made 830,000 tonnes of magnesium in 2023, out of world output of 940,000 tonnes.",
        "2023年中国原镁产量83万吨，全球产量为94万吨。",
    ],
)
def test_a_world_level_named_just_before_the_number(text: str) -> None:
    facts = facts_of(text)
    assert one(facts, value=830000)["geo"] == "CN"
    assert one(facts, value=940000)["geo"] == "WORLD"


def test_respectively_pairs_products_with_values_in_order() -> None:
    en = facts_of("Exports of magnesium ingot and magnesium alloy were 300,000 t and 120,000 t respectively in 2024.")
    assert one(en, value=300000)["commodity"] == "magnesium"
    assert one(en, value=120000)["commodity"] == "magnesium_alloy"
    zh = facts_of("2024年镁锭、镁合金出口量分别为30万吨、12万吨，同比分别增长5%和8%。")
    assert one(zh, value=120000)["commodity"] == "magnesium_alloy"
    assert one(zh, value=5)["commodity"] == "magnesium" and one(zh, value=5)["unit"] == "pct_yoy"
    assert one(zh, value=8)["commodity"] == "magnesium_alloy" and one(zh, value=8)["unit"] == "pct_yoy"


def test_fenbie_pairs_changes_with_the_measures_before_them() -> None:
    facts = facts_of(
        "2023年全年稀土开采总量控制指标为25.5万吨，冶炼分离总量控制指标为24万吨，分别较2022年增长21.4%和18.8%。"
    )
    assert one(facts, value=21.4)["metric"] == "mining_quota"
    smelting = one(facts, value=18.8)
    assert smelting["metric"] == "smelting_quota" and smelting["unit"] == "pct_yoy"


def test_contained_mgo_measures_magnesite_and_compounds_are_magnesia() -> None:
    facts = facts_of(
        "Measured as contained magnesium oxide, China mined 13 million tonnes in 2023. "
        "U.S. imports of magnesium compounds were 570,000 tonnes in 2023."
    )
    assert one(facts, value=13000000)["commodity"] == "magnesite"
    imports = one(facts, value=570000)
    assert imports["commodity"] == "magnesia" and imports["geo"] == "US"


def test_a_table_takes_its_unit_from_the_caption_next_to_it() -> None:
    text = (
        "2019年镁锭出口24.3万吨，同比增长13.45%。\n"
        "表1 2019年镁粉出口量（吨）\n"
        "| 品种 | 2018年 | 2019年 |\n"
        "| --- | --- | --- |\n"
        "| 镁粉 | 78360 | 84332 |\n"
    )
    facts = facts_of(text)
    assert one(facts, value=78360)["unit"] == "t"
    assert one(facts, value=84332)["period"] == "2019"


def test_the_province_or_region_replaces_a_city_carried_from_before() -> None:
    en = facts_of(
        "Haicheng holds most of the magnesite mines. The plan aims at two mining groups in the province "
        "and output value of more than RMB 100 billion by 2030."
    )
    assert one(en, metric="output_value")["geo"] == "CN-LN"
    region = facts_of(
        "Baotou hosts the magnet plants. The region plans to lift its capacity for rare earth magnets "
        "to 100,000 tonnes a year by 2025."
    )
    assert one(region, metric="capacity")["geo"] == "CN-NM"
    zh = facts_of("海城是菱镁矿主产区。到2030年，全省菱镁产业产值突破1000亿元。")
    value = one(zh, metric="output_value")
    assert value["geo"] == "CN-LN" and value["commodity"] == "magnesite"


def test_europe_is_the_eu_for_prices() -> None:
    fact = one(facts_of("In Europe the average magnesium price was $5,011 a tonne in 2021."), metric="price")
    assert fact["geo"] == "EU" and fact["period"] == "2021"


def test_a_table_takes_its_period_from_the_caption_line_above_it() -> None:
    text = (
        "From January to October 2022 exports reached 229,570 tonnes, up 7.1% on the same months of 2021.\n\n"
        "Top destinations of magnesium ingot exports, October 2022\n\n"
        "Destination     | Tonnes | Share of total\n"
        "Netherlands     | 6,280  | 27%\n"
        "Turkey          | 3,196  | 14%\n"
    )
    facts = facts_of(text, "2022-11-24")
    netherlands = one(facts, value=6280)
    assert netherlands["period"] == "2022-10" and netherlands["partner"] == "NL"
    assert one(facts, value=14)["period"] == "2022-10"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("In the first six months of 2014 China's magnesia exports rose to 281,981 tonnes.", "2014-H1"),
        ("From January to March 2024 China's magnesium exports reached 98,000 tonnes.", "2024-Q1"),
        ("2024年1-12月，我国镁锭出口量为30万吨。", "2024"),
        ("From January to September 2025 China's magnet exports reached 39,817 tonnes.", "2025-01/2025-09"),
    ],
)
def test_an_interval_that_is_a_half_quarter_or_year_is_named_so(text: str, period: str) -> None:
    fact = one(facts_of(text, "2025-11-01"), unit="t")
    assert fact["period"] == period


def test_a_share_of_world_supply_is_a_share_of_production() -> None:
    english = facts_of("Magnesium ingot prices in China, which represents about 85% of world supply, eased.")
    share = one(english, metric="production_share")
    assert (share["geo"], share["value"], share["share_of"]) == ("CN", 85, "WORLD")
    simplified = one(facts_of("中国占全球镁供应的85%。"), metric="production_share")
    assert (simplified["commodity"], simplified["value"]) == ("magnesium", 85)
    traditional = one(facts_of("中國佔到全球鎂供應量的約85%。"), metric="production_share")
    assert traditional["geo"] == "CN"
    assert not facts_of("Supply stayed tight in China, with 85% of magnesium plants idle.")


def test_one_value_for_each_product_listed_before_it() -> None:
    zh = facts_of("5月挂牌价中，氧化镧及氧化铈的价格均为8,600 元/吨。")
    assert {f["commodity"] for f in zh if f["value"] == 8600} == {"lanthanum", "cerium"}
    hant = facts_of("氧化鐠與氧化釹的報價均為45萬元/噸。")
    assert {f["commodity"] for f in hant if f["value"] == 450000} == {"praseodymium", "neodymium"}
    en = facts_of("Lanthanum oxide and cerium oxide were both at 8,600 yuan per tonne.")
    assert {f["commodity"] for f in en if f["value"] == 8600} == {"lanthanum", "cerium"}
    single = facts_of("Lanthanum oxide was at 8,600 yuan per tonne, and cerium oxide rose.")
    assert [f["commodity"] for f in single if f["value"] == 8600] == ["lanthanum"]


def test_two_quotas_under_one_head_noun_pair_in_order() -> None:
    zh = facts_of("2025年第一批稀土开采、冶炼分离总量控制指标分别为100000吨、95000吨。")
    assert (one(zh, value=100000)["metric"], one(zh, value=95000)["metric"]) == ("mining_quota", "smelting_quota")
    hant = facts_of("2025年第一批稀土開采、冶煉分離總量控制指標分別為100000噸和95000噸。")
    assert one(hant, value=95000)["metric"] == "smelting_quota"
    en = facts_of("China's rare earth mining and smelting quotas for 2025 were 100,000 t and 95,000 t respectively.")
    assert (one(en, value=100000)["metric"], one(en, value=95000)["metric"]) == ("mining_quota", "smelting_quota")


def test_shares_of_revenue_are_not_shares_of_output() -> None:
    prose = facts_of("稀土产量增长。公司稀土氧化物和稀土金属产品营收占比分别为60.2%和38.1%。")
    assert not [f for f in prose if f["value"] in (60.2, 38.1)]
    table = facts_of("稀土产能\n\n| 业务板块 | 营收占比 | 产能 |\n|---|---|---|\n| 稀土氧化物 | 60.2% | 9000吨/年 |\n")
    assert not [f for f in table if f["value"] == 60.2]
    difference = facts_of("Magnesium will sell at US$ 4,100 per tonne, which is US$ 1,900 lower than last quarter.")
    assert [f["value"] for f in difference] == [4100]
