"""Reference datasets (USGS tables, price series) stored as facts with `dataset_id`.

A dataset is known by its name; re-importing the same bytes (same SHA-256, under any name)
adds nothing, and a changed file under the same name replaces that dataset's facts in one
transaction, so a failed import never loses what was stored. The caller commits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from assay.model import Fact, Period
from assay.store.price_products import add_price_facts, lock_fact_writers, touch_dataset
from assay.store.schema import DatasetRow, FactRow
from assay.store.series_points import touch_dataset as touch_points_of_dataset
from assay.store.series_points import touch_rows as touch_points_of_rows


class ReferenceError(ValueError):
    """A dataset that cannot be stored; str() names the dataset and the reason."""


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    name: str  # usgs-mcs2024-mgmet_world
    kind: str  # usgs-mcs, prices
    source: str  # the file it came from
    sha256: str
    published: str | None = None
    official: bool = True


@dataclass(frozen=True, slots=True)
class ImportResult:
    dataset: str
    added: int  # facts stored by this import
    removed: int  # facts of an earlier version of the same dataset that were replaced
    unchanged: bool  # the same bytes were imported before: nothing was done
    same_as: str | None = None  # the dataset already holding these bytes


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    name: str
    kind: str
    source: str
    published: str | None
    official: bool
    imported_at: datetime
    facts: int


def import_dataset(session: Session, spec: DatasetSpec, facts: Sequence[Fact]) -> ImportResult:
    """Store `facts` as dataset `spec.name` (see the module docstring for re-imports)."""
    same = session.scalars(select(DatasetRow).where(DatasetRow.sha256 == spec.sha256)).first()
    if same is not None:
        return ImportResult(spec.name, 0, 0, True, same.name)
    rows = [_row_values(spec.name, fact) for fact in facts]
    lock_fact_writers(session)
    existing = session.scalars(select(DatasetRow).where(DatasetRow.name == spec.name)).first()
    removed = 0
    now = datetime.now(UTC).replace(tzinfo=None)
    if existing is None:
        existing = DatasetRow(
            name=spec.name,
            kind=spec.kind,
            source=spec.source,
            sha256=spec.sha256,
            imported_at=now,
            official=spec.official,
            published=spec.published,
        )
        session.add(existing)
        session.flush()
    else:
        removed = session.scalar(select(func.count()).where(FactRow.dataset_id == existing.id)) or 0
        touch_dataset(session, existing.id)  # its price statements are recomputed without the old rows
        touch_points_of_dataset(session, existing.id)  # and its series points (a new kind: new sources)
        session.execute(delete(FactRow).where(FactRow.dataset_id == existing.id))
        existing.kind, existing.source, existing.sha256 = spec.kind, spec.source, spec.sha256
        existing.imported_at, existing.official, existing.published = now, spec.official, spec.published
    for row in rows:
        row["dataset_id"] = existing.id
    if rows:
        session.execute(insert(FactRow), rows)
        add_price_facts(session, rows)
        touch_points_of_rows(session, rows)
    return ImportResult(spec.name, len(rows), removed, False)


def list_datasets(session: Session) -> list[DatasetInfo]:
    counts: dict[int | None, int] = {
        dataset_id: count
        for dataset_id, count in session.execute(
            select(FactRow.dataset_id, func.count()).where(FactRow.dataset_id.is_not(None)).group_by(FactRow.dataset_id)
        ).all()
    }
    return [
        DatasetInfo(row.name, row.kind, row.source, row.published, row.official, row.imported_at, counts.get(row.id, 0))
        for row in session.scalars(select(DatasetRow).order_by(DatasetRow.name))
    ]


def _row_values(dataset: str, fact: Fact) -> dict[str, Any]:
    if not math.isfinite(fact.value) or (fact.value_high is not None and not math.isfinite(fact.value_high)):
        raise ReferenceError(f"{dataset}: {fact.quote[:80]!r}: value is not a finite number")
    start = end = None
    if fact.period:
        try:
            parsed = Period.parse(fact.period)
        except ValueError as exc:
            raise ReferenceError(f"{dataset}: {fact.quote[:80]!r}: {exc}") from exc
        start, end = parsed.start, parsed.end
    return {
        "document_id": None,
        "commodity": fact.commodity,
        "form": fact.form,
        "metric": fact.metric,
        "geo": fact.geo,
        "partner": fact.partner,
        "share_of": fact.share_of,
        "period": fact.period,
        "period_start": start,
        "period_end": end,
        "value": fact.value,
        "value_high": fact.value_high,
        "unit": fact.unit,
        "basis": fact.basis.value,
        "approx": fact.approx.value if fact.approx is not None else None,
        "quote": fact.quote,
        "span_start": fact.start,
        "span_end": fact.end,
        "rule": fact.rule,
        "rule_version": fact.rule_version,
    }
