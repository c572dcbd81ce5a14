"""Real concurrent processes on one SQLite file: readers never wait for or take the write lock,
writers wait their turn (and try again) instead of failing, migrations run once."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from assay.pipeline import IngestOptions, ingest
from assay.sources import SourceOptions
from assay.store import db
from assay.store.db import head_revision, open_store
from assay.store.documents import list_documents, search
from assay.store.facts import FactFilter, query_facts

HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO ingest_failures (source, reason, at) VALUES ('lock', 'held', '2026-01-01')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def _corpus(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{prefix}-{n}.txt").write_text(
            f"{prefix} report {n}\n\nChina's magnesium ingot exports reached {1000 + n * 37:,} t in May 2024, "
            f"according to customs data on {prefix} desk {n}. Graphite prices held at {3000 + n} yuan per tonne.\n",
            encoding="utf-8",
        )
    return folder


@contextmanager
def _writer_holding_the_lock(path: Path, seconds: float, wait: bool = False) -> Iterator[subprocess.Popen[str]]:
    """Another process holding SQLite's write lock for `seconds` (cut short when the block ends, unless `wait`)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        if not wait:
            holder.kill()
        holder.wait(timeout=60)


def _filled(tmp_path: Path) -> Path:
    path = tmp_path / "shared.db"
    with open_store(f"sqlite:///{path}") as store:
        report = ingest([str(_corpus(tmp_path / "seed", "seed", 5))], IngestOptions(show_progress=False), store)
    assert report.ok and report.added == 5
    return path


def test_readers_neither_wait_for_nor_take_the_write_lock(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    with _writer_holding_the_lock(path, 8):
        started = time.monotonic()
        with open_store(f"sqlite:///{path}", gather_statistics=False) as store, store.session() as session:
            assert len(list_documents(session)) == 5
            assert query_facts(session, FactFilter(commodity="magnesium"))
            assert search(session, "magnesium")
        assert time.monotonic() - started < 4  # not the 30 s busy timeout the old migration check waited


def test_the_cli_reads_while_another_process_writes(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    with _writer_holding_the_lock(path, 60):  # longer than the 30 s busy timeout a reader used to wait
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from assay.cli import main; main()",
                "--db",
                str(path),
                "facts",
                "--commodity",
                "magnesium",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "magnesium" in done.stdout
    assert elapsed < 25  # CLI start-up only (slow on a busy machine), never the writer's 60 s


def test_a_writer_waits_its_turn_and_retries_instead_of_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(tmp_path)
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)  # each wait is short: the retries must carry it
    corpus = _corpus(tmp_path / "more", "more", 4)
    with open_store(f"sqlite:///{path}") as store, _writer_holding_the_lock(path, 3, wait=True):
        started = time.monotonic()
        report = ingest([str(corpus)], IngestOptions(SourceOptions(), show_progress=False), store)
        waited = time.monotonic() - started
    assert report.ok, report.failures
    assert report.added + report.duplicates == 4
    assert waited > 1.5  # it did wait for the other writer
    with open_store(f"sqlite:///{path}", gather_statistics=False) as store, store.session() as session:
        assert len(list_documents(session)) == 9
        assert session.execute(text("SELECT count(*) FROM ingest_failures WHERE source = 'lock'")).scalar() == 1


def test_three_concurrent_ingests_into_a_new_file_all_finish(tmp_path: Path) -> None:
    path = tmp_path / "three.db"
    folders = [_corpus(tmp_path / name, name, 5) for name in ("alpha", "beta", "gamma")]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from assay.cli import main; main()",
                "--db",
                str(path),
                "ingest",
                "--no-progress",
                str(f),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in folders
    ]
    outcomes = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in outcomes]
    with open_store(f"sqlite:///{path}", gather_statistics=False) as store, store.session() as session:
        assert len(list_documents(session)) == 15
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()


def test_an_up_to_date_store_is_opened_without_migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _filled(tmp_path)
    calls: list[object] = []
    monkeypatch.setattr(db, "upgrade", lambda *args, **kwargs: calls.append(args))
    open_store(f"sqlite:///{path}", gather_statistics=False).close()
    assert calls == []
    fresh = tmp_path / "fresh.db"
    monkeypatch.undo()
    with open_store(f"sqlite:///{fresh}") as store, store.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
