"""Classes of news wording: licences granted, truces, recent events dated by the page, company
capacity plans, shortfalls, causes and consequences around a measure, dates relative to the page.

Every sentence here is written for these tests; none is copied from an article.
"""

from __future__ import annotations

from assay.extract.events import extract_events
from assay.model import Document, Event, Stance


def events_of(text: str, published: str | None = "2025-06-20") -> list[Event]:
    doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=text, published=published)
    return extract_events(doc)


def of_type(found: list[Event], type_: str) -> list[Event]:
    return [e for e in found if e.type == type_]


def test_licences_granted_loosen_and_stay_apart_from_the_control() -> None:
    text = (
        "Beijing imposed export controls on graphite in December 2023. "
        "Regulators have since approved more export licences for graphite anodes, traders said."
    )
    controls = of_type(events_of(text, "2024-03-10"), "export_control")
    assert {e.stance for e in controls} == {Stance.TIGHTEN, Stance.LOOSEN}
    granted = next(e for e in controls if e.stance is Stance.LOOSEN)
    assert granted.date is not None and granted.date.startswith("2024")


def test_licence_still_required_is_not_a_grant() -> None:
    found = events_of("Exporters must obtain export licences for gallium and graphite from the commerce ministry.")
    assert all(e.stance is not Stance.LOOSEN for e in found)


def test_zh_licence_obtained_loosens() -> None:
    found = of_type(events_of("公司近日已获得商务部颁发的稀土永磁出口许可证。", "2025-08-02"), "export_control")
    assert found and found[0].stance is Stance.LOOSEN and found[0].date == "2025-08"


def test_zh_hant_licence_obtained_loosens() -> None:
    found = of_type(events_of("該公司日前已取得稀土磁鐵出口許可證。", "2025-08-02"), "export_control")
    assert found and found[0].stance is Stance.LOOSEN


def test_truce_is_a_loosening_trade_measure() -> None:
    found = of_type(
        events_of("A rare earth truce between the US and China was signed in Geneva in May 2025."), "trade_measure"
    )
    assert found and found[0].stance is Stance.LOOSEN and found[0].date == "2025-05"


def test_zh_agreement_reached_is_a_trade_measure() -> None:
    found = of_type(events_of("中美两国今年5月达成贸易协议后，稀土磁体出口逐步恢复。"), "trade_measure")
    assert found and found[0].stance is Stance.LOOSEN


def test_suspended_controls_loosen() -> None:
    found = of_type(events_of("北京承诺暂停10月宣布的稀土出口管制措施一年。", "2025-11-05"), "export_control")
    assert found and found[0].stance is Stance.LOOSEN


def test_recent_shutdown_takes_the_page_month() -> None:
    found = of_type(
        events_of("Several carmakers have shut down assembly lines in recent weeks because of magnet shortages."),
        "supply_disruption",
    )
    assert found and found[0].date == "2025-06"


def test_undated_background_has_no_date() -> None:
    found = events_of("The government has been merging rare earth producers into a few large groups.")
    assert found and all(e.date is None for e in found)


def test_company_capacity_plan_in_tonnes_per_year() -> None:
    found = of_type(
        events_of("Acme Magnetics plans to raise its NdFeB magnet output to 20,000 t/yr by 2027."), "capacity_plan"
    )
    assert found and found[0].date == "2027" and "ndfeb_magnets" in found[0].commodities


def test_zh_company_capacity_project() -> None:
    found = of_type(events_of("公司公告拟建设年产3000吨高性能钕铁硼磁材项目。"), "capacity_plan")
    assert found


def test_capacity_already_reached_is_not_a_plan() -> None:
    assert not of_type(events_of("全县原镁实际产能已达到50万吨/年。"), "capacity_plan")


def test_shortfall_pausing_production_is_a_disruption() -> None:
    found = events_of(
        "Export curbs on magnets caused shortfalls, leading two automakers to pause production in May 2025."
    )
    assert of_type(found, "supply_disruption")


def test_cause_clause_is_not_a_second_event() -> None:
    found = events_of("2025年4月，为因应美国高额关税，中国将7种中重稀土和磁体列入出口管制清单，导致5月出口量大幅下降。")
    assert not of_type(found, "trade_measure")
    controls = of_type(found, "export_control")
    assert controls and controls[0].date == "2025-04"


def test_threatened_tariff_is_not_an_event() -> None:
    assert not events_of("美国总统威胁将对中方稀土磁体加征100%关税。")


def test_day_of_last_year() -> None:
    found = events_of(
        "Exports rose after the removal of export tax and quotas on magnesia from January 1 last year.", "2018-01-20"
    )
    assert any(e.date == "2017-01-01" for e in found)


def test_zh_month_of_last_year() -> None:
    found = events_of("去年12月1日起，中国对石墨物项实施出口管制。", "2024-02-01")
    assert any(e.date == "2023-12-01" for e in found)


def test_commodity_named_in_the_quote_is_in_the_event() -> None:
    text = "Beijing added holmium, erbium and thulium to its export control list in October 2025."
    found = of_type(events_of(text, "2025-11-01"), "export_control")
    assert found and "thulium" in found[0].quote
    assert "heavy_rare_earths" in found[0].commodities  # thulium has no id of its own: its group


def test_past_weeks_are_counted_back_from_the_page() -> None:
    text = "Customs in Tianjin has tightened checks on magnesium ingot exports over the past two weeks."
    found = of_type(events_of(text, "2016-01-04"), "export_control")
    assert found and found[0].date == "2015-12"


def test_cause_after_the_measure_keeps_its_own_date() -> None:
    text = "Customs has stepped up inspections of magnesium powder exports, following a blast at a port in August."
    found = of_type(events_of(text, "2016-01-04"), "export_control")
    assert found and found[0].date != "2015-08"


def test_market_disruption_told_in_the_past_takes_the_report_month() -> None:
    text = "Rare earth prices rose in October 2020. Separation plants cut production to ease the glut."
    found = of_type(events_of(text, "2020-10-13"), "supply_disruption")
    assert found and found[0].date == "2020-10"


def test_habitual_enforcement_stays_undated() -> None:
    found = events_of("主管部门将继续严厉打击稀土非法开采。", "2023-03-01")
    assert found and all(e.date is None for e in found)


def test_news_source_named_platform_is_not_a_new_platform() -> None:
    text = "Magnesium exports will fall 8% in 2015, the Northeast Asia Magnesia Trading Center said on Tuesday."
    assert not of_type(events_of(text, "2015-12-01"), "industrial_policy")


def test_foreign_cause_in_another_clause_does_not_hide_a_disruption() -> None:
    text = (
        "China restricted rare earth magnet exports in April 2025. Those curbs, a reply to U.S. tariffs, "
        "delayed licences, disrupting supply chains and leading automakers to pause production due to shortages."
    )
    assert of_type(events_of(text), "supply_disruption")


def test_zh_baseline_year_does_not_date_a_licence() -> None:
    text = "公司已获得稀土磁体出口许可证，原材料库存较2024年末增长107%。"
    found = of_type(events_of(text, "2025-08-20"), "export_control")
    assert found and found[0].date != "2024"


def test_measure_named_as_background_is_not_dated_by_the_dateline() -> None:
    text = "2026-01-14 尽管中国对稀土物项与技术实施出口管制，中国2025年稀土出口仍增长12.9%。"
    found = [e for e in events_of(text, "2026-01-14") if e.type in ("export_control", "technology_restriction")]
    assert found and all(e.date is None for e in found)


def test_agreement_reported_in_a_january_review_takes_the_year_reviewed() -> None:
    text = "中国2025年稀土出口增长12.9%。受惠于中国和美国达成的一系列协议，中国稀土出口量逐渐回升。"
    found = of_type(events_of(text, "2026-01-14"), "trade_measure")
    assert found and found[0].date == "2025"


def test_domestic_output_drive_is_a_capacity_plan() -> None:
    found = events_of("为减少对中国稀土的依赖，美国加大了提高国内产量、采用替代材料的努力。")
    plans = of_type(found, "capacity_plan")
    assert plans and plans[0].actor == "US"


def test_two_companies_plans_in_one_sentence_are_two_events() -> None:
    text = (
        "Magnet makers outside China\n\n"  # a headline: the sentence below is not the first block
        "Acme Magnetics aims to produce 10,000 t/yr of magnets by 2028, while Beta Materials will begin 2,000 t/yr."
    )
    assert len(of_type(events_of(text), "capacity_plan")) == 2


def test_the_actor_of_a_measure_is_in_its_own_clause() -> None:
    found = of_type(events_of("2025年4月，为因应美国高额关税，中国将7种中重稀土列入出口管制清单。"), "export_control")
    assert found and found[0].actor in ("CN", "CN:MOFCOM")


def test_scant_approvals_are_the_control_biting_not_a_grant() -> None:
    text = (
        "Beijing imposed export controls on seven rare earths in April 2025.\n\n"
        "Only 25% of European firms' licence applications were approved, forcing partial production halts."
    )
    found = events_of(text)
    assert not [e for e in found if e.type == "export_control" and e.stance is Stance.LOOSEN]
    assert of_type(found, "supply_disruption")


def test_the_world_in_a_clause_is_not_its_actor() -> None:
    text = "China's rare earth plan\n\nProduction targets: build the world's largest rare earth materials base by 2025."
    found = events_of(text)
    assert found and all(e.actor != "WORLD" for e in found)
