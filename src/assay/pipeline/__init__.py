"""The ingest pipeline: sources -> clean -> dedupe -> extract -> store, committed in small batches.

    report = ingest(["corpus/", "https://example.com/a"], IngestOptions(SourceOptions()), open_store(url))

Idempotent: an input whose (source, raw bytes) is already stored is skipped, unless it was
extracted by another EXTRACTOR_VERSION, in which case its facts and events are extracted again.
Versioned: an input whose source is stored with other bytes is a new version of that document;
it is stored and extracted, and the earlier version is marked superseded (its facts and events
stay, out of every analysis). Bounded: each document's cleaning and extraction run within the
budget of SourceOptions.budget (bytes, elements, seconds); one over it is a failure, not stored.
Staged: each document's costly work (`read_document`, the rest of its cleaning, `analyse`) runs on
an executor (this process, a process pool, or a Dask cluster: assay.distributed), a chunk of inputs
per task; the run-wide cleaning context, the lookups and every write stay in this process.
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

from assay.analyze.points import refresh_points
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
from assay.store.series import FactSelection
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
IN_FLIGHT_PER_WORKER = 4  # tasks (chunks of inputs) queued per worker before this process waits for the oldest
# inputs looked up (one query) and sent to a worker together: a task's cost in queues and pickling shared
CHUNK_DOCUMENTS = 8
MAX_WRITES_WAITING = 1000  # documents whose writes wait behind one still analysed, before this process waits
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
                progress.advance()
            run.finish()
    finally:
        run.close()
    if run.report.added or run.report.reextracted:
        with suppress(SQLAlchemyError):  # statistics only guide the planner; a busy store gets them on next open
            refresh_statistics(store)
        weigh_stale_points(store)
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
                progress.advance()
            run.finish()
    finally:
        run.close()
    if run.report.reextracted:
        with suppress(SQLAlchemyError):  # statistics only guide the planner
            refresh_statistics(store)
        weigh_stale_points(store)
    return run.report


def weigh_stale_points(store: Store) -> None:
    """Weigh and store the series points the run's writes marked stale (`analyze.points`), once, set-wise,
    so that the first page read after a large ingest does not pay for them (seconds after 10,000
    documents). A store busy past a brief wait, or one the points cannot serve, leaves them to readers."""
    with suppress(SQLAlchemyError), store.session() as session:
        refresh_points(session, FactSelection())


class _Run:
    """One ingest run: the cleaning context, the executor the stage functions run on, and the report.

    Inputs are looked up in the store a chunk at a time (`find_sources`); each chunk's new inputs go
    to the executor (inline, a process pool or a Dask cluster) as one task, `prepare_within`, which
    reads, finishes and analyses each of them as if its source repeated no boilerplate. This process
    keeps what needs the whole run: the cleaning context, which sees every document's lines in input
    order as its chunk's result is taken (results are taken in input order), the duplicate index in
    the store and the writes (`writer.Writer`). A document whose source boilerplate the context would
    drop (rare; most sources repeat none once trafilatura has read them) is finished and analysed
    again, without those lines, by a task of its own (`finish_within`); inputs of a source that had
    some lately are sent only to be read. Writes wait in `outbox`, in input order, so a document
    analysed again never holds back the reading of later chunks: every executor gives the same
    store. Lookups of inputs read through their own session (`reader`) outside a batch, so the
    write lock is taken only to write.
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
        inline = isinstance(self.executor, _InlineExecutor)
        self.in_flight = 0 if inline else IN_FLIGHT_PER_WORKER * max(1, options.workers)
        self.chunk_size = 1 if inline else CHUNK_DOCUMENTS
        self.chunk: list[_Input] = []  # inputs taken, not yet looked up
        self.pending: deque[_Pending] = deque()  # tasks, taken in input order
        self.outbox: deque[_Write] = deque()  # writes, done in input order
        self.boilerplate_sources: set[str] = set()  # sources whose last document had boilerplate dropped

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
        """Record a failed input after every input taken before it."""
        self._flush()
        self._after_pending(functools.partial(self.writer.fail, source, reason))

    def finish(self) -> None:
        self._flush()
        while self.pending:
            self._collect_oldest()
        self._drain(wait=True)
        self.batch.commit()  # writes what waits first

    def close(self) -> None:
        if self.own_executor is not None:
            self.own_executor.shutdown(cancel_futures=True)
        self.batch.close()
        if self.reader is not self.batch.session:
            self.reader.close()

    def take(self, raw: RawDocument) -> None:
        self.chunk.append(_Input(raw, hashlib.sha256(raw.data).hexdigest(), stored_source(raw.source)))
        if len(raw.data) >= LONG_DOCUMENT_BYTES:
            self._flush()
            self._after_pending(self.batch.commit)  # other writers need not wait for this document's work
        elif len(self.chunk) >= self.chunk_size:
            self._flush()

    def _flush(self) -> None:
        """Look the chunk's inputs up in the store (one query) and send the new ones to the executor."""
        if not self.chunk:
            return
        chunk, self.chunk = self.chunk, []
        found = repo.find_sources(self._lookups(), [(item.source, item.raw_sha256) for item in chunk])
        self._end_read()
        new: list[_Input] = []
        for item, versions in zip(chunk, found, strict=True):
            if versions.same_bytes is not None:
                self._send_new(new)
                self.revisit(versions.same_bytes)
            else:
                new.append(replace(item, previous=versions.current))
        self._send_new(new)

    def _send_new(self, new: list[_Input]) -> None:
        """One task reads, finishes and analyses the new inputs (in this order)."""
        if not new:
            return
        for item in new:
            self.progress.document_stage(item.raw.name, len(item.raw.data), "cleaning")
        speculate = [(item.raw.source_name or "") not in self.boilerplate_sources for item in new]
        args = ([item.raw for item in new], speculate, self.budget, self.options.extract)
        then = functools.partial(self._prepared, list(new))
        self._submit(prepare_within, args, new[0].raw.source, then, "cleaning")
        new.clear()

    def _prepared(self, inputs: list[_Input], outcomes: list[Prepared | OverBudget | str] | str) -> None:
        """A chunk's results, in input order: each document's lines go through the run's cleaning
        context; the document is queued to be written, or analysed again without its source's
        boilerplate. A string: why the chunk's task failed (each of its inputs fails so)."""
        seconds = self.budget.max_seconds
        if isinstance(outcomes, str):
            outcomes = [outcomes] * len(inputs)
        for item, outcome in zip(inputs, outcomes, strict=True):
            given, name, size = item.raw.source, item.raw.name, len(item.raw.data)
            if isinstance(outcome, str | OverBudget):  # CleanError while reading, or over the budget
                self._write(functools.partial(self.writer.fail, given, _reason(outcome)))
                continue
            read = outcome.read
            lines = list(read.lines)
            source_name = read.raw.source_name or ""
            self.context.boilerplate.observe(source_name, lines)
            boilerplate = self.context.boilerplate.filter(source_name, lines)
            if boilerplate.dropped:
                self.boilerplate_sources.add(source_name)
            else:
                self.boilerplate_sources.discard(source_name)
            if outcome.speculated and not boilerplate.dropped:
                self._write(functools.partial(self._finished, item, outcome.finished))
                continue
            if boilerplate.dropped:
                steps = (*read.steps, f"drop-source-boilerplate:{boilerplate.dropped}")
                read = replace(read, lines=tuple(boilerplate.lines), steps=steps)
            left = _left(seconds, outcome.seconds)
            self.progress.document_stage(name, size, "extracting")
            future = self.executor.submit(finish_within, read, self.options.extract, left, seconds)
            self._write(functools.partial(self._finished, item), future, given, "analysis")

    def _finished(self, item: _Input, finished: Finished | OverBudget | str) -> None:
        """A document finished and analysed (or why not): queued to be written, or its failure recorded."""
        given = item.raw.source
        if isinstance(finished, str | OverBudget):
            self.writer.fail(given, _reason(finished))
            return
        found = finished.found
        if isinstance(found, OverBudget):
            self.writer.fail(given, found.reason)
            return
        if found.extraction is not None and found.extraction.version != EXTRACTOR_VERSION:
            self.writer.fail(
                given, f"a worker runs extractor {found.extraction.version}, this process {EXTRACTOR_VERSION}"
            )
            return
        doc = replace(finished.doc, raw_sha256=item.raw_sha256, source=item.source)
        if not doc.clean_text.strip():
            self.writer.fail(given, "no text left after cleaning")
            return
        self._analysed(doc, item.previous, item.raw.name, len(item.raw.data), found)

    def revisit(self, stored: repo.DocumentSummary, force: bool = False) -> None:
        """An input already stored: re-extract it if the extractor changed (or `force`), else skip it. An
        earlier version whose content came back (the source reverted) becomes the current version again."""
        if stored.superseded_by is not None:
            self._after_pending(functools.partial(self._make_current, stored))
        current = stored.extracted_with == EXTRACTOR_VERSION and not force
        if not self.options.extract or stored.duplicate_of is not None or current:
            self._after_pending(self._skipped)
            return
        self.reextract(stored.id, stored.source)

    def _make_current(self, stored: repo.DocumentSummary) -> None:
        self.writer.write_waiting()
        with self.batch.document() as session:
            repo.make_current(session, stored.id, stored.source)
        self.report.new_versions += 1

    def _skipped(self) -> None:
        self.report.skipped_unchanged += 1

    def reextract(self, doc_id: int, source: str) -> None:
        """Extract a stored original again with the current extractor; its facts and events are replaced."""
        doc = repo.get_document(self._lookups(), doc_id)
        self._end_read()
        if doc is None:
            self.fail(str(doc_id), "no such document")
            return
        then = functools.partial(self._write_with, functools.partial(self._reextracted, doc_id, source))
        self._submit(extract_within, (doc, self.budget.max_seconds), source, then, "re-extraction")

    def _reextracted(self, doc_id: int, source: str, extraction: Extraction | OverBudget | str) -> None:
        if isinstance(extraction, str | OverBudget):
            reason = extraction.reason if isinstance(extraction, OverBudget) else extraction
            self.writer.fail(source, f"re-extraction {reason}" if isinstance(extraction, OverBudget) else reason)
            return
        if extraction.version != EXTRACTOR_VERSION:
            self.writer.fail(source, _other_version(extraction.version))
            return
        self.writer.write_waiting()
        with self.batch.document() as session:
            problems = self.writer.write_extraction(session, doc_id, extraction)
        self.report.reextracted += 1
        for problem in problems:
            self.writer.fail(source, problem)

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
        """Run `stage` on the executor; `then` takes its result (or why it failed) in input order."""
        self.pending.append(_Pending(self.executor.submit(stage, *args), source, then, failing))
        while len(self.pending) > self.in_flight:
            self._collect_oldest()

    def _after_pending(self, action: Callable[[], None]) -> None:
        """Do `action` once every task submitted before is taken and its writes done (at once when none waits)."""
        if not self.pending:
            self._write(action)
            return
        done: Future[None] = Future()
        done.set_result(None)
        self.pending.append(_Pending(done, "", lambda _: self._write(action), ""))

    def _write_with(self, action: Callable[[Any], None], outcome: Any) -> None:
        """Queue `action(outcome)` after the writes queued before (a task's outcome, taken in order)."""
        self._write(functools.partial(action, outcome))

    def _write(
        self, action: Callable[..., None], future: Future[Any] | None = None, source: str = "", failing: str = ""
    ) -> None:
        """Queue a write after those queued before; with a `future`, `action` takes its outcome."""
        self.outbox.append(_Write(action, future, source, failing))
        self._drain(wait=len(self.outbox) > MAX_WRITES_WAITING)

    def _drain(self, wait: bool = False) -> None:
        """Do the queued writes in order, up to the first whose task is still running (with `wait`, all)."""
        while self.outbox:
            head = self.outbox[0]
            if head.future is not None and not head.future.done() and not wait:
                return
            self.outbox.popleft()
            if head.future is None:
                head.action()
            else:
                head.action(_outcome(head.future, head.failing))
            # the batch counts what is written, not what is taken: inputs run ahead of their results
            self.batch.done_one()

    def _collect_oldest(self) -> None:
        """Take the oldest task's outcome (tasks are taken in order); `then` queues its writes."""
        pending = self.pending.popleft()
        pending.then(_outcome(pending.future, pending.failing))
        self._drain()


def _left(budget_seconds: float, spent: float) -> float:
    """What the earlier stages left of a document's time budget (0: no limit)."""
    if budget_seconds <= 0:
        return 0.0
    return max(MIN_STAGE_SECONDS, budget_seconds - spent)


def _outcome(future: Future[Any], failing: str) -> Any:
    """A task's result, or why it failed (a string: the failure recorded for its input)."""
    try:
        return future.result()
    except CleanError as exc:
        return exc.reason
    except Exception as exc:  # a rule bug, or a worker that died past its retries: the input is reported
        return f"{failing} failed: {type(exc).__name__}: {exc}"


def _other_version(version: str) -> str:
    return f"a worker runs extractor {version}, this process {EXTRACTOR_VERSION}"


def _reason(outcome: OverBudget | str) -> str:
    return outcome.reason if isinstance(outcome, OverBudget) else outcome


@dataclass(frozen=True)
class _Input:
    raw: RawDocument
    raw_sha256: str
    source: str  # as stored (stored_source)
    previous: repo.DocumentSummary | None = None  # the source's current version, which this one supersedes


@dataclass(frozen=True)
class _Pending:
    future: Future[Any]
    source: str  # the input, as failures name it
    then: Callable[[Any], None]
    failing: str  # what a failure of this stage is called


@dataclass(frozen=True)
class _Write:
    action: Callable[..., None]
    future: Future[Any] | None
    source: str
    failing: str


class _InlineExecutor(Executor):
    """Runs each stage at once in this process: one code path whether or not work is spread out."""

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever takes the result, as a pool would
            future.set_exception(exc)
        return future


@dataclass(frozen=True)
class Finished:
    """A document finished (title, language, date) and analysed in a worker."""

    doc: Document
    found: Analysis | OverBudget


@dataclass(frozen=True)
class Prepared:
    """An input read in a worker (`read`, for the run's cleaning context) and, when `speculated`,
    finished and analysed as if its source repeated no boilerplate (`finished`; a string: why it
    could not be, e.g. no text left)."""

    read: ReadDocument
    seconds: float  # what reading took
    speculated: bool
    finished: Finished | OverBudget | str


def prepare_within(
    raws: list[RawDocument], speculate: list[bool], budget: InputBudget, with_extraction: bool
) -> list[Prepared | OverBudget | str]:
    """Read each input (a string: why it cannot be read) and, where `speculate` says, finish and
    analyse it too, all within the input's time budget."""
    made: list[Prepared | OverBudget | str] = []
    seconds = budget.max_seconds
    for raw, speculating in zip(raws, speculate, strict=True):
        try:
            read = read_within(raw, budget)
        except CleanError as exc:
            made.append(exc.reason)
            continue
        if isinstance(read, OverBudget):
            made.append(read)
            continue
        finished: Finished | OverBudget | str = ""
        if speculating:
            finished = finish_within(read.value, with_extraction, _left(seconds, read.seconds), seconds)
        made.append(Prepared(read.value, read.seconds, speculating, finished))
    return made


def finish_within(read: ReadDocument, with_extraction: bool, seconds: float, of: float) -> Finished | OverBudget | str:
    """Finish and analyse a document read earlier, within `seconds`, what is left of its time budget `of`."""
    try:
        with time_limit(seconds, "this document", of=of):
            return _finish(read, with_extraction)
    except BudgetExceeded as exc:
        return OverBudget(exc.reason)


def _finish(read: ReadDocument, with_extraction: bool) -> Finished | str:
    """The rest of cleaning (no run-wide context: the caller applied it to `read.lines`) and the analysis."""
    try:
        doc = finish_document(read)
    except CleanError as exc:
        return exc.reason
    return Finished(doc, analyse(doc, with_extraction))


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
