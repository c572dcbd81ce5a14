"""English wordings of each event type, written for these tests (not copied from any article)."""

from __future__ import annotations

import pytest

from assay.extract.events import extract_events
from assay.model import Document, Event, Stance


def events_of(text: str, published: str | None = "2025-06-30", title: str | None = None) -> list[Event]:
    doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=text, published=published, title=title)
    return extract_events(doc)


def only(text: str, published: str | None = "2025-06-30") -> Event:
    found = events_of(text, published)
    assert len(found) == 1, [e.to_eventspec() for e in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "type_", "actor", "date", "commodity", "stance"),
    [
        (
            "On March 3, 2025 the Ministry of Commerce said exporters of graphite anodes need export licences.",
            "export_control",
            "CN:MOFCOM",
            "2025-03-03",
            "graphite",
            Stance.TIGHTEN,
        ),
        (
            "Beijing added heavy rare earth separation know-how to its list, banning the export of the technology "
            "in December 2023.",
            "technology_restriction",
            "CN:MOFCOM",
            "2023-12",
            "heavy_rare_earths",
            Stance.TIGHTEN,
        ),
        (
            "MIIT set the 2025 mining quota for rare earths at 270,000 tonnes, up 5.9% on the year.",
            "production_quota",
            "CN:MIIT",
            "2025",
            "rare_earths",
            Stance.LOOSEN,
        ),
        (
            "Three graphite miners in Heilongjiang will be merged into a provincial group in 2026.",
            "consolidation",
            "CN-HL",
            "2026",
            "graphite",
            Stance.NEUTRAL,
        ),
        (
            "The state reserve bureau has been stockpiling dysprosium since February.",
            "stockpiling",
            "CN:NFSRA",
            "2025-02",
            "dysprosium",
            Stance.TIGHTEN,
        ),
        (
            "Central environmental inspections in Liaoning closed dozens of magnesia kilns in August 2024.",
            "environmental_enforcement",
            "CN-LN",
            "2024-08",
            "magnesia",
            Stance.TIGHTEN,
        ),
        (
            "A Shanxi smelter aims to raise its magnesium ingot capacity to 120,000 t/yr by 2027.",
            "capacity_plan",
            "CN-SX",
            "2027",
            "magnesium",
            Stance.LOOSEN,
        ),
        (
            "The European Commission imposed provisional anti-dumping duties on Chinese magnesium in January 2025.",
            "trade_measure",
            "EU",
            "2025-01",
            "magnesium",
            Stance.TIGHTEN,
        ),
        (
            "In July 2024 the U.S. Department of Energy awarded $25 million in grants for NdFeB magnet plants.",
            "subsidy",
            "US:DOE",
            "2024-07",
            "ndfeb_magnets",
            Stance.LOOSEN,
        ),
        (
            "New rules require a recycled content of at least 10% for permanent magnets sold in the EU from 2031.",
            "recycling_mandate",
            "EU",
            "2031",
            "rare_earth_magnets",
            Stance.NEUTRAL,
        ),
        (
            "Power rationing in Shaanxi forced magnesium smelters to halt production in September 2021.",
            "supply_disruption",
            "CN-SN",
            "2021-09",
            "magnesium",
            Stance.TIGHTEN,
        ),
        (
            "The NDRC released a development plan for the graphite anode industry on 12 May 2024.",
            "industrial_policy",
            "CN:NDRC",
            "2024-05-12",
            "graphite",
            Stance.NEUTRAL,
        ),
    ],
)
def test_each_type_is_read_with_actor_date_and_stance(
    text: str, type_: str, actor: str, date: str, commodity: str, stance: Stance
) -> None:
    event = only(text)
    assert event.type == type_
    assert event.actor == actor
    assert event.date == date
    assert commodity in event.commodities
    assert event.stance == stance


def test_quote_is_verbatim_and_its_span_points_at_it() -> None:
    text = "Prices were flat. In April 2025, China imposed export controls on seven rare earths, traders said."
    event = only(text)
    assert text[event.start : event.end] == event.quote
    assert "export controls" in event.quote
    assert "Prices were flat" not in event.quote


def test_month_without_year_is_read_against_publication_date() -> None:
    assert only("China tightened export controls on graphite in November.", "2025-02-10").date == "2024-11"
    assert only("China tightened export controls on graphite in January.", "2025-02-10").date == "2025-01"


def test_lifting_a_ban_loosens() -> None:
    event = only("In 2015 China abolished its rare earth export quotas after the WTO ruling.")
    assert (event.type, event.stance, event.date) == ("export_control", Stance.LOOSEN, "2015")


def test_negated_and_hedged_statements_are_not_events() -> None:
    assert events_of("There have been no disruptions to rare earth mining in Myanmar so far.") == []
    assert events_of("Tariffs on magnesium could follow if talks fail.") == []
    assert events_of("Will China ban graphite exports?") == []


def test_market_moves_are_not_events() -> None:
    assert events_of("Magnesium ingot exports rose 23% in October, SMM data showed.") == []
    assert events_of("Prices of praseodymium-neodymium oxide fell 5,000 yuan/t this week.") == []


def test_an_event_stated_twice_is_one_event() -> None:
    text = (
        "China announced export controls on rare earth magnets on April 4.\n\n"
        "Exporters said the April 4 export controls on rare earth magnets slowed shipments."
    )
    assert len(events_of(text, "2025-05-01")) == 1


def test_commodity_comes_from_the_paragraph_or_the_document_when_the_sentence_names_none() -> None:
    text = "Graphite anode makers face a new regime. Exporters must now apply for export licences."
    event = only(text)
    assert event.commodities == ("graphite",)


def test_foreign_measure_without_a_commodity_is_left_out() -> None:
    text = "Rare earth magnet exports fell in May.\n\nThe U.S. has imposed tariffs on a range of Chinese imports."
    assert events_of(text) == []


def test_text_without_spaces_from_pdfs_still_reads_dates_and_bodies() -> None:
    event = only("InMarch2024,theU.S.DepartmentofEnergy(DOE)awarding$17 million to recover NdFeB magnets.")
    assert (event.type, event.actor, event.date) == ("subsidy", "US:DOE", "2024-03")


def test_company_actor() -> None:
    event = only("Lynas Rare Earths plans a new processing plant project in Texas for heavy rare earths.")
    assert event.actor.startswith("company:lynas")
    assert event.type == "capacity_plan"


@pytest.mark.parametrize("text", ["", "   \n\n", "2025", "•\n•\n", "A:\nC:\n2017\n2018", "(" * 500, "稀土" * 3000])
def test_never_raises_on_odd_text(text: str) -> None:
    assert isinstance(events_of(text), list)


def test_the_date_between_the_commas_around_the_trigger_wins() -> None:
    text = (
        "Exports of natural graphite fell 25% in 2024 to 126,000 tonnes, the lowest in five years, "
        "after export licences for flake graphite took effect on 1 December 2023."
    )
    assert only(text, "2025-02-01").date == "2023-12-01"


def test_more_than_doubled_is_no_baseline() -> None:
    text = "Magnesium more than doubled in 2021 when smelters in Shaanxi were curbed, and peaked in 2022."
    event = only(text, "2025-01-10")
    assert (event.type, event.date) == ("supply_disruption", "2021")


def test_goods_and_technologies_in_one_sentence_are_two_measures() -> None:
    text = (
        "On October 9 the Ministry of Commerce added holmium to the list of controlled rare earths; "
        "it also put the technologies for separating rare earths under licence."
    )
    assert {e.type for e in events_of(text, "2025-10-20")} == {"export_control", "technology_restriction"}
