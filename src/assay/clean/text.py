"""Bytes to text for each format: txt/md (encoding detected), html, pdf (per page), pptx (per slide), docx.

Every reader returns pages of text when the format has pages, so noise removal can see what
recurs on each; tables come out one row per line, cells separated by ` | `.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assay.clean.characters import NotText, declared_in_markup, decode_bytes
from assay.clean.html import HtmlUnreadable, html_to_text, quiet_logger
from assay.sources import RawDocument
from assay.sources.budget import BudgetExceeded, InputBudget, checked_markup, checked_zip, megabytes


class CleanError(Exception):
    """A document whose bytes cannot be turned into text (broken PDF, binary junk, ...)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[CleanError], tuple[str, str]]:
        return (CleanError, (self.source, self.reason))


@dataclass(frozen=True)
class Extracted:
    """What a format reader found: the text (pages joined by blank lines) and declared metadata."""

    pages: tuple[str, ...]
    title: str | None = None
    published: str | None = None  # as the markup states it
    page_text: str | None = None  # all visible text of a web page, for a byline date the main text lacks
    steps: tuple[str, ...] = ()


def extract_text(raw: RawDocument, budget: InputBudget | None = None) -> Extracted:
    """The text of a RawDocument in its own format; CleanError with a one-line reason when it has none
    or when reading it would go over `budget` (bytes after decompression, elements)."""
    reader = _READERS.get(raw.content_type)
    if reader is None:
        raise CleanError(raw.source, f"unsupported content type {raw.content_type!r}")
    budget = budget or InputBudget()
    try:
        extracted = reader(raw, budget)
        text_size = sum(len(page) for page in extracted.pages)
        if text_size > budget.max_inflated_bytes:
            raise BudgetExceeded(
                f"has {megabytes(text_size)} of text, over the budget of {megabytes(budget.max_inflated_bytes)} "
                "(raise with --max-inflated-bytes)"
            )
    except CleanError:
        raise
    except BudgetExceeded as exc:
        raise CleanError(raw.source, exc.reason) from None
    except NotText as exc:
        raise CleanError(raw.source, f"not text: {exc}") from None
    if not any(page.strip() for page in extracted.pages):
        raise CleanError(raw.source, f"no text found in this {raw.content_type.upper()} document")
    return extracted


def _read_txt(raw: RawDocument, budget: InputBudget) -> Extracted:
    text, encoding = decode_bytes(raw.data, raw.charset)
    return Extracted(pages=(text,), steps=_encoding_step(encoding))


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# The rule line goes with its newline: a blank line left in its place would cut the header
# off from the body rows, and readers downstream take a blank line as the end of a table.
_MD_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*(?:\n|$)", re.MULTILINE)
_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _read_md(raw: RawDocument, budget: InputBudget) -> Extracted:
    text, encoding = decode_bytes(raw.data, raw.charset)
    title = published = None
    front = _MD_FRONT_MATTER.match(text)
    if front:
        title = _front_matter_value(front.group(0), "title")
        published = _front_matter_value(front.group(0), "date") or _front_matter_value(front.group(0), "published")
        text = text[front.end() :]
    if title is None:
        heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        title = heading.group(1).strip() if heading else None
    text = _MD_COMMENT.sub("", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_TABLE_RULE.sub("", text)
    return Extracted(pages=(text,), title=title, published=published, steps=(*_encoding_step(encoding), "markdown"))


def _front_matter_value(block: str, key: str) -> str | None:
    found = re.search(rf"^{key}:\s*(.+)$", block, re.MULTILINE)
    if not found:
        return None
    return found.group(1).strip().strip("'\"") or None


def _read_html(raw: RawDocument, budget: InputBudget) -> Extracted:
    declared = raw.charset or declared_in_markup(raw.data[:4096])
    markup, encoding = decode_bytes(raw.data, declared)
    checked_markup(markup, budget)  # depth and width before the HTML parsers build a tree
    try:
        found = html_to_text(markup)
    except HtmlUnreadable as exc:
        raise CleanError(raw.source, str(exc)) from None
    steps = (*_encoding_step(encoding), "html-fallback-text" if found.used_fallback else "html-main-text")
    return Extracted(
        pages=(found.text,), title=found.title, published=found.published, page_text=found.page_text, steps=steps
    )


def _read_pdf(raw: RawDocument, budget: InputBudget) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        with warnings.catch_warnings(), quiet_logger("pypdf"):
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(raw.data), strict=False)
            if reader.is_encrypted:
                try:
                    unlocked = bool(reader.decrypt(""))
                except Exception:  # pypdf raises several types for unsupported encryption
                    unlocked = False
                if not unlocked:
                    raise CleanError(raw.source, "encrypted PDF (a password is needed to read it)")
            if len(reader.pages) > budget.max_pages:
                raise BudgetExceeded(
                    f"has {len(reader.pages):,} pages, over the budget of {budget.max_pages:,} (raise with --max-pages)"
                )
            pages = tuple(page.extract_text() or "" for page in reader.pages)
            title = _pdf_title(reader)
    except CleanError:
        raise
    except FileNotDecryptedError:
        raise CleanError(raw.source, "encrypted PDF (a password is needed to read it)") from None
    except PdfReadError as exc:
        raise CleanError(raw.source, f"broken PDF ({_short(exc)})") from None
    except Exception as exc:  # pypdf surfaces damaged files as many error types
        raise CleanError(raw.source, f"broken PDF ({type(exc).__name__}: {_short(exc)})") from None
    if not any(page.strip() for page in pages):
        raise CleanError(raw.source, "PDF has no text layer (scanned images need OCR)")
    return Extracted(pages=pages, title=title, steps=("pdf-text",))


def _pdf_title(reader: Any) -> str | None:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception:  # damaged info dictionaries are common and never fatal
        return None
    if not title:
        return None
    return " ".join(str(title).split()) or None


def _read_pptx(raw: RawDocument, budget: InputBudget) -> Extracted:
    from pptx import Presentation

    try:
        checked_zip(raw.data, budget)
        deck = Presentation(io.BytesIO(raw.data))
        slides = tuple("\n".join(_shape_lines(slide.shapes)) for slide in deck.slides)
        title = (deck.core_properties.title or "").strip() or None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise CleanError(raw.source, f"corrupt or truncated PPTX ({type(exc).__name__}: {_short(exc)})") from None
    except Exception as exc:  # lxml and python-pptx raise their own types on damaged parts
        raise CleanError(raw.source, f"corrupt PPTX ({type(exc).__name__}: {_short(exc)})") from None
    return Extracted(pages=slides, title=title, steps=("pptx-text",))


def _shape_lines(shapes: Any) -> Iterator[str]:
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6 or hasattr(shape, "shapes"):  # a group: read its members
            yield from _shape_lines(shape.shapes)
            continue
        if getattr(shape, "has_table", False):
            for row in shape.table.rows:
                yield table_row([cell.text for cell in row.cells])
            yield ""
        elif getattr(shape, "has_text_frame", False):
            for paragraph in shape.text_frame.paragraphs:
                text = "".join(run.text for run in paragraph.runs) or paragraph.text
                yield text.replace("\v", "\n")
            yield ""


def _read_docx(raw: RawDocument, budget: InputBudget) -> Extracted:
    import docx
    from docx.table import Table

    try:
        checked_zip(raw.data, budget)
        document = docx.Document(io.BytesIO(raw.data))
        lines: list[str] = []
        heading: str | None = None
        # a paragraph's style name costs a scan of the styles part: looked up once per style id
        style_names: dict[str | None, str] = {}
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(table_row(_distinct_cells(row)) for row in block.rows)
                lines.append("")
            else:
                text = block.text
                lines.append(text)
                lines.append("")
                if heading is None and text.strip():
                    style_id = block._p.style
                    if style_id not in style_names:
                        style_names[style_id] = (block.style.name or "") if block.style is not None else ""
                    if style_names[style_id].startswith(("Title", "Heading")):
                        heading = text.strip()
        title = (document.core_properties.title or "").strip() or heading
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise CleanError(raw.source, f"corrupt or truncated DOCX ({type(exc).__name__}: {_short(exc)})") from None
    except Exception as exc:  # lxml and python-docx raise their own types on damaged parts
        raise CleanError(raw.source, f"corrupt DOCX ({type(exc).__name__}: {_short(exc)})") from None
    return Extracted(pages=("\n".join(lines),), title=title, steps=("docx-text",))


def table_row(cells: list[str]) -> str:
    """`| cell | cell |`, line breaks inside a cell read as spaces."""
    return "| " + " | ".join(" ".join(cell.split()) for cell in cells) + " |"


def _distinct_cells(row: Any) -> list[str]:
    """A docx row's cell texts; python-docx repeats a merged cell for each grid column it spans."""
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is not previous:  # identity of the XML cell is how merges show
            texts.append(cell.text)
        previous = cell._tc
    return texts


def _encoding_step(encoding: str) -> tuple[str, ...]:
    return () if encoding in ("utf-8", "ascii") else (f"decode:{encoding}",)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


_READERS = {
    "txt": _read_txt,
    "md": _read_md,
    "html": _read_html,
    "pdf": _read_pdf,
    "pptx": _read_pptx,
    "docx": _read_docx,
}
