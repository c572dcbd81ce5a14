"""Computed views are kept while the store is unchanged, recomputed when it changes, and bounded."""

from __future__ import annotations

from pathlib import Path

from assay.pipeline import IngestOptions, ingest
from assay.store.db import Store
from assay.web.deps import ViewCache


def test_views_follow_the_store_and_stay_bounded(store: Store, tmp_path: Path) -> None:
    cache = ViewCache(seconds=3600, max_entries=2)
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name.upper()

    with store.session() as session:
        assert cache.get(session, "a", lambda: compute("a")) == "A"
        assert cache.get(session, "a", lambda: compute("a")) == "A"
        assert calls == ["a"]
    (tmp_path / "note.txt").write_text("Graphite note\n\nChina produced 1.23 million tonnes of graphite in 2023.\n")
    ingest([str(tmp_path / "note.txt")], IngestOptions(), store)
    with store.session() as session:
        cache.get(session, "a", lambda: compute("a"))
        assert calls == ["a", "a"]  # the store changed
        cache.get(session, "b", lambda: compute("b"))
        cache.get(session, "c", lambda: compute("c"))
        cache.get(session, "a", lambda: compute("a"))
        assert calls == ["a", "a", "b", "c", "a"]  # only two entries are kept: "a" was the oldest


def test_expired_views_are_recomputed(store: Store) -> None:
    cache = ViewCache(seconds=0)
    calls: list[int] = []
    with store.session() as session:
        cache.get(session, "x", lambda: calls.append(1))
        cache.get(session, "x", lambda: calls.append(1))
    assert len(calls) == 2
