"""`assay reextract`, and where ingest's per-document stages run (`--workers`, `--cluster`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from assay.cli.app import EXIT_INPUT_FAILED, app, console
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error

if TYPE_CHECKING:
    from assay.pipeline import IngestOptions, IngestReport
    from assay.store.db import Store

CLUSTER_HELP = "Run cleaning, dedupe keys and extraction on this Dask scheduler (or set ASSAY_DASK_SCHEDULER)."
WORKERS_HELP = "Processes running cleaning and extraction in parallel on this machine."


def run_stages(
    options: IngestOptions, cluster: str | None, run: Callable[[IngestOptions, Store], IngestReport]
) -> IngestReport:
    """Open the store, then run `run` with its stages on the cluster, a process pool, or this process."""
    from assay.distributed import ClusterError, ExecutorChoice, scheduler_address, stage_executor

    choice = ExecutorChoice(cluster=scheduler_address(cluster), workers=options.workers)
    from dataclasses import replace

    with _open(writer=True) as store:
        try:
            with stage_executor(choice) as (executor, slots):
                return guarded(store, lambda: run(replace(options, executor=executor, workers=slots), store))
        except ClusterError as exc:
            _error(f"{choice.cluster or 'local cluster'}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc


@app.command("reextract")
def reextract_command(
    doc: Annotated[
        list[int] | None, typer.Option("--doc", metavar="ID", help="Only this document (repeat for more).")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Every stored original, not only those another extractor version made.")
    ] = False,
    cluster: Annotated[str | None, typer.Option("--cluster", metavar="tcp://HOST:8786", help=CLUSTER_HELP)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help=WORKERS_HELP)] = 1,
    no_progress: Annotated[bool, typer.Option("--no-progress", "--quiet", help="Do not show a progress bar.")] = False,
) -> None:
    """Run the current extractor again on stored documents (after a rule change), keeping analysts'
    corrections; facts and events are replaced. Without --doc or --all: those another extractor made."""
    from assay.pipeline import IngestOptions, reextract

    options = IngestOptions(show_progress=not no_progress and sys.stderr.isatty(), workers=workers)

    def run(opts: IngestOptions, store: Store) -> IngestReport:
        try:
            return reextract(opts, store, doc or (), everything)
        except LookupError as exc:  # an id that is not a stored original: nothing was written
            _error(f"--doc: {exc.args[0]}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc

    report = run_stages(options, cluster, run)
    print_failures(report)
    console.print(
        f"re-extracted {report.reextracted} documents, {len(report.failures)} failed; "
        f"{report.facts} facts, {report.events} events extracted",
        highlight=False,
    )
    if report.failures:
        raise typer.Exit(EXIT_INPUT_FAILED)


def print_failures(report: IngestReport) -> None:
    for source, reason in report.failures:
        _error(f"{source}: {reason}")


def guarded(store: Store, run: Callable[[], IngestReport]) -> IngestReport:
    """Run an ingest; a database failure mid-run is one line and exit 1 (what was committed stays)."""
    from sqlalchemy.exc import SQLAlchemyError

    from assay.store.db import describe_error, display_url

    try:
        return run()
    except SQLAlchemyError as exc:
        _error(f"{display_url(store.url)}: {describe_error(exc)}")
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
