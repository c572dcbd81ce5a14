"""Who and what a level is about, and whether a number is a fact at all: one wording class per test, in
sentences written for these tests (English, Simplified and Traditional Chinese). The figures are made up."""

from __future__ import annotations

import pytest
from fact_helpers import facts_reader, one

from assay.extract.numbers.reader import read_quantities

facts_of = facts_reader("2024-03-15")


# --- shares: the place before 占 is the subject, the place after it the whole --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023年，宁夏累计生产原镁6.2万吨，占全国产量8.5%。",
        "2023年，寧夏累計生產原鎂6.2萬噸，佔全國產量8.5%。",
        "2023年，宁夏原镁产量6.2万吨，占全国总产量的8.5%。",
        "2023年，宁夏原镁产量6.2万吨，达到了全国总产量的8.5%。",
    ],
)
def test_a_whole_written_with_its_measure_is_the_whole(text: str) -> None:
    fact = one(facts_of(text), value=8.5)
    assert (fact["metric"], fact["geo"], fact["share_of"]) == ("production_share", "CN-NX", "CN")


def test_a_province_before_a_national_superlative_is_still_the_subject() -> None:
    text = "山西省作为全国第二大原镁产地，2023年生产原镁20.1万吨，占全国产量23.6%。"
    fact = one(facts_of(text), value=23.6)
    assert (fact["geo"], fact["share_of"]) == ("CN-SX", "CN")
    assert one(facts_of(text), value=201000)["geo"] == "CN-SX"


def test_a_city_share_of_its_province_with_the_provinces_level_between() -> None:
    text = "2023年，府谷原镁产量达30.2万吨，占据了陕西省36.9万吨总产量的81.8%，达到了全国总产量的36.0%。"
    facts = facts_of(text)
    of_province = one(facts, value=81.8)
    assert (of_province["geo"], of_province["share_of"]) == ("CN-SN:Fugu", "CN-SN")
    of_nation = one(facts, value=36.0)
    assert (of_nation["geo"], of_nation["share_of"]) == ("CN-SN:Fugu", "CN")
    assert one(facts, value=369000)["geo"] == "CN-SN"


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("Refractory magnesia made in Shandong occupies 12% of national total output.", "CN"),
        ("Refractory magnesia made in Shandong occupies 12% of international total output.", "WORLD"),
    ],
)
def test_occupy_is_a_share_verb(text: str, whole: str) -> None:
    fact = one(facts_of(text), value=12)
    assert (fact["commodity"], fact["metric"], fact["geo"], fact["share_of"]) == (
        "magnesia",
        "production_share",
        "CN-SD",
        whole,
    )


def test_a_city_occupying_a_share_of_another_city() -> None:
    fact = one(facts_of("The magnesite reserves in Dashiqiao occupy more than 20% of Yingkou."), value=20)
    assert (fact["metric"], fact["geo"], fact["share_of"]) == ("reserves_share", "CN-LN:Dashiqiao", "CN-LN:Yingkou")


# --- trade partners under their one-character short names ---------------------------------------


@pytest.mark.parametrize(
    ("text", "partner"),
    [
        ("5月对美稀土磁铁出口量为410吨，较4月减少3.1%。", "US"),
        ("5月對美稀土磁鐵出口量為410噸，較4月減少3.1%。", "US"),
        ("5月对日稀土磁铁出口量为410吨，较4月减少3.1%。", "JP"),
        ("5月對韓稀土磁鐵出口量為410噸，較4月減少3.1%。", "KR"),
        ("5月对欧稀土磁铁出口量为410吨，较4月减少3.1%。", "EU"),
    ],
)
def test_a_partner_under_its_short_name(text: str, partner: str) -> None:
    facts = facts_of(text)
    assert {(f["geo"], f.get("partner")) for f in facts} == {("CN", partner)}
    assert one(facts, value=410)["metric"] == "exports"


def test_the_dollar_is_not_america() -> None:
    facts = facts_of("5月人民币对美元汇率走弱，稀土磁铁出口量为410吨。")
    assert one(facts, value=410).get("partner") is None


# --- what is measured: a yearly rate is a capacity ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "该县镁冶炼企业总设计生产规模12万吨/年。",
        "該縣鎂冶煉企業總設計生產規模12萬噸/年。",
        "The county's magnesium smelters have a total designed production scale of 120,000 t/yr.",
        "Northwind Magnetics will begin 120,000 t/yr of sintered NdFeB magnet production in 2026.",
    ],
)
def test_a_yearly_rate_is_a_capacity(text: str) -> None:
    assert one(facts_of(text), value=120000)["metric"] == "capacity"


# --- what is measured: magnesia under its refractory names -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The output of magnesia refractory raw materials in Yingkou was 2.1 million tons in 2023.",
        "The production of magnesium refractory materials in Yingkou was 2.1 million tons in 2023.",
    ],
)
def test_magnesia_refractory_materials_are_magnesia(text: str) -> None:
    fact = one(facts_of(text), value=2_100_000)
    assert (fact["commodity"], fact["metric"]) == ("magnesia", "production")


# --- numbers that are not facts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023年各地区原镁产量（单位：万吨）\n陕西 | 61.2\n山西 | 18.4",
        "2023年各地區原鎂產量(單位:萬噸)\n陝西 | 61.2\n山西 | 18.4",
    ],
)
def test_a_unit_word_alone_is_not_a_number(text: str) -> None:
    assert [f for f in facts_of(text) if f["value"] == 10000] == []


@pytest.mark.parametrize(
    "text",
    [
        "4月镁锭出口均价折合人民币16010元/吨，比国内同期17200元/吨的均价低1190元/吨。",
        "4月鎂錠出口均價折合人民幣16010元/噸，比國內同期17200元/噸的均價低1190元/噸。",
        "4月镁锭出口均价折合人民币16010元/吨，较国内均价低约1190元/吨。",
        "4月镁锭出口均价折合人民币18390元/吨，较国内均价高出1190元/吨。",
    ],
)
def test_a_gap_between_two_prices_is_not_a_price(text: str) -> None:
    facts = facts_of(text)
    assert [f for f in facts if f["value"] == 1190] == []
    assert facts, "the prices themselves are still read"


@pytest.mark.parametrize(
    "text",
    [
        "Each electric vehicle uses 2-4 kilograms of rare earth magnets, lifting magnet demand in 2024.",
        "A typical EV motor needs about 2 kg of NdFeB magnets per vehicle.",
        "新能源车单车稀土永磁用量约为2-4千克。",
        "某车企新款车型单车镁合金用量从12kg提升至20kg。",
        "某車企新款車型單車鎂合金用量從12kg提升至20kg。",
    ],
)
def test_an_amount_per_vehicle_is_not_a_countrys_consumption(text: str) -> None:
    assert facts_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "2023年汽车镁合金用量增长，镁合金车身方案较铝合金方案减重18%。",
        "2023年汽車鎂合金用量增長，鎂合金車身方案較鋁合金方案減重18%。",
        "Magnesium alloy consumption in cars grew in 2023; the alloy seat frame is 18% lighter than the steel one.",
    ],
)
def test_a_weight_saving_is_not_a_change_of_a_metric(text: str) -> None:
    assert facts_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "2023年，山西白云石价格从40元/吨涨至最高260元/吨，府谷地区白云石到场价稳定在140元/吨。",
        "2023年，山西白雲石價格從40元/噸漲至最高260元/噸，府谷地區白雲石到場價穩定在140元/噸。",
        "Delivered dolomite prices in Fugu held at 140 yuan/t in 2023.",
        "2023年，府谷兰炭价格为1400元/吨。",
        "2023年，府谷蘭炭價格為1400元/噸。",
    ],
)
def test_the_price_of_a_raw_material_is_not_the_products_price(text: str) -> None:
    assert facts_of(text, title="府谷镁锭市场") == []


@pytest.mark.parametrize(
    "text",
    [
        "2023年前5个月，原镁生产端的流通周转库存维持在1.3万吨左右。",
        "2023年前5個月，原鎂生產端的流通周轉庫存維持在1.3萬噸左右。",
        "Producers' magnesium ingot inventories stood at around 13,000 tonnes in May 2023.",
    ],
)
def test_an_inventory_is_not_output(text: str) -> None:
    assert facts_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "2023年我国镁合金出口金额为.58万美元，同比增长3.1%。",
        "2023年我國鎂合金出口金額為.58萬美元，同比增長3.1%。",
    ],
)
def test_a_number_that_lost_its_leading_digits_is_not_a_fact(text: str) -> None:
    assert [f for f in facts_of(text) if f["value"] in (5800, 580_000, 0.58)] == []


@pytest.mark.parametrize(
    "text",
    [
        "我国原镁冶炼企业70多家，前十大企业产量占比仅41.2%。",
        "我國原鎂冶煉企業70多家，前十大企業產量佔比僅41.2%。",
        "The top five graphite anode producers accounted for 61.2% of China's output in 2023.",
    ],
)
def test_a_share_of_the_top_few_producers_is_nobodys(text: str) -> None:
    assert [f for f in facts_of(text) if f["value"] in (41.2, 61.2)] == []


@pytest.mark.parametrize(
    "text",
    [
        "石墨化是负极材料生产的关键工序，其成本占负极材料成本约45%-55%。",
        "石墨化是負極材料生產的關鍵工序，其成本佔負極材料成本約45%-55%。",
        "Graphitization accounts for 45-55% of the cost of graphite anode production.",
    ],
)
def test_a_share_of_costs_is_not_a_share_of_output(text: str) -> None:
    assert [f for f in facts_of(text) if f["value"] == 45] == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "China produced 702 kt of magnesium in 2023: 412 kt in Shaanxi, 150 kt in Shanxi and 140 kt in other "
            "regions.",
            150_000,
        ),
        ("2023年晶质石墨储量中，黑龙江1.7亿吨，占比51%；山东0.2亿吨，占比6%；其他地区占比约8%。", 6),
        ("2023年晶質石墨儲量中，黑龍江1.7億噸，佔比51%；山東0.2億噸，佔比6%；其他地區佔比約8%。", 6),
    ],
)
def test_the_other_regions_are_not_a_place(text: str, kept: float) -> None:
    facts = facts_of(text)
    assert [f for f in facts if f["value"] in (140_000, 8)] == []
    assert one(facts, value=kept)


@pytest.mark.parametrize(
    "text",
    [
        "North America produced only 1.4% of the world's graphite supply in 2023.",
        "South America produced only 1.4% of the world's graphite supply in 2023.",
        "2023年北美石墨产量仅占全球的1.4%。",
        "2023年北美石墨產量僅佔全球的1.4%。",
    ],
)
def test_a_region_with_no_code_is_not_the_country_inside_its_name(text: str) -> None:
    assert [f for f in facts_of(text) if f["value"] == 1.4] == []


def test_south_africa_is_still_a_country() -> None:
    assert one(facts_of("South Africa produced 1.4% of the world's graphite supply in 2023."), value=1.4)["geo"] == "ZA"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("World magnesite reserves is 7.4bn. tons in 2023.", 7_400_000_000),
        ("World magnesite production is 27m. tons in 2023.", 27_000_000),
    ],
)
def test_a_scale_abbreviation_with_a_full_stop_before_its_unit(text: str, value: float) -> None:
    fact = one(facts_of(text), value=value)
    assert (fact["commodity"], fact["geo"], fact["unit"]) == ("magnesite", "WORLD", "t")


@pytest.mark.parametrize(
    "text",
    [
        "DBM 90% MgO fell to $250-290 per tonne fob China from $340/360 per tonne a week earlier.",
        "本周重烧镁砂90%报价为250-290美元/吨，一周前为340/360美元/吨。",
        "本週重燒鎂砂90%報價為250-290美元/噸，一週前為340/360美元/噸。",
    ],
)
def test_two_prices_split_by_a_slash_are_a_range(text: str) -> None:
    fact = one(facts_of(text), value=340)
    assert (fact["commodity"], fact["metric"], fact["value_high"], fact["unit"]) == (
        "dead_burned_magnesia",
        "price",
        360,
        "USD/t",
    )
    assert [f for f in facts_of(text) if f["value"] < 1] == []


def test_a_fraction_stays_a_fraction() -> None:
    assert [q.value for q in read_quantities("about 3/4 of output")] == [0.75]


@pytest.mark.parametrize(
    ("text", "commodity"),
    [
        (
            "Licences for rare earth exports are slow. China, which accounts for over 85% of global rare earth "
            "magnet production, tightened its controls on seven rare earths in April.",
            "rare_earth_magnets",
        ),
        (
            "Graphite exports slowed. China, which makes about 85% of the world's spherical graphite output, "
            "tightened its controls on graphite in October.",
            "spherical_graphite",
        ),
    ],
)
def test_a_number_inside_a_relative_clause_takes_the_clauses_own_product(text: str, commodity: str) -> None:
    assert one(facts_of(text), value=85)["commodity"] == commodity


@pytest.mark.parametrize(
    "text",
    [
        "The total designed scale of magnesite mining in Xiuyan is 4.2 million tons, with reserves of 0.6 billion t.",
        "岫岩菱镁矿储量6亿吨，开采总设计规模420万吨。",
        "岫岩菱鎂礦儲量6億噸，開採總設計規模420萬噸。",
    ],
)
def test_a_designed_scale_is_a_capacity(text: str) -> None:
    fact = one(facts_of(text), value=4_200_000)
    assert (fact["commodity"], fact["metric"], fact["unit"]) == ("magnesite", "capacity", "t/yr")
    assert one(facts_of(text), value=600_000_000)["metric"] == "reserves"


def test_my_country_of_a_translated_page_is_china() -> None:
    text = (
        "Brazil mined 1.1 million tons of magnesite in 2023. My country has abundant magnesium resources, with "
        "proven magnesite reserves of 3.5 billion tons."
    )
    assert one(facts_of(text), value=3_500_000_000)["geo"] == "CN"


@pytest.mark.parametrize(
    "text",
    [
        "After the U.S. raised tariffs, China's magnet exports to Germany rose to 1,200 tons in July but fell "
        "again to 1,050 tons in August.",
        "在美国加征关税后，中国7月对德国稀土磁铁出口量升至1200吨，8月又降至1050吨。",
        "在美國加徵關稅後，中國7月對德國稀土磁鐵出口量升至1200噸，8月又降至1050噸。",
    ],
)
def test_the_actor_of_an_opening_clause_is_not_the_subject(text: str) -> None:
    fact = one(facts_of(text), value=1050)
    assert (fact["geo"], fact.get("partner")) == ("CN", "DE")


@pytest.mark.parametrize(
    "text",
    [
        "新型钕铁硼磁体能效提升12%-15%，需求持续增长。",
        "新型釹鐵硼磁體能效提升12%-15%，需求持續增長。",
    ],
)
def test_an_efficiency_gain_is_not_a_change_of_a_metric(text: str) -> None:
    assert facts_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The production of caustic calcined magnesia (CCM), dead burned magnesia (DBM) and fused magnesia (FM) in "
        "2022 were 4 million tonnes, 6 million tonnes and 3 million tonnes respectively.",
        "The production of caustic calcined magnesia (CCM), dead burned magnesia (DBM) and fused magnesia (FM) in "
        "2022 are 4 million tonnes, 6 million tonnes and 3 million tonnes specifically.",
        "2022年轻烧镁粉（CCM）、重烧镁砂（DBM）和电熔镁砂（FM）产量分别为400万吨、600万吨和300万吨。",
        "2022年輕燒鎂粉（CCM）、重燒鎂砂（DBM）和電熔鎂砂（FM）產量分別為400萬噸、600萬噸和300萬噸。",
    ],
)
def test_a_list_of_products_with_their_abbreviations_pairs_with_its_values(text: str) -> None:
    facts = facts_of(text)
    assert one(facts, value=4_000_000)["commodity"] == "caustic_calcined_magnesia"
    assert one(facts, value=6_000_000)["commodity"] == "dead_burned_magnesia"
    assert one(facts, value=3_000_000)["commodity"] == "fused_magnesia"


@pytest.mark.parametrize(
    "text",
    [
        "1月9日，氧化镨钕均价每吨 58.2 万元，金属镨钕 71.5 万元。",
        "1月9日，氧化鐠釹均價每噸 58.2 萬元，金屬鐠釹 71.5 萬元。",
        "On January 9, the average price of praseodymium-neodymium oxide per tonne was 582,000 yuan.",
    ],
)
def test_a_price_with_its_weight_written_first(text: str) -> None:
    fact = one(facts_of(text), value=582_000)
    assert (fact["commodity"], fact["metric"], fact["unit"]) == ("prnd", "price", "CNY/t")


def test_a_price_per_kilogram_written_first() -> None:
    fact = one(facts_of("1月9日，氧化铽均价每公斤 6350 元。"), value=6350)
    assert (fact["commodity"], fact["unit"]) == ("terbium", "CNY/kg")


def test_the_second_amount_of_a_price_sentence_takes_the_same_weight() -> None:
    fact = one(facts_of("1月9日，氧化镨钕均价每吨 58.2 万元，金属镨钕 71.5 万元。"), value=715_000)
    assert (fact["metric"], fact["unit"]) == ("price", "CNY/t")


@pytest.mark.parametrize(
    "text",
    [
        "China's magnesium exports fell in May. China supplies around 87% of the world's magnesium.",
        "China provides about 87% of global graphite anode material, the group said.",
    ],
)
def test_supplying_a_share_of_the_world_is_a_share_of_production(text: str) -> None:
    fact = one(facts_of(text), value=87)
    assert (fact["metric"], fact["geo"], fact["share_of"]) == ("production_share", "CN", "WORLD")


@pytest.mark.parametrize(
    "text",
    [
        "China exported 702,000 tonnes of caustic calcined magnesia in 2023, up by 7.4% from 653,600 tonnes in "
        "2022 in response to growing overseas demand.",
        "China exported 702,000 tonnes of caustic calcined magnesia in 2023, up by 7.4% from 653,600 tonnes in "
        "2022 due to strong demand from steelmakers.",
    ],
)
def test_a_metric_named_in_a_reason_is_not_the_numbers(text: str) -> None:
    facts = facts_of(text)
    assert {f["metric"] for f in facts} == {"exports"}
    assert one(facts, value=653_600)["period"] == "2022"


def test_a_place_opening_its_sentence_is_still_the_subject() -> None:
    assert one(facts_of("在江西，2023年稀土冶炼分离产量为6.1万吨。"), value=61000)["geo"] == "CN-JX"


def test_the_us_dollar_written_after_its_sign() -> None:
    fact = one(facts_of("The average NdPr market price was $US52/kg during the September quarter."), value=52)
    assert (fact["commodity"], fact["metric"], fact["unit"]) == ("prnd", "price", "USD/kg")
    assert [q.unit for q in read_quantities("$A73/kg")] == ["AUD/kg"]


def test_a_bracketed_amount_after_a_price_in_the_same_sign_is_a_gloss() -> None:
    text = "The average NdPr market price was $US52/kg ($79) and the company achieved sales revenue of $150 million."
    facts = facts_of(text)
    assert [f for f in facts if f["value"] == 79] == []
    assert one(facts, value=52)["unit"] == "USD/kg"


def test_an_opening_price_phrase_is_the_product_the_week_ended_on() -> None:
    text = (
        "At CNY 31,000 per metric ton, the price of lanthanum oxide did not change since the previous week. "
        "At CNY 26,500 per metric ton, the week finished with no movement for rare earth carbonate."
    )
    assert one(facts_of(text, published="2013-08-28"), value=26500)["commodity"] == "rare_earths"


@pytest.mark.parametrize(
    "text",
    [
        "2024年全球镁合金产能高度集中于中国(占比超75%),主产区集中在陕西、山西。",
        "2024年全球鎂合金產能高度集中於中國(佔比超75%),主產區集中在陝西、山西。",
    ],
)
def test_a_place_in_a_later_clause_is_not_the_whole(text: str) -> None:
    fact = one(facts_of(text), value=75)
    assert (fact["metric"], fact["geo"], fact["share_of"]) == ("capacity_share", "CN", "WORLD")


@pytest.mark.parametrize(
    "text",
    [
        "府谷镁企配套建设了50万吨兰炭生产线。",
        "原料端：国内白云石矿储量丰富（占全球35%），原镁产量增速放缓。",
    ],
)
def test_a_raw_material_measured_next_to_the_number(text: str) -> None:
    assert [f for f in facts_of(text, title="府谷镁锭市场") if f["value"] in (500_000, 35)] == []
