"""The pipeline under hostile and unlucky input: budgets store nothing, changed documents become
versions, credentials never stored, workers end with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from assay.pipeline import IngestOptions, ingest
from assay.sources import InputBudget, SourceOptions
from assay.store.db import Store
from assay.store.documents import list_documents, recent_failures
from assay.store.events import EventFilter, query_events
from assay.store.facts import FactFilter, query_facts
from assay.store.records import select_facts
from assay.store.schema import DocumentRow, EventMentionRow, FactRow
from assay.store.series import FactSelection
from hostile import docx_paragraphs, ordinary_text

REPORT = (
    "Magnesium output\n\nChina's primary magnesium output reached {} t in May 2024, the association said. "
    "China's Ministry of Commerce imposed export controls on rare earth magnets on 4 April 2025.\n"
)


def _options(**budget: float) -> IngestOptions:
    return IngestOptions(SourceOptions(budget=InputBudget(**budget)), show_progress=False)  # type: ignore[arg-type]


def _counts(store: Store) -> tuple[int, int, int]:
    with store.session() as session:
        return (
            session.scalar(select(func.count()).select_from(DocumentRow)) or 0,
            session.scalar(select(func.count()).select_from(FactRow)) or 0,
            session.scalar(select(func.count()).select_from(EventMentionRow)) or 0,
        )


def test_over_the_element_budget_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    (tmp_path / "many.docx").write_bytes(docx_paragraphs(3_000))
    report = ingest([str(tmp_path / "many.docx")], _options(max_paragraphs=1_000), store)
    assert report.added == 0
    [(source, reason)] = report.failures
    assert source.endswith("many.docx") and "paragraphs" in reason and "--max-paragraphs" in reason
    assert _counts(store) == (0, 0, 0)


def test_over_the_time_budget_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(ordinary_text(2), encoding="utf-8")
    report = ingest([str(tmp_path / "long.txt")], _options(max_seconds=0.5), store)
    [(_, reason)] = report.failures
    assert "time budget of 0.5s" in reason and "--max-seconds" in reason
    assert _counts(store) == (0, 0, 0)


def test_over_the_time_budget_in_a_worker_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(ordinary_text(2), encoding="utf-8")
    options = _options(max_seconds=1.0)
    options.workers = 2
    report = ingest([str(tmp_path / "long.txt")], options, store)
    [(_, reason)] = report.failures
    assert "time budget" in reason
    assert report.added == 0
    assert _counts(store) == (0, 0, 0)


def test_a_changed_document_replaces_the_old_versions_facts_and_events(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "output.txt"
    path.write_text(REPORT.format("1,238"), encoding="utf-8")
    first = ingest([str(path)], _options(), store)
    assert first.added == 1
    path.write_text(REPORT.format("1,338"), encoding="utf-8")
    second = ingest([str(path)], _options(), store)
    assert second.added == 1 and second.duplicates == 0 and second.new_versions == 1
    with store.session() as session:
        documents = {d.id: d for d in list_documents(session)}
        assert documents[1].superseded_by == 2 and documents[2].superseded_by is None
        values = [f.fact.value for f in query_facts(session, FactFilter(commodity="magnesium"))]
        assert values == [1338]
        series = select_facts(session, FactSelection(commodity="magnesium", metric="production"))
        assert [r.fact.value for r in series] == [1338]
        events = query_events(session, EventFilter())
        assert events and all(m.document_id == 2 for e in events for m in e.mentions)
        # the old version's facts stay, as history
        old = session.scalar(select(func.count()).select_from(FactRow).where(FactRow.document_id == 1))
        assert old and old > 0
    again = ingest([str(path)], _options(), store)
    assert again.added == 0 and again.skipped_unchanged == 1


def test_a_source_that_goes_back_to_earlier_content_makes_that_version_current(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "output.txt"
    for value in ("1,238", "1,338", "1,238"):
        path.write_text(REPORT.format(value), encoding="utf-8")
        ingest([str(path)], _options(), store)
    with store.session() as session:
        documents = {d.id: d for d in list_documents(session)}
        assert documents[1].superseded_by is None and documents[2].superseded_by == 1
        assert [f.fact.value for f in query_facts(session, FactFilter(commodity="magnesium"))] == [1238]


def test_credentials_never_reach_the_failure_log(store: Store) -> None:
    report = ingest(["http://user:s3cret@127.0.0.1:9/x"], IngestOptions(SourceOptions(), show_progress=False), store)
    assert report.failures and all("s3cret" not in s + r for s, r in report.failures)
    with store.session() as session:
        assert all("s3cret" not in s + r for s, r, _ in recent_failures(session))


def test_worker_processes_end_when_the_ingest_is_killed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"doc-{n}.txt").write_text(f"Document {n}\n\n" + ordinary_text(0.15, seed=n), encoding="utf-8")
    command = [sys.executable, "-c", "from assay.cli import main; main()", "--db", str(tmp_path / "k.db")]
    run = subprocess.Popen([*command, "ingest", "--no-progress", "--workers", "2", str(corpus)])
    try:
        workers = _wait_for_children(run, at_least=2, seconds=60)
        assert len(workers) >= 2, "the ingest never started its workers"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"
    finally:
        if run.poll() is None:
            run.kill()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        found += [int(child) for child in children]
    return found


def _wait_for_children(run: subprocess.Popen[bytes], at_least: int, seconds: float) -> list[int]:
    """The ingest's child processes (its workers, and multiprocessing's resource tracker) once it has them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and run.poll() is None:
        children = _children(run.pid)
        if len(children) >= at_least:
            time.sleep(0.5)  # let the pool start the rest
            return _children(run.pid)
        time.sleep(0.1)
    return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be read


def test_an_original_another_process_stored_meanwhile_is_seen_before_storing(store: Store, tmp_path: Path) -> None:
    """Concurrent runs dedupe as one run would: the index catches up under the write lock."""
    from assay.pipeline import _Run
    from assay.sources.files import read_file

    text = ordinary_text(0.02, seed=3)
    (tmp_path / "first.txt").write_text("Wire copy\n\n" + text, encoding="utf-8")
    (tmp_path / "copy.txt").write_text("Syndicated\n\n" + text, encoding="utf-8")
    run = _Run(_options(), store)
    try:
        other = ingest([str(tmp_path / "first.txt")], _options(), store)  # "another process" stores the original
        assert other.added == 1
        run.take(read_file(tmp_path / "copy.txt", SourceOptions()))
        run.finish()
    finally:
        run.close()
    assert run.report.duplicates == 1 and run.report.added == 0
    with store.session() as session:
        copy = [d for d in list_documents(session) if d.source.endswith("copy.txt")]
        assert copy and copy[0].duplicate_of is not None


def test_the_same_budget_holds_for_urls_and_feeds(store: Store, tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from hostile import docx_paragraphs as many_paragraphs

    bomb = many_paragraphs(3_000)
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                body = (
                    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    b"<item><title>Report</title><link>/report.docx</link></item></channel></rss>"
                )
                kind = "application/rss+xml"
            elif self.path == "/report.docx":
                body, kind = bomb, docx_type
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        budget = InputBudget(max_paragraphs=1_000)
        by_url = ingest(
            [f"{base}/report.docx"],
            IngestOptions(SourceOptions(allow_private_urls=True, budget=budget), show_progress=False),
            store,
        )
        by_feed = ingest(
            [f"{base}/feed.xml"],
            IngestOptions(SourceOptions(allow_private_urls=True, feed=True, budget=budget), show_progress=False),
            store,
        )
    finally:
        server.shutdown()
        server.server_close()
    for report in (by_url, by_feed):
        [(source, reason)] = report.failures
        assert source.endswith("/report.docx") and "--max-paragraphs" in reason
    assert _counts(store) == (0, 0, 0)
