"""Watch rules and the notification outbox.

A match becomes one outbox row whose `key` is unique, so evaluating the same rule twice queues it
once. Delivery claims due rows (state `pending`, `next_attempt_at` reached), and marks each `sent`
or schedules the next attempt; a failed attempt never drops a row. Every function takes a Session;
the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.store.schema import DocumentRow, EventRow, FactRow, NotificationRow, WatchRuleRow

PENDING, SENDING, SENT = "pending", "sending", "sent"
# A claimed row whose sender died is offered again after this long (see `claim_due`).
CLAIM_LEASE = timedelta(minutes=10)


class WatchStoreError(ValueError):
    """A watch rule or notification that cannot be stored or found as given."""


@dataclass(frozen=True)
class WatchRuleSpec:
    """What `assay watch add` asks for; None means any."""

    commodity: str
    notify: str
    metric: str | None = None
    geo: str | None = None
    change_pct: float | None = None
    event_type: str | None = None
    keyword: str | None = None


@dataclass(frozen=True)
class WatchRule:
    id: int
    spec: WatchRuleSpec
    created_at: datetime
    last_fact_id: int
    last_event_id: int
    last_document_id: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "commodity": self.spec.commodity,
            "metric": self.spec.metric,
            "geo": self.spec.geo,
            "change_pct": self.spec.change_pct,
            "event_type": self.spec.event_type,
            "keyword": self.spec.keyword,
            "notify": self.spec.notify,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class Message:
    """One message for one target: a subject, plain-text and HTML bodies, and a JSON payload for webhooks."""

    key: str
    target: str
    subject: str
    text: str
    html: str
    payload: dict[str, Any]
    rule_id: int | None = None


@dataclass(frozen=True)
class Notification:
    id: int
    message: Message
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None


def utc_now() -> datetime:
    """Now as naive UTC, the way both databases store moments."""
    return datetime.now(UTC).replace(tzinfo=None)


def add_rule(session: Session, spec: WatchRuleSpec) -> int:
    """Store a rule; it watches what is stored from now on (`watch test` looks at what is already there)."""
    row = WatchRuleRow(
        commodity=spec.commodity,
        metric=spec.metric,
        geo=spec.geo,
        change_pct=spec.change_pct,
        event_type=spec.event_type,
        keyword=spec.keyword,
        notify=spec.notify,
        created_at=utc_now(),
        last_fact_id=0,
        last_event_id=0,
        last_document_id=0,
    )
    row.last_fact_id, row.last_event_id, row.last_document_id = latest_ids(session)
    session.add(row)
    session.flush()
    return row.id


def list_rules(session: Session) -> list[WatchRule]:
    return [_rule(row) for row in session.scalars(select(WatchRuleRow).order_by(WatchRuleRow.id))]


def get_rule(session: Session, rule_id: int) -> WatchRule:
    row = session.get(WatchRuleRow, rule_id)
    if row is None:
        raise WatchStoreError(f"no watch rule {rule_id}")
    return _rule(row)


def remove_rule(session: Session, rule_id: int) -> None:
    if session.execute(delete(WatchRuleRow).where(WatchRuleRow.id == rule_id)).rowcount == 0:  # type: ignore[attr-defined]  # CursorResult
        raise WatchStoreError(f"no watch rule {rule_id}")


def advance_marks(session: Session, rule_id: int, fact_id: int, event_id: int, document_id: int) -> None:
    """Record that the rule has seen every fact, event and document up to these ids."""
    session.execute(
        update(WatchRuleRow)
        .where(WatchRuleRow.id == rule_id)
        .values(last_fact_id=fact_id, last_event_id=event_id, last_document_id=document_id)
    )


def latest_ids(session: Session) -> tuple[int, int, int]:
    """The highest fact, event and document ids stored: where the next evaluation starts."""
    return (
        session.scalar(select(func.max(FactRow.id))) or 0,
        session.scalar(select(func.max(EventRow.id))) or 0,
        session.scalar(select(func.max(DocumentRow.id))) or 0,
    )


def enqueue(session: Session, message: Message) -> bool:
    """Queue a message unless one with the same key was ever queued; True when it is new."""
    if session.scalar(select(NotificationRow.id).where(NotificationRow.key == message.key)) is not None:
        return False
    now = utc_now()
    row = NotificationRow(
        key=message.key[:300],
        rule_id=message.rule_id,
        target=message.target,
        subject=message.subject,
        body_text=message.text,
        body_html=message.html,
        payload=message.payload,
        state=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another process queued the same key meanwhile
        return False
    return True


def claim_due(session: Session, now: datetime, limit: int = 100) -> list[Notification]:
    """Due messages, marked `sending` with a lease so a second sender does not take them too.

    A sender that dies after sending and before `mark_sent` leaves the row `sending`; it is offered
    again when the lease runs out (webhooks carry the key as a delivery id for receivers to dedupe).
    """
    due = ((NotificationRow.state == PENDING) | (NotificationRow.state == SENDING)) & (
        NotificationRow.next_attempt_at <= now
    )
    # PostgreSQL: rows another sender is claiming are skipped; SQLite: callers claim in a write session
    query = select(NotificationRow).where(due).order_by(NotificationRow.id).limit(limit)
    rows = list(session.scalars(query.with_for_update(skip_locked=True)))
    for row in rows:
        row.state = SENDING
        row.next_attempt_at = now + CLAIM_LEASE
    session.flush()
    return [_notification(row) for row in rows]


def mark_sent(session: Session, notification_id: int, now: datetime) -> None:
    session.execute(
        update(NotificationRow)
        .where(NotificationRow.id == notification_id)
        .values(state=SENT, sent_at=now, attempts=NotificationRow.attempts + 1, last_error=None)
    )


def mark_retry(session: Session, notification_id: int, error: str, next_attempt_at: datetime) -> None:
    """A failed attempt: the message stays queued and is tried again at `next_attempt_at`."""
    session.execute(
        update(NotificationRow)
        .where(NotificationRow.id == notification_id)
        .values(
            state=PENDING,
            attempts=NotificationRow.attempts + 1,
            last_error=error[:2000],
            next_attempt_at=next_attempt_at,
        )
    )


def list_notifications(session: Session, state: str | None = None, limit: int = 100) -> list[Notification]:
    query = select(NotificationRow).order_by(NotificationRow.id.desc()).limit(limit)
    if state:
        query = query.where(NotificationRow.state == state)
    return [_notification(row) for row in session.scalars(query)]


def outbox_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(NotificationRow.state, func.count()).group_by(NotificationRow.state))
    return {str(state): int(count) for state, count in rows}


def _rule(row: WatchRuleRow) -> WatchRule:
    spec = WatchRuleSpec(
        commodity=row.commodity,
        notify=row.notify,
        metric=row.metric,
        geo=row.geo,
        change_pct=row.change_pct,
        event_type=row.event_type,
        keyword=row.keyword,
    )
    return WatchRule(row.id, spec, row.created_at, row.last_fact_id, row.last_event_id, row.last_document_id)


def _notification(row: NotificationRow) -> Notification:
    message = Message(
        key=row.key,
        target=row.target,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        payload=dict(row.payload),
        rule_id=row.rule_id,
    )
    return Notification(row.id, message, row.state, row.attempts, row.next_attempt_at, row.last_error, row.sent_at)
