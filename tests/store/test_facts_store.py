"""The facts repository on SQLite and PostgreSQL: replacing a document's facts, and filtering them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from store_rows import add_document, fact

from assay.model import Approx, Basis
from assay.store.db import Store
from assay.store.documents import supersede
from assay.store.facts import (
    FactFilter,
    FactStoreError,
    StoredFact,
    commodity_and_descendants,
    count_facts,
    insert_facts,
    query_facts,
    replace_facts,
)
from assay.store.schema import DatasetRow, DocumentRow, FactRow


def query(store: Store, **filters: object) -> list[StoredFact]:
    with store.session() as session:
        return query_facts(session, FactFilter(**filters))


def test_replace_stores_every_field_and_reads_it_back(any_store: Store) -> None:
    doc_id = add_document(any_store, "smm-mg", url="https://example.org/mg", published="2024-06-20")
    original = fact(
        "smm-mg",
        partner="NL",
        value_high=6200.0,
        form="ingot",
        approx=Approx.ABOUT,
        basis=Basis.ESTIMATE,
        period="2024-01/2024-05",
    )
    with any_store.transaction() as session:
        assert replace_facts(session, doc_id, [original]) == 1

    [stored] = query(any_store)
    assert stored.fact == original
    assert stored.document_id == doc_id
    assert (stored.url, stored.published, stored.dataset, stored.official) == (
        "https://example.org/mg",
        "2024-06-20",
        None,
        False,
    )
    with any_store.session() as session:
        row = session.scalars(select(FactRow)).one()
        assert (row.period_start, row.period_end) == (date(2024, 1, 1), date(2024, 5, 31))
        assert (row.span_start, row.span_end, row.rule, row.rule_version) == (10, 48, "exports-level", "3")


def test_replace_drops_the_old_facts_of_that_document_only(any_store: Store) -> None:
    first = add_document(any_store, "first")
    second = add_document(any_store, "second")
    with any_store.transaction() as session:
        replace_facts(session, first, [fact("first", value=1.0), fact("first", value=2.0)])
        replace_facts(session, second, [fact("second", value=3.0)])
    with any_store.transaction() as session:  # re-extraction after a rule change
        assert replace_facts(session, first, [fact("first", value=5.0, rule_version="4")]) == 1

    values = sorted((s.fact.doc, s.fact.value, s.fact.rule_version) for s in query(any_store))
    assert values == [("first", 5.0, "4"), ("second", 3.0, "3")]

    with any_store.transaction() as session:
        assert replace_facts(session, first, []) == 0
    assert [s.fact.doc for s in query(any_store)] == ["second"]


def test_a_new_document_s_facts_are_inserted_as_replace_would_store_them(any_store: Store) -> None:
    replaced, inserted = add_document(any_store, "replaced"), add_document(any_store, "inserted")
    facts = [fact("x", value=1.0, partner="NL"), fact("x", value=2.0, period="2024-Q2", approx=Approx.ABOUT)]
    with any_store.transaction() as session:
        assert replace_facts(session, replaced, facts) == 2
        assert insert_facts(session, inserted, facts) == 2
        assert insert_facts(session, inserted, []) == 0
    with any_store.session() as session:
        rows = session.execute(select(FactRow).order_by(FactRow.id)).scalars().all()
        columns = [c.name for c in FactRow.__table__.columns if c.name not in ("id", "document_id")]
        by_document = {
            doc_id: [tuple(getattr(row, name) for name in columns) for row in rows if row.document_id == doc_id]
            for doc_id in (replaced, inserted)
        }
    assert by_document[inserted] == by_document[replaced] and len(by_document[inserted]) == 2
    # refused as replace_facts refuses, before anything is written
    with pytest.raises(FactStoreError, match="not a finite number"), any_store.transaction() as session:
        insert_facts(session, inserted, [fact("x", value=3.0), fact("x", value=float("inf"))])
    assert len(query(any_store, document_id=inserted)) == 2


def test_missing_or_odd_periods_are_kept_without_bounds(any_store: Store) -> None:
    doc_id = add_document(any_store, "odd")
    with any_store.transaction() as session:
        replace_facts(session, doc_id, [fact("odd", period=None), fact("odd", period="2024-13", value=2.0)])
    with any_store.session() as session:
        rows = session.execute(select(FactRow.period, FactRow.period_start, FactRow.period_end)).all()
    assert sorted(rows, key=lambda r: str(r[0])) == [("2024-13", None, None), (None, None, None)]


def test_a_bad_fact_is_refused_before_anything_is_deleted(any_store: Store) -> None:
    doc_id = add_document(any_store, "kept")
    with any_store.transaction() as session:
        replace_facts(session, doc_id, [fact("kept")])

    for bad, reason in (
        (fact("kept", value=float("nan")), "not a finite number"),
        (fact("kept", geo="company:" + "x" * 200), "geo is longer than 120"),
    ):
        with pytest.raises(FactStoreError, match=reason) as caught, any_store.transaction() as session:
            replace_facts(session, doc_id, [fact("kept", value=9.0), bad])
        assert f"document {doc_id}" in str(caught.value)
        assert "\n" not in str(caught.value)

    assert [s.fact.value for s in query(any_store)] == [6140.0]


def test_filters_match_as_documented(any_store: Store) -> None:
    doc_id = add_document(any_store, "mixed")
    facts = [
        fact("mixed", commodity="rare_earths", metric="production", period="2024", value=1.0),
        fact("mixed", commodity="prnd", metric="price", unit="CNY/t", period="2024-10", value=2.0),
        fact("mixed", commodity="neodymium", metric="price", unit="CNY/t", period="2024-Q3", value=3.0),
        fact("mixed", commodity="magnesium", partner="NL", period="2024-01/2024-09", value=4.0),
        fact("mixed", commodity="magnesium", partner="JP", period="2024-01", value=5.0),
        fact("mixed", commodity="magnesium", geo="CN-SN", period="2023-12", value=6.0),
        fact("mixed", commodity="graphite", period=None, value=7.0),
    ]
    with any_store.transaction() as session:
        replace_facts(session, doc_id, facts)

    def values(**filters: object) -> list[float]:
        return sorted(s.fact.value for s in query(any_store, **filters))

    assert values(commodity="rare_earths") == [1.0, 2.0, 3.0]  # children included
    assert values(commodity="prnd") == [2.0]
    assert values(commodity="rare_earth_magnets") == []
    assert values(metric="price") == [2.0, 3.0]
    assert values(period="2024") == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert values(period="2024-01") == [4.0, 5.0]  # the Jan-Sep span starts in January, 2024-10 does not
    assert values(geo="CN") == [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]
    assert values(geo="CN-SN") == [6.0]
    assert values(partner="NL") == [4.0]
    assert values(unit="CNY/t") == [2.0, 3.0]
    assert values(doc="mixed") == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert values(doc="other") == []
    assert values(commodity="magnesium", period="2024", partner="JP") == [5.0]
    assert len(query(any_store, limit=2)) == 2


def test_results_come_in_one_order_on_both_databases(any_store: Store) -> None:
    doc_id = add_document(any_store, "order")
    facts = [
        fact("order", commodity="rare_earths", period="2024"),
        fact("order", commodity="rare_earth_magnets", period="2024"),
        fact("order", commodity="magnesium", period=None),
        fact("order", commodity="magnesium", period="2024-Q3"),
        fact("order", commodity="magnesium", period="2024-01/2024-09"),
        fact("order", commodity="magnesium", period="2023"),
        fact("order", commodity="magnesium", metric="capacity", unit="t/yr", period="2025"),
    ]
    with any_store.transaction() as session:
        replace_facts(session, doc_id, facts)
    got = [(s.fact.commodity, s.fact.metric, s.fact.period) for s in query(any_store)]
    assert got == [
        ("magnesium", "capacity", "2025"),
        ("magnesium", "exports", "2023"),
        ("magnesium", "exports", "2024-01/2024-09"),
        ("magnesium", "exports", "2024-Q3"),
        ("magnesium", "exports", None),
        ("rare_earth_magnets", "exports", "2024"),
        ("rare_earths", "exports", "2024"),
    ]


def test_reference_dataset_facts_come_back_with_their_dataset(any_store: Store) -> None:
    with any_store.transaction() as session:
        dataset = DatasetRow(
            name="usgs-mcs2024-mgmet_world",
            kind="usgs-mcs",
            source="mcs2024-mgmet_world.csv",
            sha256="0" * 64,
            imported_at=datetime(2025, 1, 1),
            official=True,
        )
        session.add(dataset)
        session.flush()
        session.add(
            FactRow(
                dataset_id=dataset.id,
                commodity="magnesium",
                metric="production",
                geo="CN",
                period="2023",
                period_start=date(2023, 1, 1),
                period_end=date(2023, 12, 31),
                value=900000.0,
                unit="t",
                basis="estimate",
                quote="China, 2023e: 900,000",
                rule="usgs-mcs",
                rule_version="1",
            )
        )
    [stored] = query(any_store, doc="usgs-mcs2024-mgmet_world")
    assert (stored.dataset, stored.official, stored.document_id, stored.fact.doc) == (
        "usgs-mcs2024-mgmet_world",
        True,
        None,
        "usgs-mcs2024-mgmet_world",
    )
    assert stored.fact.basis is Basis.ESTIMATE


def test_deleting_a_document_deletes_its_facts(any_store: Store) -> None:
    doc_id = add_document(any_store, "gone")
    with any_store.transaction() as session:
        replace_facts(session, doc_id, [fact("gone")])
    with any_store.transaction() as session:
        session.delete(session.get(DocumentRow, doc_id))
    with any_store.session() as session:
        assert session.scalar(select(func.count()).select_from(FactRow)) == 0


def test_commodity_descendants_follow_the_vocabulary() -> None:
    assert commodity_and_descendants("rare_earth_magnets") == ["rare_earth_magnets", "ndfeb_magnets", "smco_magnets"]
    assert {"prnd", "neodymium", "dysprosium"} <= set(commodity_and_descendants("rare_earths"))
    assert commodity_and_descendants("not-a-commodity") == ["not-a-commodity"]


def test_a_negative_limit_or_a_partial_period_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="limit"):
        query(store, limit=-1)
    with pytest.raises(ValueError, match="not a period"):
        query(store, period="2024-1")  # no guessing whether 2024-10 was meant


def test_the_count_leaves_out_superseded_versions_as_the_list_does(any_store: Store) -> None:
    old = add_document(any_store, "smm-mg-v1")
    new = add_document(any_store, "smm-mg-v2")
    with any_store.transaction() as session:
        replace_facts(session, old, [fact("smm-mg-v1"), fact("smm-mg-v1", period="2024-04")])
        replace_facts(session, new, [fact("smm-mg-v2")])
        supersede(session, old, new)
    for filters in ({}, {"metric": "exports"}, {"doc": "smm-mg-v1"}, {"limit": 1}):
        with any_store.session() as session:
            counted = count_facts(session, FactFilter(**filters))
            listed = query_facts(session, FactFilter(**{**filters, "limit": None}))
        assert counted == len(listed), filters
    assert [item.document_id for item in query(any_store)] == [new]
