"""The ingest's writes: a transaction several documents share (`Batch`), and the documents that wait
in it to be written together (`Writer`).

An analysed new document waits until the batch commits; then the waiting ones are written whole
(documents, facts, events) in one savepoint, after their duplicate lookup in the same transaction:
under the write lock, so originals that concurrent processes stored meanwhile are seen. One that may
duplicate a waiting one has those written first, so it finds them. If the store refuses anything of
the batch, its documents are written again one savepoint each, so a failing one loses nothing of the
others.
"""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from assay.clean.dedupe import signature_similarity
from assay.model import Document
from assay.pipeline.families import keyword_families
from assay.pipeline.stages import Analysis, Extraction
from assay.sources.web import redact_userinfo
from assay.store import documents as repo
from assay.store.db import Store
from assay.store.dedupe import Lookup, StoredDuplicateIndex
from assay.store.events import record_events, record_new_events
from assay.store.facts import insert_facts, insert_facts_of_documents, replace_facts
from assay.store.price_products import lock_fact_writers


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


class Batch:
    """A transaction several documents share, written in savepoints (`document()`) so that a failing
    write is rolled back alone; committed every `every_documents` documents or `every_seconds`, after
    `before_commit` wrote the documents waiting to be written."""

    def __init__(self, store: Store, every_documents: int, every_seconds: float) -> None:
        self.session = store.write_session()
        self.every_documents = every_documents
        self.every_seconds = every_seconds
        self.documents = 0
        self.opened_at: float | None = None
        self.locked = False  # this transaction holds the fact writers' lock (PostgreSQL)
        self.before_commit: Callable[[], None] = lambda: None  # writes what waits to be written

    @contextmanager
    def document(self) -> Iterator[Session]:
        if self.opened_at is None:
            self.opened_at = time.monotonic()
        if not self.locked:  # before the transaction's first write (see lock_fact_writers)
            lock_fact_writers(self.session)
            self.locked = True
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
        if self.documents >= self.every_documents or time.monotonic() - self.opened_at >= self.every_seconds:
            self.commit()

    def commit(self) -> None:
        self.before_commit()
        self.end_transaction()

    def end_transaction(self) -> None:
        self.session.commit()
        self.locked = False
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


@dataclass(frozen=True)
class Ready:
    """An analysed document waiting to be written, and the earlier version of its source it supersedes."""

    doc: Document
    previous: repo.DocumentSummary | None
    found: Analysis

    @functools.cached_property
    def families(self) -> tuple[str, ...]:
        extraction = self.found.extraction
        return extraction.families if extraction else keyword_families(self.doc.title, self.doc.clean_text)


class Writer:
    """Writes a run's documents, extractions and failures into its batch, and counts them in `report`
    (an IngestReport: added, duplicates, new versions, facts, events, failures)."""

    def __init__(self, batch: Batch, report: IngestReport) -> None:
        self.batch = batch
        self.report = report
        self.index = StoredDuplicateIndex(batch.session)
        # analysed new documents not yet written: written together before the batch commits
        self.waiting: list[Ready] = []
        self.waiting_digests: set[str] = set()
        self.waiting_bands: set[int] = set()
        batch.before_commit = self.write_waiting

    def fail(self, source: str, reason: str) -> None:
        """Record a failed input (after the documents waiting, so the store keeps the input order)."""
        source, reason = redact_userinfo(source), _redact_in_text(reason)
        self.report.failures.append((source, reason))
        self.write_waiting()
        with self.batch.document() as session:
            repo.record_failure(session, source, reason)

    def wait(self, item: Ready) -> None:
        """Queue the document to be written with the others of this batch; one that may duplicate a
        queued one has those written first, so that it finds them."""
        if self._may_duplicate_waiting(item.found):
            self.write_waiting()
        self.waiting.append(item)
        self.waiting_digests.add(item.found.text_sha256)
        self.waiting_bands.update(item.found.bands)
        self.batch.document_waits()

    def _may_duplicate_waiting(self, found: Analysis) -> bool:
        """Whether a waiting document has the same text, or one as similar as the index's threshold."""
        if found.text_sha256 in self.waiting_digests:
            return True
        if self.waiting_bands.isdisjoint(found.bands):
            return False
        threshold = self.index.threshold
        return any(signature_similarity(item.found.signature, found.signature) >= threshold for item in self.waiting)

    def write_waiting(self) -> None:
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

    def _store_together(self, session: Session, ready: Sequence[Ready]) -> tuple[list[int | None], int, int]:
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
                item.found.extraction.version if original is None and item.found.extraction is not None else None,
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
    def _lookup(item: Ready) -> Lookup:
        """What to look the document up by among the stored originals (not its own earlier version)."""
        earlier = frozenset({item.previous.id} if item.previous is not None else ())
        return Lookup(item.found.text_sha256, item.found.signature, earlier, item.found.bands)

    def _store_one(self, item: Ready) -> None:
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
                    version = extraction.version if extraction is not None else None
                    doc_id = repo.save_document(session, doc, digest, signature, item.families, extracted_with=version)
                    self.index.add_many([(doc_id, found.bands)])
                    if extraction is not None:
                        problems.extend(self.write_extraction(session, doc_id, extraction, new=True))
                    self._supersede(session, previous, doc_id)
        except IntegrityError as exc:
            self._stored_meanwhile(doc, exc)
            return
        self._count(item, original, problems)

    def _count(self, item: Ready, original: int | None, problems: list[str]) -> None:
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

    def write_extraction(self, session: Session, doc_id: int, extraction: Extraction, new: bool = False) -> list[str]:
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
            repo.mark_extracted(session, doc_id, extraction.version, extraction.families)
        return problems


_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


def _redact_in_text(text: str) -> str:
    """A message with any URL's `user:password@` removed."""
    return _USERINFO.sub("", text) if "@" in text else text
