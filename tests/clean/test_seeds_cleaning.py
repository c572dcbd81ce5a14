"""Cleaning the shared seed and dev corpora (read from ../shared at run time; skipped when absent)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assay.clean import CleaningContext, clean_document
from assay.model import Document
from assay.sources import RawDocument, SourceError, SourceOptions, iter_sources

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DEV = SHARED / "corpus" / "dev"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared corpus not found at {SEEDS.resolve()}"),
]


def _raws(folder: Path) -> list[RawDocument]:
    items = list(iter_sources([str(folder)], SourceOptions()))
    errors = [item for item in items if isinstance(item, SourceError)]
    assert not errors, errors
    return [item for item in items if isinstance(item, RawDocument)]


def _cleaned(folder: Path, with_index: bool) -> dict[str, Document]:
    context = CleaningContext()
    docs = {}
    for raw in _raws(folder):
        if not with_index:
            raw = replace(raw, title=None, published=None, lang=None, url=None)
        docs[raw.name[:3]] = clean_document(raw, context)
    return docs


@pytest.mark.parametrize("with_index", [False, True], ids=["text-only", "with-index"])
def test_seeds_clean(with_index: bool) -> None:
    docs = _cleaned(SEEDS, with_index)
    assert len(docs) == 5
    assert docs["003"].published == "2025-08-25"
    assert docs["004"].published == "2025-11-25"
    assert {doc.lang for doc in docs.values()} == {"en"}

    repeated_body = docs["003"]
    assert repeated_body.clean_text.count("the first batch of quotas for rare earth mining") == 1
    assert repeated_body.clean_text.count("In essence, China's latest policy") == 1
    assert "drop-repeated-body" in repeated_body.cleaning_steps

    deck = docs["000"].clean_text
    assert not [line for line in deck.split("\n") if "包图网" in line or "ibaotu" in line]
    assert "How Chinese Magnesia production can emerge stronger" in deck
    assert "Total annual production of magnesite, in 2020, is about 18 million metric tons." in deck
    assert any(step.startswith("drop-repeated-lines:") for step in docs["000"].cleaning_steps)


def test_seed_titles_come_from_the_index() -> None:
    docs = _cleaned(SEEDS, with_index=True)
    index = [json.loads(line) for line in (SEEDS / "index.jsonl").read_text().splitlines() if line.strip()]
    for entry in index:
        assert docs[entry["doc"][:3]].title == entry["title"]


@pytest.mark.skipif(not DEV.is_dir(), reason=f"shared dev corpus not found at {DEV.resolve()}")
def test_dev_documents_clean_with_languages() -> None:
    context = CleaningContext()
    for with_index in (False, True):
        for raw in _raws(DEV):
            expected = raw.lang
            if not with_index:
                raw = replace(raw, title=None, published=None, lang=None)
            doc = clean_document(raw, context)
            assert doc.clean_text.strip()
            assert doc.lang == expected, doc.name
    # the check above means little unless both languages are in the corpus (it grows; its size is not ours)
    assert {raw.lang for raw in _raws(DEV)} >= {"en", "zh"}


@pytest.mark.skipif(not DEV.is_dir(), reason=f"shared dev corpus not found at {DEV.resolve()}")
def test_dev_dates_found_in_text_match_the_index() -> None:
    for raw in _raws(DEV):
        doc = clean_document(replace(raw, published=None))
        if doc.published is not None:
            assert doc.published == raw.published, doc.name
