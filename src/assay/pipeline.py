"""The ingest pipeline: sources -> clean -> dedupe -> extract -> store, committed in small batches.

    report = ingest(["corpus/", "https://example.com/a"], IngestOptions(SourceOptions()), open_store(url))

Idempotent: an input whose (source, raw bytes) is already stored is skipped, unless it was
extracted by another EXTRACTOR_VERSION, in which case its facts and events are extracted again.
Versioned: an input whose source is stored with other bytes is a new version of that document;
it is stored and extracted, and the earlier version is marked superseded (its facts and events
stay, out of every analysis). Bounded: each document's cleaning and extraction run within the
budget of SourceOptions.budget (bytes, elements, seconds); one over it is a failure, not stored.
Crash-safe: documents are committed in small batches (every COMMIT_EVERY_DOCUMENTS documents or
COMMIT_EVERY_SECONDS, whichever comes first), each document's writes in a savepoint of its own, so
a killed run loses at most the last half second of work and a re-run finishes the job.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from assay.clean import CleanError, CleaningContext, clean_document
from assay.clean.dedupe import DuplicateIndex, text_sha256
from assay.extract import EXTRACTOR_VERSION
from assay.extract.events import extract_events
from assay.extract.facts import extract_facts
from assay.model import Document, Event, Fact
from assay.progress import LONG_DOCUMENT_BYTES, IngestProgress
from assay.sources import BudgetExceeded, RawDocument, SourceError, SourceOptions, iter_sources
from assay.sources.base import SUFFIX_TYPES
from assay.sources.budget import time_limit
from assay.sources.web import redact_userinfo
from assay.store import documents as repo
from assay.store.db import Store, refresh_statistics
from assay.store.events import record_events
from assay.store.facts import replace_facts
from assay.vocab import ancestors, commodities, read_rows
from assay.workers import end_with_parent

# A commit (WAL write, FTS segment flush) costs as much as storing a few documents; a batch shares it.
COMMIT_EVERY_DOCUMENTS = 20
COMMIT_EVERY_SECONDS = 0.5
IN_FLIGHT_PER_WORKER = 4  # documents queued per worker process before the parent waits
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


def reextract(store: Store, document_ids: Sequence[int] | None, options: IngestOptions) -> IngestReport:
    """Run the current extractor again on stored originals (every one, or `document_ids`), as a new
    extractor version does at ingest; analysts' corrections are applied again (store/corrections.py).
    Raises LookupError naming an id that is not stored, before anything is written."""
    run = _Run(replace(options, extract=True), store)
    try:
        session = run.batch.session
        ids = list(document_ids) if document_ids is not None else repo.original_ids(session)
        summaries = [repo.get_summary(session, doc_id) for doc_id in ids]
        missing = [doc_id for doc_id, summary in zip(ids, summaries, strict=True) if summary is None]
        if missing:
            raise LookupError(f"no document {missing[0]}")
        with IngestProgress(options.show_progress, len(ids)) as progress:
            run.progress = progress
            for summary in summaries:
                assert summary is not None
                run.revisit(summary, force=True)
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
    """A transaction several documents share, each writing in a savepoint of its own (`document()`) so
    that one failing is rolled back alone; committed every few documents or a fraction of a second."""

    def __init__(self, store: Store) -> None:
        self.session = store.write_session()
        self.documents = 0
        self.opened_at: float | None = None

    @contextmanager
    def document(self) -> Iterator[Session]:
        if self.opened_at is None:
            self.opened_at = time.monotonic()
        with self.session.begin_nested():
            yield self.session

    def done_one(self) -> None:
        if not self.session.in_transaction():
            return
        if self.opened_at is None:  # only lookups so far, yet on SQLite they hold the write lock too
            self.opened_at = time.monotonic()
        self.documents += 1
        if self.documents >= COMMIT_EVERY_DOCUMENTS or time.monotonic() - self.opened_at >= COMMIT_EVERY_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.session.commit()
        self.documents = 0
        self.opened_at = None

    def close(self) -> None:
        """Commit the documents finished so far (each whole, thanks to its savepoint), then release the session."""
        try:
            if self.session.in_transaction():
                self.commit()
        except SQLAlchemyError:
            self.session.rollback()
        finally:
            self.session.close()


class _Run:
    """One ingest run: the duplicate index, the cleaning context and the report it fills.

    With `workers > 1`, extraction runs in a process pool: each original is committed first
    (extracted_with unset), and its facts and events in a second commit when the pool returns
    them; a run killed in between leaves documents that the next run extracts.
    """

    def __init__(self, options: IngestOptions, store: Store) -> None:
        self.options = options
        self.store = store
        self.report = IngestReport()
        self.context = CleaningContext(budget=options.sources.budget)
        self.batch = _Batch(store)
        # lookups read through their own session, so the write lock is taken only to write (an
        # in-memory database has one connection for everything: there the batch's session reads)
        shared = isinstance(store.engine.pool, StaticPool)
        self.reader = self.batch.session if shared else store.session()
        self.progress = IngestProgress(False, None)
        self._index: DuplicateIndex | None = None
        self._indexed_up_to = 0  # the largest document id the duplicate index has seen stored
        self.pool: ProcessPoolExecutor | None = None
        if options.extract and options.workers > 1:
            # spawn: children must not inherit the parent's open database connections; each child
            # ends with this process however it ends (workers.py)
            self.pool = ProcessPoolExecutor(
                options.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=end_with_parent,
                initargs=(os.getpid(),),
            )
        self.pending: deque[_Pending] = deque()

    @property
    def index(self) -> DuplicateIndex:
        """The duplicate index, loaded from the store when a new document first needs it (re-runs may never)."""
        if self._index is None:
            self._index = DuplicateIndex()
            self._catch_up(self.reader)
            self._end_read()
        return self._index

    def _catch_up(self, session: Session) -> None:
        """Add to the duplicate index the originals stored since it last looked (by other processes too)."""
        assert self._index is not None
        for doc_id, digest, signature in repo.iter_originals_for_dedupe(session, after_id=self._indexed_up_to):
            if signature is not None:
                self._index.add(doc_id, digest, signature)
            self._indexed_up_to = max(self._indexed_up_to, doc_id)

    def _stored_meanwhile_as_original(
        self, session: Session, digest: str, signature: bytes, previous: repo.DocumentSummary | None
    ) -> int | None:
        """Under the write lock, just before storing an original: the original another process stored
        since this one looked, if this text duplicates it. Concurrent runs then dedupe as one would."""
        self._catch_up(session)
        earlier = frozenset({previous.id} if previous is not None else ())
        return self.index.find(digest, signature, exclude=earlier)

    def _end_read(self) -> None:
        """End the lookup's read transaction, so the next one sees what other writers committed since."""
        if self.reader is not self.batch.session:
            self.reader.rollback()

    def fail(self, source: str, reason: str) -> None:
        source, reason = redact_userinfo(source), _redact_in_text(reason)
        self.report.failures.append((source, reason))
        with self.batch.document() as session:
            repo.record_failure(session, source, reason)

    def finish(self) -> None:
        while self.pending:
            self._collect_oldest()
        self.batch.commit()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.batch.close()
        if self.reader is not self.batch.session:
            self.reader.close()

    def take(self, raw: RawDocument) -> None:
        raw_sha256 = hashlib.sha256(raw.data).hexdigest()
        source = stored_source(raw.source)
        stored = repo.find_by_source_and_hash(self.reader, source, raw_sha256)
        previous = repo.find_current_version(self.reader, source) if stored is None else None
        self._end_read()
        if stored is not None:
            self.revisit(stored)
            return
        index = self.index  # loaded before the clock starts: the store's size is not this document's cost
        budget = self.options.sources.budget
        size = len(raw.data)
        if size >= LONG_DOCUMENT_BYTES:
            self.batch.commit()  # other writers need not wait for this document's cleaning and extraction
        started = time.monotonic()
        try:
            with time_limit(budget.max_seconds, "this document"):
                self.progress.document_stage(raw.name, size, "cleaning")
                doc = replace(clean_document(raw, self.context), raw_sha256=raw_sha256, source=source)
                digest = text_sha256(doc.clean_text)
                signature = index.signature(doc.clean_text)
                earlier = frozenset({previous.id} if previous is not None else ())
                original = index.find(digest, signature, exclude=earlier)
                extraction: Extraction | None = None
                problems: list[str] = []
                if original is None and self.options.extract and self.pool is None:
                    self.progress.document_stage(raw.name, size, "extracting")
                    try:
                        extraction = extract(doc)
                    except Exception as exc:  # a rule bug must not stop the run; the input is reported
                        problems.append(f"extraction failed: {type(exc).__name__}: {exc}")
        except CleanError as exc:
            self.fail(raw.source, exc.reason)
            return
        except BudgetExceeded as exc:
            self.fail(raw.source, exc.reason)
            return
        self.progress.document_stage(raw.name, size, "storing")
        if original is not None:
            self._save_duplicate(replace(doc, duplicate_of=original), digest, signature)
            return
        if self.pool is not None:
            seconds_left = max(1.0, budget.max_seconds - (time.monotonic() - started))
            self._save_for_pool(doc, digest, signature, previous, seconds_left)
            return
        self._save_original(doc, digest, signature, previous, extraction, problems)

    def revisit(self, stored: repo.DocumentSummary, force: bool = False) -> None:
        """An input already stored: re-extract it if the extractor changed (or `force`), else skip it. An
        earlier version whose content came back (the source reverted) becomes the current version again."""
        if stored.superseded_by is not None:
            with self.batch.document() as session:
                repo.make_current(session, stored.id, stored.source)
            self.report.new_versions += 1
        current = stored.extracted_with == EXTRACTOR_VERSION and not force
        if not self.options.extract or stored.duplicate_of is not None or current:
            self.report.skipped_unchanged += 1
            return
        doc = repo.get_document(self.reader, stored.id)
        self._end_read()
        assert doc is not None  # found a moment ago; documents are never deleted by ingest
        seconds = self.options.sources.budget.max_seconds
        if self.pool is not None:
            future = self.pool.submit(extract_within, doc, seconds)
            self._submit(_Pending(future, stored.id, stored.source, doc, reextract=True))
            return
        try:
            extraction = extract_within(doc, seconds)
        except BudgetExceeded as exc:
            self.fail(stored.source, f"re-extraction {exc.reason}")
            return
        except Exception as exc:  # a rule bug must not stop the run; the input is reported
            self.fail(stored.source, f"re-extraction failed: {type(exc).__name__}: {exc}")
            return
        with self.batch.document() as session:
            problems = self._write_extraction(session, stored.id, extraction)
        self.report.reextracted += 1
        for problem in problems:
            self.fail(stored.source, problem)

    def _save_duplicate(self, doc: Document, digest: str, signature: bytes) -> None:
        try:
            with self.batch.document() as session:
                repo.save_document(session, doc, digest, signature)
        except IntegrityError as exc:
            self._stored_meanwhile(doc, exc)
            return
        self.report.duplicates += 1

    def _stored_meanwhile(self, doc: Document, exc: IntegrityError) -> None:
        """After an IntegrityError: another process stored the same input meanwhile (fine), or a real fault."""
        if repo.find_by_source_and_hash(self.batch.session, doc.source, doc.raw_sha256) is None:
            raise exc
        self.report.skipped_unchanged += 1

    def _save_original(
        self,
        doc: Document,
        digest: str,
        signature: bytes,
        previous: repo.DocumentSummary | None,
        extraction: Extraction | None,
        problems: list[str],
    ) -> None:
        families = extraction.families if extraction else keyword_families(doc.title, doc.clean_text)
        try:
            with self.batch.document() as session:
                late = self._stored_meanwhile_as_original(session, digest, signature, previous)
                if late is not None:
                    repo.save_document(session, replace(doc, duplicate_of=late), digest, signature)
                    self.report.duplicates += 1
                    return
                version = EXTRACTOR_VERSION if extraction is not None else None
                doc_id = repo.save_document(session, doc, digest, signature, families, extracted_with=version)
                if extraction is not None:
                    problems.extend(self._write_extraction(session, doc_id, extraction, mark=False))
                self._supersede(session, previous, doc_id)
        except IntegrityError as exc:
            self._stored_meanwhile(doc, exc)
            return
        self.index.add(doc_id, digest, signature)
        self.report.added += 1
        self.report.by_lang[doc.lang or "unknown"] += 1
        self.report.by_source[doc.source_name or "unknown"] += 1
        self.report.by_family.update(families or ("none",))
        for problem in problems:
            self.fail(doc.source, problem)

    def _supersede(self, session: Session, previous: repo.DocumentSummary | None, doc_id: int) -> None:
        """Mark the source's earlier version superseded by `doc_id` (its facts and events leave the analyses)."""
        if previous is not None:
            repo.supersede(session, previous.id, doc_id)
            self.report.new_versions += 1

    def _save_for_pool(
        self, doc: Document, digest: str, signature: bytes, previous: repo.DocumentSummary | None, seconds: float
    ) -> None:
        assert self.pool is not None
        try:
            with self.batch.document() as session:
                late = self._stored_meanwhile_as_original(session, digest, signature, previous)
                if late is not None:
                    repo.save_document(session, replace(doc, duplicate_of=late), digest, signature)
                    self.report.duplicates += 1
                    return
                doc_id = repo.save_document(session, doc, digest, signature)
        except IntegrityError as exc:
            self._stored_meanwhile(doc, exc)
            return
        self.index.add(doc_id, digest, signature)
        self.report.added += 1
        self.report.by_lang[doc.lang or "unknown"] += 1
        self.report.by_source[doc.source_name or "unknown"] += 1
        future = self.pool.submit(extract_within, doc, seconds)
        self._submit(_Pending(future, doc_id, doc.source, doc, reextract=False, previous=previous))

    def _submit(self, pending: _Pending) -> None:
        self.pending.append(pending)
        while len(self.pending) > IN_FLIGHT_PER_WORKER * self.options.workers:
            self._collect_oldest()

    def _collect_oldest(self) -> None:
        """Store the extraction of the oldest document sent to the pool (results are kept in order)."""
        pending = self.pending.popleft()
        try:
            extraction = pending.future.result()
        except BudgetExceeded as exc:  # over its time: the document goes too (nothing stored for it)
            if not pending.reextract:
                with self.batch.document() as session:
                    repo.delete_document(session, pending.doc_id)
                self.report.added -= 1
                self.report.by_lang[pending.doc.lang or "unknown"] -= 1
                self.report.by_source[pending.doc.source_name or "unknown"] -= 1
            self.fail(pending.source, exc.reason)
            return
        except Exception as exc:  # a rule bug, or a worker that died: the input is reported
            if not pending.reextract:
                self.report.by_family.update(keyword_families(pending.doc.title, pending.doc.clean_text) or ("none",))
            self.fail(pending.source, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        with self.batch.document() as session:
            problems = self._write_extraction(session, pending.doc_id, extraction)
            if not pending.reextract:
                self._supersede(session, pending.previous, pending.doc_id)
        if pending.reextract:
            self.report.reextracted += 1
        else:
            self.report.by_family.update(extraction.families or ("none",))
        for problem in problems:
            self.fail(pending.source, problem)

    def _write_extraction(self, session: Session, doc_id: int, extraction: Extraction, mark: bool = True) -> list[str]:
        """Store facts and events (what the store refuses is reported, the rest kept); `mark`: set extracted_with."""
        problems: list[str] = []
        try:  # no savepoint needed: replace_facts refuses before it writes anything
            self.report.facts += replace_facts(session, doc_id, extraction.facts)
        except ValueError as exc:
            problems.append(f"facts could not be stored: {exc}")
        try:
            with session.begin_nested():
                self.report.events += record_events(session, doc_id, extraction.events)
        except ValueError as exc:
            problems.append(f"events could not be stored: {exc}")
        if mark:
            repo.mark_extracted(session, doc_id, EXTRACTOR_VERSION, extraction.families)
        return problems


@dataclass(frozen=True)
class _Pending:
    future: Future[Extraction]
    doc_id: int
    source: str
    doc: Document
    reextract: bool
    previous: repo.DocumentSummary | None = None


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


def extract_within(doc: Document, seconds: float) -> Extraction:
    """`extract(doc)` within `seconds` (BudgetExceeded past them); what the worker processes run."""
    with time_limit(seconds, "extracting this document"):
        return extract(doc)


def extract(doc: Document) -> Extraction:
    """Facts and events of one document, and the commodity families they (or its words) are about."""
    facts = extract_facts(doc)
    events = extract_events(doc)
    named = [f.commodity for f in facts] + [c for e in events for c in e.commodities]
    families = families_of(named) or keyword_families(doc.title, doc.clean_text)
    return Extraction(facts, events, families)


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
