"""Ingest and re-extraction on a real Dask distributed scheduler and workers (local processes)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from assay import pipeline
from assay.distributed import ClusterError, ExecutorChoice, stage_executor
from assay.extract import EXTRACTOR_VERSION
from assay.pipeline import IngestOptions, ingest, reextract
from assay.sources import InputBudget, SourceOptions
from assay.store.db import Store
from hostile import ordinary_text

distributed = pytest.importorskip("distributed", reason='Dask distributed is not installed (pip install -e ".[test]")')

PLACES = ["Haicheng", "Dashiqiao", "Fugu", "Baotou", "Ganzhou", "Jixi", "Luobei", "Yulin", "Fujian", "Sichuan"]
COMMODITIES = ["fused magnesia", "primary magnesium", "spherical graphite", "rare earth oxide", "NdFeB magnets"]
DOCUMENTS = 48


def write_documents(folder: Path, count: int = DOCUMENTS) -> list[Path]:
    """Distinct short reports (each names its own place, figure and month, so none is a near-duplicate)."""
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        place, commodity = PLACES[n % len(PLACES)], COMMODITIES[n % len(COMMODITIES)]
        words = " ".join(f"w{n}x{k}" for k in range(40))  # unique shingles: every report an original
        body = (
            f"{commodity.capitalize()} report {n} from {place}\n\n"
            f"Production of {commodity} in {place} reached {1000 + 37 * n:,} t in {1 + n % 12:02d}/2025. "
            f"Export prices were quoted at {2000 + 11 * n:,} USD/t. {words}\n"
        )
        path = folder / f"report-{n:03d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """A scheduler and two single-threaded worker processes (each under a nanny that restarts it)."""
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield local
    local.close()


def stored(store: Store, sql: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def quiet() -> IngestOptions:
    return IngestOptions(show_progress=False)


def test_a_worker_killed_mid_run_loses_no_document(
    cluster: object, pg_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each document committed alone: on a fast machine all of them would otherwise land in one
    # commit, before the killer (which waits for a few stored documents) could strike mid-run
    monkeypatch.setattr(pipeline, "COMMIT_EVERY_DOCUMENTS", 1)
    paths = write_documents(tmp_path / "wire")
    address = getattr(cluster, "scheduler_address")  # noqa: B009  # LocalCluster is untyped
    killed: list[tuple[int, int]] = []  # (pid, documents stored when it was killed)
    with distributed.Client(address) as watcher:
        pids = list(watcher.run(os.getpid).values())

        def kill_one_worker_mid_run() -> None:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                done = stored(pg_store, "SELECT count(*) FROM documents")
                if done >= 3:
                    os.kill(pids[0], signal.SIGKILL)
                    killed.append((pids[0], done))
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_one_worker_mid_run, daemon=True)
        killer.start()
        with stage_executor(ExecutorChoice(cluster=address)) as (executor, slots):
            report = ingest([str(tmp_path / "wire")], IngestOptions(show_progress=False, executor=executor,
                                                                    workers=slots), pg_store)  # fmt: skip
        killer.join(timeout=5)
        after = set(watcher.run(os.getpid, on_error="ignore").values())  # a worker not yet known dead is left out
    assert killed and killed[0][1] < DOCUMENTS, "the worker was not killed while documents were still coming"
    assert killed[0][0] not in after  # it really died (its nanny started a new one)
    assert report.failures == [] and report.added == DOCUMENTS
    assert stored(pg_store, "SELECT count(*) FROM documents") == DOCUMENTS
    assert stored(pg_store, "SELECT count(DISTINCT source) FROM documents") == len(paths)
    assert stored(pg_store, f"SELECT count(*) FROM documents WHERE extracted_with = '{EXTRACTOR_VERSION}'") == DOCUMENTS
    assert stored(pg_store, "SELECT count(*) FROM facts") == report.facts > 0
    # a re-run finds everything stored
    again = ingest([str(tmp_path / "wire")], quiet(), pg_store)
    assert (again.added, again.skipped_unchanged) == (0, DOCUMENTS)


def test_the_cluster_gives_the_same_store_as_one_process(cluster: object, any_store: Store, tmp_path: Path) -> None:
    write_documents(tmp_path / "wire", 12)
    (tmp_path / "wire" / "zz-copy-of-3.txt").write_bytes((tmp_path / "wire" / "report-003.txt").read_bytes())
    address = getattr(cluster, "scheduler_address")  # noqa: B009  # LocalCluster is untyped
    with stage_executor(ExecutorChoice(cluster=address)) as (executor, slots):
        on_cluster = ingest([str(tmp_path / "wire")], IngestOptions(show_progress=False, executor=executor,
                                                                    workers=slots), any_store)  # fmt: skip
    assert (on_cluster.added, on_cluster.duplicates, on_cluster.failures) == (12, 1, [])
    single = ingest([str(tmp_path / "wire")], quiet(), any_store)  # everything is already there
    assert single.skipped_unchanged == 13
    with any_store.engine.connect() as connection:
        copy = connection.execute(
            text(
                "SELECT d.duplicate_of, o.name FROM documents d JOIN documents o ON o.id = d.duplicate_of"
                " WHERE d.name LIKE 'zz-copy-of-3%'"
            )
        ).one()
    assert copy.name.startswith("report-003")


def test_reextract_on_the_cluster_replaces_facts_of_stale_documents(
    cluster: object, store: Store, tmp_path: Path
) -> None:
    write_documents(tmp_path / "wire", 6)
    first = ingest([str(tmp_path / "wire")], quiet(), store)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE documents SET extracted_with = 'older' WHERE id <= 2"))
    address = getattr(cluster, "scheduler_address")  # noqa: B009  # LocalCluster is untyped
    with stage_executor(ExecutorChoice(cluster=address)) as (executor, slots):
        stale = reextract(IngestOptions(show_progress=False, executor=executor, workers=slots), store)
        everything = reextract(IngestOptions(show_progress=False, executor=executor, workers=slots), store,
                               everything=True)  # fmt: skip
    assert (stale.reextracted, stale.failures) == (2, [])
    assert everything.reextracted == 6 and everything.facts == first.facts
    assert stored(store, "SELECT count(*) FROM facts") == first.facts
    assert stored(store, f"SELECT count(*) FROM documents WHERE extracted_with = '{EXTRACTOR_VERSION}'") == 6


def test_the_time_budget_holds_in_a_cluster_workers_thread(cluster: object, store: Store, tmp_path: Path) -> None:
    # Dask runs a task in a worker's thread pool, where no signal arrives: the budget must hold there too.
    (tmp_path / "long.txt").write_text(ordinary_text(2), encoding="utf-8")
    write_documents(tmp_path / "wire", 3)
    (tmp_path / "wire" / "long.txt").write_bytes((tmp_path / "long.txt").read_bytes())
    address = getattr(cluster, "scheduler_address")  # noqa: B009  # LocalCluster is untyped
    options = IngestOptions(SourceOptions(budget=InputBudget(max_seconds=1.0)), show_progress=False)
    with stage_executor(ExecutorChoice(cluster=address)) as (executor, slots):
        options.executor, options.workers = executor, slots
        report = ingest([str(tmp_path / "wire")], options, store)
    [(source, reason)] = report.failures  # 2 MB of text takes several seconds of CPU to extract
    assert source.endswith("long.txt") and "time budget of 1s" in reason
    assert report.added == 3 and stored(store, "SELECT count(*) FROM documents") == 3


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    with (
        pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"),
        stage_executor(ExecutorChoice(cluster="tcp://127.0.0.1:9")),
    ):
        pass
