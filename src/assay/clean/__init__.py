"""clean stage: RawDocument bytes to a Document with clean text, language, date and the steps applied.

    context = CleaningContext()                 # one per run: learns each source's boilerplate
    document = clean_document(raw, context)     # raises CleanError (one line: input and reason)
    # or in two halves, the first needing no state of the run (for worker processes):
    document = finish_document(read_document(raw), context)
Near-duplicates are found with `assay.clean.dedupe.DuplicateIndex`.
"""

from __future__ import annotations

from assay.clean.document import CleaningContext, ReadDocument, clean_document, finish_document, read_document
from assay.clean.text import CleanError

__all__ = ["CleanError", "CleaningContext", "ReadDocument", "clean_document", "finish_document", "read_document"]
