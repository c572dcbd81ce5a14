"""Language from script ratios: zh, en or mixed. Short lines (menus, labels) do not vote."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# a Han character carries about as much as 2.5 Latin letters; ratios compare in those units
_LETTERS_PER_HAN = 2.5
_MIN_LINE = 12
_SAMPLE_CHARS = 50_000
_ZH_SHARE = 0.65
_EN_SHARE = 0.2


def detect_language(text: str) -> str | None:
    """`zh`, `en` or `mixed`; None when the text has too few letters to tell."""
    text = text[:_SAMPLE_CHARS]  # the opening 50,000 characters tell the language well enough
    long_lines = "\n".join(line for line in text.split("\n") if len(line) >= _MIN_LINE)
    han, latin = _counts(long_lines)
    if han + latin < 20:
        han, latin = _counts(text)
    if han + latin < 3:
        return None
    share = han / (han + latin / _LETTERS_PER_HAN)
    if share >= _ZH_SHARE:
        return "zh"
    if share <= _EN_SHARE:
        return "en"
    return "mixed"


def _counts(text: str) -> tuple[int, int]:
    return len(_HAN.findall(text)), len(_LATIN.findall(text))
