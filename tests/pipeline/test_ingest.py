"""The ingest pipeline end to end on real files and a real SQLite store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select, text, update

from assay.extract import EXTRACTOR_VERSION
from assay.model import Document
from assay.pipeline import IngestOptions, families_of, ingest, keyword_families
from assay.sources import SourceOptions
from assay.store.db import Store, open_store
from assay.store.documents import get_document, list_documents, recent_failures
from assay.store.schema import DocumentRow, FactRow

ARTICLES = {
    "magnesia": (
        "Liaoning fused magnesia prices firm in August\n\n"
        "Fused magnesia with 97% MgO was quoted at 3,200 CNY/t in Haicheng in August 2025, "
        "up 5% from July, as magnesite mining quotas in Liaoning stayed tight.\n\n"
        "Dead-burned magnesia output in Dashiqiao fell to 210,000 t in the second quarter."
    ),
    "magnesium": (
        "Fugu magnesium ingot output slips\n\n"
        "Primary magnesium production in Fugu county reached 32,000 t in July 2025, "
        "according to a local industry association. Magnesium ingot 99.9% sold at 17,800 CNY/t."
    ),
    "graphite": (
        "Graphite export licences take effect\n\n"
        "China began requiring export licences for spherical graphite on 1 December 2023. "
        "Natural graphite exports fell 20% in December from November."
    ),
    "rare-earths": (
        "Rare earth quotas for 2024\n\n"
        "The first batch of 2024 rare earth mining quotas was set at 135,000 t of rare earth oxide, "
        "with separation quotas of 127,000 t."
    ),
    "magnets": (
        "NdFeB magnet exports in May\n\n"
        "China exported 4,500 t of rare earth permanent magnets in May 2025, "
        "down 74% year on year, after export controls on seven medium and heavy rare earths."
    ),
    "zh-magnesite": (
        "辽宁菱镁矿开采总量控制\n发布时间：2025年8月25日\n\n"
        "辽宁省下达菱镁矿开采总量控制指标，全年指标为1500万吨。电熔镁砂价格上涨。"
    ),
}


def write_corpus(folder: Path, articles: dict[str, str] | None = None, suffix: str = ".txt") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, body in (articles or ARTICLES).items():
        path = folder / f"{name}{suffix}"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def quiet(**changes: object) -> IngestOptions:
    options = IngestOptions(sources=SourceOptions(), show_progress=False)
    for key, value in changes.items():
        setattr(options, key, value)
    return options


def count(store: Store, sql: str) -> int:
    with store.session() as session:
        return int(session.execute(text(sql)).scalar_one())


def test_a_folder_is_ingested_with_metadata(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    report = ingest([str(tmp_path / "wire")], quiet(), store)
    assert report.failures == []
    assert report.added == len(ARTICLES)
    assert report.by_lang["zh"] == 1 and report.by_lang["en"] == len(ARTICLES) - 1
    assert report.by_source == {"wire": len(ARTICLES)}
    with store.session() as session:
        docs = {d.name: d for d in list_documents(session)}
        zh = get_document(session, docs["zh-magnesite"].id)
    assert zh is not None
    assert zh.lang == "zh" and zh.published == "2025-08-25"
    assert zh.clean_text.startswith("辽宁菱镁矿")
    assert all(d.extracted_with == EXTRACTOR_VERSION for d in docs.values())


def test_the_same_input_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    first = ingest([str(tmp_path / "wire")], quiet(), store)
    facts_after_first = count(store, "SELECT count(*) FROM facts")
    second = ingest([str(tmp_path / "wire")], quiet(), store)
    assert second.added == 0 and second.duplicates == 0
    assert second.skipped_unchanged == first.added
    assert count(store, "SELECT count(*) FROM documents") == len(ARTICLES)
    assert count(store, "SELECT count(*) FROM facts") == facts_after_first


def test_a_changed_extractor_version_re_extracts(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    ingest([str(tmp_path / "wire")], quiet(), store)
    facts_before = count(store, "SELECT count(*) FROM facts")
    with store.transaction() as session:
        session.execute(update(DocumentRow).values(extracted_with="an-older-version"))
    report = ingest([str(tmp_path / "wire")], quiet(), store)
    assert report.reextracted == len(ARTICLES) and report.added == 0
    assert count(store, "SELECT count(*) FROM facts") == facts_before  # replaced, not doubled
    assert count(store, f"SELECT count(*) FROM documents WHERE extracted_with = '{EXTRACTOR_VERSION}'") == len(ARTICLES)


def test_without_extraction_documents_are_stored_and_extracted_later(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    first = ingest([str(tmp_path / "wire")], quiet(extract=False), store)
    assert first.added == len(ARTICLES) and first.facts == 0
    assert count(store, "SELECT count(*) FROM documents WHERE extracted_with IS NULL") == len(ARTICLES)
    second = ingest([str(tmp_path / "wire")], quiet(), store)
    assert second.reextracted == len(ARTICLES)


def test_a_syndicated_copy_points_to_its_original_and_keeps_its_own_source(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire", {"magnets": ARTICLES["magnets"]})
    # the same story on a portal: one line of its own added, otherwise the same text
    copy = ARTICLES["magnets"] + "\n\nReporting by our correspondent."
    write_corpus(tmp_path / "portal", {"magnets-copy": copy})
    ingest([str(tmp_path / "wire")], quiet(), store)
    report = ingest([str(tmp_path / "portal")], quiet(), store)
    assert report.duplicates == 1 and report.added == 0
    with store.session() as session:
        by_name = {d.name: d for d in list_documents(session)}
        facts_of_copy = session.scalar(
            select(func.count()).select_from(FactRow).where(FactRow.document_id == by_name["magnets-copy"].id)
        )
    original, duplicate = by_name["magnets"], by_name["magnets-copy"]
    assert duplicate.duplicate_of == original.id
    assert duplicate.source.endswith("magnets-copy.txt") and duplicate.source_name == "portal"
    assert facts_of_copy == 0 and duplicate.extracted_with is None


def test_an_exact_copy_in_the_same_run_is_a_duplicate(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", {"one": ARTICLES["graphite"], "two": ARTICLES["graphite"]})
    report = ingest([str(tmp_path / "a")], quiet(), store)
    assert (report.added, report.duplicates) == (1, 1)


def test_bad_inputs_each_give_one_line_and_the_rest_is_ingested(store: Store, tmp_path: Path) -> None:
    good = write_corpus(tmp_path / "good", {"graphite": ARTICLES["graphite"], "magnets": ARTICLES["magnets"]})
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated")
    (bad / "truncated.pptx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    missing = str(tmp_path / "no-such-file.txt")
    report = ingest([str(good[0]), str(bad), missing, str(good[1])], quiet(), store)
    assert report.added == 2
    failed = {Path(source).name for source, _ in report.failures}
    assert failed == {"empty.txt", "junk.txt", "broken.pdf", "truncated.pptx", "no-such-file.txt"}
    for source, reason in report.failures:
        assert reason and "\n" not in reason and "\n" not in source
    with store.session() as session:
        assert len(recent_failures(session)) == 5


def test_commodity_families_come_from_facts_or_words() -> None:
    assert families_of(["prnd", "ndfeb_magnets", "fused_magnesia", "magnesite"]) == (
        "magnesia",
        "magnets",
        "rare_earths",
    )
    assert keyword_families(None, "Spherical graphite and 镁锭 prices") == ("graphite", "magnesium")
    assert keyword_families("FM radio", "The end of the trend.") == ()


def test_families_are_counted_per_document(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    report = ingest([str(tmp_path / "wire")], quiet(), store)
    for family in ("magnesia", "magnesium", "graphite", "rare_earths", "magnets"):
        assert report.by_family[family] >= 1, (family, report.by_family)


CHILD = textwrap.dedent(
    """
    import sys, time
    import assay.pipeline as pipeline
    from assay.sources import SourceOptions
    from assay.store.db import open_store

    real_extract = pipeline.extract

    def slow_extract(doc):
        time.sleep(0.05)  # long enough for the parent to kill the run part way
        return real_extract(doc)

    pipeline.extract = slow_extract
    options = pipeline.IngestOptions(sources=SourceOptions(), show_progress=False)
    pipeline.ingest([sys.argv[2]], options, open_store(sys.argv[1]))
    """
)


def test_a_killed_run_loses_nothing_and_a_rerun_finishes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    open_store(url).close()
    with open_store(url) as store:
        kill_mid_run_and_rerun(store, tmp_path)


def test_a_killed_run_on_postgresql_loses_nothing_and_a_rerun_finishes(pg_store: Store, tmp_path: Path) -> None:
    kill_mid_run_and_rerun(pg_store, tmp_path)


def kill_mid_run_and_rerun(store: Store, tmp_path: Path) -> None:
    """SIGKILL an ingest into `store` part way (in the middle of a batch of documents sharing one
    transaction), then check that a re-run stores every input exactly once, as a clean run does."""
    corpus = tmp_path / "many"
    articles = {
        f"{name}-{i:03d}": f"{body}\n\nIssue {i} of the bulletin, item {i * 7919 % 1000}."
        for i in range(40)
        for name, body in ARTICLES.items()
        if name != "zh-magnesite"
    }
    write_corpus(corpus, articles)
    child = subprocess.Popen([sys.executable, "-c", CHILD, store.url, str(corpus)], env={**os.environ})
    try:
        deadline = time.monotonic() + 120
        while count(store, "SELECT count(*) FROM documents") < 5:
            assert child.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the child stored nothing in two minutes"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        stored_when_killed = count(store, "SELECT count(*) FROM documents")
        assert 5 <= stored_when_killed < len(articles)
        rerun = ingest([str(corpus)], quiet(), store)
        # each stored input is recognised (re-extracted only if the extractor changed meanwhile)
        assert rerun.skipped_unchanged + rerun.reextracted == stored_when_killed
        assert rerun.added + rerun.duplicates == len(articles) - stored_when_killed and rerun.failures == []
        assert count(store, "SELECT count(*) FROM documents") == len(articles)
        assert count(store, "SELECT count(DISTINCT source) FROM documents") == len(articles)
        after_rerun = written_per_document(store)
    finally:
        if child.poll() is None:
            child.kill()
    # every document whole (those committed before the kill too): its facts and mentions as a clean run has them
    with open_store(f"sqlite:///{tmp_path / 'clean.db'}") as reference:
        ingest([str(corpus)], quiet(), reference)
        assert written_per_document(reference) == after_rerun


def written_per_document(store: Store) -> dict[str, tuple[int, int]]:
    """(facts, event mentions) per stored document name."""
    with store.session() as session:
        rows = session.execute(
            text(
                "SELECT d.name, (SELECT count(*) FROM facts f WHERE f.document_id = d.id), "
                "(SELECT count(*) FROM event_mentions m WHERE m.document_id = d.id) FROM documents d"
            )
        )
        return {name: (facts, mentions) for name, facts, mentions in rows}


def test_a_first_ingest_deletes_nothing_and_reads_each_source_once(store: Store, tmp_path: Path) -> None:
    """New documents are written without looking for facts, events or versions to replace."""
    write_corpus(tmp_path / "wire")
    statements: list[str] = []

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    sqlalchemy_event.listen(store.engine, "before_cursor_execute", note)
    try:
        report = ingest([str(tmp_path / "wire")], quiet(), store)
    finally:
        sqlalchemy_event.remove(store.engine, "before_cursor_execute", note)
    assert report.added == len(ARTICLES) and report.failures == [] and report.facts > 0 and report.events > 0
    # the one delete is the run's last step: the stale marks of the series points it has just weighed
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE")]
    assert all(s.startswith("DELETE FROM series_stale ") for s in deletes), deletes
    by_source = [s for s in statements if "WHERE documents.source = ?" in s]
    assert len(by_source) == len(ARTICLES), by_source


def test_ingest_runs_on_postgresql(pg_store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    first = ingest([str(tmp_path / "wire")], quiet(), pg_store)
    again = ingest([str(tmp_path / "wire")], quiet(), pg_store)
    assert first.added == len(ARTICLES) and first.failures == []
    assert again.skipped_unchanged == len(ARTICLES)


@pytest.mark.parametrize("show_progress", [True, False])
def test_progress_does_not_change_the_outcome(store: Store, tmp_path: Path, show_progress: bool) -> None:
    write_corpus(tmp_path / "wire")
    report = ingest([str(tmp_path / "wire")], quiet(show_progress=show_progress), store)
    assert report.added == len(ARTICLES)


def test_what_the_store_refuses_is_reported_and_the_rest_kept(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assay.pipeline as pipeline
    from assay.extract.combined import Extracted
    from assay.model import Basis, Event, Fact, Stance

    quote = "Primary magnesium production in Fugu county reached 32,000 t in July 2025"

    def one_fact(doc: object) -> list[Fact]:
        return [Fact("m", "magnesium", "production", "CN", "2025-07", 32000, "t", Basis.ACTUAL, quote)]

    def a_bad_event(doc: object) -> list[Event]:
        return [Event("m", "export_control", "CN:MOFCOM", "2025-07", ("not-a-commodity",), Stance.TIGHTEN, quote)]

    def extracted(doc: object) -> Extracted:
        return Extracted(one_fact(doc), a_bad_event(doc))

    monkeypatch.setattr(pipeline, "extract_all", extracted)
    write_corpus(tmp_path / "wire", {"magnesium": ARTICLES["magnesium"]})
    report = ingest([str(tmp_path / "wire")], quiet(), store)
    assert report.added == 1 and report.facts == 1 and report.events == 0
    ((source, reason),) = report.failures
    assert source.endswith("magnesium.txt") and reason.startswith("events could not be stored: ")
    assert count(store, "SELECT count(*) FROM facts") == 1
    assert count(store, "SELECT count(*) FROM events") == 0
    assert count(store, f"SELECT count(*) FROM documents WHERE extracted_with = '{EXTRACTOR_VERSION}'") == 1


def test_an_extractor_that_raises_does_not_stop_the_run(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assay.pipeline as pipeline

    def broken(doc: object) -> list[object]:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(pipeline, "extract_all", broken)
    write_corpus(tmp_path / "wire")
    report = ingest([str(tmp_path / "wire")], quiet(), store)
    assert report.added == len(ARTICLES)
    assert {reason for _, reason in report.failures} == {"extraction failed: RuntimeError: rule bug"}
    # not marked extracted, so the next run (with the rule fixed) extracts them
    assert count(store, "SELECT count(*) FROM documents WHERE extracted_with IS NULL") == len(ARTICLES)


def test_a_process_pool_gives_the_same_store_as_one_process(tmp_path: Path) -> None:
    write_corpus(tmp_path / "wire")
    write_corpus(tmp_path / "portal", {"graphite-copy": ARTICLES["graphite"]})
    outcomes = []
    for workers in (1, 2):
        with open_store(f"sqlite:///{tmp_path / f'w{workers}.db'}") as opened:
            report = ingest([str(tmp_path / "wire"), str(tmp_path / "portal")], quiet(workers=workers), opened)
            with opened.session() as session:
                rows = session.execute(
                    select(DocumentRow.name, DocumentRow.duplicate_of, DocumentRow.extracted_with).order_by(
                        DocumentRow.id
                    )
                ).all()
            stored = (
                [tuple(row) for row in rows],
                count(opened, "SELECT count(*) FROM facts"),
                count(opened, "SELECT count(*) FROM event_mentions"),
            )
            with opened.transaction() as session:
                session.execute(update(DocumentRow).values(extracted_with="an-older-version"))
            again = ingest([str(tmp_path / "wire")], quiet(workers=workers), opened)
            outcomes.append(
                (
                    report.added,
                    report.duplicates,
                    report.facts,
                    report.events,
                    report.by_family,
                    stored,
                    again.reextracted,
                )
            )
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == len(ARTICLES) and outcomes[0][1] == 1 and outcomes[0][-1] == len(ARTICLES)


def test_a_folder_given_from_another_working_directory_is_recognised(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "work" / "wire")
    monkeypatch.chdir(tmp_path / "work")
    first = ingest(["wire"], quiet(), store)
    monkeypatch.chdir(tmp_path)
    second = ingest(["work/wire"], quiet(), store)
    assert first.added == len(ARTICLES)
    assert (second.added, second.duplicates, second.skipped_unchanged) == (0, 0, len(ARTICLES))
    with store.session() as session:
        assert all(Path(d.source).is_absolute() for d in list_documents(session))


def test_documents_finished_before_an_interrupt_are_kept(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assay.pipeline as pipeline

    write_corpus(tmp_path / "wire")
    real_extract = pipeline.extract
    calls: list[str] = []

    def interrupted_on_the_third(doc: Document) -> pipeline.Extraction:
        calls.append(doc.name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_extract(doc)

    monkeypatch.setattr(pipeline, "extract", interrupted_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        ingest([str(tmp_path / "wire")], quiet(), store)
    # the two documents done before are committed whole (facts included), though their batch was not full
    assert count(store, "SELECT count(*) FROM documents") == 2
    assert count(store, "SELECT count(*) FROM documents WHERE extracted_with IS NOT NULL") == 2
    monkeypatch.setattr(pipeline, "extract", real_extract)
    rerun = ingest([str(tmp_path / "wire")], quiet(), store)
    assert rerun.skipped_unchanged == 2 and rerun.added == len(ARTICLES) - 2


def test_an_input_named_twice_in_one_batch_is_stored_once(store: Store, tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "wire")
    report = ingest([str(paths[0]), str(paths[1]), str(paths[0])], quiet(), store)
    assert report.added == 2 and report.skipped_unchanged == 1
    assert count(store, "SELECT count(*) FROM documents") == 2


def test_a_worker_running_another_extractor_version_stores_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assay.pipeline as pipeline

    def from_an_older_worker(doc: Document) -> pipeline.Extraction:
        return pipeline.Extraction([], [], (), version="facts-0|events-0")

    monkeypatch.setattr(pipeline, "extract", from_an_older_worker)
    write_corpus(tmp_path / "wire", {"graphite": ARTICLES["graphite"]})
    report = ingest([str(tmp_path / "wire")], quiet(), store)
    ((source, reason),) = report.failures
    assert source.endswith("graphite.txt") and reason.startswith("a worker runs extractor facts-0|events-0")
    assert report.added == 0 and count(store, "SELECT count(*) FROM documents") == 0
