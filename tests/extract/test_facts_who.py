"""Who a number is about, one wording class per test, in sentences written for these tests: mainland
China under its other names, a capital acting as a government, the reporting country of a total
with no named exporter, a place written as the label of its number."""

from __future__ import annotations

import pytest
from fact_helpers import facts_reader, one

from assay.extract.text.gazetteer import GEO, find_mentions

facts_of = facts_reader("2025-11-20")


@pytest.mark.parametrize(
    "text",
    [
        "大陸10月稀土磁鐵出口量為5,100噸。",
        "大陆10月稀土磁铁出口量为5,100吨。",
        "內地10月稀土磁鐵出口量為5,100噸。",
        "中國大陸10月稀土磁鐵出口量為5,100噸。",
        "Rare earth magnet exports from the mainland reached 5,100 tonnes in October.",
    ],
)
def test_mainland_china_under_its_other_names(text: str) -> None:
    assert one(facts_of(text), value=5100)["geo"] == "CN"


def test_a_continent_or_shelf_is_not_the_mainland() -> None:
    geos = [m.value for m in find_mentions("非洲大陆的矿产与大陆架的油气") if m.kind == GEO]
    assert "CN" not in geos


@pytest.mark.parametrize(
    "text",
    [
        "Beijing promised to pause the new controls for a year. Magnet exports to the US rose to 650 tonnes.",
        "北京當時承諾暫停出口管制措施一年。對美國的稀土磁鐵出口量為650噸。",
        "Beijing's export controls were paused. Magnet exports to the US rose to 650 tonnes in October.",
    ],
)
def test_a_capital_acting_as_a_government_is_the_country(text: str) -> None:
    fact = one(facts_of(text), value=650)
    assert (fact["geo"], fact.get("partner")) == ("CN", "US")


def test_the_city_itself_stays_the_city() -> None:
    facts = facts_of("Beijing produced 1,200 tonnes of magnets in 2024.")
    assert one(facts, value=1200)["geo"] == "CN-BJ"


def test_a_total_with_no_named_exporter_belongs_to_the_reporting_country() -> None:
    zh = facts_of("作為全球最大稀土磁鐵生產國和出口國，大陸10月份稀土磁鐵總出口量為5473噸。")
    assert one(zh, value=5473)["geo"] == "CN"
    en = facts_of("As the world's largest producer, China exported 5,473 tonnes of magnets in October.")
    assert one(en, value=5473)["geo"] == "CN"


def test_a_place_written_as_the_label_of_its_number() -> None:
    zh = facts_of("1-9月主要产区原镁产量：山西：230,739吨，同比增加3.6%，河南：14,588吨，下降21%。")
    assert one(zh, value=230739)["geo"] == "CN-SX"
    assert one(zh, value=14588)["geo"] == "CN-HA"
    en = facts_of("Primary magnesium output in January-September by region: Shanxi: 230,739 t, Henan: 14,588 t.")
    assert one(en, value=14588)["geo"] == "CN-HA"


def test_magnesium_product_in_the_singular_is_magnesium_products() -> None:
    facts = facts_of("China's magnesium product exports are expected to reach around 400,000 mt in 2015.")
    assert one(facts, value=400000)["commodity"] == "magnesium_products"
    zh = facts_of("2019年镁制品出口量0.52万吨，镁加工材出口量0.25万吨。")
    assert {f["commodity"] for f in zh} == {"magnesium_products"}


def test_a_gap_written_as_higher_by_is_a_change() -> None:
    facts = facts_of("中國12月稀土出口量較去年同期高出32%。")
    assert one(facts, value=32)["unit"] == "pct_yoy"


def test_a_foreign_country_receiving_exports_is_the_destination() -> None:
    facts = facts_of("China's magnet exports rose in July. In July, Germany received 1,116 tons of magnets.")
    fact = one(facts, value=1116)
    assert (fact["geo"], fact.get("partner")) == ("CN", "DE")


def test_a_foreign_country_written_as_exporter_stays_the_exporter() -> None:
    facts = facts_of("China's magnet exports rose in July. Japan exported 300 tons of magnets in July.")
    assert one(facts, value=300)["geo"] == "JP"


def test_a_list_of_origins_pairs_with_a_list_of_changes() -> None:
    facts = facts_of("China's rare earth imports from the U.S. and Myanmar slipped by 14.6% and 31.6% in 2024.")
    assert one(facts, value=-14.6).get("partner") == "US"
    assert one(facts, value=-31.6).get("partner") == "MM"
    assert {f["geo"] for f in facts} == {"CN"}


def test_a_list_of_destinations_gives_no_single_partner_and_no_exporter() -> None:
    facts = facts_of("China's graphite exports to Japan and the US fell in December to 1,200 tonnes.")
    fact = one(facts, value=1200)
    assert (fact["geo"], fact.get("partner")) == ("CN", None)


def test_refractories_are_not_a_magnesia_product() -> None:
    facts = facts_of(
        "China's magnesia exports fell in 2019. Monolithic refractory production was 10.30 Mt in 2019, and "
        "the export value of refractory products was USD 1.60 billion."
    )
    assert [f for f in facts if f["value"] in (10_300_000, 1_600_000_000)] == []


def test_grade_codes_name_their_magnesia() -> None:
    facts = facts_of("Prices were FM97 at RMB 3100/tonne (USD 443/t) and DBM95 at RMB 1800/tonne (USD 257/t).")
    assert one(facts, value=3100)["commodity"] == "fused_magnesia"
    assert one(facts, value=257)["commodity"] == "dead_burned_magnesia"


def test_pinyin_glosses_of_machine_converted_pages_do_not_hide_places() -> None:
    text = (
        "2011年1-9月國(guó)內(nèi)原鎂產(chǎn)量:內(nèi)蒙古:3,635噸,下降89%。寧夏回族自治區(qū):70,750噸,同比增加15%。"
    )
    facts = facts_of(text)
    assert one(facts, value=3635)["geo"] == "CN-NM"
    assert one(facts, value=70750)["geo"] == "CN-NX"
    assert one(facts, value=15)["geo"] == "CN-NX"
    assert {f["period"] for f in facts} == {"2011-01/2011-09"}
    assert all(text[text.index(f["quote"]) :].startswith(f["quote"]) for f in facts)


def test_a_place_written_after_its_number_with_in() -> None:
    facts = facts_of(
        "China produced 744.2 kt of primary magnesium in 2021. Of the total, 455.7 kt was produced in Shaanxi "
        "and 162.3 kt in Shanxi."
    )
    assert one(facts, value=455700)["geo"] == "CN-SN"
    assert one(facts, value=162300)["geo"] == "CN-SX"


def test_a_groups_short_name_owns_its_item_of_a_quota_list() -> None:
    facts = facts_of("2024年冶炼分离指标全国总量25.4万吨，其中北方稀土17.0万吨，中稀集团8.4万吨。")
    assert one(facts, value=84000)["geo"] == "company:china-rare-earth-group"
    assert one(facts, value=170000)["geo"] == "company:china-northern-rare-earth"


def test_a_companys_own_report_owns_its_unplaced_output() -> None:
    title = "Lynas Rare Earths quarterly report"
    facts = facts_of("Total REO production was 5,210 tonnes in the June quarter.", title=title)
    assert one(facts, value=5210)["geo"] == "company:lynas-rare-earths"
    placed = facts_of("China's rare earth mine production was 270,000 tonnes in 2024.", title=title)
    assert one(placed, value=270000)["geo"] == "CN"
    zh = facts_of("报告期内稀土氧化物产量为5210吨。", title="北方稀土2024年半年度报告")
    assert one(zh, value=5210)["geo"] == "company:china-northern-rare-earth"


def test_a_share_held_together_by_several_holders_is_nobodys() -> None:
    assert not [f for f in facts_of("北方稀土与中国稀土集团两家合计占全国产量的90%以上。") if f["value"] == 90]
    together = "China Northern Rare Earth and China Rare Earth Group together account for 90% of China's output."
    assert not [f for f in facts_of(together) if f["value"] == 90]
    alone = facts_of("China Northern Rare Earth accounts for 60% of China's rare earth output.")
    assert one(alone, value=60)["geo"] == "company:china-northern-rare-earth"
