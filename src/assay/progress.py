"""What a long ingest shows on standard error: a bar over the documents, and a line per long document.

A document over LONG_DOCUMENT_BYTES gets a line of its own naming the stage it is in (reading,
cleaning, extracting) with its size and the time spent, so an ingest of one 64 MB file is
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

    def document_stage(self, name: str, size: int, stage: str, done_bytes: int | None = None) -> None:
        """Show (or update) the long document's line: its name, size in MB and the stage it is in."""
        if self._progress is None or size < LONG_DOCUMENT_BYTES:
            return
        megabytes = size / (1024 * 1024)
        # the name comes from the input: shown as plain text with control characters made visible
        label = f"{stage} {visible(name, single_line=True)} ({megabytes:.1f} MB)"
        total = max(1, round(megabytes))
        completed = total if done_bytes is None else min(total, round(done_bytes / (1024 * 1024)))
        if self._document is None:
            self._document = self._progress.add_task("document", total=total, completed=completed, label=label)
        else:
            self._progress.update(self._document, completed=completed, label=label)

    def document_done(self) -> None:
        if self._progress is not None and self._document is not None:
            self._progress.remove_task(self._document)
            self._document = None
