"""Rows the editorial tests start from: a stored document to hang facts on, saved through the repository."""

from __future__ import annotations

from assay.model import Document
from assay.store.db import Store
from assay.store.documents import save_document


def add_document(store: Store, name: str, url: str | None = None, published: str | None = None) -> int:
    raw_sha256, text_sha256 = name.ljust(64, "0")[:64], name.ljust(64, "1")[:64]
    doc = Document(name, f"/corpus/{name}.txt", raw_sha256, clean_text="", url=url, published=published)
    with store.transaction() as session:
        return save_document(session, doc, text_sha256)
