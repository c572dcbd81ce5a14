"""Documents written together in one batch: the same store as one by one, and no document lost for another's fault."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

import assay.pipeline as pipeline
from assay.model import Document
from assay.pipeline import Extraction, IngestOptions, ingest
from assay.sources import SourceOptions
from assay.store.db import Store, open_store
from assay.store.events import EventFilter, query_events
from assay.store.schema import DocumentRow, EventMentionRow, EventRow, FactRow
from hostile import ordinary_text

# Reports that share events (the same export control, told by several documents), so that a batch's
# later documents join events its earlier ones made; one near-copy of another, to be found as a duplicate.
REPORT = (
    "Bulletin {n}\n\n"
    "China's primary magnesium output reached {tons} t in May 2024, the association said. "
    "China's Ministry of Commerce imposed export controls on rare earth magnets on {day} April 2025.\n\n"
    "{filler}\n"
)


def _write_reports(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        text = REPORT.format(n=n, tons=20_000 + 1_000 * n, day=4 + n % 2, filler=ordinary_text(0.002, seed=n))
        path = folder / f"report-{n:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    copy = paths[3].read_text(encoding="utf-8").replace("the association said", "the association reported")
    (folder / "report-99-copy.txt").write_text(copy, encoding="utf-8")
    return paths


def _options() -> IngestOptions:
    return IngestOptions(SourceOptions(), show_progress=False)


def _contents(store: Store) -> dict[str, Any]:
    """What an ingest stored, independent of row ids."""
    with store.session() as session:
        names: dict[int, str] = {id_: name for id_, name in session.execute(select(DocumentRow.id, DocumentRow.name))}
        documents = sorted(
            (name, names.get(duplicate_of) if duplicate_of else None)
            for name, duplicate_of in session.execute(select(DocumentRow.name, DocumentRow.duplicate_of))
        )
        facts = sorted(
            (names[doc_id], metric, value, period)
            for doc_id, metric, value, period in session.execute(
                select(FactRow.document_id, FactRow.metric, FactRow.value, FactRow.period)
            )
        )
        events = sorted(
            (e.type, e.actor, e.date, e.commodities, tuple(sorted(m.doc for m in e.mentions)))
            for e in query_events(session, EventFilter())
        )
    return {"documents": documents, "facts": facts, "events": events}


def _count(store: Store, table: type[Any]) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_batch_stores_what_documents_stored_one_by_one_store(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_reports(tmp_path / "in", 12)
    inserts: list[int] = []

    def count_document_inserts(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENTS"):
            inserts.append(statement.count("VALUES") and statement.count("), (") + 1)

    sqlalchemy_event.listen(store.engine, "before_cursor_execute", count_document_inserts)
    try:
        together = ingest([str(tmp_path / "in")], _options(), store)
    finally:
        sqlalchemy_event.remove(store.engine, "before_cursor_execute", count_document_inserts)
    assert together.ok and together.added == 12 and together.duplicates == 1
    assert any(rows > 1 for rows in inserts), inserts  # several documents in one statement

    monkeypatch.setattr(pipeline, "COMMIT_EVERY_DOCUMENTS", 1)  # each document alone
    alone_store = open_store(f"sqlite:///{tmp_path / 'alone.db'}")
    try:
        alone = ingest([str(tmp_path / "in")], _options(), alone_store)
        assert (alone.added, alone.duplicates, alone.facts, alone.events) == (
            together.added,
            together.duplicates,
            together.facts,
            together.events,
        )
        stored = _contents(store)
        assert stored == _contents(alone_store)
    finally:
        alone_store.close()
    # the export control told as of 4 April by some and 5 April by others is one event (the same month)
    [control] = [e for e in stored["events"] if e[0] == "export_control"]
    assert len(control[4]) == 12
    assert ("report-99-copy", "report-03") in stored["documents"]


def test_a_document_the_store_refuses_loses_nothing_of_its_batch(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_reports(tmp_path / "in", 8)
    extract = pipeline.extract

    def one_bad_fact(doc: Document) -> Extraction:
        made = extract(doc)
        if doc.name == "report-05":  # a fact the store refuses: not a finite number
            return replace(made, facts=[replace(made.facts[0], value=math.nan), *made.facts[1:]])
        return made

    monkeypatch.setattr(pipeline, "extract", one_bad_fact)
    report = ingest([str(tmp_path / "in")], _options(), store)
    assert report.added == 8 and report.duplicates == 1
    [(source, reason)] = report.failures
    assert source.endswith("report-05.txt") and "facts could not be stored" in reason
    stored = _contents(store)
    by_document = {name for name, *_ in stored["facts"]}
    assert by_document == {f"report-{n:02d}" for n in range(8)} - {"report-05"}
    # its events are kept, as are every other document's
    [control] = stored["events"]
    assert control[4] == tuple(f"report-{n:02d}" for n in range(8)) and _count(store, EventMentionRow) == 8


def test_a_run_stopped_mid_batch_keeps_whole_documents_and_a_rerun_finishes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_reports(tmp_path / "in", 10)
    clean_store = open_store(f"sqlite:///{tmp_path / 'clean.db'}")
    try:
        ingest([str(tmp_path / "in")], _options(), clean_store)
        expected = _contents(clean_store)
    finally:
        clean_store.close()
    extract = pipeline.extract

    def stop_at_the_seventh(doc: Document) -> Extraction:
        if doc.name == "report-06":
            raise KeyboardInterrupt  # the user stops the run; documents waiting in the batch are whole
        return extract(doc)

    monkeypatch.setattr(pipeline, "extract", stop_at_the_seventh)
    with pytest.raises(KeyboardInterrupt):
        ingest([str(tmp_path / "in")], _options(), store)
    stopped = _contents(store)
    assert [name for name, _ in stopped["documents"]] == [f"report-{n:02d}" for n in range(6)]
    assert {name for name, *_ in stopped["facts"]} == {f"report-{n:02d}" for n in range(6)}

    monkeypatch.setattr(pipeline, "extract", extract)
    rerun = ingest([str(tmp_path / "in")], _options(), store)
    assert rerun.ok and rerun.skipped_unchanged == 6 and rerun.added == 4 and rerun.duplicates == 1
    assert _contents(store) == expected
    assert _count(store, EventRow) == 1
