"""The ingest pipeline: sources -> clean -> dedupe -> extract -> store, committed in small batches.

    report = ingest(["corpus/", "https://example.com/a"], IngestOptions(SourceOptions()), open_store(url))

Idempotent: an input whose (source, raw bytes) is already stored is skipped, unless it was
extracted by another EXTRACTOR_VERSION, in which case its facts and events are extracted again.
Versioned: an input whose source is stored with other bytes is a new version of that document;
it is stored and extracted, and the earlier version is marked superseded (its facts and events
stay, out of every analysis). Bounded: each document's cleaning and extraction run within the
budget of SourceOptions.budget (bytes, elements, seconds); one over it is a failure, not stored.
Staged: each document's costly work (`read_document`, `analyse`) runs on an executor (this process,
a process pool, or a Dask cluster: assay.distributed); the rest, and every write, in this process.
Crash-safe: documents are committed in small batches (every COMMIT_EVERY_DOCUMENTS documents or
COMMIT_EVERY_SECONDS, whichever comes first), so a killed run loses at most the last half second of
work and a re-run finishes the job. A batch's new documents are written together just before it
commits (a few statements for them all, in one savepoint); if the store refuses any of it, they are
written again one savepoint each, so a failing document loses nothing of the others.

Modules: `stages` (what runs on an executor and what it returns), `writer` (the batch and its
writes), `families` (commodity families of a document).
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from assay.clean import CleanError, CleaningContext, ReadDocument, finish_document
from assay.extract import EXTRACTOR_VERSION
from assay.extract.combined import extract_all
from assay.model import Document
from assay.pipeline.families import FAMILY_OF_ROOT, families_of, keyword_families
from assay.pipeline.stages import Analysis, Extraction, OverBudget, Timed, dedupe_keys, read_within
from assay.pipeline.writer import Batch, IngestReport, Ready, Writer
from assay.progress import LONG_DOCUMENT_BYTES, IngestProgress
from assay.sources import BudgetExceeded, InputBudget, RawDocument, SourceError, SourceOptions, iter_sources
from assay.sources.base import SUFFIX_TYPES
from assay.sources.budget import time_limit
from assay.sources.web import redact_userinfo
from assay.store import documents as repo
from assay.store.db import Store, refresh_statistics
from assay.workers import end_with_parent

__all__ = [  # what other modules, tests and benchmarks take from here, some defined in the submodules
    "FAMILY_OF_ROOT",
    "Analysis",
    "Extraction",
    "IngestOptions",
    "IngestReport",
    "OverBudget",
    "Timed",
    "analyse",
    "extract",
    "families_of",
    "ingest",
    "ingest_documents",
    "iter_failures",
    "keyword_families",
    "read_within",
    "reextract",
]

_T = TypeVar("_T")
# A commit (WAL write, FTS segment flush) costs as much as storing a few documents; a batch shares it.
COMMIT_EVERY_DOCUMENTS = 50
COMMIT_EVERY_SECONDS = 0.5
IN_FLIGHT_PER_WORKER = 4  # documents queued per worker process before the parent waits
# a later stage of a document gets what the earlier ones left of its time budget, at least this
MIN_STAGE_SECONDS = 0.05


@dataclass
class IngestOptions:
    sources: SourceOptions = field(default_factory=SourceOptions)
    extract: bool = True
    show_progress: bool = True
    workers: int = 1
    # where the per-document stages run (e.g. a Dask cluster's, from assay.distributed); None: this
    # process when workers == 1, else a process pool of `workers`. `workers` then sizes the queue.
    executor: Executor | None = None


def ingest(inputs: Sequence[str], options: IngestOptions, store: Store) -> IngestReport:
    """Ingest every document the inputs name into `store`; failures are reported, never raised."""
    items = iter_sources(inputs, options.sources)
    return ingest_documents(items, options, store, _estimate_count(inputs, options.sources))


def ingest_documents(
    items: Iterable[RawDocument | SourceError], options: IngestOptions, store: Store, total: int | None = None
) -> IngestReport:
    """Ingest documents already fetched (a crawl's pages), the same way `ingest` does its inputs'."""
    run = _Run(options, store)
    try:
        with IngestProgress(options.show_progress, total) as progress:
            run.progress = progress
            for item in items:
                if isinstance(item, SourceError):
                    run.fail(item.source, item.reason)
                else:
                    run.take(item)
                    progress.document_done()
                run.batch.done_one()
                progress.advance()
            run.finish()
    finally:
        run.close()
    if run.report.added or run.report.reextracted:
        with suppress(SQLAlchemyError):  # statistics only guide the planner; a busy store gets them on next open
            refresh_statistics(store)
    return run.report


def reextract(
    options: IngestOptions, store: Store, doc_ids: Sequence[int] = (), everything: bool = False
) -> IngestReport:
    """Run the current extractor again on stored originals: those named in `doc_ids`, else every one
    extracted by another version (or never), or every one with `everything`. Facts and events are
    replaced; analysts' corrections are applied again (store/corrections.py). Raises LookupError
    naming an id that is not a stored original, before anything is written."""
    run = _Run(replace(options, extract=True), store)
    try:
        session = run.batch.session
        targets = repo.originals_to_extract(session, EXTRACTOR_VERSION, doc_ids, everything)
        found = {doc_id for doc_id, _ in targets}
        for doc_id in doc_ids:
            if doc_id not in found:
                summary = repo.get_summary(session, doc_id)
                if summary is None:
                    raise LookupError(f"no document {doc_id}")
                raise LookupError(f"document {doc_id} is a duplicate (duplicates are not extracted)")
        with IngestProgress(options.show_progress, len(targets)) as progress:
            run.progress = progress
            for doc_id, source in targets:
                run.reextract(doc_id, source)
                run.batch.done_one()
                progress.advance()
            run.finish()
    finally:
        run.close()
    if run.report.reextracted:
        with suppress(SQLAlchemyError):  # statistics only guide the planner
            refresh_statistics(store)
    return run.report


class _Run:
    """One ingest run: the cleaning context, the executor the stage functions run on, and the report.

    Each input goes through `read_document` and `analyse` on the executor (inline, a process pool or
    a Dask cluster), each within what is left of the document's time budget, while this process
    keeps what needs the whole run: the cleaning context, the duplicate index in the store and the
    writes (`writer.Writer`). Results are taken in the order inputs were given, so every executor
    gives the same store. Lookups of inputs read through their own session (`reader`) outside a
    batch, so the write lock is taken only to write.
    """

    def __init__(self, options: IngestOptions, store: Store) -> None:
        self.options = options
        self.store = store
        self.report = IngestReport()
        self.context = CleaningContext(budget=options.sources.budget)
        # read here, when the run starts, so that a test may change them
        self.batch = Batch(store, COMMIT_EVERY_DOCUMENTS, COMMIT_EVERY_SECONDS)
        self.writer = Writer(self.batch, self.report)
        # an in-memory database has one connection for everything: there the batch's session reads
        shared = isinstance(store.engine.pool, StaticPool)
        self.reader = self.batch.session if shared else store.session()
        self.progress = IngestProgress(False, None)
        self.own_executor: Executor | None = None
        self.executor: Executor
        if options.executor is not None:
            self.executor = options.executor
        elif options.workers > 1:
            # spawn: children must not inherit the parent's open database connections; each child
            # ends with this process however it ends (workers.py)
            self.own_executor = ProcessPoolExecutor(
                options.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=end_with_parent,
                initargs=(os.getpid(),),
            )
            self.executor = self.own_executor
        else:
            self.executor = _InlineExecutor()
        self.in_flight = IN_FLIGHT_PER_WORKER * options.workers if not isinstance(self.executor, _InlineExecutor) else 0
        self.pending: deque[_Pending] = deque()

    @property
    def budget(self) -> InputBudget:
        return self.options.sources.budget

    def _lookups(self) -> Session:
        """Where to look an input up: the batch's session while it holds a transaction (on SQLite, the
        write lock: nobody else writes meanwhile, and a reader's own transaction would only cost),
        else the reader, so that a re-run that skips what is stored never takes the write lock."""
        return self.batch.session if self.batch.session.in_transaction() else self.reader

    def _end_read(self) -> None:
        """End the lookup's read transaction, so the next one sees what other writers committed since."""
        if self.reader is not self.batch.session and self.reader.in_transaction():
            self.reader.rollback()

    def fail(self, source: str, reason: str) -> None:
        self.writer.fail(source, reason)

    def finish(self) -> None:
        while self.pending:
            self._collect_oldest()
        self.batch.commit()  # writes what waits first

    def close(self) -> None:
        if self.own_executor is not None:
            self.own_executor.shutdown(cancel_futures=True)
        self.batch.close()
        if self.reader is not self.batch.session:
            self.reader.close()

    def take(self, raw: RawDocument) -> None:
        raw_sha256 = hashlib.sha256(raw.data).hexdigest()
        source = stored_source(raw.source)
        versions = repo.find_source(self._lookups(), source, raw_sha256)
        stored, previous = versions.same_bytes, (versions.current if versions.same_bytes is None else None)
        self._end_read()
        if stored is not None:
            self.revisit(stored)
            return
        given, name, size = raw.source, raw.name, len(raw.data)
        if size >= LONG_DOCUMENT_BYTES:
            self.batch.commit()  # other writers need not wait for this document's cleaning and extraction
        seconds = self.budget.max_seconds

        def cleaned(timed: Timed[ReadDocument]) -> None:
            started = time.monotonic()
            try:
                with time_limit(self._left(seconds, timed.seconds), "this document", of=seconds):
                    doc = replace(finish_document(timed.value, self.context), raw_sha256=raw_sha256, source=source)
            except CleanError as exc:
                self.fail(given, exc.reason)
                return
            except BudgetExceeded as exc:
                self.fail(given, exc.reason)
                return
            if not doc.clean_text.strip():
                self.fail(given, "no text left after cleaning")
                return
            left = self._left(seconds, timed.seconds + time.monotonic() - started)
            self.progress.document_stage(name, size, "extracting")
            then = functools.partial(self._analysed, doc, previous, name, size)
            self._submit(analyse_within, (doc, self.options.extract, left, seconds), given, then, "analysis")

        self.progress.document_stage(name, size, "cleaning")
        self._submit(read_within, (raw, self.budget), given, cleaned, "cleaning")

    @staticmethod
    def _left(budget_seconds: float, spent: float) -> float:
        """What the earlier stages left of a document's time budget (0: no limit)."""
        if budget_seconds <= 0:
            return 0.0
        return max(MIN_STAGE_SECONDS, budget_seconds - spent)

    def revisit(self, stored: repo.DocumentSummary, force: bool = False) -> None:
        """An input already stored: re-extract it if the extractor changed (or `force`), else skip it. An
        earlier version whose content came back (the source reverted) becomes the current version again."""
        if stored.superseded_by is not None:
            self.writer.write_waiting()
            with self.batch.document() as session:
                repo.make_current(session, stored.id, stored.source)
            self.report.new_versions += 1
        current = stored.extracted_with == EXTRACTOR_VERSION and not force
        if not self.options.extract or stored.duplicate_of is not None or current:
            self.report.skipped_unchanged += 1
            return
        self.reextract(stored.id, stored.source)

    def reextract(self, doc_id: int, source: str) -> None:
        """Extract a stored original again with the current extractor; its facts and events are replaced."""
        doc = repo.get_document(self._lookups(), doc_id)
        self._end_read()
        if doc is None:
            self.fail(str(doc_id), "no such document")
            return
        then = functools.partial(self._reextracted, doc_id, source)
        self._submit(extract_within, (doc, self.budget.max_seconds), source, then, "re-extraction")

    def _reextracted(self, doc_id: int, source: str, extraction: Extraction) -> None:
        self.writer.write_waiting()
        with self.batch.document() as session:
            problems = self.writer.write_extraction(session, doc_id, extraction)
        self.report.reextracted += 1
        for problem in problems:
            self.fail(source, problem)

    def _analysed(
        self, doc: Document, previous: repo.DocumentSummary | None, name: str, size: int, found: Analysis
    ) -> None:
        """Queue the analysed document to be written with the others of this batch (`_write_waiting`);
        one that may duplicate a queued one has those written first, so that it finds them."""
        self.progress.document_stage(name, size, "storing")
        self.writer.wait(Ready(doc, previous, found))

    def _submit(
        self, stage: Callable[..., Any], args: tuple[Any, ...], source: str, then: Callable[[Any], None], failing: str
    ) -> None:
        self.pending.append(_Pending(self.executor.submit(stage, *args), source, then, failing))
        while len(self.pending) > self.in_flight:
            self._collect_oldest()

    def _collect_oldest(self) -> None:
        """Take the oldest result (results are taken in order); a stage may submit the next."""
        pending = self.pending.popleft()
        try:
            result = pending.future.result()
        except CleanError as exc:
            self.fail(pending.source, exc.reason)
            return
        except Exception as exc:  # a rule bug, or a worker that died past its retries: the input is reported
            self.fail(pending.source, f"{pending.failing} failed: {type(exc).__name__}: {exc}")
            return
        if isinstance(result, OverBudget):  # nothing of the document is stored
            self.fail(
                pending.source,
                f"re-extraction {result.reason}" if pending.failing == "re-extraction" else result.reason,
            )
            return
        made = result.extraction if isinstance(result, Analysis) else result
        if isinstance(made, Extraction) and made.version != EXTRACTOR_VERSION:
            self.fail(pending.source, f"a worker runs extractor {made.version}, this process {EXTRACTOR_VERSION}")
            return
        pending.then(result)


@dataclass(frozen=True)
class _Pending:
    future: Future[Any]
    source: str  # the input, as failures name it
    then: Callable[[Any], None]
    failing: str  # what a failure of this stage is called


class _InlineExecutor(Executor):
    """Runs each stage at once in this process: one code path whether or not work is spread out."""

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever takes the result, as a pool would
            future.set_exception(exc)
        return future


def analyse_within(doc: Document, with_extraction: bool, seconds: float, of: float) -> Analysis | OverBudget:
    """`analyse` within `seconds`, what is left of the document's time budget `of`."""
    try:
        with time_limit(seconds, "this document", of=of):
            return analyse(doc, with_extraction)
    except BudgetExceeded as exc:
        return OverBudget(exc.reason)


def analyse(doc: Document, with_extraction: bool) -> Analysis:
    """The per-document work after cleaning, for any process: text hash, MinHash signature, extraction."""
    extraction: Extraction | None = None
    problem = None
    if with_extraction:
        try:
            extraction = extract(doc)
        except Exception as exc:  # a rule bug must not stop the run; the input is reported
            problem = f"extraction failed: {type(exc).__name__}: {exc}"
    digest, signature, bands = dedupe_keys(doc.clean_text)
    return Analysis(digest, signature, extraction, problem, bands)


def extract_within(doc: Document, seconds: float) -> Extraction | OverBudget:
    """`extract(doc)` within `seconds` (0: no limit); what re-extraction runs on the executor."""
    try:
        with time_limit(seconds, "extracting this document"):
            return extract(doc)
    except BudgetExceeded as exc:
        return OverBudget(exc.reason)


def stored_source(source: str) -> str:
    """A file's absolute path (so a run from another folder finds it stored), or the URL as given
    (without credentials, which are never stored)."""
    if "://" in source:
        return redact_userinfo(source)
    return str(Path(source).resolve())


def extract(doc: Document) -> Extraction:
    """Facts and events of one document, and the commodity families they (or its words) are about."""
    extracted = extract_all(doc)  # the text read once for facts and events
    facts, events = extracted.facts, extracted.events
    named = [f.commodity for f in facts] + [c for e in events for c in e.commodities]
    families = families_of(named) or keyword_families(doc.title, doc.clean_text)
    return Extraction(facts, events, families, EXTRACTOR_VERSION)


def _estimate_count(inputs: Sequence[str], options: SourceOptions) -> int | None:
    """How many documents the inputs name, when that is known without reading them (None for feeds)."""
    if options.feed:
        return None
    total = 0
    for given in inputs:
        path = Path(given)
        if "://" in given:
            total += 1
        elif path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.suffix.lower() in SUFFIX_TYPES and p.is_file())
        else:
            total += 1
    return total


def iter_failures(report: IngestReport) -> Iterator[str]:
    """One line per failed input, as the CLI prints them."""
    for source, reason in report.failures:
        yield f"error: {source}: {reason}"
