"""The ingest's progress display: a line per long document, naming its stage."""

from __future__ import annotations

from assay.progress import LONG_DOCUMENT_BYTES, IngestProgress


def test_a_long_document_gets_a_line_with_its_stage_size_and_a_safe_name() -> None:
    progress = IngestProgress(True, 1)  # one input: no bar over the documents
    assert progress._progress is not None and not progress._progress.tasks
    progress.document_stage("big\x1b[2J.txt", 3 * LONG_DOCUMENT_BYTES, "cleaning")
    progress.document_stage("big\x1b[2J.txt", 3 * LONG_DOCUMENT_BYTES, "extracting")
    [task] = progress._progress.tasks
    assert task.fields["label"] == "extracting big␛[2J.txt (3.0 MB)"
    assert (task.completed, task.total) == (1, 3)
    progress.document_done()
    assert not progress._progress.tasks


def test_short_documents_and_quiet_runs_show_nothing() -> None:
    progress = IngestProgress(True, 1)
    progress.document_stage("small.txt", LONG_DOCUMENT_BYTES - 1, "cleaning")
    assert progress._progress is not None and not progress._progress.tasks
    quiet = IngestProgress(False, 100)
    quiet.document_stage("big.txt", 10 * LONG_DOCUMENT_BYTES, "cleaning")
    quiet.advance()
    assert quiet._progress is None
