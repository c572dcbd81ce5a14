"""RawDocument to Document: text per format, normalisation, noise removal, language and date."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field, replace
from datetime import timedelta

from assay.clean.characters import collapse_whitespace, normalize_text
from assay.clean.dates import date_from_text, iso_date
from assay.clean.lang import detect_language
from assay.clean.noise import SourceBoilerplate, drop_page_repeats, drop_repeated_body, drop_repeated_lines
from assay.clean.text import CleanError, Extracted, extract_text
from assay.clean.wrapping import rejoin_wrapped_lines
from assay.model import Document
from assay.sources import InputBudget, RawDocument

_LANGS = {"zh": "zh", "en": "en", "mixed": "mixed", "cn": "zh", "chi": "zh", "zho": "zh", "eng": "en"}
_MAX_TITLE = 200
TITLE_SCAN_LINES = 20
_DANGLING = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}


@dataclass
class CleaningContext:
    """What one run learns across documents: per-source line counts for boilerplate removal.

    Pass the same context to every clean_document call of a run; `observe` primes it with
    documents cleaned earlier (e.g. already in the store) so the first new ones benefit too.
    """

    boilerplate: SourceBoilerplate = field(default_factory=SourceBoilerplate)
    budget: InputBudget = field(default_factory=InputBudget)

    def observe(self, source_name: str | None, clean_text: str) -> None:
        self.boilerplate.observe(source_name or "", clean_text.split("\n"))


@dataclass(frozen=True)
class ReadDocument:
    """A document cleaned as far as it can be alone: what `finish_document` needs, without the raw bytes.

    Made by `read_document`, which needs no state of the run, so a process pool or a cluster worker
    can do this costly part (format to text, normalisation) in any order."""

    raw: RawDocument  # with data emptied: the bytes stay where they were read
    raw_sha256: str
    extracted: Extracted
    lines: tuple[str, ...]
    steps: tuple[str, ...]


def clean_document(raw: RawDocument, context: CleaningContext | None = None) -> Document:
    """Clean one document; raises CleanError (one line: input and reason) when it holds no usable text."""
    return finish_document(read_document(raw, context.budget if context is not None else None), context)


def read_document(raw: RawDocument, budget: InputBudget | None = None) -> ReadDocument:
    """Format to text, normalisation and noise within the document, within `budget`; raises CleanError."""
    extracted = extract_text(raw, budget)
    steps: list[str] = list(extracted.steps)
    pages: list[str] = []
    for page in extracted.pages:
        text, applied = normalize_text(page)
        text, joins = rejoin_wrapped_lines(text)
        if joins:
            applied.append("rejoin-wrapped")
        pages.append(text)
        steps.extend(step for step in applied if step not in steps)
    if len(pages) > 1:
        pages, dropped = drop_page_repeats(pages)
        if dropped:
            steps.append(f"drop-page-repeats:{dropped}")
    lines = "\n\n".join(page for page in pages if page).split("\n")

    body = drop_repeated_body(lines)
    if body.dropped:
        steps.append("drop-repeated-body")
    repeated = drop_repeated_lines(body.lines)
    if repeated.dropped:
        steps.append(f"drop-repeated-lines:{repeated.dropped}")
    raw_sha256 = hashlib.sha256(raw.data).hexdigest()
    return ReadDocument(replace(raw, data=b""), raw_sha256, extracted, tuple(repeated.lines), tuple(steps))


def finish_document(read: ReadDocument, context: CleaningContext | None = None) -> Document:
    """The rest of cleaning: boilerplate each source repeats (learnt in `context`, so call this in input
    order), then title, language and date; raises CleanError when no text is left."""
    raw, extracted, lines, steps = read.raw, read.extracted, list(read.lines), list(read.steps)
    if context is not None:
        source = raw.source_name or ""
        context.boilerplate.observe(source, lines)
        boilerplate = context.boilerplate.filter(source, lines)
        if boilerplate.dropped:
            steps.append(f"drop-source-boilerplate:{boilerplate.dropped}")
        lines = boilerplate.lines

    clean_text = collapse_whitespace("\n".join(lines))
    if not clean_text.strip():
        raise CleanError(raw.source, "no text left after cleaning")
    not_after = raw.fetched_at.date() + timedelta(days=1)  # a page dated in the publisher's time zone
    published = (
        iso_date(raw.published, not_after)
        or iso_date(extracted.published, not_after)
        or date_from_text(clean_text, not_after)
        or (date_from_text(html.unescape(extracted.page_text), not_after) if extracted.page_text else None)
    )
    return Document(
        name=raw.name,
        source=raw.source,
        raw_sha256=read.raw_sha256,
        clean_text=clean_text,
        raw_text="\n\n".join(extracted.pages),
        title=_title(raw.title or extracted.title, clean_text),
        lang=_language(raw.lang) or detect_language(clean_text),
        published=published,
        fetched_at=raw.fetched_at,
        content_type=raw.content_type,
        source_name=raw.source_name,
        cleaning_steps=tuple(steps),
        url=raw.url,
    )


def _language(declared: str | None) -> str | None:
    if not declared:
        return None
    primary = declared.strip().lower().replace("_", "-").split("-")[0]
    return _LANGS.get(primary)


def _title(declared: str | None, clean_text: str) -> str | None:
    if declared and declared.strip():
        return normalize_text(declared)[0].replace("\n", " ")[:_MAX_TITLE]
    top = [line for line in clean_text.split("\n")[:60] if line][:TITLE_SCAN_LINES]
    candidates = [line for line in top if _looks_like_title(line)]
    echoed = [line for line in candidates if top.count(line) > 1]  # a headline printed twice (title, h1)
    chosen = echoed or candidates
    return chosen[0] if chosen else None


def _looks_like_title(line: str) -> bool:
    """A headline: a few words (or Han characters), no closing punctuation, no byline labels or dates,
    not a line broken mid-sentence."""
    if not line or len(line) > _MAX_TITLE or line[-1] in ".;:,。；：，|" or line.count(": ") > 1:
        return False
    words = line.split()
    if line[0].islower() or words[-1].lower() in _DANGLING:
        return False
    if date_from_text(line) is not None:
        return False
    han = sum(1 for char in line if "\u4e00" <= char <= "\u9fff")
    return han >= 8 or len(words) >= 4
