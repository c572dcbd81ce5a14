"""What a long ingest shows on standard error: a bar over the documents, and a line per long document.

A document over LONG_DOCUMENT_BYTES gets a line of its own naming the stage it is in (cleaning,
extracting, storing: "1/3" and so on) with its size and the time spent, so an ingest of one 64 MB file is
visibly working rather than silent for minutes.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from assay.terminal import visible

LONG_DOCUMENT_BYTES = 1024 * 1024
PROGRESS_ABOVE = 5  # documents; shorter runs print no bar
DOCUMENT_STAGES = ("cleaning", "extracting", "storing")


class IngestProgress:
    """A Rich display on standard error (stdout stays for results); inert when `show` is False."""

    def __init__(self, show: bool, total: int | None) -> None:
        self._progress: Progress | None = None
        self._bar: TaskID | None = None
        self._document: TaskID | None = None
        if not show:
            return
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.fields[label]}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        if total is None or total > PROGRESS_ABOVE:
            self._bar = self._progress.add_task("ingest", total=total, label="ingesting")

    def __enter__(self) -> IngestProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self) -> None:
        if self._progress is not None and self._bar is not None:
            self._progress.advance(self._bar)

    def document_stage(self, name: str, size: int, stage: str) -> None:
        """Show (or update) the long document's line: its stage (as "n/3" of DOCUMENT_STAGES), name and size."""
        if self._progress is None or size < LONG_DOCUMENT_BYTES:
            return
        # the name comes from the input: shown with control characters made visible
        label = f"{stage} {visible(name, single_line=True)} ({size / (1024 * 1024):.1f} MB)"
        done = DOCUMENT_STAGES.index(stage) if stage in DOCUMENT_STAGES else 0
        if self._document is None:
            total = len(DOCUMENT_STAGES)
            self._document = self._progress.add_task("document", total=total, completed=done, label=label)
        else:
            self._progress.update(self._document, completed=done, label=label)

    def document_done(self) -> None:
        if self._progress is not None and self._document is not None:
            self._progress.remove_task(self._document)
            self._document = None
