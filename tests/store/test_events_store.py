"""The events repository on SQLite and PostgreSQL: merging reports, re-extraction, the timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select
from store_rows import add_document as add_row

from assay.model import Event, Stance
from assay.store.db import Store
from assay.store.events import (
    KEY_LIMIT,
    EventFilter,
    EventStoreError,
    StoredEvent,
    get_event,
    query_events,
    record_events,
)
from assay.store.schema import EventCommodityRow, EventMentionRow, EventRow
from assay.vocab import commodities


def add_document(store: Store, name: str, published: str | None = "2025-10-20") -> int:
    url = f"https://news.example.org/{name}"
    return add_row(store, name, url=url, published=published, fetched_at=datetime(2025, 10, 21))


def event(doc: str, **changes: Any) -> Event:
    base = Event(
        doc=doc,
        type="export_control",
        actor="CN:MOFCOM",
        date="2025-04",
        commodities=("heavy_rare_earths", "rare_earths"),
        stance=Stance.TIGHTEN,
        quote=f"{doc}: export controls on seven heavy rare earths",
        start=10,
        end=60,
        rule="event.export_control.export_control",
        rule_version="1",
    )
    return replace(base, **changes)


def record(store: Store, document_id: int, events: list[Event]) -> int:
    with store.transaction() as session:
        return record_events(session, document_id, events)


def timeline(store: Store, **flt: Any) -> list[StoredEvent]:
    with store.session() as session:
        return query_events(session, EventFilter(**flt))


def count(store: Store, table: type) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("any_store", ["sqlite", "postgresql"], indirect=True)
def test_two_documents_reporting_one_event_make_one_event_with_two_mentions(any_store: Store) -> None:
    first, second = add_document(any_store, "a"), add_document(any_store, "b")
    assert record(any_store, first, [event("a")]) == 1
    # the second report is vaguer on the actor, more precise on the date, and names one more commodity
    record(any_store, second, [event("b", actor="CN", date="2025-04-04", commodities=("samarium", "rare_earths"))])
    [merged] = timeline(any_store)
    assert [m.doc for m in merged.mentions] == ["a", "b"]
    assert merged.date == "2025-04-04"
    assert merged.actor == "CN:MOFCOM"
    assert set(merged.commodities) == {"heavy_rare_earths", "rare_earths", "samarium"}
    assert merged.mentions[0].url == "https://news.example.org/a"


@pytest.mark.parametrize("any_store", ["sqlite", "postgresql"], indirect=True)
def test_different_events_stay_apart(any_store: Store) -> None:
    doc = add_document(any_store, "a")
    record(
        any_store,
        doc,
        [
            event("a"),
            event("a", date="2025-10-09", quote="October controls"),  # another month
            event("a", type="production_quota", quote="quota"),  # another type
            event("a", commodities=("graphite",), quote="graphite licences"),  # no commodity in common
            event("a", actor="US:DOC", quote="US rule"),  # another actor
        ],
    )
    assert len(timeline(any_store)) == 5


def test_re_extraction_replaces_mentions_and_drops_orphans(store: Store) -> None:
    first, second = add_document(store, "a"), add_document(store, "b")
    record(store, first, [event("a"), event("a", type="stockpiling", quote="reserve buying")])
    record(store, second, [event("b")])
    assert count(store, EventRow) == 2
    # the rules changed: document a now yields only a subsidy
    record(store, first, [event("a", type="subsidy", stance=Stance.LOOSEN, quote="grants")])
    kinds = sorted(e.type for e in timeline(store))
    assert kinds == ["export_control", "subsidy"]  # stockpiling had no other source, so it went
    [control] = timeline(store, type="export_control")
    assert [m.doc for m in control.mentions] == ["b"]
    assert count(store, EventCommodityRow) == 4  # 2 for each remaining event
    # recording the same events again changes nothing
    record(store, first, [event("a", type="subsidy", stance=Stance.LOOSEN, quote="grants")])
    assert count(store, EventMentionRow) == 2


def test_an_event_stated_twice_in_one_document_keeps_one_mention_per_quote(store: Store) -> None:
    doc = add_document(store, "a")
    assert record(store, doc, [event("a"), event("a")]) == 1
    assert count(store, EventMentionRow) == 1


def test_bad_event_is_refused_before_anything_is_written(store: Store) -> None:
    doc = add_document(store, "a")
    record(store, doc, [event("a")])
    with pytest.raises(EventStoreError, match=r"document .*unknown commodities"):
        record(store, doc, [event("a", quote="new"), event("a", commodities=("unobtainium",))])
    [kept] = timeline(store)
    assert [m.quote for m in kept.mentions] == ["a: export controls on seven heavy rare earths"]


def test_filters_and_order(store: Store) -> None:
    doc = add_document(store, "a")
    record(
        store,
        doc,
        [
            event("a", date="2025-10-09", quote="october"),
            event("a", date=None, quote="undated", type="consolidation", stance=Stance.NEUTRAL),
            event("a", date="2023-12", commodities=("graphite",), quote="graphite"),
            event("a", date="2024", actor="CN-LN:Anshan", commodities=("magnesia",), type="consolidation"),
        ],
    )
    assert [e.date for e in timeline(store)] == ["2023-12", "2024", "2025-10-09", None]
    assert [e.date for e in timeline(store, since="2024")] == ["2024", "2025-10-09"]
    assert [e.date for e in timeline(store, until="2024-12")] == ["2023-12", "2024"]
    assert [e.date for e in timeline(store, commodity="rare_earths")] == ["2025-10-09", None]  # heavy_rare_earths too
    assert [e.actor for e in timeline(store, actor="CN-LN")] == ["CN-LN:Anshan"]
    assert len(timeline(store, actor="CN")) == 4
    assert [e.type for e in timeline(store, type="consolidation")] == ["consolidation", "consolidation"]
    assert len(timeline(store, limit=1)) == 1
    with pytest.raises(EventStoreError, match="not a date"):
        timeline(store, since="April")


def test_get_event(store: Store) -> None:
    doc = add_document(store, "a")
    record(store, doc, [event("a")])
    [listed] = timeline(store)
    with store.session() as session:
        shown = get_event(session, listed.id)
        assert get_event(session, listed.id + 1000) is None
    assert shown == listed
    assert shown is not None and shown.as_json()["sources"][0]["quote"] == listed.mentions[0].quote


def test_a_report_naming_a_narrower_commodity_joins_the_event(store: Store) -> None:
    first, second = add_document(store, "a"), add_document(store, "b")
    record(store, first, [event("a", commodities=("rare_earths",))])
    record(store, second, [event("b", commodities=("light_rare_earths",))])
    [merged] = timeline(store)
    assert len(merged.mentions) == 2
    assert set(merged.commodities) == {"rare_earths", "light_rare_earths"}


def test_undated_reports_merge_only_with_the_same_actor_and_commodity(store: Store) -> None:
    first, second, third = add_document(store, "a"), add_document(store, "b"), add_document(store, "c")
    record(store, first, [event("a", date=None, commodities=("rare_earths",))])
    record(store, second, [event("b", date=None, commodities=("rare_earths",))])
    record(store, third, [event("c", date=None, commodities=("samarium",))])
    assert sorted(len(e.mentions) for e in timeline(store)) == [1, 2]


@pytest.mark.parametrize("any_store", ["sqlite", "postgresql"], indirect=True)
def test_events_with_one_truncated_key_get_numbered_keys(any_store: Store) -> None:
    # a key names type, month, commodities and actor, cut at 300 characters: with every commodity
    # named, two actors that do not agree share the cut key, and the later events get "#2", "#3"
    everything = tuple(sorted(commodities()))
    first, second = add_document(any_store, "a"), add_document(any_store, "b")
    record(any_store, first, [event("a", commodities=everything, actor="US:DOC")])
    record(
        any_store,
        second,
        [event("b", commodities=everything, actor="CN:MOFCOM"), event("b", commodities=everything, actor="JP")],
    )
    keys = [row.key for row in event_rows(any_store)]
    assert len(keys[0]) == KEY_LIMIT
    assert keys[1:] == [keys[0][: KEY_LIMIT - 6] + "#2", keys[0][: KEY_LIMIT - 6] + "#3"]
    # the second document again, as a re-extraction: its events keep their rows and keys
    record(
        any_store,
        second,
        [event("b", commodities=everything, actor="CN:MOFCOM"), event("b", commodities=everything, actor="JP")],
    )
    assert [row.key for row in event_rows(any_store)] == keys


def test_a_document_of_many_events_is_recorded_in_a_few_statements(store: Store) -> None:
    first = add_document(store, "a")
    many = [
        event("a", date=f"20{10 + i}-0{1 + i % 9}", quote=f"a: measure {i}", commodities=(name,))
        for i, name in enumerate(("graphite", "magnesium", "magnesite", "rare_earths", "dysprosium") * 4)
    ]
    statements: list[str] = []

    def count_statement(*args: Any) -> None:
        statements.append(str(args[2]))

    sqlalchemy_event.listen(store.engine, "before_cursor_execute", count_statement)
    try:
        assert record(store, first, many) == 20
    finally:
        sqlalchemy_event.remove(store.engine, "before_cursor_execute", count_statement)
    # no query per event: the stored events a document may join are read once, rows are inserted together
    assert len(statements) <= 10, statements
    assert count(store, EventRow) == 20
    assert count(store, EventCommodityRow) == 20
    assert count(store, EventMentionRow) == 20


def test_a_new_document_s_events_are_recorded_without_looking_for_mentions_to_replace(any_store: Store) -> None:
    first, second = add_document(any_store, "a"), add_document(any_store, "b")
    record(any_store, first, [event("a"), event("a", type="production_quota", date="2025", quote="a: quota")])
    statements: list[str] = []

    def count_statement(*args: Any) -> None:
        statements.append(str(args[2]))

    sqlalchemy_event.listen(any_store.engine, "before_cursor_execute", count_statement)
    try:
        with any_store.transaction() as session:
            reported = [event("b", date="2025-04-09"), event("b", type="consolidation", quote="b: merger")]
            assert record_events(session, second, reported, replacing=False) == 2
    finally:
        sqlalchemy_event.remove(any_store.engine, "before_cursor_execute", count_statement)
    assert not [s for s in statements if s.lstrip().upper().startswith("DELETE")], statements
    # the report of a stored event joins it (and makes its date more precise); the other is new
    found = sorted((e.type, e.date, len(e.mentions)) for e in timeline(any_store))
    joined, new = ("export_control", "2025-04-09", 2), ("consolidation", "2025-04", 1)
    assert found == [new, joined, ("production_quota", "2025", 1)]
    # recording the same document again (a re-extraction) replaces its mentions: nothing doubles
    assert record(any_store, second, reported) == 2
    assert sorted((e.type, e.date, len(e.mentions)) for e in timeline(any_store)) == found


def test_stored_keys_are_read_only_when_a_report_makes_a_new_event(store: Store) -> None:
    first, second = add_document(store, "a"), add_document(store, "b")
    record(store, first, [event("a")])
    statements: list[str] = []

    def count_statement(*args: Any) -> None:
        statements.append(str(args[2]))

    sqlalchemy_event.listen(store.engine, "before_cursor_execute", count_statement)
    try:
        record(store, second, [event("b")])  # joins the stored event
    finally:
        sqlalchemy_event.remove(store.engine, "before_cursor_execute", count_statement)
    assert not [s for s in statements if s.startswith("SELECT events.key")], statements
    assert count(store, EventRow) == 1 and count(store, EventMentionRow) == 2


def event_rows(store: Store) -> list[EventRow]:
    with store.session() as session:
        return list(session.scalars(select(EventRow).order_by(EventRow.id)))
