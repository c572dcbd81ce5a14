"""Crawling the sources users chose, on their schedules: feeds, sitemaps and pages.

Fetching itself is `assay.sources` (vetted addresses, robots.txt, size cap, redirects); this module
adds what a schedule needs: which sources are due, conditional GET (ETag, Last-Modified) for sources
and the pages they list, a per-host rate limit, retries with backoff within a run, and a source's
backoff across runs when it keeps failing. What it fetches goes through the ingest pipeline, then the
watch rules run. Every outcome is one line in the crawl log; nothing already stored is changed.

    summary = Crawler(store, CrawlOptions()).run_once()
    Crawler(store, options, stop=threading.Event()).forever()   # until stop is set (a signal)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from assay.pipeline import IngestOptions, ingest_documents
from assay.publish.digest import DigestOptions, gather_digest
from assay.publish.notify import DeliveryError, deliver_due, digest_message
from assay.publish.watch import run_rules
from assay.sources import RawDocument, SourceError, SourceOptions
from assay.sources.sitemap import parse_sitemap
from assay.sources.transport import HttpClientTransport, Request, Response, Transport
from assay.sources.web import Fetched, WebFetcher, feed_entries, raw_document
from assay.store import crawl as repo
from assay.store.db import Store
from assay.store.watch import enqueue, utc_now

RETRYABLE = ("HTTP 5", "timed out", "connection refused", "connection lost", "cannot reach", "bad HTTP response")
IDLE_POLL = timedelta(seconds=60)
DIGEST_WINDOW = timedelta(days=1)  # forever: look for newly added sources at least this often


@dataclass(frozen=True)
class CrawlOptions:
    sources: SourceOptions = field(default_factory=lambda: SourceOptions(timeout_s=15.0, max_bytes=20 * 1024 * 1024))
    host_interval_s: float = 1.0  # at most one request per host per this many seconds
    retries: int = 2  # more attempts for a fetch that failed in a way that may pass (5xx, timeouts)
    retry_base_s: float = 2.0  # wait before the first retry; doubles for each next one
    max_pages_per_source: int = 200
    max_sitemap_depth: int = 3
    run_watch: bool = True
    digest_to: tuple[str, ...] = ()  # subscribers of the daily digest (mailto: or webhook), sent after a round
    show_progress: bool = True
    workers: int = 1


@dataclass
class CrawlSummary:
    rounds: int = 0
    sources: int = 0
    pages: int = 0
    not_modified: int = 0
    added: int = 0
    unchanged: int = 0
    facts: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    watch_matches: int = 0
    notifications_sent: int = 0
    notifications_retrying: int = 0
    stopped: bool = False

    def lines(self) -> list[str]:
        out = [
            f"crawled {self.sources} sources in {self.rounds} rounds: {self.pages} pages fetched, "
            f"{self.not_modified} not modified, {self.added} documents added, {self.unchanged} unchanged; "
            f"{self.facts} facts, {self.events} events extracted; {len(self.errors)} errors",
        ]
        if self.watch_matches or self.notifications_sent or self.notifications_retrying:
            out.append(
                f"watch: {self.watch_matches} matches; {self.notifications_sent} notifications sent, "
                f"{self.notifications_retrying} to retry"
            )
        if self.stopped:
            out.append("stopped by a signal; the next crawl goes on from here")
        return out


class HostRateLimit:
    """A transport that spaces requests to one host by `interval_s` (waiting stops early on `stop`)."""

    def __init__(self, inner: Transport, interval_s: float, stop: threading.Event) -> None:
        self.inner = inner
        self.interval_s = interval_s
        self.stop = stop
        self._last: dict[str, float] = {}

    def send(self, request: Request) -> Response:
        host = (request.url.hostname or "").lower()
        wait = self._last.get(host, float("-inf")) + self.interval_s - time.monotonic()
        if wait > 0:
            self.stop.wait(wait)
        self._last[host] = time.monotonic()
        return self.inner.send(request)


class Crawler:
    def __init__(
        self,
        store: Store,
        options: CrawlOptions,
        stop: threading.Event | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.store = store
        self.options = options
        self.stop = stop or threading.Event()
        limited = HostRateLimit(transport or HttpClientTransport(), options.host_interval_s, self.stop)
        self.fetcher = WebFetcher(options.sources, transport=limited)
        self.summary = CrawlSummary()

    # ---- the schedule ----

    def run_once(self, now: datetime | None = None) -> CrawlSummary:
        """Crawl every source that is due, then run the watch rules."""
        now = now or utc_now()
        with self.store.session() as session:
            due = repo.due_sources(session, now)
        self.summary.rounds += 1
        with self._progress(len(due)) as advance:
            for source in due:
                if self.stop.is_set():
                    self.summary.stopped = True
                    break
                self._crawl_source(source)
                advance(source.url)
        if self.options.run_watch:
            self._watch()
        return self.summary

    def forever(self) -> CrawlSummary:
        """Crawl what is due, sleep until the next source is due, again, until `stop` is set."""
        while not self.stop.is_set():
            self.run_once()
            with self.store.session() as session:
                upcoming = repo.next_due(session)
            wait = IDLE_POLL if upcoming is None else min(max(upcoming - utc_now(), timedelta(0)), IDLE_POLL)
            self.stop.wait(max(wait.total_seconds(), 0.05))
        self.summary.stopped = True
        return self.summary

    # ---- one source ----

    def _crawl_source(self, source: repo.CrawlSource) -> None:
        self.summary.sources += 1
        try:
            self.fetcher.check_robots(source.url)
            fetched = self._fetch(source.url, repo.Validators(source.etag, source.last_modified))
            if fetched.not_modified:
                self.summary.not_modified += 1
                self._log(source.id, source.url, "not-modified", "not modified since the last crawl (HTTP 304)")
                message = None
            elif source.kind == "page":
                message = self._ingest(source, [raw_document(source.url, fetched)], [])
            elif source.kind == "feed":
                message = self._crawl_listing(source, self._feed_pages(source.url, fetched))
            else:
                message = self._crawl_listing(source, self._sitemap_pages(source.url, fetched, 0, {source.url}))
        except SourceError as exc:
            self._failed(source, str(exc))
            return
        with self.store.transaction() as session:
            validators = repo.Validators(fetched.etag or source.etag, fetched.last_modified or source.last_modified)
            repo.record_success(session, source.id, validators, utc_now())
            if message:
                repo.log(session, source.id, source.url, "ok", message, utc_now())

    def _failed(self, source: repo.CrawlSource, reason: str) -> None:
        with self.store.transaction() as session:
            wait = repo.record_failure(session, source.id, utc_now())
            line = f"{reason} (failure {source.failures + 1}; next try in {_human(wait)})"
            repo.log(session, source.id, source.url, "error", line, utc_now())
        self.summary.errors.append(f"{source.url}: {line}")

    def _feed_pages(self, url: str, fetched: Fetched) -> Iterator[tuple[str, str | None, str | None] | SourceError]:
        for entry in feed_entries(url, fetched):
            yield entry if isinstance(entry, SourceError) else (entry.url, entry.title, entry.published)

    def _sitemap_pages(
        self, url: str, fetched: Fetched, depth: int, seen: set[str]
    ) -> Iterator[tuple[str, str | None, str | None] | SourceError]:
        sitemap = parse_sitemap(url, fetched.body)
        for page, lastmod in sitemap.pages:
            yield page, None, lastmod[:10] if lastmod else None
        for child in sitemap.children:
            if child in seen:
                yield SourceError(url, f"sitemap loop: {child} was already read")
                continue
            if depth + 1 > self.options.max_sitemap_depth:
                yield SourceError(child, f"sitemap nesting deeper than {self.options.max_sitemap_depth}; not read")
                continue
            seen.add(child)
            try:
                child_fetched = self._fetch(child, repo.Validators())
                yield from self._sitemap_pages(child, child_fetched, depth + 1, seen)
            except SourceError as exc:
                yield exc

    def _crawl_listing(
        self, source: repo.CrawlSource, pages: Iterator[tuple[str, str | None, str | None] | SourceError]
    ) -> str:
        """Fetch the pages a feed or sitemap lists (conditionally), then ingest them together."""
        raws: list[RawDocument] = []
        errors: list[SourceError] = []
        not_modified = listed = 0
        for item in pages:
            if self.stop.is_set():
                self.summary.stopped = True
                break
            if isinstance(item, SourceError):
                errors.append(item)
                continue
            listed += 1
            if listed > self.options.max_pages_per_source:
                errors.append(
                    SourceError(
                        source.url,
                        f"lists more than {self.options.max_pages_per_source} pages; the rest wait for the next crawl",
                    )
                )
                break
            url, title, published = item
            try:
                with self.store.session() as session:
                    known = repo.page_validators(session, url)
                self.fetcher.check_robots(url)
                fetched = self._fetch(url, known)
                with self.store.transaction() as session:
                    repo.save_page_validators(
                        session, url, repo.Validators(fetched.etag, fetched.last_modified), utc_now()
                    )
                if fetched.not_modified:
                    not_modified += 1
                    self.summary.not_modified += 1
                    continue
                raws.append(raw_document(url, fetched, title, published))
            except SourceError as exc:
                errors.append(exc)
        message = self._ingest(source, raws, errors)
        return f"{source.kind}: {listed} pages listed, {not_modified} not modified; {message}"

    def _ingest(self, source: repo.CrawlSource, raws: list[RawDocument], errors: list[SourceError]) -> str:
        self.summary.pages += len(raws)
        options = IngestOptions(sources=self.options.sources, show_progress=False, workers=self.options.workers)
        report = ingest_documents(iter(raws), options, self.store, len(raws))
        self.summary.added += report.added
        self.summary.unchanged += report.skipped_unchanged
        self.summary.facts += report.facts
        self.summary.events += report.events
        failures = [(e.source, e.reason) for e in errors] + list(report.failures)
        with self.store.transaction() as session:
            for where, reason in failures:
                repo.log(session, source.id, where, "error", reason, utc_now())
        self.summary.errors += [f"{where}: {reason}" for where, reason in failures]
        return (
            f"{len(raws)} fetched, {report.added} added, {report.duplicates} duplicates, "
            f"{report.skipped_unchanged} unchanged, {len(failures)} failed"
        )

    def _fetch(self, url: str, known: repo.Validators) -> Fetched:
        """A (conditional) GET, retried with a doubling wait when the failure may pass."""
        attempt = 0
        while True:
            try:
                return self.fetcher.fetch(url, etag=known.etag, last_modified=known.last_modified)
            except SourceError as exc:
                if attempt >= self.options.retries or not any(word in exc.reason for word in RETRYABLE):
                    raise
                if self.stop.wait(self.options.retry_base_s * 2**attempt):
                    raise
                attempt += 1

    def _watch(self) -> None:
        outcomes = run_rules(self.store)
        self.summary.watch_matches += sum(len(o.matches) for o in outcomes)
        if self.options.digest_to:
            now = utc_now()
            with self.store.session() as session:
                digest = gather_digest(session, DigestOptions(since=now - DIGEST_WINDOW))
            with self.store.transaction() as session:
                for target in self.options.digest_to:  # the key holds the day: one digest a day each
                    enqueue(session, digest_message(digest, target, now))
        try:
            report = deliver_due(self.store)
        except DeliveryError as exc:  # an unreadable config file: the messages stay queued
            self.summary.errors.append(f"notifications: {exc}")
            return
        self.summary.notifications_sent += len(report.sent)
        self.summary.notifications_retrying += report.failed
        self.summary.errors += [f"notification to {n.message.target}: {why}" for n, why, _ in report.retrying]

    def _log(self, source_id: int, url: str, outcome: str, message: str) -> None:
        with self.store.transaction() as session:
            repo.log(session, source_id, url, outcome, message, utc_now())

    def _progress(self, total: int) -> AbstractContextManager[_Advance]:
        if not self.options.show_progress or total == 0:
            return nullcontext(_Advance(None, None))
        return _ProgressBar(total)


class _Advance:
    def __init__(self, progress: Progress | None, task: object) -> None:
        self.progress = progress
        self.task = task

    def __call__(self, url: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=url[-60:])  # type: ignore[arg-type]  # a TaskID


class _ProgressBar(AbstractContextManager[_Advance]):
    def __init__(self, total: int) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("crawling {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.total = total

    def __enter__(self) -> _Advance:
        self.progress.start()
        return _Advance(self.progress, self.progress.add_task("", total=self.total))

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _human(wait: timedelta) -> str:
    seconds = int(wait.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:g}{unit}" if seconds % size == 0 else f"{seconds / size:.1f}{unit}"
    return f"{seconds}s"
