"""The facts selection as a file: CSV, XLSX (one sheet) or FactSpec JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook

from assay.store.facts import StoredFact

FORMATS = ("csv", "xlsx", "jsonl")
COLUMNS = (
    "id", "doc", "commodity", "form", "metric", "geo", "partner", "share_of", "period",
    "value", "value_high", "unit", "basis", "approx", "quote", "rule", "url", "published",
)  # fmt: skip
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
}


def _row(item: StoredFact) -> list[Any]:
    spec = item.fact.to_factspec()
    extra = {"id": item.id, "url": item.url, "published": item.published}
    return [extra.get(c, spec.get(c)) for c in COLUMNS]


def _spreadsheet_safe(value: Any) -> Any:
    """A text cell starting with = + - @ is read as a formula by spreadsheets; a leading ' keeps it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def facts_csv(facts: Sequence[StoredFact]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_spreadsheet_safe(v) for v in _row(item)] for item in facts)
    return out.getvalue()


def facts_xlsx(facts: Sequence[StoredFact]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "facts"
    sheet.append(list(COLUMNS))
    for item in facts:
        sheet.append([_spreadsheet_safe(v) for v in _row(item)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def facts_jsonl(facts: Sequence[StoredFact]) -> str:
    return "".join(json.dumps(item.fact.to_factspec(), ensure_ascii=False) + "\n" for item in facts)


def facts_response(facts: Sequence[StoredFact], fmt: str) -> Response:
    body: str | bytes = facts_xlsx(facts) if fmt == "xlsx" else facts_csv(facts) if fmt == "csv" else facts_jsonl(facts)
    headers = {"Content-Disposition": f'attachment; filename="assay-facts.{fmt}"'}
    return Response(body, media_type=_MEDIA[fmt], headers=headers)
