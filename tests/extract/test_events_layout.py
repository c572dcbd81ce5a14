"""Layouts events come in: slide timelines, plan phases, headings, paragraphs. Texts written for these tests."""

from __future__ import annotations

from assay.extract.events import extract_events
from assay.extract.events.statements import is_heading, statements
from assay.model import Document, Event


def events_of(text: str, published: str | None = None, title: str | None = None) -> list[Event]:
    return extract_events(
        Document(name="d", source="d", raw_sha256="0", clean_text=text, published=published, title=title)
    )


TIMELINE = """Graphite in Heilongjiang: what changed

A: Provincial inspectors
closed small graphite
mines

C: Shortage of flake
graphite

2019
A: Mining groups were
merged into one provincial group

C: New purification
production lines were added

2020

A: Action | C: Consequence
"""


def test_timeline_items_take_the_year_of_their_column() -> None:
    found = {(e.type, e.date) for e in events_of(TIMELINE)}
    assert ("environmental_enforcement", "2019") in found
    assert ("supply_disruption", "2019") in found
    assert ("consolidation", "2020") in found
    assert ("capacity_plan", "2020") in found
    assert all("Action | C" not in e.quote for e in events_of(TIMELINE))


def test_years_may_lead_their_column() -> None:
    text = "2018\nA: Stricter environmental\ncontrols on magnesite mines\n\n2019\nA: Consolidation of magnesite mines\n"
    assert {(e.type, e.date) for e in events_of(text)} == {
        ("environmental_enforcement", "2018"),
        ("consolidation", "2019"),
    }


PLAN = """Graphite plan for Heilongjiang

Phase 1 (2024-2025) - Order
Phase 2 (2026-2030) - Growth

Guideline: Phase 1

• No new open-pit graphite mines
• Total control applies to all flake graphite mining

Guideline: Phase 2

• Integration of graphite mines into two or three groups
"""


def test_plan_phases_named_once_date_the_items_under_them() -> None:
    found = {(e.type, e.date) for e in events_of(PLAN)}
    assert ("environmental_enforcement", "2024/2025") in found
    assert ("production_quota", "2024/2025") in found
    assert ("consolidation", "2026/2030") in found


def test_paragraph_date_carries_to_the_next_sentence() -> None:
    text = (
        "For 2024, MIIT set the first rare earth mining quota at 135,000 tonnes. "
        "The smelting and separation quota was set at 127,000 tonnes."
    )
    [event] = events_of(text)
    assert (event.type, event.date, event.actor) == ("production_quota", "2024", "CN:MIIT")


def test_headings_are_topics_not_events() -> None:
    assert is_heading("1. Strict Export Quotas and Licensing")
    assert is_heading("MORE CONSOLIDATION")
    assert not is_heading("Provincial comprehensive service online platform")
    assert events_of("1. Strict Export Quotas and Licensing\n\nMORE CONSOLIDATION\n") == []


def test_a_quota_under_an_export_heading_is_an_export_control() -> None:
    text = "Export Quotas and Licensing\n\n• The quota system for rare earths was abolished in 2015."
    [event] = events_of(text)
    assert (event.type, event.date, event.stance.value) == ("export_control", "2015", "loosen")


def test_sentences_broken_across_lines_are_one_statement() -> None:
    text = "Antimony Trading\nCenter (ATC) is a graphite trading center\n\napproved by the Hunan\nPeople's Government"
    [statement] = [s for s in statements(text) if "trading center" in s.text]
    assert "approved by" in statement.text
    [event] = events_of(text)
    assert (event.type, event.actor) == ("industrial_policy", "CN-HN")


def test_clauses_of_different_types_are_separate_events() -> None:
    text = (
        "Graphite miners in Jixi are being merged into one group, and new anode projects must move into "
        "designated parks."
    )
    assert {e.type for e in events_of(text)} == {"consolidation", "industrial_policy"}


def test_the_same_named_policy_stated_twice_is_one_event() -> None:
    text = (
        'In 2022 Heilongjiang issued its "Opinions on Promoting the Graphite Industry".\n\n'
        'Sources: "Opinions on Promoting the Graphite Industry"'
    )
    [event] = events_of(text)
    assert event.date == "2022"


def test_publication_date_missing_uses_latest_date_named() -> None:
    text = "Graphite output was firm in early 2018. Beijing's environmental inspections cut output last year."
    [event] = events_of(text)
    assert event.date == "2017"


def test_last_years_quota_named_as_a_baseline_is_no_event() -> None:
    text = (
        "MIIT issued the 2024 rare earth mining quota of 270,000 tonnes.\n\n"
        "For the whole of 2023 the mining quota was 255,000 tonnes."
    )
    assert [e.date for e in events_of(text, "2024-08-20")] == ["2024"]


def test_data_statements_and_waiting_are_not_events() -> None:
    assert events_of("数据显示，2019年包头稀土产品交易所成交稀土产品3387吨。", "2020-01-10") == []
    assert events_of("The market is waiting for the second batch of rare earth quotas.", "2024-07-01") == []


def test_a_headline_joins_the_dated_event_of_the_same_family() -> None:
    text = (
        "中国对7种中重稀土实施出口管制\n\n"
        "商务部4月4日发布公告，对钐、钆、铽、镝、镥、钪、钇等7类中重稀土相关物项实施出口管制。"
    )
    [event] = events_of(text, "2025-04-07")
    assert event.date == "2025-04-04"
    assert "heavy_rare_earths" in event.commodities


def test_a_province_or_firm_named_beside_an_export_control_is_not_its_actor() -> None:
    text = "Yantai-based Zhenghai Magnetic Materials said magnets need export licences since April 2025."
    [event] = events_of(text, "2025-10-20")
    assert event.actor == "CN:MOFCOM"


def test_other_minerals_do_not_borrow_the_documents_commodity() -> None:
    text = "Graphite anode prices were flat.\n\nBeijing imposed export restrictions on gallium and germanium in August."
    assert events_of(text, "2023-10-20") == []
