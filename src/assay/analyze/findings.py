"""What a check reports (`Finding`), and how checks read facts: as plain rows, a finding built only
for what is returned (`Hit`).

A check judges every fact of its selection but shows a few: it works on the rows
`store.records.fact_rows` reads (the columns `FACT_ROW_FIELDS`, by position), and a `Hit` keeps the
rows a finding cites and how to word it; the records of those rows (provenance read for them
alone) are built when the finding is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assay.analyze.series import SourceRef, json_number
from assay.store.records import StoredFactRecord
from assay.store.series import FACT_ROW_FIELDS

PlainFact = Sequence[Any]  # a `fact_rows` row, or the same fields of a record (`row_of`)

# positions of the fields checks read in a fact row
(ID, DOCUMENT_ID, DATASET_ID, COMMODITY, FORM, METRIC, GEO, PARTNER, SHARE_OF, PERIOD, VALUE, VALUE_HIGH, UNIT,
 BASIS, APPROX, QUOTE, PERIOD_START) = (FACT_ROW_FIELDS.index(name) for name in (
    "id", "document_id", "dataset_id", "commodity", "form", "metric", "geo", "partner", "share_of", "period",
    "value", "value_high", "unit", "basis", "approx", "quote", "period_start"))  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    key: dict[str, str | None]  # series key fields
    period: str | None
    statements: tuple[SourceRef, ...]
    expected: float | None = None
    found: float | None = None
    tolerance: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            **self.key,
            "period": self.period,
            "expected": json_number(self.expected) if self.expected is not None else None,
            "found": json_number(self.found) if self.found is not None else None,
            "tolerance": self.tolerance,
            "statements": [s.as_json() for s in self.statements],
        }


Make = Callable[[Sequence[StoredFactRecord]], Finding]  # words a finding from the records it cites


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding found on plain rows: `make` words it from the records of `rows` (in their order)."""

    kind: str
    metric: str  # the metric of the finding's key (an `--metric` filter compares it)
    rows: tuple[PlainFact, ...]
    make: Make


def row_of(record: StoredFactRecord) -> tuple[Any, ...]:
    """A record's fields as a `fact_rows` row gives them (checks over records already read);
    records come in any order, so their checks never rely on the period's first day (None)."""
    f = record.fact
    approx = f.approx.value if f.approx is not None else None
    return (record.id, record.document_id, record.dataset_id, f.commodity, f.form, f.metric, f.geo, f.partner,
            f.share_of, f.period, f.value, f.value_high, f.unit, f.basis.value, approx, f.quote, f.start, f.end,
            f.rule, f.rule_version, None)  # fmt: skip


def key_fields(record: StoredFactRecord) -> dict[str, str | None]:
    f = record.fact
    return {
        "commodity": f.commodity,
        "form": f.form,
        "metric": f.metric,
        "geo": f.geo,
        "partner": f.partner,
        "share_of": f.share_of,
        "unit": f.unit,
    }


def who(record: StoredFactRecord) -> str:
    return record.doc or record.dataset or f"fact {record.id}"


def level(row: PlainFact) -> float:
    """A level's value; the midpoint of a range ($615-720 → 667.5)."""
    value, high = row[VALUE], row[VALUE_HIGH]
    return float((value + high) / 2 if high is not None else value)
