"""Classes of event wording met on text the rules were not written against (issue 8, batch A):
expansion told as going on now, goods in short supply, output reduced, acquisitions and asset
swaps, the environmental authorities acting, controls relaxed. English, Simplified and
Traditional Chinese; every sentence here is written for these tests.
"""

from __future__ import annotations

from assay.extract.events import extract_events
from assay.model import Document, Event, Stance


def events_of(text: str, published: str | None = "2025-06-20") -> list[Event]:
    doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=text, published=published)
    return extract_events(doc)


def of_type(found: list[Event], type_: str) -> list[Event]:
    return [e for e in found if e.type == type_]


def test_expansion_in_the_progressive_is_a_capacity_plan_of_the_page_month() -> None:
    found = of_type(
        events_of("Several magnet makers are stepping up production expansion as orders grow.", "2022-02"),
        "capacity_plan",
    )
    assert [e.date for e in found] == ["2022-02"]


def test_capacity_told_as_climbing_is_dated_by_the_page() -> None:
    found = of_type(events_of("Our NdFeB magnet capacity has been climbing, a plant manager said."), "capacity_plan")
    assert [e.date for e in found] == ["2025-06"]


def test_capacity_that_grew_in_a_named_year_keeps_that_year() -> None:
    found = of_type(events_of("Graphite anode makers are ramping up capacity in 2024."), "capacity_plan")
    assert [e.date for e in found] == ["2024"]


def test_goods_in_short_supply_now_are_a_shortage_of_the_page_month() -> None:
    found = of_type(events_of("Now fused magnesia is in short supply, traders said."), "supply_disruption")
    assert [e.date for e in found] == ["2025-06"]


def test_short_supply_of_a_year_ago_is_not_dated_now() -> None:
    found = of_type(events_of("Fused magnesia was in short supply in 2021."), "supply_disruption")
    assert [e.date for e in found] == ["2021"]


def test_output_reduced_or_trimmed_is_an_output_cut() -> None:
    for sentence in (
        "Flake graphite producers reduced their output in May 2025.",
        "Magnesium smelters in Shaanxi have trimmed production in May 2025.",
        "The production reduction at rare earth separation plants in Jiangxi began in May 2025.",
    ):
        found = of_type(events_of(sentence), "supply_disruption")
        assert [e.date for e in found] == ["2025-05"], sentence


def test_lower_production_costs_are_no_output_cut() -> None:
    found = events_of("The new kilns lowered production costs for magnesia makers in 2024.")
    assert of_type(found, "supply_disruption") == []


def test_zh_shortage_of_goods() -> None:
    found = of_type(events_of("2025年5月，烧结钕铁硼磁材供不应求。"), "supply_disruption")
    assert [e.date for e in found] == ["2025-05"]


def test_zh_acquisition_is_a_consolidation() -> None:
    found = of_type(events_of("2023年，该公司通过收购一家稀土分离企业扩大了规模。"), "consolidation")
    assert [e.date for e in found] == ["2023"]


def test_zh_hant_asset_swap_is_a_consolidation() -> None:
    found = of_type(events_of("該公司於2013年通過資產置換轉型稀土行業。"), "consolidation")
    assert [e.date for e in found] == ["2013"]


def test_zh_purchase_price_is_no_acquisition() -> None:
    found = events_of("2024年，当地镁锭的收购价为每吨1.8万元。")
    assert of_type(found, "consolidation") == []


def test_zh_environmental_bureau_ordering_closures_is_enforcement() -> None:
    found = of_type(events_of("2025年5月8日，当地环保局责令无环保手续的菱镁企业停业。"), "environmental_enforcement")
    assert [e.date for e in found] == ["2025-05-08"]


def test_zh_hant_inspection_follow_up_is_enforcement() -> None:
    found = of_type(events_of("2018年，中央環境保護督察組進駐遼寧，菱鎂礦區成為重點。"), "environmental_enforcement")
    assert [e.date for e in found] == ["2018"]


def test_zh_relaxed_exports_are_an_export_control_that_loosens() -> None:
    found = of_type(events_of("2025年6月，中国有条件放宽稀土磁体出口。"), "export_control")
    assert [(e.date, e.stance) for e in found] == [("2025-06", Stance.LOOSEN)]


def test_zh_price_agreed_among_producers_is_no_trade_deal() -> None:
    found = events_of("2025年5月，府谷镁企对镁锭销售价格达成共识，不低于每吨1.6万元。")
    assert of_type(found, "trade_measure") == []


def test_zh_agreement_between_states_is_still_a_trade_deal() -> None:
    found = of_type(events_of("2025年5月，中美两国就稀土出口达成贸易协议。"), "trade_measure")
    assert [e.date for e in found] == ["2025-05"]


def test_zh_stock_exchange_of_a_listing_is_no_platform() -> None:
    found = events_of("股票上市交易所：上海证券交易所；股票简称：北方稀土；报告期未变更。", "2024-08-29")
    assert of_type(found, "industrial_policy") == []


def test_zh_hant_campaign_of_days_running_past_the_page_is_this_year() -> None:
    found = of_type(
        events_of("從9月18日至10月19日，環保巡察組將對菱鎂企業進行專項巡察。", "2018-09-25"),
        "environmental_enforcement",
    )
    assert [e.date for e in found] == ["2018-09-18/2018-10-19"]


def test_campaign_of_days_in_english() -> None:
    found = of_type(
        events_of(
            "From September 18 to October 19, environmental inspectors will visit magnesite mines.", "2018-09-25"
        ),
        "environmental_enforcement",
    )
    assert [e.date for e in found] == ["2018-09-18/2018-10-19"]


def test_a_facility_under_construction_is_a_capacity_plan() -> None:
    for sentence in (
        "Lynas won a contract in 2022 to construct a heavy rare earths separation facility in Texas.",
        "Construction of the rare earth processing plant in Malaysia advanced in 2022.",
    ):
        found = of_type(events_of(sentence), "capacity_plan")
        assert [e.date for e in found] == ["2022"], sentence


def test_zh_hant_capacity_that_started_producing() -> None:
    found = of_type(events_of("該公司3000噸/年稀土分離產能於2025年1月開始正式生產。"), "capacity_plan")
    assert [e.date for e in found] == ["2025-01"]
