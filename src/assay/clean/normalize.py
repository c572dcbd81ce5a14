"""Text normalisation: NFKC, line endings, invisible characters, whitespace, words hyphenated at line ends.

Line structure is kept on purpose: one paragraph or table row per line, blank lines between blocks.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b]")
_INNER_TABS = re.compile(r"(?<=\S)[ ]*\t[\t ]*(?=\S)")
_SPACES = re.compile(r"[ \t\u3000]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_HYPHENATED = re.compile(r"(?<=[A-Za-z]{2})-\n(?=[a-z]{2})")


def normalize_text(text: str) -> tuple[str, list[str]]:
    """Return the normalised text and the names of the steps that changed it."""
    steps: list[str] = []
    nfkc = unicodedata.normalize("NFKC", text)
    if nfkc != text:
        steps.append("nfkc")
    text = nfkc.translate(_INVISIBLE)
    text = _LINE_BREAKS.sub("\n", text).replace("\f", "\n\n")
    text = collapse_whitespace(text)
    joined = _HYPHENATED.sub("", text)
    if joined != text:
        steps.append("dehyphenate")
    return joined, steps


def collapse_whitespace(text: str) -> str:
    """Single spaces inside lines (a tab between cells becomes ` | `), no blank-line runs, no edge blanks."""
    lines = []
    for line in text.split("\n"):
        if "\t" in line:
            line = _INNER_TABS.sub(" | ", line)
        lines.append(_SPACES.sub(" ", line).strip())
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
