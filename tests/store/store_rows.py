"""Rows the store tests need as a starting point: a document saved directly, with no pipeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from assay.model import Basis, Fact
from assay.store.db import Store
from assay.store.schema import DocumentRow


def add_document(
    store: Store,
    name: str,
    url: str | None = None,
    published: str | None = None,
    fetched_at: datetime = datetime(2025, 1, 1),
) -> int:
    """A committed document row with empty texts; hashes derived from the name keep rows distinct."""
    with store.transaction() as session:
        row = DocumentRow(
            name=name,
            source=f"/corpus/{name}.txt",
            url=url,
            raw_sha256=name.ljust(64, "0")[:64],
            text_sha256=name.ljust(64, "1")[:64],
            fetched_at=fetched_at,
            published=published,
            raw_text="",
            clean_text="",
            cleaning_steps=[],
        )
        session.add(row)
        session.flush()
        return row.id


def fact(doc: str, **changes: object) -> Fact:
    """A magnesium export fact of `doc`, with `changes` applied."""
    base = Fact(
        doc=doc,
        commodity="magnesium",
        metric="exports",
        geo="CN",
        period="2024-05",
        value=6140.0,
        unit="t",
        basis=Basis.ACTUAL,
        quote="exports totaled approximately 6,140 mt",
        start=10,
        end=48,
        rule="exports-level",
        rule_version="3",
    )
    return replace(base, **changes)
