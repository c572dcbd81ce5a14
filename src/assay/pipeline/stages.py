"""The per-document stages' results, and the reading stage: what runs on an executor and what it returns.

`read_within` (format to text, normalisation) and, in the package, `analyse_within` and
`extract_within` run where the executor puts them (this process, a pool, a Dask worker); they return
plain data classes, and a stage stopped by its time budget returns `OverBudget` rather than raising.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from assay.clean import ReadDocument, read_document
from assay.clean.dedupe import DuplicateIndex, band_hashes, text_sha256
from assay.extract import EXTRACTOR_VERSION
from assay.model import Event, Fact
from assay.sources import BudgetExceeded, InputBudget, RawDocument
from assay.sources.budget import time_limit

_T = TypeVar("_T")


@dataclass(frozen=True)
class Extraction:
    facts: list[Fact]
    events: list[Event]
    families: tuple[str, ...]
    # the extractor that made it: a cluster worker may run another assay version than this process
    version: str = EXTRACTOR_VERSION


@dataclass(frozen=True)
class Analysis:
    """What `analyse` found about a cleaned document: its dedupe keys and, unless turned off, its extraction."""

    text_sha256: str
    signature: bytes
    extraction: Extraction | None
    problem: str | None  # why extraction failed, if it did
    bands: tuple[int, ...] = ()  # the signature's LSH band keys (clean.dedupe.band_hashes)


@dataclass(frozen=True)
class OverBudget:
    """A stage stopped by the document's time budget. Returned, not raised: BudgetExceeded is a
    BaseException that executors need not pass on, and a cluster would run a raising task again."""

    reason: str


@dataclass(frozen=True)
class Timed(Generic[_T]):
    """A stage's result and the seconds it took where it ran (the queue's wait not counted)."""

    value: _T
    seconds: float


def read_within(raw: RawDocument, budget: InputBudget) -> Timed[ReadDocument] | OverBudget:
    """`read_document` within the budget's bytes, elements and seconds (CleanError for the first two)."""
    started = time.monotonic()
    try:
        with time_limit(budget.max_seconds, "this document"):
            read = read_document(raw, budget)
    except BudgetExceeded as exc:
        return OverBudget(exc.reason)
    return Timed(read, time.monotonic() - started)


def dedupe_keys(clean_text: str) -> tuple[str, bytes, tuple[int, ...]]:
    """A clean text's hash, MinHash signature and the signature's LSH band keys."""
    signature = _signer().signature(clean_text)
    return text_sha256(clean_text), signature, tuple(band_hashes(signature))


@cache
def _signer() -> DuplicateIndex:
    """An empty index, for its MinHash permutations (made once per process)."""
    return DuplicateIndex()
