"""Document text made safe for a terminal: what a document says is shown, never obeyed.

A title or a sentence can carry escape sequences (clear the screen, set the window title, a
hyperlink, blink), C1 controls a terminal also obeys, and bidirectional overrides that make
text read differently from what it is. `visible` replaces each with a visible stand-in:
C0 controls with their Unicode control pictures (ESC as ␛), C1 controls and bidi controls with
their code point (`<U+202E>`). `safe_text` wraps the result in a Rich `Text`, which Rich never
parses for markup (`[bold]`) or emoji codes (`:warning:`). JSON output is not passed through
here: `json.dumps` escapes control characters itself, and the text stays exact.

`SafeConsole` is the consoles' safety net: whatever text reaches its output (a table cell a
command forgot to pass through `safe_text`) has its controls made visible too, while Rich's own
styling and cursor codes (control segments) are left alone; it also never turns `:name:` into
an emoji.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

# C0 (but newline and tab), DEL, C1; bidi embeddings, overrides, isolates and marks; line and
# paragraph separators, which some terminals take as line breaks
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_PICTURES = 0x2400  # U+2400 ␀ ... U+241F ␟
_DELETE_PICTURE = "\u2421"  # ␡


def _stand_in(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DELETE_PICTURE
    return f"<U+{code:04X}>"


def visible(value: object, single_line: bool = False) -> str:
    """`value` as text with every control, C1 and bidi character shown instead of obeyed.

    `single_line`: newlines and tabs become spaces too (table cells, list rows).
    """
    text = "" if value is None else str(value)
    if single_line and ("\n" in text or "\t" in text):
        text = text.replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(_stand_in, text)


def safe_text(value: object, single_line: bool = False, style: str = "") -> Text:
    """`visible(value)` as a Rich Text: printed as is, never read as markup or emoji."""
    return Text(visible(value, single_line), style=style)


class SafeConsole(Console):
    """A Rich console that prints no emoji codes and no raw control characters from content."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("emoji", False)
        super().__init__(**options)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # content segments carry no control codes of Rich's own; those come as control segments
        return super()._render_buffer(
            Segment(visible(segment.text), segment.style, segment.control) if not segment.control else segment
            for segment in buffer
        )
