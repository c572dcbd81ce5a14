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
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import ahocorasick
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from assay.clean import CleanError, CleaningContext, ReadDocument, finish_document, read_document
from assay.clean.dedupe import DuplicateIndex, band_hashes, signature_similarity, text_sha256
from assay.extract import EXTRACTOR_VERSION
from assay.extract.combined import extract_all
from assay.model import Document, Event, Fact
from assay.progress import LONG_DOCUMENT_BYTES, IngestProgress
from assay.sources import BudgetExceeded, InputBudget, RawDocument, SourceError, SourceOptions, iter_sources
from assay.sources.base import SUFFIX_TYPES
from assay.sources.budget import time_limit
from assay.sources.web import redact_userinfo
from assay.store import documents as repo
from assay.store.db import Store, refresh_statistics
from assay.store.dedupe import Lookup, StoredDuplicateIndex
from assay.store.events import record_events, record_new_events
from assay.store.facts import insert_facts, insert_facts_of_documents, replace_facts
from assay.vocab import ancestors, commodities, read_rows
from assay.workers import end_with_parent

_T = TypeVar("_T")
# A commit (WAL write, FTS segment flush) costs as much as storing a few documents; a batch shares it.
COMMIT_EVERY_DOCUMENTS = 50
COMMIT_EVERY_SECONDS = 0.5
IN_FLIGHT_PER_WORKER = 4  # documents queued per worker process before the parent waits
# a later stage of a document gets what the earlier ones left of its time budget, at least this
MIN_STAGE_SECONDS = 0.05
MIN_SYMBOL_CHARS = 4  # shortest Latin wording the keyword scan trusts
EXTRA_WORDINGS = "commodity_wordings.csv"  # more surface forms per commodity, beside commodities.csv
# Top-level commodities of the vocabulary, grouped into the families a summary reports.
FAMILY_OF_ROOT = {
    "magnesite": "magnesia",
    "magnesia": "magnesia",
    "magnesium": "magnesium",
    "graphite": "graphite",
    "synthetic_graphite": "graphite",
    "rare_earths": "rare_earths",
    "rare_earth_magnets": "magnets",
    "ferrite_magnets": "magnets",
}


@dataclass
class IngestOptions:
    sources: SourceOptions = field(default_factory=SourceOptions)
    extract: bool = True
    show_progress: bool = True
    workers: int = 1
    # where the per-document stages run (e.g. a Dask cluster's, from assay.distributed); None: this
    # process when workers == 1, else a process pool of `workers`. `workers` then sizes the queue.
    executor: Executor | None = None


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0
    skipped_unchanged: int = 0
    reextracted: int = 0
    new_versions: int = 0  # documents stored as a changed version of one already stored
    failures: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    by_lang: Counter[str] = field(default_factory=Counter)
    by_source: Counter[str] = field(default_factory=Counter)
    by_family: Counter[str] = field(default_factory=Counter)
    facts: int = 0
    events: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Extraction:
    facts: list[Fact]
    events: list[Event]
    families: tuple[str, ...]
    # the extractor that made it: a cluster worker may run another assay version than this process
    version: str = EXTRACTOR_VERSION


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


class _Batch:
    """A transaction several documents share, written in savepoints (`document()`) so that a failing
    write is rolled back alone; committed every few documents or a fraction of a second, after
    `before_commit` wrote the documents waiting to be written."""

    def __init__(self, store: Store) -> None:
        self.session = store.write_session()
        self.documents = 0
        self.opened_at: float | None = None
        self.before_commit: Callable[[], None] = lambda: None  # writes what waits to be written

    @contextmanager
    def document(self) -> Iterator[Session]:
        if self.opened_at is None:
            self.opened_at = time.monotonic()
        with self.session.begin_nested():
            yield self.session

    def document_waits(self) -> None:
        """A document waits to be written (`before_commit` writes it): the batch is open from now on."""
        if self.opened_at is None:
            self.opened_at = time.monotonic()

    def done_one(self) -> None:
        if not self.session.in_transaction() and self.opened_at is None:
            return
        if self.opened_at is None:  # only lookups so far, yet on SQLite they hold the write lock too
            self.opened_at = time.monotonic()
        self.documents += 1
        if self.documents >= COMMIT_EVERY_DOCUMENTS or time.monotonic() - self.opened_at >= COMMIT_EVERY_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.before_commit()
        self.end_transaction()

    def end_transaction(self) -> None:
        self.session.commit()
        self.documents = 0
        self.opened_at = None

    def close(self) -> None:
        """Commit the documents finished so far (each whole, thanks to its savepoint), then release the session."""
        try:
            self.commit()
        except SQLAlchemyError:
            self.session.rollback()
        finally:
            self.session.close()


class _Run:
    """One ingest run: the cleaning context, the executor the stage functions run on, and the report.

    Each input goes through `read_document` and `analyse` on the executor (inline, a process pool or
    a Dask cluster), each within what is left of the document's time budget, while this process
    keeps what needs the whole run: the cleaning context, the duplicate index in the store and the
    writes. Results are taken in the order inputs were given, so every executor gives the same
    store. An analysed document waits (`waiting`) until the batch commits; then the waiting ones are
    written whole (documents, facts, events) in one savepoint, after their duplicate lookup in the
    same transaction: under the write lock, so originals that concurrent processes stored meanwhile
    are seen. One that may duplicate a waiting one has those written first, so it finds them. Lookups
    before that read through their own session (`reader`), so the write lock is taken only to write.
    """

    def __init__(self, options: IngestOptions, store: Store) -> None:
        self.options = options
        self.store = store
        self.report = IngestReport()
        self.context = CleaningContext(budget=options.sources.budget)
        self.batch = _Batch(store)
        self.batch.before_commit = self._write_waiting
        self.index = StoredDuplicateIndex(self.batch.session)
        # analysed new documents not yet written: written together before the batch commits
        self.waiting: list[_Ready] = []
        self.waiting_digests: set[str] = set()
        self.waiting_bands: set[int] = set()
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
        source, reason = redact_userinfo(source), _redact_in_text(reason)
        self.report.failures.append((source, reason))
        self._write_waiting()
        with self.batch.document() as session:
            repo.record_failure(session, source, reason)

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
            self._write_waiting()
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
        self._write_waiting()
        with self.batch.document() as session:
            problems = self._write_extraction(session, doc_id, extraction)
        self.report.reextracted += 1
        for problem in problems:
            self.fail(source, problem)

    def _analysed(
        self, doc: Document, previous: repo.DocumentSummary | None, name: str, size: int, found: Analysis
    ) -> None:
        """Queue the analysed document to be written with the others of this batch (`_write_waiting`);
        one that may duplicate a queued one has those written first, so that it finds them."""
        self.progress.document_stage(name, size, "storing")
        if self._may_duplicate_waiting(found):
            self._write_waiting()
        self.waiting.append(_Ready(doc, previous, found))
        self.waiting_digests.add(found.text_sha256)
        self.waiting_bands.update(found.bands)
        self.batch.document_waits()

    def _may_duplicate_waiting(self, found: Analysis) -> bool:
        """Whether a waiting document has the same text, or one as similar as the index's threshold."""
        if found.text_sha256 in self.waiting_digests:
            return True
        if self.waiting_bands.isdisjoint(found.bands):
            return False
        threshold = self.index.threshold
        return any(signature_similarity(item.found.signature, found.signature) >= threshold for item in self.waiting)

    def _write_waiting(self) -> None:
        """Write the queued documents in one savepoint, a few statements for them all; if that fails
        (a fact or event the store refuses, an input another process stored meanwhile), in one
        savepoint each, so that a failing document loses nothing of the others."""
        ready, self.waiting = self.waiting, []
        self.waiting_digests.clear()
        self.waiting_bands.clear()
        if len(ready) > 1:
            try:
                with self.batch.document() as session:
                    outcomes = self._store_together(session, ready)
            except (IntegrityError, ValueError):
                pass  # rolled back to the savepoint: nothing of these documents is stored
            else:
                originals, facts, events = outcomes
                self.report.facts += facts
                self.report.events += events
                for item, original in zip(ready, originals, strict=True):
                    self._count(item, original, [])
                return
        for item in ready:
            self._store_one(item)

    def _store_together(self, session: Session, ready: Sequence[_Ready]) -> tuple[list[int | None], int, int]:
        """Store the documents (none a duplicate of another), each an original or a duplicate of a
        stored one; returns for each the original it duplicates (or None), and the facts and events
        stored. Raises on any refusal."""
        originals = self.index.find_many([self._lookup(item) for item in ready])
        new = [
            repo.NewDocument(
                replace(item.doc, duplicate_of=original) if original is not None else item.doc,
                item.found.text_sha256,
                item.found.signature,
                () if original is not None else item.families,
                EXTRACTOR_VERSION if original is None and item.found.extraction is not None else None,
            )
            for item, original in zip(ready, originals, strict=True)
        ]
        ids = repo.save_documents(session, new)
        kept = [
            (doc_id, item) for doc_id, item, original in zip(ids, ready, originals, strict=True) if original is None
        ]
        self.index.add_many([(doc_id, item.found.bands) for doc_id, item in kept])
        extracted = [(doc_id, item.found.extraction) for doc_id, item in kept if item.found.extraction is not None]
        facts = insert_facts_of_documents(session, [(doc_id, extraction.facts) for doc_id, extraction in extracted])
        events = record_new_events(session, [(doc_id, extraction.events) for doc_id, extraction in extracted])
        for doc_id, item in kept:
            self._supersede(session, item.previous, doc_id)
        return originals, facts, events

    @staticmethod
    def _lookup(item: _Ready) -> Lookup:
        """What to look the document up by among the stored originals (not its own earlier version)."""
        earlier = frozenset({item.previous.id} if item.previous is not None else ())
        return Lookup(item.found.text_sha256, item.found.signature, earlier, item.found.bands)

    def _store_one(self, item: _Ready) -> None:
        """Look the document up among the stored originals and store it, in one savepoint under the
        write lock: an original that another process stored meanwhile is found, as one run would."""
        doc, previous, found = item.doc, item.previous, item.found
        extraction = found.extraction
        problems: list[str] = []
        try:
            with self.batch.document() as session:
                [original] = self.index.find_many([self._lookup(item)])
                digest, signature = found.text_sha256, found.signature
                if original is not None:
                    repo.save_document(session, replace(doc, duplicate_of=original), digest, signature)
                else:
                    version = EXTRACTOR_VERSION if extraction is not None else None
                    doc_id = repo.save_document(session, doc, digest, signature, item.families, extracted_with=version)
                    self.index.add_many([(doc_id, found.bands)])
                    if extraction is not None:
                        problems.extend(self._write_extraction(session, doc_id, extraction, new=True))
                    self._supersede(session, previous, doc_id)
        except IntegrityError as exc:
            self._stored_meanwhile(doc, exc)
            return
        self._count(item, original, problems)

    def _count(self, item: _Ready, original: int | None, problems: list[str]) -> None:
        """Report a document stored: a duplicate of `original`, or added (with what its extraction could not store)."""
        doc = item.doc
        problems = [item.found.problem, *problems] if item.found.problem else problems
        if original is not None:
            self.report.duplicates += 1
            return
        self.report.added += 1
        self.report.by_lang[doc.lang or "unknown"] += 1
        self.report.by_source[doc.source_name or "unknown"] += 1
        self.report.by_family.update(item.families or ("none",))
        for problem in problems:
            self.fail(doc.source, problem)

    def _stored_meanwhile(self, doc: Document, exc: IntegrityError) -> None:
        """After an IntegrityError: another process stored the same input meanwhile (fine), or a real fault."""
        if repo.find_by_source_and_hash(self.batch.session, doc.source, doc.raw_sha256) is None:
            raise exc
        self.report.skipped_unchanged += 1

    def _supersede(self, session: Session, previous: repo.DocumentSummary | None, doc_id: int) -> None:
        """Mark the source's earlier version superseded by `doc_id` (its facts and events leave the analyses)."""
        if previous is not None:
            repo.supersede(session, previous.id, doc_id)
            self.report.new_versions += 1

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

    def _write_extraction(self, session: Session, doc_id: int, extraction: Extraction, new: bool = False) -> list[str]:
        """Store facts and events (what the store refuses is reported, the rest kept). `new`: of a
        document saved in this savepoint (with its extractor version), which has none to replace.
        No savepoints needed: the store refuses facts or events before it writes any of them."""
        problems: list[str] = []
        try:
            if new:
                self.report.facts += insert_facts(session, doc_id, extraction.facts)
            else:
                self.report.facts += replace_facts(session, doc_id, extraction.facts)
        except ValueError as exc:
            problems.append(f"facts could not be stored: {exc}")
        try:
            self.report.events += record_events(session, doc_id, extraction.events, replacing=not new)
        except ValueError as exc:
            problems.append(f"events could not be stored: {exc}")
        if not new:
            repo.mark_extracted(session, doc_id, EXTRACTOR_VERSION, extraction.families)
        return problems


@dataclass(frozen=True)
class _Ready:
    """An analysed document waiting to be written, and the earlier version of its source it supersedes."""

    doc: Document
    previous: repo.DocumentSummary | None
    found: Analysis

    @functools.cached_property
    def families(self) -> tuple[str, ...]:
        extraction = self.found.extraction
        return extraction.families if extraction else keyword_families(self.doc.title, self.doc.clean_text)


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


@dataclass(frozen=True)
class Analysis:
    """What `analyse` found about a cleaned document: its dedupe keys and, unless turned off, its extraction."""

    text_sha256: str
    signature: bytes
    extraction: Extraction | None
    problem: str | None  # why extraction failed, if it did
    bands: tuple[int, ...] = ()  # the signature's LSH band keys (clean.dedupe.band_hashes)


@dataclass(frozen=True)
class OverBudget:
    """A stage stopped by the document's time budget. Returned, not raised: BudgetExceeded is a
    BaseException that executors need not pass on, and a cluster would run a raising task again."""

    reason: str


@dataclass(frozen=True)
class Timed(Generic[_T]):
    """A stage's result and the seconds it took where it ran (the queue's wait not counted)."""

    value: _T
    seconds: float


def read_within(raw: RawDocument, budget: InputBudget) -> Timed[ReadDocument] | OverBudget:
    """`read_document` within the budget's bytes, elements and seconds (CleanError for the first two)."""
    started = time.monotonic()
    try:
        with time_limit(budget.max_seconds, "this document"):
            read = read_document(raw, budget)
    except BudgetExceeded as exc:
        return OverBudget(exc.reason)
    return Timed(read, time.monotonic() - started)


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
    signature = _signer().signature(doc.clean_text)
    return Analysis(text_sha256(doc.clean_text), signature, extraction, problem, tuple(band_hashes(signature)))


@cache
def _signer() -> DuplicateIndex:
    """An empty index, for its MinHash permutations (made once per process)."""
    return DuplicateIndex()


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


_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


def _redact_in_text(text: str) -> str:
    """A message with any URL's `user:password@` removed."""
    return _USERINFO.sub("", text) if "@" in text else text


def extract(doc: Document) -> Extraction:
    """Facts and events of one document, and the commodity families they (or its words) are about."""
    extracted = extract_all(doc)  # the text read once for facts and events
    facts, events = extracted.facts, extracted.events
    named = [f.commodity for f in facts] + [c for e in events for c in e.commodities]
    families = families_of(named) or keyword_families(doc.title, doc.clean_text)
    return Extraction(facts, events, families, EXTRACTOR_VERSION)


def families_of(commodity_ids: Iterable[str]) -> tuple[str, ...]:
    """The summary families (magnesia, magnesium, graphite, rare_earths, magnets) of vocabulary ids."""
    found: set[str] = set()
    for commodity_id in commodity_ids:
        chain = ancestors(commodity_id)
        if chain:
            found.add(FAMILY_OF_ROOT.get(chain[-1], chain[-1]))
    return tuple(sorted(found))


def keyword_families(title: str | None, text: str) -> tuple[str, ...]:
    """Families whose vocabulary wordings occur in the text, for documents without facts.

    One Aho-Corasick pass over the lower-cased text; Latin wordings must not sit inside a word, and
    four-letter ones (SmCo) count only as written.
    """
    haystack = f"{title or ''}\n{text}"
    lowered = haystack.lower()
    same_length = len(lowered) == len(haystack)  # lower() lengthens a few letters (İ); then case is not checked
    automaton, total = _family_automaton()
    found: set[str] = set()
    for end, entries in automaton.iter(lowered):
        for family, wording in entries:
            if family in found:
                continue
            start = end - len(wording) + 1
            if wording.isascii() and not _stands_alone(lowered, start, end):
                continue
            if len(wording) == MIN_SYMBOL_CHARS and same_length and haystack[start : end + 1] != wording:
                continue
            found.add(family)
        if len(found) == total:
            break
    return tuple(sorted(found))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not inside a longer word; a plural "s" may follow (graphite → graphites)."""
    if end + 1 < len(text) and text[end + 1] == "s":
        end += 1
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (_is_latin_word_char(before) or _is_latin_word_char(after))


def _is_latin_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


@cache
def _family_automaton() -> tuple[Any, int]:
    """An automaton from lower-cased wordings to their (family, wording) pairs, and the number of families."""
    entries: dict[str, list[tuple[str, str]]] = {}
    wordings = [(c.id, w) for c in commodities().values() for w in c.wordings]
    wordings += [(row["id"], row["wording"]) for row in read_rows(EXTRA_WORDINGS) if row.get("wording")]
    for commodity_id, wording in wordings:
        family = families_of([commodity_id])
        if not family or (wording.isascii() and len(wording.strip()) < MIN_SYMBOL_CHARS):
            continue  # FM, Nd, DBM, REO: too ambiguous in running text without the extractor's context
        pairs = entries.setdefault(wording.strip().lower(), [])
        if (family[0], wording.strip()) not in pairs:
            pairs.append((family[0], wording.strip()))
    automaton = ahocorasick.Automaton()
    for key, pairs in entries.items():
        automaton.add_word(key, pairs)
    automaton.make_automaton()
    return automaton, len({family for pairs in entries.values() for family, _ in pairs})


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
