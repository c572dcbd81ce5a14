"""Crawl sources, the validators of pages already fetched, and the crawl log.

A source has a kind (feed, sitemap, page), a period (`every_s`) and the date it is next due.
A failed fetch doubles its wait (up to BACKOFF_LIMIT periods, capped at MAX_WAIT); a success
resets it. Every function takes a Session; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.store.schema import CrawlLogRow, CrawlPageRow, CrawlSourceRow

SOURCE_KINDS = ("feed", "sitemap", "page")
BACKOFF_LIMIT = 6  # a failing source waits at most 2**6 times its period
MAX_WAIT = timedelta(days=7)


class CrawlStoreError(ValueError):
    """A crawl source that cannot be added or found as given."""


@dataclass(frozen=True)
class CrawlSource:
    id: int
    url: str
    kind: str
    every_s: int
    etag: str | None
    last_modified: str | None
    next_due: datetime
    failures: int
    backoff_s: int
    last_crawled_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "kind": self.kind,
            "every_s": self.every_s,
            "next_due": self.next_due.isoformat(),
            "failures": self.failures,
            "backoff_s": self.backoff_s,
            "last_crawled_at": self.last_crawled_at.isoformat() if self.last_crawled_at else None,
        }


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified of the copy we have."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class LogLine:
    source_id: int | None
    url: str
    outcome: str
    message: str
    at: datetime


def add_source(session: Session, url: str, kind: str, every_s: int, now: datetime) -> int:
    if kind not in SOURCE_KINDS:
        raise CrawlStoreError(f"unknown kind {kind!r} (one of {', '.join(SOURCE_KINDS)})")
    if every_s <= 0:
        raise CrawlStoreError("the period must be positive")
    if session.scalar(select(CrawlSourceRow.id).where(CrawlSourceRow.url == url)) is not None:
        raise CrawlStoreError(f"{url} is already a source")
    row = CrawlSourceRow(url=url, kind=kind, every_s=every_s, next_due=now, failures=0, backoff_s=0, added_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise CrawlStoreError(f"{url} is already a source") from None
    return row.id


def list_sources(session: Session) -> list[CrawlSource]:
    return [_source(row) for row in session.scalars(select(CrawlSourceRow).order_by(CrawlSourceRow.id))]


def due_sources(session: Session, now: datetime) -> list[CrawlSource]:
    query = select(CrawlSourceRow).where(CrawlSourceRow.next_due <= now).order_by(CrawlSourceRow.next_due)
    return [_source(row) for row in session.scalars(query)]


def next_due(session: Session) -> datetime | None:
    """When the earliest source is due, or None when there are no sources."""
    return session.scalar(select(CrawlSourceRow.next_due).order_by(CrawlSourceRow.next_due).limit(1))


def remove_source(session: Session, id_or_url: str) -> None:
    column = CrawlSourceRow.id if id_or_url.isdigit() else CrawlSourceRow.url
    key: int | str = int(id_or_url) if id_or_url.isdigit() else id_or_url
    if session.execute(delete(CrawlSourceRow).where(column == key)).rowcount == 0:  # type: ignore[attr-defined]  # CursorResult
        raise CrawlStoreError(f"no source {id_or_url}")


def record_success(session: Session, source_id: int, validators: Validators, now: datetime) -> None:
    row = _row(session, source_id)
    row.etag, row.last_modified = validators.etag, validators.last_modified
    row.failures, row.backoff_s = 0, 0
    row.last_crawled_at = now
    row.next_due = now + timedelta(seconds=row.every_s)


def record_failure(session: Session, source_id: int, now: datetime) -> timedelta:
    """One more failure: the source is due again after its period times 2**failures (capped); returns the wait."""
    row = _row(session, source_id)
    row.failures += 1
    wait = min(timedelta(seconds=row.every_s * 2 ** min(row.failures, BACKOFF_LIMIT)), MAX_WAIT)
    row.backoff_s = int(wait.total_seconds()) - row.every_s if wait.total_seconds() > row.every_s else 0
    row.last_crawled_at = now
    row.next_due = now + wait
    return wait


def page_validators(session: Session, url: str) -> Validators:
    row = session.get(CrawlPageRow, url[:2000])
    return Validators() if row is None else Validators(row.etag, row.last_modified)


def save_page_validators(session: Session, url: str, validators: Validators, now: datetime) -> None:
    row = session.get(CrawlPageRow, url[:2000])
    if row is None:
        session.add(
            CrawlPageRow(url=url[:2000], etag=validators.etag, last_modified=validators.last_modified, checked_at=now)
        )
    else:
        row.etag, row.last_modified, row.checked_at = validators.etag, validators.last_modified, now


def log(session: Session, source_id: int | None, url: str, outcome: str, message: str, now: datetime) -> None:
    session.execute(
        insert(CrawlLogRow).values(source_id=source_id, url=url, outcome=outcome, message=message[:2000], at=now)
    )


def recent_log(session: Session, limit: int = 50, source_id: int | None = None) -> list[LogLine]:
    query = select(CrawlLogRow).order_by(CrawlLogRow.id.desc()).limit(limit)
    if source_id is not None:
        query = query.where(CrawlLogRow.source_id == source_id)
    return [LogLine(r.source_id, r.url, r.outcome, r.message, r.at) for r in session.scalars(query)]


def _row(session: Session, source_id: int) -> CrawlSourceRow:
    row = session.get(CrawlSourceRow, source_id)
    if row is None:
        raise CrawlStoreError(f"no source {source_id}")
    return row


def _source(row: CrawlSourceRow) -> CrawlSource:
    return CrawlSource(
        id=row.id,
        url=row.url,
        kind=row.kind,
        every_s=row.every_s,
        etag=row.etag,
        last_modified=row.last_modified,
        next_due=row.next_due,
        failures=row.failures,
        backoff_s=row.backoff_s,
        last_crawled_at=row.last_crawled_at,
    )
