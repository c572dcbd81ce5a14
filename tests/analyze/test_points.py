"""Series points kept in the store equal the consensus weighed from the statements (and the series
sizes counted on them those counted on the facts) after every
path that writes facts (ingest batches and new or restored versions, re-extraction, corrections
and rejections, dataset imports, rollbacks, the migration's backfill), on SQLite and PostgreSQL;
a reader recomputes only the stale points of the keys it reads, and weighs the statements itself
where the points cannot answer (its own uncommitted writes, a busy SQLite store)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, func, select
from test_series_statements import generate

from assay.analyze import points as analyze_points
from assay.analyze.price_table import import_price_table
from assay.analyze.series import computed_series_values, series_from_statements, series_values
from assay.model import Basis, Document, Fact
from assay.pipeline import IngestOptions, ingest, reextract
from assay.sources import SourceOptions
from assay.store.corrections import correct_fact, reject_fact
from assay.store.db import Store, alembic_config, upgrade
from assay.store.documents import make_current, save_document, supersede
from assay.store.facts import insert_facts_of_documents, replace_facts
from assay.store.reference import DatasetSpec, import_dataset
from assay.store.schema import FactRow, SeriesPointRow, SeriesStaleRow
from assay.store.series import FactSelection, period_unit_partners, series_sizes
from assay.store.series_points import mark_every_pair, read_points
from assay.store.statements import select_statements
from knowledge_base import KnowledgeBase, make_fact

SELECTIONS = [
    FactSelection(),
    FactSelection(commodity="magnesium", metric="exports"),
    FactSelection(commodities=("magnesium", "graphite"), metrics=("exports", "production"), partner_is_null=True),
    FactSelection(metric="exports", period_length=7),
    FactSelection(metric="exports", period="2024-02"),
    FactSelection(starts_on_or_after=date(2024, 1, 1), ends_on_or_before=date(2024, 6, 30)),
    FactSelection(metric="price", unit="CNY/t"),
]
PRICES = (
    "On {day} March 2024, magnesium ingot in Fugu was quoted at {price:,} yuan per tonne.\n\n"
    "China exported {tonnes:,} tonnes of magnesium in February 2024.\n"
)


def assert_points(store: Store) -> None:
    """Every selection reads the points, which equal the values weighed from the statements;
    every stored point equals its observation built from every statement with its sources."""
    with store.session() as session:
        for selection in SELECTIONS:
            assert analyze_points.stored_points(session, selection) is not None
            assert series_values(session, selection) == computed_series_values(session, selection)
            by_key = sorted(analyze_points.sizes(session, selection), key=lambda s: str(s.key))
            assert by_key == sorted(series_sizes(session, selection), key=lambda s: str(s.key))
            assert sorted(analyze_points.period_unit_partners(session, selection), key=str) == sorted(
                period_unit_partners(session, selection), key=str
            )
            keys = [s.key for s in computed_series_values(session, selection)][::2]
            assert series_values(session, selection, keys) == computed_series_values(session, selection, keys)
        whole = {
            (s.key, o.period): (o.value, o.value_high, o.spread, o.n_independent, len(o.sources))
            for s in series_from_statements(select_statements(session, FactSelection()))
            for o in s.observations
        }
    with store.engine.connect() as connection:
        stored = {
            (p.key, p.period): (p.value, p.value_high, p.spread, p.sources, p.statements)
            for p in read_points(connection, FactSelection())
        }
        assert connection.execute(select(func.count()).select_from(SeriesStaleRow)).scalar_one() == 0
    assert stored == whole


def _quiet() -> IngestOptions:
    return IngestOptions(SourceOptions(), show_progress=False)


def test_points_of_a_generated_store(kb_any: KnowledgeBase) -> None:
    """Copies, undated documents, syndicated quotes, forecasts and targets, two dataset editions."""
    generate(kb_any, seed=3)
    assert_points(kb_any.store)
    with kb_any.store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(SeriesPointRow)).scalar_one() > 20


def test_ingest_new_versions_and_reextraction(any_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    for n in range(3):
        text = PRICES.format(day=3 + n, price=16_800 + 100 * n, tonnes=30_000 + 1000 * n)
        (folder / f"wire-{n}.txt").write_text(text, encoding="utf-8")
    assert ingest([str(folder)], _quiet(), any_store).added == 3
    assert_points(any_store)
    (folder / "wire-2.txt").write_text(PRICES.format(day=1, price=15_000, tonnes=1), encoding="utf-8")
    assert ingest([str(folder)], _quiet(), any_store).new_versions == 1
    assert_points(any_store)
    (folder / "wire-2.txt").write_text(PRICES.format(day=5, price=17_000, tonnes=32_000), encoding="utf-8")
    assert ingest([str(folder)], _quiet(), any_store).new_versions == 1
    assert_points(any_store)
    with any_store.transaction() as session:  # the facts as an older extractor left them
        doc_id = session.scalar(select(FactRow.document_id).limit(1))
        assert doc_id is not None
        replace_facts(session, doc_id, [make_fact(7.0, "graphite", commodity="graphite", period="2020")])
    assert_points(any_store)
    assert reextract(_quiet(), any_store, everything=True).reextracted >= 1
    assert_points(any_store)


def test_batches_supersede_and_make_current(any_store: Store) -> None:
    with any_store.session() as session:
        old = KnowledgeBase(any_store, session).doc("v1", make_fact(10, "ten"), make_fact(4, "four", period="2024"))
        new = save_document(session, document("v2"), "d" * 64)
        other = save_document(session, document("other"), "c" * 64)
        insert_facts_of_documents(session, [(new, [make_fact(12, "twelve")]), (other, [make_fact(11, "eleven")])])
        session.commit()
        assert_points(any_store)
        supersede(session, old, new)
        session.commit()
        assert_points(any_store)
        make_current(session, old, document("v1").source)
        session.commit()
        assert_points(any_store)


def test_corrections_and_rejections(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        kb.doc("a", make_fact(10, "ten", start=0, end=5), make_fact(11, "eleven", start=6, end=9))
        kb.doc("b", make_fact(14, "fourteen", start=0, end=5))
        assert_points(any_store)
        ids = list(session.scalars(select(FactRow.id).order_by(FactRow.id)))
        correct_fact(session, ids[0], {"period": "2024-06"}, "a typo", "ann")
        session.commit()
        assert_points(any_store)
        correct_fact(session, ids[1], {"value": 99.0, "commodity": "graphite"}, "wrong product", "ann")
        reject_fact(session, ids[2], "not an export", "ann")
        session.commit()
        assert_points(any_store)


def test_dataset_imports_and_reimports(any_store: Store, tmp_path: Path) -> None:
    table = tmp_path / "quotes.csv"
    rows = ["2024-06-03,prnd,oxide,440000,445000,CNY/t", "2024-06-05,prnd,oxide,441000,,CNY/t"]
    table.write_text("date,commodity,form,price,price_high,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with any_store.transaction() as session:
        import_price_table(session, table)
        KnowledgeBase(any_store, session).doc("news", make_fact(100, "exports", period="2023"))
    assert_points(any_store)
    table.write_text("date,commodity,form,price,price_high,unit\n" + rows[0] + "\n", encoding="utf-8")
    with any_store.transaction() as session:
        import_price_table(session, table)
    assert_points(any_store)
    usgs = [Fact("usgs", "magnesium", "exports", "CN", "2023", 120.0, "t", Basis.ESTIMATE, "row")]
    for kind, digest in (("usgs-mcs", "a"), ("other-publisher", "b")):  # a new kind: another source
        with any_store.transaction() as session:
            import_dataset(session, DatasetSpec("usgs", kind, "t.csv", digest * 64, "2024-01-31"), usgs)
        assert_points(any_store)


def test_a_rolled_back_write_leaves_the_points_as_they_were(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        kb.doc("kept", make_fact(10, "ten"))
        doc_id = save_document(session, document("lost"), "f" * 64)
        insert_facts_of_documents(session, [(doc_id, [make_fact(11, "eleven", period="2025")])])
        with session.begin_nested() as savepoint:
            replace_facts(session, doc_id, [make_fact(12, "twelve", period="2026")])
            savepoint.rollback()
        session.commit()
        assert_points(any_store)
        insert_facts_of_documents(session, [(save_document(session, document("gone"), "e" * 64), [make_fact(1, "x")])])
        session.rollback()
    assert_points(any_store)


def test_the_migration_marks_every_stored_pair(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        undated = make_fact(1, "no period", period=None)
        kb.doc("a", make_fact(10, "ten"), make_fact(3, "three", period="2023-Q4"), undated)
        kb.doc("b", make_fact(12, "twelve"), make_fact(5, "five", geo="WORLD", period="2022"))
    config = alembic_config()
    with any_store.engine.begin() as connection:  # back to the schema before 0009, the facts kept
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    upgrade(any_store.engine)
    with any_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(SeriesStaleRow)).scalar_one() == 3
    assert_points(any_store)
    with any_store.engine.begin() as connection:  # points lost: marking every pair makes them again
        connection.execute(delete(SeriesPointRow))
        mark_every_pair(connection)
    assert_points(any_store)


def test_a_reader_recomputes_only_the_stale_points_of_its_keys(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    recomputed: list[tuple[Any, ...]] = []
    real = analyze_points.compute_points

    def recorded(connection: Any, pairs: Any) -> Any:
        recomputed.extend(pairs)
        return real(connection, pairs)

    monkeypatch.setattr(analyze_points, "compute_points", recorded)
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        kb.doc("a", make_fact(10, "ten"), make_fact(3, "three", period="2023"), make_fact(8, "g", commodity="graphite"))
        magnesium = FactSelection(commodity="magnesium")
        assert series_values(session, magnesium) == computed_series_values(session, magnesium)
        assert sorted(str(pair[7]) for pair in recomputed) == ["2023", "2024-05"]
        recomputed.clear()
        kb.doc("b", make_fact(12, "twelve"))
        assert series_values(session, magnesium) == computed_series_values(session, magnesium)
        assert [pair[7] for pair in recomputed] == ["2024-05"]
        recomputed.clear()
        assert series_values(session, magnesium)[0].observations[-1].value == 11.0
        assert recomputed == []  # nothing stale: the points are read alone


def test_a_session_reads_its_own_uncommitted_facts(any_store: Store) -> None:
    with any_store.session() as session:
        KnowledgeBase(any_store, session).doc("a", make_fact(10, "ten"))
        doc_id = save_document(session, document("new"), "f" * 64)
        insert_facts_of_documents(session, [(doc_id, [make_fact(20, "twenty")])])
        assert analyze_points.stored_points(session, FactSelection()) is None
        [series] = series_values(session, FactSelection())
        assert series.observations[0].value == 15.0
        session.commit()
        assert analyze_points.stored_points(session, FactSelection()) is not None
        assert series_values(session, FactSelection()) == [series]


def test_a_sqlite_session_reading_in_a_transaction_stores_nothing_and_may_write_after(store: Store) -> None:
    with store.session() as session:
        kb = KnowledgeBase(store, session)
        kb.doc("a", make_fact(10, "ten"))
        session.execute(select(FactRow.id)).all()  # a read snapshot, as a page's earlier sections leave
        assert series_values(session, FactSelection())[0].observations[0].value == 10.0
        kb.doc("b", make_fact(20, "twenty"))  # its snapshot is still the store's latest: it may write
        assert series_values(session, FactSelection())[0].observations[0].value == 15.0
    assert_points(store)


def test_a_busy_sqlite_store_is_read_from_the_statements(store: Store) -> None:
    with store.session() as session:
        KnowledgeBase(store, session).doc("a", make_fact(10, "ten"))
    writer = sqlite3.connect(str(store.engine.url.database), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process's long write holds the lock
    try:
        with store.session() as session:  # the stale points weighed in memory, none stored
            assert series_values(session, FactSelection())[0].observations[0].value == 10.0
        with store.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(SeriesStaleRow)).scalar_one() == 1
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert_points(store)


def document(name: str) -> Document:
    return Document(name=name, source=f"/corpus/{name}.txt", raw_sha256=name.ljust(64, "0"), clean_text=name)
