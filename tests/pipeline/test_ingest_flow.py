"""The ingest's flow: chunks of inputs looked up together, read, finished and analysed in one worker task,
and the run's cleaning context applied in input order, whatever the executor."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from assay import pipeline
from assay.clean import CleaningContext, clean_document
from assay.pipeline import IngestOptions, ingest
from assay.sources import SourceError, SourceOptions, iter_sources
from assay.store import documents as repo
from assay.store.db import Store, open_store
from assay.store.schema import DocumentRow

# lines a site repeats on every page: the run's cleaning context learns them and drops them from the third page on
SITE_LINES = "Subscribe to the Liaoning Minerals Weekly newsletter\nAll prices in CNY per tonne unless stated\n"
PLACES = ["Haicheng", "Dashiqiao", "Fugu", "Baotou", "Ganzhou", "Jixi", "Luobei", "Yulin", "Fujian", "Sichuan"]


def write_site(folder: Path, pages: int = 10) -> list[Path]:
    """A site's pages, each a distinct report between the site's repeated lines."""
    folder.mkdir(parents=True)
    paths = []
    for n in range(pages):
        place = PLACES[n % len(PLACES)]
        words = " ".join(f"w{n}x{k}" for k in range(30))  # unique shingles: every page an original
        body = (
            f"Magnesia report {n} from {place}\n\n{SITE_LINES}\n"
            f"Fused magnesia was quoted at {3000 + 17 * n:,} CNY/t in {place} in {1 + n % 12:02d}/2025. {words}\n\n"
            f"{SITE_LINES}"
        )
        path = folder / f"page-{n:02d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def quiet(workers: int) -> IngestOptions:
    return IngestOptions(SourceOptions(), show_progress=False, workers=workers)


def stored_documents(store: Store) -> list[tuple[str, str, tuple[str, ...], str | None]]:
    with store.session() as session:
        rows = session.execute(
            select(DocumentRow.name, DocumentRow.clean_text, DocumentRow.cleaning_steps, DocumentRow.title).order_by(
                DocumentRow.id
            )
        ).all()
    return [(name, text, tuple(steps), title) for name, text, steps, title in rows]


@pytest.mark.parametrize("workers", [1, 2])
def test_source_boilerplate_is_dropped_as_cleaning_in_input_order_drops_it(
    any_store: Store, tmp_path: Path, workers: int
) -> None:
    write_site(tmp_path / "site")
    report = ingest([str(tmp_path / "site")], quiet(workers), any_store)
    assert report.added == 10 and report.failures == []
    # the plain path: every input cleaned in this process, in order, with one context
    context = CleaningContext()
    expected = []
    for raw in iter_sources([str(tmp_path / "site")], SourceOptions()):
        assert not isinstance(raw, SourceError)
        doc = clean_document(raw, context)
        expected.append((doc.name, doc.clean_text, doc.cleaning_steps, doc.title))
    assert stored_documents(any_store) == expected
    dropped = [steps for _, _, steps, _ in expected if any(s.startswith("drop-source-boilerplate") for s in steps)]
    assert len(dropped) == 8  # from the third page on
    assert all("Subscribe" not in text for _, text, steps, _ in expected if steps in dropped)


def test_a_process_pool_records_failures_and_documents_as_one_process_does(tmp_path: Path) -> None:
    paths = write_site(tmp_path / "site", pages=6)
    (tmp_path / "site" / "empty.txt").write_text("   \n", encoding="utf-8")
    inputs = [str(paths[0]), str(tmp_path / "missing.txt"), *map(str, paths[1:4]), str(tmp_path / "site" / "empty.txt")]
    inputs += [str(paths[0]), *map(str, paths[4:])]  # one input again: skipped
    outcomes = []
    for workers in (1, 2):
        with open_store(f"sqlite:///{tmp_path / f'w{workers}.db'}") as opened:
            report = ingest(inputs, quiet(workers), opened)
            with opened.session() as session:
                failures = [(source, reason) for source, reason, _ in reversed(repo.recent_failures(session, 10))]
            outcomes.append(
                (report.added, report.skipped_unchanged, report.failures, failures, stored_documents(opened))
            )
    assert outcomes[0] == outcomes[1]
    added, skipped, failures, _, documents = outcomes[0]
    assert added == 6 and skipped == 1 and len(failures) == 2 and len(documents) == 6


def test_chunks_of_inputs_give_the_store_inputs_one_by_one_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path / "site", pages=7)
    outcomes = []
    for chunk in (1, 3):
        monkeypatch.setattr(pipeline, "CHUNK_DOCUMENTS", chunk)
        with open_store(f"sqlite:///{tmp_path / f'c{chunk}.db'}") as opened:
            report = ingest([str(tmp_path / "site")], quiet(2), opened)
            again = ingest([str(tmp_path / "site")], quiet(2), opened)
            outcomes.append((report.added, again.skipped_unchanged, stored_documents(opened)))
    assert outcomes[0] == outcomes[1] and outcomes[0][:2] == (7, 7)


def test_find_sources_finds_what_find_source_finds(any_store: Store, tmp_path: Path) -> None:
    write_site(tmp_path / "site", pages=3)
    ingest([str(tmp_path / "site")], quiet(1), any_store)
    first = tmp_path / "site" / "page-00.txt"
    first.write_text(first.read_text(encoding="utf-8") + "\nA correction: the price was revised.\n", encoding="utf-8")
    ingest([str(first)], quiet(1), any_store)  # a second version of page 00
    with any_store.session() as session:
        rows = session.execute(select(DocumentRow.source, DocumentRow.raw_sha256).order_by(DocumentRow.id)).all()
        inputs = [(source, sha) for source, sha in rows]
        inputs += [(rows[0][0], "0" * 64), (str(tmp_path / "nowhere.txt"), "1" * 64), inputs[1]]
        one_by_one = [repo.find_source(session, source, sha) for source, sha in inputs]
        together = repo.find_sources(session, inputs)
    assert together == one_by_one
    assert together[0].same_bytes is not None and together[0].current is not None
    assert together[0].current.id != together[0].same_bytes.id  # page 00's first version was superseded
    assert together[-3].same_bytes is None and together[-2] == repo.SourceVersions(None, None)
    assert replace(together[1]) == together[-1]
