"""The types every source kind shares: what a fetched document is, how fetching is bounded, and its error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assay.sources.budget import InputBudget

CONTENT_TYPES = ("txt", "md", "html", "pdf", "pptx", "docx")

SUFFIX_TYPES = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".pptx": "pptx",
    ".docx": "docx",
}


@dataclass(frozen=True)
class RawDocument:
    """Bytes as fetched from a file or URL, with what is known about them before cleaning.

    `title`, `published` and `lang` come from a corpus folder's index.jsonl or a feed entry;
    `charset` from an HTTP Content-Type header. Both are hints the cleaner trusts first.
    """

    name: str
    source: str
    data: bytes
    content_type: str  # one of CONTENT_TYPES
    url: str | None
    fetched_at: datetime
    source_name: str | None
    title: str | None = None
    published: str | None = None
    lang: str | None = None
    charset: str | None = None


@dataclass(frozen=True)
class SourceOptions:
    """Bounds on what a run may read: size cap (bytes as stored or sent), network safety, feed handling,
    and the budget each document is held to once read (bytes after decompression, elements, time)."""

    max_bytes: int = 100 * 1024 * 1024
    allow_private_urls: bool = False
    timeout_s: float = 20.0  # each wait for the network; a whole response has budget.max_seconds
    max_redirects: int = 5
    feed: bool = False
    budget: InputBudget = field(default_factory=InputBudget)


class SourceError(Exception):
    """An input that could not be read; `str(e)` is one line naming the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:
        # picklable across a process pool (workers > 1)
        return (SourceError, (self.source, self.reason))
