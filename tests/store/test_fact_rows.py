"""Plain fact rows for checks: read in period order, a batch at a time; records built for a few;
the stored commodities found by index seeks. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import update

from assay.model import Approx, Basis, Fact
from assay.store.db import Store
from assay.store.records import FACT_ROW_PUBLISHED, fact_rows, records_from_rows, select_facts
from assay.store.schema import DocumentRow
from assay.store.series import FACT_ROW_FIELDS, FactSelection, distinct_values, stored_commodities
from knowledge_base import KnowledgeBase

PERIODS = ["2024-03", "2023", "2024-01-15", "2024", "2024-01", None, "2023-12"]


def _facts(commodity: str, n: int) -> list[Fact]:
    return [
        Fact("", commodity, "exports", "CN", PERIODS[i % len(PERIODS)], 100.0 + i, "t", Basis.ACTUAL, f"{i} t")
        for i in range(n)
    ]


def test_rows_come_in_period_order_in_batches_with_the_record_fields(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        for i in range(4):
            kb.doc(f"d{i}", *_facts("magnesium", 9), published=f"2024-0{i + 1}-01")
        selection = FactSelection(commodity="magnesium", with_period_only=False)
        with fact_rows(session, selection, batch=5) as rows:
            read = list(rows)
        records = select_facts(session, selection)
        assert [row[0] for row in read] == [r.id for r in records]  # the same order: period start, then id
        starts = [row[FACT_ROW_FIELDS.index("period_start")] for row in read if row[9] is not None]
        assert starts == sorted(starts) and len(set(starts)) > 3
        assert {str(start)[:10] for start in starts} >= {"2023-01-01", "2024-01-15", "2023-12-01"}
        assert records_from_rows(session, read[3:20]) == records[3:20]
        assert records_from_rows(session, []) == []
        with fact_rows(session, selection, batch=2) as rows:  # left part-read: closed on leaving
            assert next(rows)[0] == read[0][0]
        # the session's connection still serves reads and writes with ordinary cursors
        session.execute(update(DocumentRow).where(DocumentRow.id == 1).values(superseded_by=2))
        session.commit()
        assert len(select_facts(session, selection)) == len(read) - 9


def test_stored_commodities_are_the_distinct_ones(any_store: Store) -> None:
    with any_store.session() as session:
        assert stored_commodities(session) == []
        kb = KnowledgeBase(any_store, session)
        kb.doc("a", *_facts("magnesium", 3), *_facts("graphite", 2))
        kb.doc("b", *_facts("rare_earths", 1), *_facts("magnesium", 2))
        assert stored_commodities(session) == ["graphite", "magnesium", "rare_earths"]
        assert stored_commodities(session) == distinct_values(session, "commodity")


def test_rows_read_whole_or_streamed_come_in_the_same_order_with_their_documents(any_store: Store) -> None:
    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        first = kb.doc("d0", *_facts("magnesium", 9), published="2024-01-01")
        kb.doc("d1", *_facts("magnesium", 9), duplicate_of=first)
        kb.doc("d2", *_facts("magnesium", 9), published="2024-03-01")
        selection = FactSelection(commodity="magnesium", with_period_only=False)
        read: dict[tuple[bool, bool], list[tuple]] = {}
        for stream in (True, False):
            for with_documents in (True, False):
                with fact_rows(session, selection, batch=4, stream=stream, with_documents=with_documents) as rows:
                    read[stream, with_documents] = [tuple(row) for row in rows]
        records = select_facts(session, selection)
        # unordered reads are sorted as the database sorts (no period: first on SQLite, last on PostgreSQL)
        assert [row[0] for row in read[False, True]] == [r.id for r in records]
        assert read[True, False] == read[False, False] == [row[: len(FACT_ROW_FIELDS)] for row in read[True, True]]
        assert read[True, True] == read[False, True]
        by_id = {r.id: r for r in records}
        documents = {row[0]: row[FACT_ROW_PUBLISHED:] for row in read[True, True]}
        assert {fact_id: published for fact_id, (published, _) in documents.items()} == {
            r.id: r.published for r in records
        }
        assert {fact_id for fact_id, (_, dup) in documents.items() if dup == first} == {
            r.id for r in records if r.origin_id == first and r.document_id != first
        }
        assert len(by_id) == 27


def test_only_groups_whose_statements_do_not_all_overlap_leave_the_database(any_store: Store) -> None:
    def fact(period: str, value: float, high: float | None = None, approx: Approx | None = None) -> Fact:
        return Fact(
            "",
            "graphite",
            "exports",
            "CN",
            period,
            value,
            "t",
            Basis.ACTUAL,
            f"{period} {value}",
            value_high=high,
            approx=approx,
        )

    with any_store.session() as session:
        kb = KnowledgeBase(any_store, session)
        kb.doc(
            "a",
            fact("2020", 100.0),
            fact("2021", 100.0),
            fact("2022", 90.0, 110.0),
            fact("2023", 50.0, approx=Approx.OVER),
        )
        kb.doc("b", fact("2020", 101.0), fact("2021", 100.0), fact("2022", 100.0), fact("2023", 100.0))
        kb.doc("c", fact("2024", 7.0), fact("2025", -5.0), fact("2026", 80.0, approx=Approx.UNDER))
        kb.doc("d", fact("2025", -5.0), fact("2026", 100.0), fact("2027", 5.0))
        selection = FactSelection(commodity="graphite", with_period_only=False)
        with fact_rows(session, selection, stream=False, spread_groups_only=True) as rows:
            kept = sorted((row[9], row[10]) for row in rows)
        # 2020 apart; 2025 negative; 2026 above an under-bound; equal, ranges and bounds that overlap stay out
        assert kept == [
            ("2020", 100.0),
            ("2020", 101.0),
            ("2025", -5.0),
            ("2025", -5.0),
            ("2026", 80.0),
            ("2026", 100.0),
        ]
