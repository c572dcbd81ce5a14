"""The audit log: everything analysts and admins did, who, when, on what, with details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.store.schema import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    action: str
    target: str
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat() + "Z",
            "user": self.user,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


def record(session: Session, user: str, action: str, target: str, detail: Mapping[str, Any] | None = None) -> None:
    """Add one entry; it commits with the change it describes (the caller commits)."""
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.add(AuditRow(at=at, user_name=user, action=action, target=target[:120], detail=dict(detail or {})))
    session.flush()


def entries(
    session: Session, *, user: str | None = None, action: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[AuditEntry], int]:
    """Newest first, one page, and how many entries match in all."""
    stmt = select(AuditRow)
    count = select(func.count()).select_from(AuditRow)
    if user:
        stmt, count = stmt.where(AuditRow.user_name == user), count.where(AuditRow.user_name == user)
    if action:
        stmt, count = stmt.where(AuditRow.action == action), count.where(AuditRow.action == action)
    rows = session.scalars(stmt.order_by(AuditRow.id.desc()).limit(limit).offset(offset)).all()
    return [_entry(row) for row in rows], int(session.scalar(count) or 0)


def iter_all(session: Session) -> Iterator[AuditEntry]:
    """Every entry, oldest first, for export."""
    for row in session.scalars(select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=500)):
        yield _entry(row)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.user_name, row.action, row.target, dict(row.detail))
