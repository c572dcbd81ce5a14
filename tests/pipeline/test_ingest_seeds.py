"""../shared/corpus/seeds end to end into SQLite: the issue's acceptance checks on real documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.model import Document
from assay.pipeline import IngestOptions, ingest
from assay.sources import SourceOptions
from assay.store.db import Store, open_store
from assay.store.documents import get_document, list_documents

pytestmark = pytest.mark.shared
OPTIONS = IngestOptions(SourceOptions(), show_progress=False)


@pytest.fixture(scope="module")
def seeds_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The seeds ingested once into a SQLite file, shared by this module's tests."""
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'seeds.db'}") as store:
        report = ingest([str(shared_dir / "corpus" / "seeds")], OPTIONS, store)
        assert report.failures == [], report.failures
        assert report.added == 5
        yield store


@pytest.fixture
def seeds(seeds_store: Store) -> dict[str, Document]:
    with seeds_store.session() as session:
        found = [get_document(session, d.id) for d in list_documents(session)]
    return {doc.name[:3]: doc for doc in found if doc is not None}


def test_five_documents_are_stored(seeds: dict[str, Document]) -> None:
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    assert all(doc.duplicate_of is None for doc in seeds.values())


def test_publication_dates(seeds: dict[str, Document]) -> None:
    assert seeds["003"].published == "2025-08-25"
    assert seeds["004"].published == "2025-11-25"


def test_languages(seeds: dict[str, Document]) -> None:
    assert {name: doc.lang for name, doc in seeds.items()} == dict.fromkeys(seeds, "en")


def test_seed_003_keeps_its_repeated_body_once(seeds: dict[str, Document]) -> None:
    text = seeds["003"].clean_text
    assert text.count("In essence, China's latest policy is not about banning exports outright") == 1
    assert text.count("Here are the key components of the latest policy") == 1


def test_no_watermark_line_of_seed_000_is_left(seeds: dict[str, Document]) -> None:
    text = seeds["000"].clean_text
    assert "包图网" not in text
    assert "感谢您下载" not in text
    assert "magnesite" in text.lower()  # the deck's content stays


def test_cleaning_steps_are_recorded(seeds: dict[str, Document]) -> None:
    assert seeds["000"].cleaning_steps  # the watermark removal at least
    assert seeds["003"].cleaning_steps


def test_ingesting_the_seeds_again_adds_nothing(shared_dir: Path, seeds_store: Store) -> None:
    again = ingest([str(shared_dir / "corpus" / "seeds")], OPTIONS, seeds_store)
    assert (again.added, again.duplicates, again.skipped_unchanged) == (0, 0, 5)
