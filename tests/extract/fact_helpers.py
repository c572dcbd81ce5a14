"""What the slot-filling tests share: run the extractor on a sentence, and pick one fact out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assay.extract.facts import extract_facts
from assay.model import Document


def read_facts(text: str, published: str | None, title: str | None = None) -> list[dict[str, Any]]:
    """FactSpec dicts of `text`; every quote must be the very span it claims."""
    doc = Document(name="t", source="t", raw_sha256="x", clean_text=text, published=published, title=title)
    out = []
    for fact in extract_facts(doc):
        assert text[fact.start : fact.end] == fact.quote, "the quote must be the span it claims"
        out.append(fact.to_factspec())
    return out


def one(facts: list[dict[str, Any]], **want: Any) -> dict[str, Any]:
    found = [f for f in facts if all(f.get(k) == v for k, v in want.items())]
    assert len(found) == 1, f"expected one fact with {want}, got {found} among {facts}"
    return found[0]


def facts_reader(default_published: str) -> Callable[..., list[dict[str, Any]]]:
    """`read_facts` with a test file's own publication date as the default."""

    def facts_of(
        text: str, published: str | None = default_published, title: str | None = None
    ) -> list[dict[str, Any]]:
        return read_facts(text, published, title)

    return facts_of
