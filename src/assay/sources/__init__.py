"""sources stage: files, folders (with index.jsonl metadata), http(s) URLs and RSS/Atom feeds, as RawDocuments.

for item in iter_sources(["corpus/", "https://example.com/news/1"], SourceOptions()):
    if isinstance(item, SourceError): print(item)   # one line: input and reason
    else: handle(item)                              # a RawDocument
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from assay.sources.base import CONTENT_TYPES, RawDocument, SourceError, SourceOptions
from assay.sources.budget import BudgetExceeded, InputBudget
from assay.sources.files import FolderIndexes, iter_path
from assay.sources.web import WebFetcher, looks_like_url

__all__ = [
    "CONTENT_TYPES",
    "BudgetExceeded",
    "InputBudget",
    "RawDocument",
    "SourceError",
    "SourceOptions",
    "iter_sources",
]


def iter_sources(inputs: Sequence[str], options: SourceOptions) -> Iterator[RawDocument | SourceError]:
    """Every document the inputs name, in order; a failing input yields a SourceError and the run goes on."""
    indexes = FolderIndexes()
    fetcher = WebFetcher(options)
    for given in inputs:
        if looks_like_url(given):
            yield from fetcher.iter_url(given)
        elif options.feed and given.strip():
            yield SourceError(given, "--feed needs an http(s) URL")
        else:
            yield from iter_path(given, options, indexes)
