"""Exports keep every fact's fields, and text a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from assay.model import Basis, Fact
from assay.store.facts import StoredFact
from assay.web.exports import COLUMNS, facts_csv, facts_jsonl, facts_xlsx


def stored(quote: str) -> StoredFact:
    fact = Fact(
        doc="d1", commodity="magnesium", metric="exports", geo="CN", period="2024-05", value=4500.0, unit="t",
        basis=Basis.ACTUAL, quote=quote, start=0, end=len(quote), rule="prose.exports", rule_version="1",
    )  # fmt: skip
    return StoredFact(7, fact, 3, None, "https://example.com/a", "2024-06-01", False)


def test_formulas_stay_text_in_csv_and_xlsx() -> None:
    hostile = stored('=HYPERLINK("http://evil.example","4,500 t")')
    row = next(csv.DictReader(io.StringIO(facts_csv([hostile]))))
    assert row["quote"].startswith("'=HYPERLINK") and row["value"] == "4500" and row["id"] == "7"
    sheet = load_workbook(io.BytesIO(facts_xlsx([hostile]))).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert str(sheet.cell(2, COLUMNS.index("quote") + 1).value).startswith("'=")


def test_jsonl_is_factspec() -> None:
    line = json.loads(facts_jsonl([stored("exports of 4,500 t")]))
    assert line == {
        "doc": "d1", "commodity": "magnesium", "metric": "exports", "geo": "CN", "period": "2024-05",
        "value": 4500, "unit": "t", "basis": "actual", "quote": "exports of 4,500 t", "rule": "prose.exports@1",
    }  # fmt: skip
