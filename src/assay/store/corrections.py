"""Analysts' corrections of extracted facts, applied where facts are stored so that every reader
(series, consensus, checks, prices, ask, exports, the API) sees the corrected fact.

A correction rewrites the fact's row and a rejection deletes it; the correction row keeps who,
when, why, and the fact before and after. Re-extraction replaces a document's facts, so
`replace_facts` calls `apply_corrections` afterwards: each standing correction finds its fact
again by document, quote span and rule name (the rule's version may change), then by span and
the metric it had, then by quote and rule. A corrected fact the new rules no longer read is
restored from the correction, since the analyst vouched for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from assay.model import Period
from assay.store.price_products import fact_key, lock_fact_writers, touch_keys
from assay.store.schema import FactCorrectionRow, FactRow
from assay.store.series_points import touch_facts as touch_points_of_facts

CORRECTABLE = ("value", "value_high", "unit", "period", "commodity", "metric", "geo", "partner")
# What a snapshot keeps: enough to restore the fact whole.
SNAPSHOT = (*CORRECTABLE, "form", "share_of", "basis", "approx", "quote", "rule_version")
_IN_CHUNK = 2000
_HAS_STANDING = (
    select(FactCorrectionRow.id)
    .where(FactCorrectionRow.document_id == bindparam("document_id"), FactCorrectionRow.superseded.is_(False))
    .limit(1)
)


class CorrectionError(ValueError):
    """A correction that cannot be made; str() says why."""


@dataclass(frozen=True)
class Correction:
    id: int
    fact_id: int | None  # the fact row it applies to now; None once rejected or no longer read
    first_fact_id: int
    document_id: int
    action: str  # correct, reject
    before: dict[str, Any]
    after: dict[str, Any] | None
    reason: str
    user: str
    at: dt.datetime
    superseded: bool
    span_start: int
    span_end: int
    rule: str

    def changes(self) -> dict[str, tuple[Any, Any]]:
        """Field: (before, after) for each field the correction changed."""
        if self.after is None:
            return {}
        return {
            k: (self.before.get(k), self.after.get(k)) for k in CORRECTABLE if self.before.get(k) != self.after.get(k)
        }

    def fields(self) -> dict[str, Any]:
        """The correction as `assay facts history --json` and `/api/v1/facts/{id}/history` show it."""
        return {
            "id": self.id,
            "fact_id": self.fact_id,
            "first_fact_id": self.first_fact_id,
            "action": self.action,
            "at": self.at.isoformat() + "Z",
            "user": self.user,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "superseded": self.superseded,
        }


def snapshot(row: FactRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SNAPSHOT}


def correct_fact(session: Session, fact_id: int, changes: Mapping[str, Any], reason: str, user: str) -> Correction:
    """Change fields of fact `fact_id` (a key of CORRECTABLE each); the caller validates values and commits."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise CorrectionError(f"cannot correct {', '.join(unknown)}; correctable: {', '.join(CORRECTABLE)}")
    lock_fact_writers(session)
    row = _correctable_row(session, fact_id)
    before = snapshot(row)
    after = {**before, **changes}
    if after == before:
        raise CorrectionError("the correction changes nothing")
    touch_points_of_facts(session, [row.id])  # its series point before, and after
    _write_fact_values(session, row.id, after)
    touch_keys(session, [fact_key(before), fact_key(after)])
    touch_points_of_facts(session, [row.id])
    return _record(session, row, "correct", before, after, reason, user)


def reject_fact(session: Session, fact_id: int, reason: str, user: str) -> Correction:
    """Reject fact `fact_id`: its row goes, the correction keeps it. The caller commits."""
    lock_fact_writers(session)
    row = _correctable_row(session, fact_id)
    before = snapshot(row)
    correction = _record(session, row, "reject", before, None, reason, user)
    touch_points_of_facts(session, [row.id])
    session.execute(delete(FactRow).where(FactRow.id == row.id))
    touch_keys(session, [fact_key(before)])
    return correction


def apply_corrections(session: Session, document_id: int) -> int:
    """Re-apply the standing corrections of a document whose facts were just replaced; returns how many."""
    # A Core probe first: nearly every document has no correction, and ingest calls this once per document.
    if session.connection().execute(_HAS_STANDING, {"document_id": document_id}).first() is None:
        return 0
    standing = session.scalars(
        select(FactCorrectionRow).where(
            FactCorrectionRow.document_id == document_id, FactCorrectionRow.superseded.is_(False)
        )
    ).all()
    rows = session.execute(
        select(FactRow.id, FactRow.span_start, FactRow.span_end, FactRow.rule, FactRow.metric, FactRow.quote).where(
            FactRow.document_id == document_id
        )
    ).all()
    taken: set[int] = set()
    for correction in standing:
        found = _match(correction, rows, taken)
        if correction.action == "reject":
            if found is not None:
                session.execute(delete(FactRow).where(FactRow.id == found))
            correction.fact_id = None
            continue
        assert correction.after is not None
        if found is None:
            found = _restore(session, correction)
        else:
            _write_fact_values(session, found, correction.after)
        taken.add(found)
        correction.fact_id = found
    session.flush()
    return len(standing)


def history(session: Session, fact_id: int) -> list[Correction]:
    """Every correction of the fact `fact_id` names (now or when it was corrected), oldest first."""
    # the fact as it is now first: SQLite may give a deleted fact's id to a new row
    anchor = None
    for column in (FactCorrectionRow.fact_id, FactCorrectionRow.first_fact_id):
        anchor = session.scalars(
            select(FactCorrectionRow).where(column == fact_id).order_by(FactCorrectionRow.id.desc()).limit(1)
        ).first()
        if anchor is not None:
            break
    if anchor is None:
        return []
    rows = session.scalars(
        select(FactCorrectionRow)
        .where(
            FactCorrectionRow.document_id == anchor.document_id,
            FactCorrectionRow.span_start == anchor.span_start,
            FactCorrectionRow.span_end == anchor.span_end,
            FactCorrectionRow.rule == anchor.rule,
        )
        .order_by(FactCorrectionRow.id)
    ).all()
    return [_to_correction(row) for row in rows]


def standing_for_document(session: Session, document_id: int) -> list[Correction]:
    """The corrections in force for one document (for marking its facts), oldest first."""
    rows = session.scalars(
        select(FactCorrectionRow)
        .where(FactCorrectionRow.document_id == document_id, FactCorrectionRow.superseded.is_(False))
        .order_by(FactCorrectionRow.id)
    ).all()
    return [_to_correction(row) for row in rows]


def status_of(session: Session, fact_ids: Iterable[int]) -> dict[int, str]:
    """`corrected` for each of `fact_ids` that a standing correction rewrote; the others are absent."""
    ids = sorted(set(fact_ids))
    found: dict[int, str] = {}
    for i in range(0, len(ids), _IN_CHUNK):
        chunk = ids[i : i + _IN_CHUNK]
        stmt = select(FactCorrectionRow.fact_id).where(
            FactCorrectionRow.fact_id.in_(chunk), FactCorrectionRow.superseded.is_(False)
        )
        for (fact_id,) in session.execute(stmt):
            if fact_id is not None:
                found[int(fact_id)] = "corrected"
    return found


def rejected_fact_ids(session: Session, fact_ids: Iterable[int]) -> set[int]:
    """Which of `fact_ids` (as analysts saw them) were rejected and are still rejected."""
    ids = sorted(set(fact_ids))
    found: set[int] = set()
    for i in range(0, len(ids), _IN_CHUNK):
        stmt = select(FactCorrectionRow.first_fact_id).where(
            FactCorrectionRow.first_fact_id.in_(ids[i : i + _IN_CHUNK]),
            FactCorrectionRow.action == "reject",
            FactCorrectionRow.superseded.is_(False),
        )
        found.update(int(v) for v in session.scalars(stmt))
    return found


def recent(session: Session, limit: int = 50) -> list[Correction]:
    rows = session.scalars(select(FactCorrectionRow).order_by(FactCorrectionRow.id.desc()).limit(limit)).all()
    return [_to_correction(row) for row in rows]


def _correctable_row(session: Session, fact_id: int) -> FactRow:
    row = session.get(FactRow, fact_id)
    if row is None:
        raise CorrectionError(f"no fact {fact_id} (it may have been rejected; see `assay facts history {fact_id}`)")
    if row.document_id is None:
        raise CorrectionError(f"fact {fact_id} comes from a reference dataset; correct the dataset and re-import it")
    return row


def _record(
    session: Session,
    row: FactRow,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any] | None,
    reason: str,
    user: str,
) -> Correction:
    if not reason.strip():
        raise CorrectionError("a correction needs a reason")
    assert row.document_id is not None
    session.execute(
        update(FactCorrectionRow)
        .where(
            FactCorrectionRow.document_id == row.document_id,
            FactCorrectionRow.span_start == row.span_start,
            FactCorrectionRow.span_end == row.span_end,
            FactCorrectionRow.rule == row.rule,
        )
        .values(superseded=True)
    )
    earlier = session.scalars(
        select(FactCorrectionRow.first_fact_id).where(FactCorrectionRow.fact_id == row.id).limit(1)
    ).first()
    correction = FactCorrectionRow(
        fact_id=row.id if action == "correct" else None,
        first_fact_id=earlier if earlier is not None else row.id,
        document_id=row.document_id,
        span_start=row.span_start,
        span_end=row.span_end,
        rule=row.rule,
        action=action,
        before=before,
        after=after,
        reason=reason.strip(),
        user_name=user,
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        superseded=False,
    )
    session.add(correction)
    session.flush()
    return _to_correction(correction)


def _write_fact_values(session: Session, fact_id: int, values: Mapping[str, Any]) -> None:
    start, end = period_bounds(values.get("period"))
    fields = {name: values[name] for name in CORRECTABLE}
    session.execute(update(FactRow).where(FactRow.id == fact_id).values(**fields, period_start=start, period_end=end))


def _restore(session: Session, correction: FactCorrectionRow) -> int:
    assert correction.after is not None
    values = {name: correction.after.get(name) for name in SNAPSHOT}
    start, end = period_bounds(values.get("period"))
    result = session.execute(
        insert(FactRow)
        .values(
            **values,
            document_id=correction.document_id,
            dataset_id=None,
            span_start=correction.span_start,
            span_end=correction.span_end,
            rule=correction.rule,
            period_start=start,
            period_end=end,
        )
        .returning(FactRow.id)
    )
    return int(result.scalar_one())


def _match(correction: FactCorrectionRow, rows: Iterable[Any], taken: set[int]) -> int | None:
    candidates = [row for row in rows if row[0] not in taken]
    same_span = [row for row in candidates if (row[1], row[2]) == (correction.span_start, correction.span_end)]
    for row in same_span:
        if row[3] == correction.rule:
            return int(row[0])
    for row in same_span:
        if row[4] == correction.before.get("metric"):
            return int(row[0])
    for row in candidates:
        if row[5] == correction.before.get("quote") and row[3] == correction.rule:
            return int(row[0])
    return None


def period_bounds(period: Any) -> tuple[dt.date | None, dt.date | None]:
    """The period's first and last day; None for no period or one that does not parse (kept as text)."""
    if not period:
        return None, None
    try:
        parsed = Period.parse(str(period))
    except ValueError:
        return None, None
    return parsed.start, parsed.end


def _to_correction(row: FactCorrectionRow) -> Correction:
    return Correction(
        id=row.id,
        fact_id=row.fact_id,
        first_fact_id=row.first_fact_id,
        document_id=row.document_id,
        action=row.action,
        before=dict(row.before),
        after=dict(row.after) if row.after is not None else None,
        reason=row.reason,
        user=row.user_name,
        at=row.at,
        superseded=row.superseded,
        span_start=row.span_start,
        span_end=row.span_end,
        rule=row.rule,
    )
