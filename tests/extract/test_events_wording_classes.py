"""Classes of wording the event rules read (or leave alone), English and Chinese.

Every sentence here is written for these tests; none is copied from an article.
"""

from __future__ import annotations

from assay.extract.events import extract_events
from assay.model import Document, Event, Stance


def events_of(text: str, published: str | None = "2025-06-30") -> list[Event]:
    doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=text, published=published)
    return extract_events(doc)


def of_type(found: list[Event], type_: str) -> list[Event]:
    return [e for e in found if e.type == type_]


# --- commodities: 菱镁 is magnesite; graphitisation makes synthetic graphite ---------------------


def test_lingmei_compound_is_magnesite_not_magnesium() -> None:
    found = events_of("2024年，某省印发推动菱镁产业高质量发展的实施方案，提出推进菱镁产业整合。")
    assert found
    assert all("magnesium" not in e.commodities for e in found)
    assert any("magnesite" in e.commodities for e in found)


def test_magnesium_metal_stays_magnesium() -> None:
    found = events_of("2024年，陕西府谷多家金属镁冶炼厂停产检修，镁锭供应偏紧。")
    assert any("magnesium" in e.commodities for e in found)


def test_graphitisation_names_synthetic_graphite() -> None:
    found = events_of("Power rationing in Sichuan halted graphitisation furnaces in August 2022.")
    disruptions = of_type(found, "supply_disruption")
    assert disruptions and "synthetic_graphite" in disruptions[0].commodities


# --- legal "may": a power granted by law is not a hedge -------------------------------------


def test_state_may_build_reserves_is_stockpiling() -> None:
    text = "Under the new mining law, which took effect in March 2025, the state may build reserves of graphite."
    assert of_type(events_of(text), "stockpiling")


def test_prices_may_rise_is_still_a_hedge() -> None:
    assert not events_of("Graphite prices may rise if a state reserve starts buying next year.")


def test_chinese_state_power_to_stockpile() -> None:
    found = events_of("新修订的条例规定，国家可以建立稀土产品储备制度。")
    assert of_type(found, "stockpiling")


# --- a second measure of one announcement keeps its own event and the announcement's date ---


def test_same_announcement_second_measure_gets_the_date() -> None:
    text = (
        "On 2 May 2025 the commerce ministry put spherical graphite under export licensing. "
        "In the same announcement the ministry lifted the temporary export controls on three graphite grades."
    )
    controls = of_type(events_of(text), "export_control")
    lifted = [e for e in controls if e.stance == Stance.LOOSEN]
    assert lifted and lifted[0].date == "2025-05-02"


def test_zh_same_time_second_measure_gets_the_date() -> None:
    text = "商务部2025年5月2日发布公告，对球形石墨实施出口管制。与此同时，对3种石墨电极物项取消临时管制。"
    controls = of_type(events_of(text), "export_control")
    lifted = [e for e in controls if e.stance == Stance.LOOSEN]
    assert lifted and lifted[0].date == "2025-05-02"


def test_also_said_keeps_a_further_measure_apart() -> None:
    text = (
        "On 3 March 2025 the commerce ministry put three heavy rare earths under export licences. "
        "It also said that magnets made abroad with Chinese dysprosium would need a licence."
    )
    controls = of_type(events_of(text), "export_control")
    assert len(controls) == 2


def test_announced_then_effective_is_one_event() -> None:
    text = (
        "商务部2025年3月1日发布公告，决定对部分石墨物项实施出口管制。公告自2025年5月1日起正式实施。\n\n"
        "5月1日起，石墨出口管制措施生效。"
    )
    assert len(of_type(events_of(text), "export_control")) == 1


def test_scope_statement_joins_the_measure() -> None:
    text = (
        "The commerce ministry put graphite under export licensing on 2 May 2025. "
        "The export controls cover synthetic graphite blocks and spherical graphite."
    )
    controls = of_type(events_of(text), "export_control")
    assert len(controls) == 1 and "synthetic_graphite" in controls[0].commodities


# --- commentary is not an event ---------------------------------------------------------------


def test_analysts_expectation_is_not_an_event() -> None:
    assert not events_of("Analysts expect the merger of the two magnet makers to cut NdFeB capacity next year.")


def test_zh_analysts_forecast_is_not_an_event() -> None:
    assert not events_of("分析人士预计，稀土冶炼分离企业将进一步整合。")


def test_generic_any_disruption_is_not_an_event() -> None:
    assert not events_of("Any shortage of dysprosium feeds into magnet prices within a month.")


def test_purpose_clause_is_not_an_event() -> None:
    assert not events_of("一家镁砂企业表示，公司正更换窑炉设备，以满足环保要求。")


def test_overcapacity_as_a_condition_is_not_a_plan() -> None:
    found = events_of("Anode export earnings fell in 2024 as prices slid amid overcapacity in China.")
    assert not of_type(found, "capacity_plan")


def test_overcapacity_to_be_controlled_is_a_plan() -> None:
    found = events_of("Overcapacity in magnesia will be strictly controlled from 2025, the province said.")
    assert of_type(found, "capacity_plan")


def test_energy_budget_is_not_a_production_quota() -> None:
    found = events_of("在能耗指标约束下，四季度镁锭供应仍将偏紧。")
    assert not of_type(found, "production_quota")


def test_plan_ahead_is_not_a_government_plan() -> None:
    assert not of_type(events_of("海外电池企业需提前规划采购球形石墨。"), "industrial_policy")


def test_during_the_consolidation_is_not_a_consolidation() -> None:
    found = events_of("整合期间，部分镁砂窑炉停产，镁砂供应一度偏紧。")
    assert not of_type(found, "consolidation")
    assert of_type(found, "supply_disruption")


# --- a foreign law that names no commodity, explained by its paragraph -------------------------


def test_foreign_act_takes_its_paragraphs_commodities() -> None:
    text = (
        "The Strategic Minerals Security Act, in force since 1 March 2025, sets targets for domestic refining. "
        "Graphite and rare earths head its list of covered materials."
    )
    found = events_of(text)
    policies = of_type(found, "industrial_policy")
    assert len(policies) == 1
    assert policies[0].date == "2025-03-01"
    assert {"graphite", "rare_earths"} <= set(policies[0].commodities)


# --- dates: provisions, directives, continuing practice, disruptions under way -----------------


def test_listed_provisions_take_the_regulations_date() -> None:
    text = (
        "The Graphite Regulations on the Administration of Mining were published on 12 March 2025.\n\n"
        "Main points\n\n"
        "1. Reserves. The state may build reserves of flake graphite.\n"
    )
    stock = of_type(events_of(text), "stockpiling")
    assert stock and stock[0].date == "2025-03-12"


def test_directive_takes_the_lead_measures_date() -> None:
    text = (
        "MIIT issued the first batch of 2025 rare earth mining quotas on 14 February 2025.\n\n"
        "Provincial governments are told to step up inspections of rare earth separation plants."
    )
    inspections = of_type(events_of(text), "environmental_enforcement")
    assert inspections and inspections[0].date == "2025-02-14"


def test_continuing_enforcement_has_no_date() -> None:
    text = "2024年稀土开采指标为27万吨。主管部门将继续严厉打击稀土非法开采。"
    enforcement = of_type(events_of(text), "environmental_enforcement")
    assert enforcement and enforcement[0].date is None
    assert enforcement[0].actor == "CN"


def test_disruption_under_way_takes_the_publication_month() -> None:
    found = events_of("Several magnesium smelters in Shaanxi have cut output for lack of ferrosilicon.", "2025-03-07")
    disruptions = of_type(found, "supply_disruption")
    assert disruptions and disruptions[0].date == "2025-03"


# --- types and actors ---------------------------------------------------------------------------


def test_alternative_supply_is_a_capacity_plan() -> None:
    found = events_of("日本磁材企业正加快在越南建立替代供应，以降低对中国稀土的依赖。")
    assert of_type(found, "capacity_plan")


def test_english_alternative_supply_is_a_capacity_plan() -> None:
    found = events_of("Japanese magnet makers are racing to build alternative sources of supply for dysprosium.")
    assert of_type(found, "capacity_plan")


def test_technology_word_in_another_phrase_does_not_retype_a_licence() -> None:
    text = (
        "The magnesium export licences that took effect on 1 March 2025 and the new smelting technology "
        "catalogue should be read together."
    )
    found = events_of(text)
    assert of_type(found, "export_control")


def test_city_named_as_a_place_gives_the_province() -> None:
    found = events_of("2024年，辽宁省计划将海城的菱镁矿山企业整合为两家矿业集团。")
    consolidations = of_type(found, "consolidation")
    assert consolidations and consolidations[0].actor == "CN-LN"


def test_smuggling_crackdown_is_customs() -> None:
    found = events_of("China began a crackdown on the smuggling of gallium-free magnesia in May 2025.")
    controls = of_type(found, "export_control")
    assert controls and controls[0].actor == "CN:GACC"


def test_state_council_body_code() -> None:
    found = events_of("The State Council published regulations on rare earth mining on 5 May 2025.")
    assert found and found[0].actor == "CN:STATE_COUNCIL"


def test_healthy_development_opinions_tighten() -> None:
    found = events_of(
        "In 2025 the province issued Opinions on Promoting the Sustainable and Healthy Development "
        "of the Graphite Industry."
    )
    policies = of_type(found, "industrial_policy")
    assert policies and policies[0].stance == Stance.TIGHTEN


def test_quota_restated_with_its_increase_is_one_loosening_event() -> None:
    text = (
        "MIIT issued the 2025 rare earth mining quota on 20 August 2025. "
        "The 2025 quota was 290,000 tonnes, up 7% on the year."
    )
    quotas = of_type(events_of(text), "production_quota")
    assert len(quotas) == 1 and quotas[0].stance == Stance.LOOSEN


# --- more than one measure in a sentence; restatements; references to rules in place ------------


def test_coordinated_verbs_state_two_measures() -> None:
    text = (
        "On 9 April 2025 the commerce ministry added terbium to the list of controlled rare earths "
        "and placed magnet recycling know-how under licence."
    )
    types = {e.type for e in events_of(text)}
    assert {"export_control", "technology_restriction"} <= types


def test_rules_already_in_place_are_not_a_new_measure() -> None:
    text = "The catalogue leaves graphite anodes alone, which are governed by separate export control rules."
    assert not of_type(events_of(text), "export_control")


def test_comply_with_laws_is_not_a_new_measure() -> None:
    assert not events_of("Magnesium exporters must comply with foreign trade laws.")


def test_yardstick_comparison_is_not_a_quota() -> None:
    text = "Output of 250,000 tonnes of rare earth oxide, which analysts equate with the official mining quota."
    assert not of_type(events_of(text), "production_quota")


def test_evaluation_of_a_plan_is_not_the_plan() -> None:
    text = "Tripling graphite anode capacity by 2027 is ambitious for a province without cheap power."
    assert not of_type(events_of(text), "capacity_plan")


def test_undated_headline_joins_the_dated_lead() -> None:
    text = (
        "Sichuan wants a rare earth industrial platform\n\n"
        "On 4 March 2025 Sichuan announced plans for a rare earth trading platform in Mianning."
    )
    policies = of_type(events_of(text), "industrial_policy")
    assert len(policies) == 1 and policies[0].date == "2025-03-04"


def test_data_month_does_not_date_the_regime_behind_it() -> None:
    text = (
        "Since 4 April 2025 exporters of dysprosium need export licences.\n\n"
        "Magnet exports fell 40% in May, as the licensing regime for dysprosium held up shipments."
    )
    controls = of_type(events_of(text), "export_control")
    assert [e.date for e in controls] == ["2025-04-04"]


def test_place_inside_a_company_name_is_not_an_actor() -> None:
    from assay.extract.events.actors import find_actors

    actors = {a.actor for a in find_actors("2025年3月，某稀土集团整合了包头稀土集团的冶炼业务。")}
    assert "CN-NM" not in actors


def test_place_where_a_company_was_set_up_is_no_actor_of_rank() -> None:
    from assay.extract.events.actors import find_actors

    found = find_actors("中国北方稀土集团在内蒙古包头成立。")
    assert all(a.rank >= 5 for a in found)


def test_western_governments_are_world() -> None:
    found = events_of("Western governments are funding graphite anode plants since 2024.")
    subsidies = of_type(found, "subsidy")
    assert subsidies and subsidies[0].actor == "WORLD"
