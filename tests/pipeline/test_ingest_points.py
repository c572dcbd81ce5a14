"""An ingest (and a re-extraction) ends by weighing the series points its writes marked stale, so the
first page read afterwards finds them stored; a store it cannot write in time leaves them to readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from assay import pipeline
from assay.analyze.series import computed_series_values, series_values
from assay.pipeline import IngestOptions, ingest, reextract
from assay.sources import SourceOptions
from assay.store.db import Store
from assay.store.schema import SeriesPointRow, SeriesStaleRow
from assay.store.series import FactSelection

WIRE = (
    "On {day} March 2024, magnesium ingot in Fugu was quoted at {price:,} yuan per tonne.\n\n"
    "China exported {tonnes:,} tonnes of magnesium in February 2024, and {graphite:,} tonnes of graphite.\n"
)


def _quiet() -> IngestOptions:
    return IngestOptions(SourceOptions(), show_progress=False)


def _write_wires(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        text = WIRE.format(day=3 + n, price=16_800 + 100 * n, tonnes=30_000 + 1000 * n, graphite=5_000 + 10 * n)
        (folder / f"wire-{n}.txt").write_text(text, encoding="utf-8")


def _counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        stale = connection.execute(select(func.count()).select_from(SeriesStaleRow)).scalar_one()
        points = connection.execute(select(func.count()).select_from(SeriesPointRow)).scalar_one()
    return stale, points


def test_an_ingest_leaves_no_stale_point(any_store: Store, tmp_path: Path) -> None:
    _write_wires(tmp_path / "wire", 4)
    assert ingest([str(tmp_path / "wire")], _quiet(), any_store).added == 4
    stale, points = _counts(any_store)
    assert stale == 0 and points >= 3  # a price per day, the two export series
    with any_store.session() as session:  # what is stored is what the statements give
        assert series_values(session, FactSelection()) == computed_series_values(session, FactSelection())


def test_a_reextraction_leaves_no_stale_point(any_store: Store, tmp_path: Path) -> None:
    _write_wires(tmp_path / "wire", 2)
    ingest([str(tmp_path / "wire")], _quiet(), any_store)
    assert reextract(_quiet(), any_store, everything=True).reextracted == 2
    assert _counts(any_store)[0] == 0


def test_points_not_weighed_at_the_end_are_weighed_by_the_first_reader(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "weigh_stale_points", lambda store: None)  # as if the store was busy then
    _write_wires(tmp_path / "wire", 3)
    ingest([str(tmp_path / "wire")], _quiet(), store)
    assert _counts(store)[0] > 0
    with store.session() as session:
        assert series_values(session, FactSelection()) == computed_series_values(session, FactSelection())
    assert _counts(store)[0] == 0
