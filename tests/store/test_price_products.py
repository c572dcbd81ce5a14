"""The price products table equals the grouped pass over every price statement after each path
that writes price facts: ingest (new documents, new and restored versions), re-extraction,
corrections and rejections, dataset imports, rollbacks and the migration's backfill; on SQLite
and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, insert, select, text

from assay.analyze.price_table import import_price_table
from assay.model import Document, Fact
from assay.pipeline import IngestOptions, ingest, reextract
from assay.sources import SourceOptions
from assay.store.corrections import correct_fact, reject_fact
from assay.store.db import Store, alembic_config, upgrade
from assay.store.documents import save_document
from assay.store.facts import insert_facts, replace_facts
from assay.store.price_products import KeyExtent, price_extents, rebuild_price_products
from assay.store.schema import FactRow, PriceProductRow
from assay.store.series import FactSelection, key_extents
from knowledge_base import KnowledgeBase, make_fact

PRICES = (
    "On {day} March 2024, magnesium ingot in Fugu was quoted at {price:,} yuan per tonne.\n\n"
    "Dysprosium oxide is currently quoted at 1,650,000 yuan/t.\n"
)


def _sorted(extents: list[KeyExtent]) -> list[KeyExtent]:
    return sorted(extents, key=lambda e: [(v is not None, v or "") for v in e.key])


def assert_kept(store: Store) -> list[KeyExtent]:
    """The table (read in a new session) equals the grouped pass over the facts; returns it."""
    with store.session() as session:
        table = price_extents(session)
        assert table == _sorted(key_extents(session, FactSelection(metric="price")))
        return table


def _quiet() -> IngestOptions:
    return IngestOptions(SourceOptions(), show_progress=False)


def price(value: float, period: str, **fields: Any) -> Fact:
    # a span of its own per value: a correction finds its fact again by its span
    spans = {"start": int(value) * 10, "end": int(value) * 10 + 5}
    return make_fact(
        value, f"price {value} {period}", **{"metric": "price", "period": period, "unit": "CNY/t", **spans, **fields}
    )


def test_ingest_counts_new_documents_in_and_new_versions_out_and_back(any_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    for n in range(3):
        (folder / f"prices-{n}.txt").write_text(PRICES.format(day=3 + n, price=16_800 + 100 * n), encoding="utf-8")
    report = ingest([str(folder)], _quiet(), any_store)
    assert report.added == 3
    first = assert_kept(any_store)
    ingot = next(e for e in first if e.key[:2] == ("magnesium", "ingot"))
    assert (ingot.statements, ingot.first_start, ingot.latest_end) == (3, date(2024, 3, 3), date(2024, 3, 5))
    # a new version of the latest quote's source: its old statements leave the analyses
    (folder / "prices-2.txt").write_text(PRICES.format(day=1, price=15_000), encoding="utf-8")
    assert ingest([str(folder)], _quiet(), any_store).new_versions == 1
    ingot = next(e for e in assert_kept(any_store) if e.key[:2] == ("magnesium", "ingot"))
    assert (ingot.statements, ingot.first_start, ingot.latest_end) == (3, date(2024, 3, 1), date(2024, 3, 4))
    # the source goes back to its first content: that version is current again
    (folder / "prices-2.txt").write_text(PRICES.format(day=5, price=17_000), encoding="utf-8")
    assert ingest([str(folder)], _quiet(), any_store).new_versions == 1
    assert assert_kept(any_store) == first


def test_reextraction_replaces_a_documents_statements(any_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "prices.txt"
    path.write_text(PRICES.format(day=4, price=16_900), encoding="utf-8")
    ingest([str(path)], _quiet(), any_store)
    with any_store.transaction() as session:  # the facts as an older extractor left them
        doc_id = session.scalar(select(FactRow.document_id).limit(1))
        assert doc_id is not None
        replace_facts(session, doc_id, [price(1.0, "2020-01-01", commodity="graphite")])
    assert [e.key[0] for e in assert_kept(any_store)] == ["graphite"]
    report = reextract(_quiet(), any_store, everything=True)
    assert report.reextracted == 1
    commodities = {e.key[0] for e in assert_kept(any_store)}
    assert "magnesium" in commodities and "graphite" not in commodities


def test_replacing_facts_moves_first_and_last_days_and_drops_emptied_keys(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        one = kb.doc("one", price(10, "2024-01-05", form="ingot"), price(11, "2024-02", form="ingot"))
        kb.doc("two", price(12, "2024-01-20", form="ingot"), price(5, "2023", geo="WORLD"))
        [world, ingot] = assert_kept(any_store)  # no form before a form
        assert (ingot.statements, ingot.first_start, ingot.latest_end) == (3, date(2024, 1, 5), date(2024, 2, 29))
        assert (ingot.shortest_period, ingot.longest_period, world.statements) == (7, 10, 1)
        replace_facts(session, one, [price(13, "2024-01-25", form="ingot")])
        assert price_extents(session)[1].latest_end == date(2024, 1, 25)  # read in the writing transaction
        session.commit()
        [world, ingot] = assert_kept(any_store)
        assert (ingot.statements, ingot.first_start, ingot.shortest_period) == (2, date(2024, 1, 20), 10)
        replace_facts(session, one, [])
        two = session.scalar(select(FactRow.document_id).where(FactRow.geo == "WORLD"))
        assert two is not None
        replace_facts(session, two, [make_fact(1.0, "exports", metric="exports")])
        session.commit()
    assert assert_kept(any_store) == []


def test_corrections_and_rejections_move_statements_between_keys(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        doc = kb.doc("quotes", price(10, "2024-01-05"), price(11, "2024-03-01"), price(12, "2024-02-01"))
        ids = {period: fact_id for period, fact_id in session.execute(select(FactRow.period, FactRow.id))}
        correct_fact(session, ids["2024-03-01"], {"period": "2024-02-10"}, "a typo", "ann")
        session.commit()
        [magnesium] = assert_kept(any_store)
        assert magnesium.latest_end == date(2024, 2, 10)
        correct_fact(session, ids["2024-01-05"], {"commodity": "graphite"}, "wrong product", "ann")
        reject_fact(session, ids["2024-02-01"], "not a price", "ann")
        session.commit()
        [graphite, magnesium] = assert_kept(any_store)
        assert (graphite.statements, magnesium.statements) == (1, 1)
        # a re-extraction gives the facts back as stated; the standing corrections are applied again
        replace_facts(session, doc, [price(10, "2024-01-05"), price(11, "2024-03-01"), price(12, "2024-02-01")])
        session.commit()
        assert [e.statements for e in assert_kept(any_store)] == [1, 1]
        # a metric corrected away from price
        left = session.scalar(select(FactRow.id).where(FactRow.commodity == "magnesium", FactRow.metric == "price"))
        assert left is not None
        correct_fact(session, left, {"metric": "exports", "unit": "t"}, "a volume", "ann")
        session.commit()
        assert [e.key[0] for e in assert_kept(any_store)] == ["graphite"]


def test_dataset_imports_and_reimports(any_store: Store, tmp_path: Path) -> None:
    table = tmp_path / "quotes.csv"
    rows = ["2024-06-03,prnd,oxide,440000,445000,CNY/t", "2024-06-05,prnd,oxide,441000,,CNY/t"]
    table.write_text("date,commodity,form,price,price_high,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with any_store.transaction() as session:
        import_price_table(session, table)
    [prnd] = assert_kept(any_store)
    assert (prnd.statements, prnd.latest_end) == (2, date(2024, 6, 5))
    table.write_text("date,commodity,form,price,price_high,unit\n" + rows[0] + "\n", encoding="utf-8")
    with any_store.transaction() as session:
        import_price_table(session, table)  # the same dataset, re-imported with one row
    [prnd] = assert_kept(any_store)
    assert (prnd.statements, prnd.latest_end) == (1, date(2024, 6, 3))


def test_a_rolled_back_write_leaves_the_table_as_it_was(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        kb.doc("kept", price(10, "2024-01-05"))
        before = assert_kept(any_store)
        doc_id = save_document(session, kb_document("lost"), "f" * 64)
        insert_facts(session, doc_id, [price(11, "2025-01-05")])
        with session.begin_nested() as savepoint:  # a savepoint's changes rolled back, the rest kept
            replace_facts(session, doc_id, [price(12, "2026-01-05")])
            savepoint.rollback()
        session.commit()
        [magnesium] = assert_kept(any_store)
        assert (magnesium.statements, magnesium.latest_end) == (2, date(2025, 1, 5))
        insert_facts(session, save_document(session, kb_document("gone"), "e" * 64), [price(1, "2027-01-05")])
        session.rollback()
    assert assert_kept(any_store) != before and assert_kept(any_store)[0].latest_end == date(2025, 1, 5)


def kb_document(name: str) -> Document:
    return Document(name=name, source=f"/corpus/{name}.txt", raw_sha256=name.ljust(64, "0"), clean_text=name)


def test_the_migration_and_a_rebuild_fill_the_table_from_stored_facts(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        kb.doc("a", price(10, "2024-01-05", form="ingot"), price(11, "2023-Q4"), price(3, "2024-05", metric="x"))
        kb.doc("b", price(12, "2022", geo="WORLD"), price(13, "2021-01/2023-06", partner="JP"))
    expected = assert_kept(any_store)
    assert len(expected) == 4
    config = alembic_config()
    with any_store.engine.begin() as connection:  # back to the schema before 0007, the facts kept
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    upgrade(any_store.engine)
    assert assert_kept(any_store) == expected
    with any_store.engine.begin() as connection:  # facts written around the store's functions
        connection.execute(delete(PriceProductRow))
        connection.execute(insert(FactRow), [{**_raw_price(), "commodity": "terbium"}])
        assert rebuild_price_products(connection) == 5
    assert len(assert_kept(any_store)) == 5
    with any_store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM price_products")).scalar_one() == 5


def _raw_price() -> dict[str, object]:
    return {
        **{"document_id": None, "form": None, "metric": "price", "geo": "CN", "period": "2024-02-02"},
        **{"period_start": date(2024, 2, 2), "period_end": date(2024, 2, 2), "value": 1.0, "unit": "CNY/t"},
        **{"basis": "actual", "quote": "q", "rule": "r", "rule_version": "1"},
    }


@pytest.mark.parametrize("superseded", [False, True])
def test_a_document_moved_out_by_a_new_version_in_the_same_batch(any_store: Store, superseded: bool) -> None:
    """supersede() after the new version's facts were added in place, in one transaction (as a batch does)."""
    from assay.store.documents import supersede

    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        old = kb.doc("v1", price(10, "2024-01-05"), price(10, "2024-01-09"))
        new = save_document(session, kb_document("v2"), "d" * 64)
        insert_facts(session, new, [price(11, "2024-01-07")])
        if superseded:
            supersede(session, old, new)
        session.commit()
    [magnesium] = assert_kept(any_store)
    assert magnesium.statements == (1 if superseded else 3)


def test_a_replacement_recomputes_only_the_keys_whose_statements_changed(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay.store import price_products

    recomputed: list[tuple[object, ...]] = []

    def recorded(connection: object, keys: list[tuple[object, ...]]) -> list[KeyExtent]:
        recomputed.extend(keys)
        return real(connection, keys)  # type: ignore[arg-type]

    real = price_products._extents_of_keys
    monkeypatch.setattr(price_products, "_extents_of_keys", recorded)
    stated = [price(10, "2024-01-05", form="ingot"), price(11, "2024-02-01"), make_fact(5.0, "an export figure")]
    with any_store.session() as session:
        doc = KnowledgeBase(any_store, session).doc("quotes", *stated)  # new: its keys recomputed
        recomputed.clear()
        replace_facts(session, doc, list(reversed(stated)))  # a re-extraction that states the same
        session.commit()
        assert recomputed == []
        replace_facts(session, doc, [stated[0], price(12, "2024-02-01")])  # another value, the same statement
        session.commit()
        assert recomputed == []
        replace_facts(session, doc, [stated[0], price(11, "2024-03-01")])
        session.commit()
    assert [key[:2] for key in recomputed] == [("magnesium", None)]
    assert len(assert_kept(any_store)) == 2


def test_two_writers_of_facts_take_turns_without_a_deadlock(pg_store: Store) -> None:
    # An analyst's correction holds its fact's row; an ingest batch that had taken the writers' lock
    # for its new prices and then re-extracts that fact's document would wait for the row while the
    # correction, committing, waited for the lock. The lock is taken before any change instead.
    with pg_store.session() as setup:
        doc = KnowledgeBase(pg_store, setup).doc("quotes", price(10, "2024-01-05"), price(11, "2024-02-01"))
        setup.commit()
        fact_id = setup.scalar(select(FactRow.id).where(FactRow.document_id == doc, FactRow.period == "2024-01-05"))
    assert fact_id is not None
    errors: list[BaseException] = []
    with pg_store.session() as analyst, pg_store.session() as batch:
        correct_fact(analyst, fact_id, {"period": "2024-01-06"}, "a typo", "ann")

        def ingest_batch() -> None:
            try:
                new = save_document(batch, Document(name="new", source="/corpus/new.txt", raw_sha256="0" * 64,
                                                    clean_text="price 12"), "1" * 64)  # fmt: skip
                insert_facts(batch, new, [price(12, "2024-03-01")])
                replace_facts(batch, doc, [price(10, "2024-01-05"), price(11, "2024-02-01")])
                batch.commit()
            except BaseException as exc:  # reported to the test's thread
                errors.append(exc)
                batch.rollback()

        writer = threading.Thread(target=ingest_batch)
        writer.start()
        time.sleep(1.5)  # the batch is waiting now (PostgreSQL looks for deadlocks after 1 s)
        analyst.commit()
        writer.join(timeout=60)
    assert errors == []
    [magnesium] = assert_kept(pg_store)
    assert magnesium.statements == 3 and magnesium.first_start == date(2024, 1, 6)  # the correction stands
