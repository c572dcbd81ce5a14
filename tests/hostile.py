"""Hostile inputs, made by the tests themselves: zip bombs in Office containers, deep and wide XML,
pathological repetition, escape sequences and mixed encodings.

Office files start from the bundled sample documents (real packages python-docx and python-pptx
open) with one part replaced; everything is generated, so nothing third-party is copied.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

SAMPLE_REPORTS = Path(__file__).resolve().parents[1] / "src" / "assay" / "sample" / "reports"
SAMPLE_DOCX = SAMPLE_REPORTS / "rpt-2022-graphite-briefing.docx"
SAMPLE_PPTX = SAMPLE_REPORTS / "deck-2025-magnesia-magnesium.pptx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MIB = 1024 * 1024

# what a hostile title or sentence may carry: clear screen, window title, hyperlink, blink,
# a C1 control, a right-to-left override, Rich markup and an emoji code
ESCAPES = (
    "\x1b[2J\x1b[H",
    "\x1b]0;owned\x07",
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "\x1b[5mblink\x1b[0m",
    "\x9b31m",
    "\u202etxt.exe",
    "[bold red]markup[/bold red]",
    ":warning:",
)


def replace_part(base: Path, part: str, data: bytes | Callable[[zipfile.ZipFile], None]) -> bytes:
    """`base` with member `part` replaced by `data` (bytes, or a writer that adds it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info.filename))
        if callable(data):
            data(target)
        else:
            target.writestr(part, data)
    return out.getvalue()


def _streamed_part(part: str, head: bytes, unit: bytes, count: int, tail: bytes) -> Callable[[zipfile.ZipFile], None]:
    """A writer adding `head + unit * count + tail` as `part`, compressed as it goes (no big string in memory)."""

    def write(target: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as stream:
            stream.write(head)
            block = unit * max(1, 65536 // len(unit))
            per_block = max(1, 65536 // len(unit))
            written = 0
            while written + per_block <= count:
                stream.write(block)
                written += per_block
            stream.write(unit * (count - written))
            stream.write(tail)

    return write


def _document(unit: bytes, count: int) -> Callable[[zipfile.ZipFile], None]:
    head = f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document {W}><w:body>".encode()
    return _streamed_part("word/document.xml", head, unit, count, b"</w:body></w:document>")


def docx_bomb(inflated_mib: int) -> bytes:
    """A .docx whose document part inflates to `inflated_mib` MiB of one long run of text."""
    text = b"A" * 1024
    return replace_part(SAMPLE_DOCX, "word/document.xml", _document(text, inflated_mib * 1024))


def docx_paragraphs(count: int) -> bytes:
    """A .docx of `count` empty paragraphs: tiny compressed, costly to load."""
    return replace_part(SAMPLE_DOCX, "word/document.xml", _document(b"<w:p/>", count))


def docx_deep(depth: int) -> bytes:
    """A .docx whose body nests `depth` elements inside one another."""
    head = f"<?xml version='1.0' encoding='UTF-8'?><w:document {W}><w:body>".encode() + b"<w:sdt>" * depth
    body = head + b"<w:p/>" + b"</w:sdt>" * depth + b"</w:body></w:document>"
    return replace_part(SAMPLE_DOCX, "word/document.xml", body)


def docx_wide(children: int) -> bytes:
    """A .docx whose body has `children` bookmark elements side by side (no paragraphs)."""
    return replace_part(SAMPLE_DOCX, "word/document.xml", _document(b"<w:bookmarkEnd/>", children))


def pptx_bomb(inflated_mib: int) -> bytes:
    """A .pptx whose first slide inflates to `inflated_mib` MiB (a text run of that size)."""
    head = (
        b"<?xml version='1.0' encoding='UTF-8'?>"
        b'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>'
        b"<p:sp><p:txBody><a:p><a:r><a:t>"
    )
    tail = b"</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    writer = _streamed_part("ppt/slides/slide1.xml", head, b"B" * 1024, inflated_mib * 1024, tail)
    return replace_part(SAMPLE_PPTX, "ppt/slides/slide1.xml", writer)


def xlsx_like_bomb(inflated_mib: int) -> bytes:
    """A spreadsheet-shaped container (xl/worksheets) whose sheet inflates to `inflated_mib` MiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        head = b"<worksheet><sheetData><row>"
        _streamed_part("xl/worksheets/sheet1.xml", head, b"<c><v>1</v></c>", inflated_mib * 70_000, b"</row>")(target)
    return out.getvalue()


def lying_zip_header(real: bytes, part: str, declared: int) -> bytes:
    """`real` with `part`'s uncompressed size rewritten to `declared` in both headers (the bytes still
    inflate to their true size): a container whose header understates what it holds."""
    data = bytearray(real)
    with zipfile.ZipFile(io.BytesIO(real)) as container:
        info = container.getinfo(part)
    local = info.header_offset
    struct.pack_into("<I", data, local + 22, declared)  # local header: uncompressed size
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        if position < 0:
            break
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == part.encode():
            struct.pack_into("<I", data, position + 24, declared)  # central directory: uncompressed size
        position += 4
    return bytes(data)


def repetitive_text(megabytes: float) -> str:
    """Blocks of distinct lines, each block printed three times over (a page body repeated by a broken
    export): every line recurs, so every line is a candidate for the repeated-line filter. This made
    it quadratic: 5 s for 1 MB, 20 s for 2 MB, 56 s for 4 MB before; linear since."""
    lines: list[str] = []
    size = 0
    unit = 0
    while size < megabytes * MIB:
        block = [f"Section {unit} line {i}: magnesium ingot output in Fugu rose {i % 40} percent" for i in range(500)]
        for _ in range(3):
            lines.extend(block)
            size += sum(len(line) + 1 for line in block)
        unit += 1
    return "\n".join(lines)


def ordinary_text(megabytes: float, seed: int = 0) -> str:
    """Unremarkable news prose of about `megabytes` MB, every paragraph different (and different for each seed)."""
    paragraphs: list[str] = []
    size = 0
    number = seed * 7919
    while size < megabytes * MIB:
        paragraph = (
            f"Report {number}: China's magnesium ingot output reached {20_000 + number % 9_000:,} t in "
            f"{['January', 'March', 'June', 'October'][number % 4]} {2015 + number % 10}, up {number % 40}% on the "
            f"year, while exports of graphite to {['Japan', 'Korea', 'Germany'][number % 3]} fell."
        )
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
        number += 1
    return "\n\n".join(paragraphs)


def escape_text() -> tuple[str, str]:
    """(title, body) of a text document whose title and sentences carry every escape of ESCAPES."""
    title = "Magnesium prices " + "".join(ESCAPES)
    body = (
        f"{title}\n\n"
        "China's magnesium ingot exports reached 35,000 t in May 2024, customs data showed. "
        + " ".join(ESCAPES)
        + "\n\nPrices of magnesium ingot rose to 21,000 yuan per tonne.\n\n"
        # ordinary prose around them, as in a real page (a text mostly of controls is refused as binary)
        + "\n\n".join(
            f"Traders in Fugu said demand from aluminium alloy makers was steady in week {n}." for n in range(80)
        )
    )
    return title, body


def deep_html(depth: int) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"<p>magnesium</p>" + b"</div>" * depth + b"</body></html>"


def wide_html(children: int) -> bytes:
    return b"<html><body><div>" + b"<span>x</span>" * children + b"</div></body></html>"
