"""Fixtures for publishing tests: a hand-built store (exact figures) and the sample corpus ingested once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.pipeline import IngestOptions, ingest
from assay.store.db import Store, open_store
from knowledge_base import KnowledgeBase

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "assay" / "sample"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled sample corpus, ingested once for the session; tests only read it."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    store = open_store(f"sqlite:///{path}")
    report = ingest([str(SAMPLE)], IngestOptions(show_progress=False), store)
    assert report.added > 20 and not report.failures
    yield store
    store.close()


@pytest.fixture
def kb(store: Store) -> Iterator[KnowledgeBase]:
    with store.session() as session:
        yield KnowledgeBase(store, session)
