"""Ingest and re-extraction with the per-document stages on Dask distributed (the `assay[cluster]` extra).

    with stage_executor(ExecutorChoice(cluster="tcp://scheduler:8786")) as (executor, slots):
        ingest(inputs, IngestOptions(executor=executor, workers=slots), store)

The workers run the pipeline's own stage functions (`read_document`, `analyse`, `extract`) on the
bytes this process reads and sends them; this process keeps the run's order, the cleaning context,
the duplicate index and every write, to the store `ASSAY_DATABASE_URL` names. Workers need assay
installed, nothing else: no shared folder, no database access. A worker that dies takes no document
with it: the scheduler runs its tasks again elsewhere, and a document is written only when its
result comes back. Nothing here is cluster logic of our own beyond submitting and collecting.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SCHEDULER_VARIABLE = "ASSAY_DASK_SCHEDULER"
# `--workers N` on one machine: the process pool, which bench/ingest.py measured faster than a
# LocalCluster of the same size (the stages are short; Dask's scheduling and serialisation cost more).
LOCAL_BACKEND = "pool"
TASK_RETRIES = 2  # a task that raised (not one whose worker died: the scheduler moves those itself)
CONNECT_TIMEOUT = "20s"


class ClusterError(RuntimeError):
    """The cluster cannot be used: Dask is not installed, or the scheduler does not answer."""


@dataclass(frozen=True)
class ExecutorChoice:
    """Where the stages run: a scheduler's address, else `workers` local processes (1: this process)."""

    cluster: str | None = None
    workers: int = 1
    local_backend: str = LOCAL_BACKEND  # "pool" or "dask", for `workers` > 1 without a cluster


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: the one given, else ASSAY_DASK_SCHEDULER, else none."""
    return given or os.environ.get(SCHEDULER_VARIABLE, "").strip() or None


@contextmanager
def stage_executor(choice: ExecutorChoice) -> Iterator[tuple[Executor | None, int]]:
    """An executor for the stage functions and how many tasks it runs at once.

    None means: let the pipeline run them itself (inline, or its process pool of `workers`)."""
    if choice.cluster is None and (choice.workers <= 1 or choice.local_backend == "pool"):
        yield None, choice.workers
        return
    distributed = _import_distributed()
    if choice.cluster is not None:
        try:
            client = distributed.Client(choice.cluster, timeout=CONNECT_TIMEOUT)
        except OSError as exc:  # refused, unreachable, timed out
            raise ClusterError(f"cannot reach the Dask scheduler at {choice.cluster}: {exc}") from exc
        cluster = None
    else:
        cluster = distributed.LocalCluster(
            n_workers=choice.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    try:
        slots = max(1, sum(client.nthreads().values()))
        yield client.get_executor(retries=TASK_RETRIES, pure=False), slots
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError('Dask distributed is not installed: pip install "assay[cluster]"') from exc
    return distributed
