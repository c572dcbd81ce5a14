"""Classes of event wording that held back the rules on batch B (issue 8): companies named as actors
(the vocabulary's companies, and firms outside it named by their chief executive), mining held
back at the face (blasting banned, mining limitations), raw material lacking, production troubled,
exports suspended, a company folded into a group; and wordings that only look like events (an
indicator, a standard named by its code, a source credit line, the cause told before "后"). English,
Simplified and Traditional Chinese; every sentence here is written for these tests.
"""

from __future__ import annotations

from assay.extract.events import extract_events
from assay.extract.events.actors import find_actors
from assay.extract.text.gazetteer import to_simplified
from assay.model import Document, Event


def events_of(text: str, published: str | None = "2025-06-20") -> list[Event]:
    doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=text, published=published)
    return extract_events(doc)


def of_type(found: list[Event], type_: str) -> list[Event]:
    return [e for e in found if e.type == type_]


def actors_in(text: str) -> list[str]:
    """Actors as the event rules read them: on the statement's Simplified text."""
    return [a.actor for a in find_actors(to_simplified(text))]


def test_companies_act_under_the_vocabulary_slug_in_every_script() -> None:
    # companies.csv is the one list: its aliases in English, Simplified and Traditional Chinese
    assert "company:jl-mag-rare-earth" in actors_in("Jinli Magnet will add 20,000 t of capacity.")
    assert "company:jl-mag-rare-earth" in actors_in("金力永磁计划新增2万吨产能。")
    assert "company:china-rare-earth-group" in actors_in("中國稀土集團宣布整合計劃。")
    assert "company:baotou-steel-union" in actors_in("包钢股份宣布减产。")
    assert "company:baowu-magnesium" in actors_in("云海金属将扩建镁合金产能。")


def test_a_known_company_keeps_its_slug_inside_a_longer_english_name() -> None:
    assert actors_in("Jiangxi Jinli Permanent Magnet Technology Co said it would expand.") == [
        "company:jl-mag-rare-earth"
    ]


def test_a_capacity_plan_of_a_known_company_is_the_company_s() -> None:
    found = of_type(events_of("金力永磁计划2026年新增2万吨钕铁硼磁材产能。"), "capacity_plan")
    assert [e.actor for e in found] == ["company:jl-mag-rare-earth"]


def test_a_firm_named_by_its_chief_executive_acts() -> None:
    found = of_type(
        events_of("Ford CEO Jim Farley said a plant was shut down in May 2025 because of a shortage of magnets."),
        "supply_disruption",
    )
    assert [e.actor for e in found] == ["company:ford"]
    assert "company:acme-motors" in actors_in("Acme Motors' chief executive said output was cut.")


def test_officials_and_countries_are_not_firms_with_a_chief_executive() -> None:
    assert actors_in("Commerce Ministry spokesperson He Yadong said licences were granted.") == ["CN:MOFCOM"]
    assert not any(a.startswith("company:") for a in actors_in("China's chief executive officers met in Beijing."))


def test_blasting_banned_or_limited_is_environmental_enforcement() -> None:
    for sentence, published in (
        ("No dynamite blasting is permitted at many magnesite mines in Liaoning in 2018.", "2018-03-12"),
        ("Liaoning limited the use of explosives at magnesite mines in 2018.", "2018-03-12"),
        ("2018年，辽宁菱镁矿山禁止爆破开采。", "2018-03-12"),
        ("2018年，遼寧菱鎂礦山炸藥供應管控趨嚴。", "2018-03-12"),
    ):
        found = of_type(events_of(sentence, published), "environmental_enforcement")
        assert [e.date for e in found] == ["2018"], sentence
        assert "magnesite" in found[0].commodities


def test_blasting_allowed_again_is_no_ban() -> None:
    found = events_of("Blasting at the graphite quarry resumed in May 2024 after the rains.")
    assert of_type(found, "environmental_enforcement") == []


def test_mining_limitations_are_a_production_limit() -> None:
    found = of_type(
        events_of("Mining limitations in magnesite-producing areas of Liaoning began in 2018.", "2018-03-12"),
        "production_quota",
    )
    assert [e.date for e in found] == ["2018"]


def test_raw_material_lacking_is_a_shortage() -> None:
    for sentence in (
        "Fused magnesia makers faced a lack of magnesite ores in May 2025.",
        "2025年5月，电熔镁企业原料紧缺。",
        "2025年5月，電熔鎂企業礦石供應不足。",
    ):
        found = of_type(events_of(sentence), "supply_disruption")
        assert [e.date for e in found] == ["2025-05"], sentence


def test_a_lack_of_demand_is_no_shortage() -> None:
    found = events_of("Graphite prices fell in May 2025 for lack of demand from anode makers.")
    assert of_type(found, "supply_disruption") == []


def test_production_troubles_are_an_output_cut() -> None:
    for sentence in (
        "Intermittent production issues at fused magnesia plants began in April 2025.",
        "2025年4月，电熔镁企业生产受阻。",
    ):
        found = of_type(events_of(sentence), "supply_disruption")
        assert [e.date for e in found] == ["2025-04"], sentence


def test_exports_suspended_are_an_export_control_in_both_scripts() -> None:
    for sentence in (
        "2025年4月，北京暂停部分稀土金属与磁铁出口。",
        "2025年4月，北京暫停部分稀土金屬與磁鐵出口。",
    ):
        found = of_type(events_of(sentence), "export_control")
        assert [e.date for e in found] == ["2025-04"], sentence


def test_the_cause_told_before_hou_is_no_measure_of_its_own() -> None:
    # "after the US raised tariffs, Beijing suspended exports": the tariff is the cause
    found = events_of("今年初美国大幅加征关税后，北京迅速暂停部分稀土磁铁出口。", "2025-09-22")
    assert [e.type for e in found] == ["export_control"]
    assert found[0].date == "2025"


def test_a_company_folded_into_a_group_is_a_consolidation() -> None:
    for sentence in (
        "2022年，该稀土公司正式成为中国稀土集团旗下的上市子公司。",
        "2022年，該稀土公司正式併入中國稀土集團。",
    ):
        found = of_type(events_of(sentence), "consolidation")
        assert [e.date for e in found] == ["2022"], sentence


def test_an_indicator_is_no_quota() -> None:
    for sentence in ("公司稀土磁材业务关键指标变化：2024年营业收入67亿元。", "該公司稀土業務的財務指標於2024年改善。"):
        assert of_type(events_of(sentence), "production_quota") == [], sentence


def test_a_quota_indicator_still_is() -> None:
    found = of_type(events_of("2024年稀土开采指标为27万吨。"), "production_quota")
    assert [e.date for e in found] == ["2024"]


def test_a_standard_named_by_its_code_is_no_policy() -> None:
    for sentence in ("按照ASTM标准，镁合金主要牌号有AZ91D和AM60B。", "按GB/T 5153标准，鎂合金牌號有AZ91D。"):
        assert of_type(events_of(sentence, None), "industrial_policy") == [], sentence


def test_a_source_credit_names_no_platform() -> None:
    for sentence in ("来源：东北亚镁质材料交易中心", "據東北亞鎂質材料交易中心統計，2025年原鎂產量下降。"):
        assert of_type(events_of(sentence), "industrial_policy") == [], sentence


def test_a_trading_centre_set_up_is_still_a_platform() -> None:
    found = of_type(events_of("2021年，辽宁设立东北亚镁质材料交易中心。"), "industrial_policy")
    assert [e.date for e in found] == ["2021"]


def test_a_feared_event_is_none() -> None:
    for sentence in (
        "Magnesium exports doubled in November 2021, easing fears of shortages in Europe.",
        "Rare Earth Exports Surge as Supply Disruption Fears Drive Purchases in May 2025",
        "2025年5月，市场担忧稀土磁材断供。",
        "2025年5月，市場擔憂稀土磁材斷供。",
    ):
        found = events_of(sentence)
        assert of_type(found, "supply_disruption") == [] and of_type(found, "trade_measure") == [], sentence


def test_a_shortage_beside_a_fear_is_still_one() -> None:
    found = of_type(
        events_of("A shortage of magnesium hit Europe in October 2021, traders feared."), "supply_disruption"
    )
    assert [e.date for e in found] == ["2021-10"]


def test_a_month_s_short_name_does_not_end_the_statement() -> None:
    found = events_of(
        "In early December, inspectors were stationed at magnesium smelters in Shaanxi, where they will "
        "stay through Jan. 4, 2022, keeping watch on the sector.",
        "2021-12-13",
    )
    assert [e.date for e in of_type(found, "environmental_enforcement")] == ["2021-12"]


def test_a_table_of_contents_states_no_event() -> None:
    contents = (
        "报告目录 一、中国菱镁矿行业概述 4 1.1菱镁矿资源定义 4 1.2菱镁矿应用方向 5 "
        "二、菱镁矿供需格局 7 三、政策环境与行业监管 9 3.1绿色矿山建设政策 9 3.2总量控制与出口管制 10"
    )
    assert events_of(contents) == []
    assert events_of(contents.replace("菱镁矿", "菱鎂礦")) == []


def test_figures_with_decimals_are_no_table_of_contents() -> None:
    found = events_of("2025年，辽宁菱镁矿产量1.2万吨、出口0.8万吨、进口0.3万吨，当地实施总量控制。")
    assert [e.type for e in found] == ["production_quota"]


def test_producers_unable_to_use_explosives_is_a_blasting_ban() -> None:
    found = of_type(
        events_of("Magnesite producers in Haicheng remain unable to use explosives this year.", "2018-03-14"),
        "environmental_enforcement",
    )
    assert [e.date for e in found] == ["2018"]


def test_a_measure_at_mines_in_a_chinese_province_takes_the_document_s_commodity() -> None:
    # the sentence names no mineral and only a Chinese province as its place: still the document's event
    text = (
        "Dead burned magnesia prices rose in March 2018.\n\n"
        "No dynamite blasting is permitted at a large number of mines in Liaoning, a producer said."
    )
    found = of_type(events_of(text, "2018-03-14"), "environmental_enforcement")
    assert len(found) == 1 and "dead_burned_magnesia" in found[0].commodities


def test_a_foreign_measure_naming_no_commodity_is_still_not_the_document_s() -> None:
    text = "Graphite exports rose in May 2025.\n\nJapan banned exports of semiconductor equipment in May 2025."
    assert of_type(events_of(text), "export_control") == []


def test_a_crisis_that_disrupted_the_industry_is_no_supply_disruption() -> None:
    found = events_of("The financial crisis of 2008 severely disrupted the magnesium industry and its prices.")
    assert of_type(found, "supply_disruption") == []
    found = events_of("Floods disrupted graphite mining in Heilongjiang in July 2023.")
    assert [e.date for e in of_type(found, "supply_disruption")] == ["2023-07"]


def test_expansion_held_back_is_no_capacity_plan() -> None:
    for sentence in ("2025年，环保与成本制约镁合金产能扩张。", "2025年，環保與成本抑制鎂合金產能擴張。"):
        assert of_type(events_of(sentence), "capacity_plan") == [], sentence
    found = of_type(events_of("2025年，该企业镁合金产能扩张至10万吨。"), "capacity_plan")
    assert [e.date for e in found] == ["2025"]


def test_a_prospect_of_consolidation_is_none() -> None:
    for sentence in (
        "2024年，这反映出公司未来通过集团资产注入实现稀土业务增长的巨大潜力。",
        "2024年，該公司稀土業務有望通過資產注入擴大規模。",
    ):
        assert of_type(events_of(sentence), "consolidation") == [], sentence


def test_expansion_held_back_across_a_comma_is_no_capacity_plan() -> None:
    assert of_type(events_of("2025年，中国主导镁合金产能，环保与成本制约扩张。"), "capacity_plan") == []


def test_a_further_cut_is_a_new_event_of_the_page_month() -> None:
    text = (
        "Graphite flake prices rose on 23 November. Many producers reduced their output during September and "
        "October 2021. Producers in Heilongjiang have trimmed production further because of low winter temperatures."
    )
    found = of_type(events_of(text, "2021-11-26"), "supply_disruption")
    assert sorted(e.date or "" for e in found) == ["2021-09/2021-10", "2021-11"]


def test_a_cut_told_after_its_cause_keeps_the_cause_s_date() -> None:
    text = (
        "Power rationing hit graphite producers in Heilongjiang in September 2021. "
        "Producers have cut their output as a result."
    )
    found = of_type(events_of(text, "2021-11-26"), "supply_disruption")
    assert {e.date for e in found} == {"2021-09"}


def test_zh_a_cut_made_again_is_a_new_event() -> None:
    text = "2021年9月，黑龙江石墨企业限电减产。目前企业已再次减产。"
    found = of_type(events_of(text, "2021-11-26"), "supply_disruption")
    assert sorted(e.date or "" for e in found) == ["2021-09", "2021-11"]


def test_on_an_undated_page_a_restated_market_event_keeps_the_date_already_given() -> None:
    text = (
        "Magnesia exports rose in 2018 on strict environmental inspections.\n\n"
        "Prices were supported by the strict environmental inspections in China, which cut magnesia output.\n\n"
        "Prices held firm into early 2019."
    )
    found = of_type(events_of(text, None), "environmental_enforcement")
    assert [e.date for e in found] == ["2018"]


def test_zh_on_an_undated_page_a_restated_market_event_keeps_the_date_already_given() -> None:
    text = "2018年，受環保督察影響，鎂砂出口價格上漲。\n\n環保督察已令鎂砂產量減少了。\n\n2019年初價格維持高位。"
    found = of_type(events_of(text, None), "environmental_enforcement")
    assert [e.date for e in found] == ["2018"]


def test_the_start_of_a_quota_regime_is_kept_beside_this_year_s_quota() -> None:
    for text in (
        "China has applied mining quotas for rare earths since 2006. The 2024 mining quota was 270,000 t.",
        "国家自2006年起对稀土开采实施总量控制指标。2024年，稀土开采指标为27万吨。",
        "國家自2006年起對稀土開採實施總量控制指標。2024年，稀土開採指標為27萬噸。",
    ):
        found = of_type(events_of(text, "2025-03-01"), "production_quota")
        assert sorted(e.date or "" for e in found) == ["2006", "2024"], text


def test_last_year_s_quota_named_as_a_baseline_still_goes() -> None:
    found = of_type(events_of("2023年稀土开采指标为25.5万吨。2024年稀土开采指标为27万吨。"), "production_quota")
    assert [e.date for e in found] == ["2024"]


def test_zh_the_state_acts_as_china() -> None:
    assert "CN" in actors_in("国家自2006年起对稀土开采实施总量控制。")
    assert "CN" in actors_in("國家對稀土開採實施總量控制。")
    assert "CN" not in actors_in("其他国家对稀土出口实施管制。")


def test_environment_protection_control_is_environmental_enforcement() -> None:
    found = of_type(
        events_of("Magnesium output fell in 2017 under environment protection control in Shaanxi.", "2017-09-20"),
        "environmental_enforcement",
    )
    assert [e.date for e in found] == ["2017"]


def test_zh_an_environmental_retrofit_pushed_through_is_enforcement() -> None:
    for sentence in (
        "2024年，府谷县扎实推进镁冶炼企业环保节能深度改造。",
        "2024年，府谷縣紮實推進鎂冶煉企業環保節能深度改造。",
    ):
        found = of_type(events_of(sentence), "environmental_enforcement")
        assert [e.date for e in found] == ["2024"], sentence


def test_zh_firms_exploring_a_retrofit_is_no_enforcement() -> None:
    found = events_of("2024年，部分镁企已开始探讨节能改造。")
    assert of_type(found, "environmental_enforcement") == []


def test_zh_research_platforms_built_are_industrial_policy() -> None:
    for sentence in ("2021年，鸡西市建成国家级石墨科研平台8个。", "2021年，雞西市建成國家級石墨科研平台8個。"):
        found = of_type(events_of(sentence), "industrial_policy")
        assert [e.date for e in found] == ["2021"], sentence


def test_zh_tax_relief_is_a_subsidy() -> None:
    for sentence in ("2020年，美国对稀土矿业开发商提供税费减免。", "2020年，美國對稀土礦業開發商提供稅費減免。"):
        found = of_type(events_of(sentence), "subsidy")
        assert [e.date for e in found] == ["2020"], sentence


def test_a_disruption_feared_in_a_that_clause_is_none() -> None:
    found = events_of("Rare earth prices were supported by concerns that prices will rise due to supply disruptions.")
    assert of_type(found, "supply_disruption") == []


def test_the_end_of_a_period_does_not_date_the_event() -> None:
    for sentence in (
        "In early December, inspectors were sent to magnesium smelters in Shaanxi, where they will remain "
        "through Jan. 4, 2022.",
        "12月初，环保督察组进驻陕西镁冶炼企业，直至2022年1月4日。",
    ):
        found = of_type(events_of(sentence, "2021-12-13"), "environmental_enforcement")
        assert [e.date for e in found] == ["2021-12"], sentence


def test_an_end_date_alone_still_dates_the_event() -> None:
    found = of_type(
        events_of("Inspections of magnesium smelters in Shaanxi run until January 2022."), "environmental_enforcement"
    )
    assert [e.date for e in found] == ["2022-01"]


def test_troubles_told_as_starting_now_take_the_page_month() -> None:
    found = of_type(
        events_of("Intermittent production issues are starting to lift fused magnesia prices.", "2017-04-12"),
        "supply_disruption",
    )
    assert [e.date for e in found] == ["2017-04"]


def test_not_just_is_no_negation() -> None:
    found = events_of("In May 2025 customs were holding up not just controlled items, but unrelated magnet shipments.")
    assert [e.type for e in found] == ["export_control"]
    assert of_type(events_of("Graphite exports were not restricted in 2024."), "export_control") == []


def test_magnesium_products_in_a_magnesia_document_are_magnesia() -> None:
    for text in (
        "营口菱镁矿与镁砂企业众多。2018年9月14日，营口市镁制品企业提标改造推进会议召开。镁砂价格上涨。",
        "營口菱鎂礦與鎂砂企業眾多。2018年9月14日，營口市鎂製品企業提標改造推進會議召開。鎂砂價格上漲。",
    ):
        found = of_type(events_of(text, "2018-09-20"), "environmental_enforcement")
        assert len(found) == 1 and set(found[0].commodities) <= {"magnesia", "magnesite"}, text


def test_magnesium_products_in_a_magnesium_document_stay_magnesium() -> None:
    found = of_type(events_of("2018年9月，镁产品出口受到出口管制。府谷金属镁产量下降。"), "export_control")
    assert [e.commodities for e in found] == [("magnesium_products",)]


def test_a_government_deal_with_a_company_is_a_subsidy() -> None:
    for sentence in (
        "The Pentagon agreed in July 2025 to buy the company's rare earth magnets at a price floor.",
        "Acme Magnetics signed a magnet supply contract with the Department of Defense in July 2025.",
        "美国国防部2025年7月与一家稀土磁材企业签署协议，设定钕镨价格下限。",
        "美國國防部2025年7月與一家稀土磁材企業簽署協議，設定釹鐠價格下限。",
    ):
        found = of_type(events_of(sentence), "subsidy")
        assert [e.date for e in found] == ["2025-07"], sentence


def test_a_commercial_supply_agreement_is_no_subsidy() -> None:
    found = events_of("The magnet maker signed a rare earth magnet supply agreement with an automaker in 2024.")
    assert of_type(found, "subsidy") == []


def test_an_award_without_a_date_takes_the_page_s() -> None:
    found = of_type(
        events_of("Lynas awarded US$120m contract by the US DoD to build a heavy rare earths plant.", "2022-07-21"),
        "subsidy",
    )
    assert [e.date for e in found] == ["2022-07"]


def test_o_bullets_are_items_of_their_own() -> None:
    text = (
        "Growth project highlights:\n"
        "    o Lynas awarded US$120m contract by the US DoD to build a heavy rare earths plant\n"
        "    o Construction of the rare earths processing facility in Kalgoorlie continues to accelerate\n"
    )
    found = events_of(text, "2022-07-21")
    assert sorted(e.type for e in found) == ["capacity_plan", "subsidy"]


def test_an_award_with_a_scaled_sum_is_read() -> None:
    for sentence in (
        "The department awarded US$120m to a heavy rare earths plant in 2022.",
        "The agency awarded A$45 million to a graphite anode plant in 2022.",
    ):
        assert [e.type for e in events_of(sentence)] == ["subsidy"], sentence


def test_a_deal_s_terms_restated_later_do_not_take_the_page_date() -> None:
    found = of_type(events_of("Key terms include a NdPr price floor of $110/kg for rare earth magnets."), "subsidy")
    assert [e.date for e in found] == [None]
