"""Chinese wordings of event types, written for these tests."""

from __future__ import annotations

import pytest

from assay.extract.events import extract_events
from assay.model import Document, Event, Stance


def events_of(text: str, published: str | None = "2025-06-30") -> list[Event]:
    doc = Document(name="zh", source="zh.txt", raw_sha256="0", clean_text=text, published=published, lang="zh")
    return extract_events(doc)


def only(text: str, published: str | None = "2025-06-30") -> Event:
    found = events_of(text, published)
    assert len(found) == 1, [e.to_eventspec() for e in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "type_", "actor", "date", "commodity", "stance"),
    [
        (
            "2025年4月4日，商务部和海关总署宣布对钐、钆等7种中重稀土相关物项实施出口管制。",
            "export_control",
            "CN:MOFCOM",
            "2025-04-04",
            "heavy_rare_earths",
            Stance.TIGHTEN,
        ),
        (
            "工信部下达2024年第一批稀土开采总量控制指标，同比增长12.5%。",
            "production_quota",
            "CN:MIIT",
            "2024",
            "rare_earths",
            Stance.LOOSEN,
        ),
        (
            "辽宁省推动菱镁矿企业整合重组，组建大型矿业集团。",
            "consolidation",
            "CN-LN",
            None,
            "magnesite",
            Stance.NEUTRAL,
        ),
        ("国家粮食和物资储备局计划收储氧化镨钕。", "stockpiling", "CN:NFSRA", None, "prnd", Stance.TIGHTEN),
        (
            "2021年9月，中央环保督察组进驻辽宁，海城多家镁砂企业停产整顿。",
            "environmental_enforcement",
            "CN-LN",
            "2021-09",
            "magnesia",
            Stance.TIGHTEN,
        ),
        (
            "内蒙古计划到2025年将稀土永磁产能扩大至10万吨。",
            "capacity_plan",
            "CN-NM",
            "2025",
            "rare_earth_magnets",
            Stance.LOOSEN,
        ),
        ("欧盟对原产于中国的镁锭征收反倾销税。", "trade_measure", "EU", None, "magnesium", Stance.TIGHTEN),
        ("财政部对石墨负极材料企业给予专项资金补贴。", "subsidy", "CN:MOF", None, "graphite", Stance.LOOSEN),
        (
            "受限电影响，府谷镁厂9月份大面积减产。",
            "supply_disruption",
            "CN-SN",  # a city named as where the plants are: the province (event_actors)
            "2024-09",
            "magnesium",
            Stance.TIGHTEN,
        ),
        (
            "国家发展改革委印发稀土行业十四五发展规划。",
            "industrial_policy",
            "CN:NDRC",
            "2021/2025",
            "rare_earths",
            Stance.NEUTRAL,
        ),
    ],
)
def test_each_type_in_chinese(
    text: str, type_: str, actor: str, date: str | None, commodity: str, stance: Stance
) -> None:
    event = only(text)
    assert (event.type, event.actor, event.date, event.stance) == (type_, actor, date, stance)
    assert commodity in event.commodities
    assert text[event.start : event.end] == event.quote


def test_relative_chinese_day_reads_against_publication() -> None:
    event = only("10月9日，商务部发布公告，对稀土相关技术实施出口管制。", "2025-10-20")
    assert event.date == "2025-10-09"
    assert event.type in ("export_control", "technology_restriction")


def test_chinese_negation_is_not_an_event() -> None:
    assert events_of("目前缅甸稀土矿山并未停产，进口未受影响。") == []


def test_chinese_prices_are_not_events() -> None:
    assert events_of("10月20日国内轻稀土市场部分价格下滑，氧化钕价格下滑5000元/吨。") == []


def test_a_hedged_clause_does_not_hide_the_measure_beside_it() -> None:
    text = "分析师认为，10月9日商务部再度扩大稀土出口管制范围，第四季度磁铁出口可能再度承压。"
    [event] = events_of(text, "2025-10-21")
    assert (event.type, event.date) == ("export_control", "2025-10-09")


def test_the_plan_that_states_a_target_is_not_a_second_event() -> None:
    [event] = events_of("规划提出，到2025年，全区稀土永磁产能由目前的4.5万吨/年提升至10万吨/年。", "2021-03-20")
    assert (event.type, event.date) == ("capacity_plan", "2025")


def test_each_clause_date_belongs_to_its_own_measure() -> None:
    text = "4月起商务部对7种中重稀土实施出口许可管理，4、5月磁铁出口一度大幅下滑。"
    [event] = events_of(text, "2025-10-21")
    assert event.date == "2025-04"
