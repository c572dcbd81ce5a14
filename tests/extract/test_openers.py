"""fast_start: a pattern with its opening characters looked for first finds exactly what it found alone."""

from __future__ import annotations

import random
import re

import pytest

from assay.extract.facts import cues
from assay.extract.periods import patterns
from assay.extract.text.openers import fast_start, opening_class

# pieces of the wordings the rules read, shuffled into text: cues, periods, numbers, both scripts and cases
_PIECES = [
    "exports", "Exports", "EXPORTS", " rose ", " fell ", "up", "down", "同比增长", "环比下降", "较2018年", "2024年",
    "1-9月", "Q3 2024", "H1", "the first half of", "January", "Sept.", "last year", "a year earlier", "去年同期",
    "目前", "currently", "plans to", "预计", "will", "estimated", "12.5%", "22,966 mt", "4.5万吨", "元/吨", "US$",
    "more than", "其他地区", "North America", "其中", ", ", "，", "。", ". ", "\n", "  ", "\t", "(", "）", "ſ", "K",
    "İ", "Σ", "第三季度", "前三季度", "上半年", "十四五", "14th Five-Year Plan", "by 2030", "到2025年", "本周",
    "last week", "compared with", "than in", "from", "to", "和", "、", "respectively", "分别",
]  # fmt: skip


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.lastgroup, m.groups()) for m in pattern.finditer(text)]


def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The cues and the period wordings as written, before `fast_start`."""
    found = [
        (f"cues.{name}", re.compile("".join(entry["pattern"]), re.IGNORECASE if entry.get("ignorecase") else 0))
        for name, entry in cues._CUES.items()
        if isinstance(entry, dict) and "pattern" in entry
    ]
    found += [(f"periods.{name}", re.compile(body)) for name, body in patterns._PATTERNS]
    return [*found, ("periods.all", patterns.PERIOD_PATTERN)]


@pytest.mark.parametrize(("name", "pattern"), _rule_patterns(), ids=lambda v: v if isinstance(v, str) else "")
def test_fast_start_finds_what_the_pattern_finds(name: str, pattern: re.Pattern[str]) -> None:
    plain = pattern
    quick = fast_start(plain)
    for text in _texts(60, seed=len(name)):
        assert _found(quick, text) == _found(plain, text), text
        for at in range(0, len(text), 7):  # match and search from inside the text, as the rules call them
            assert bool(quick.match(text, at)) == bool(plain.match(text, at))
            assert (m.span() if (m := quick.search(text, at)) else None) == (
                m.span() if (m := plain.search(text, at)) else None
            )


@pytest.mark.parametrize(
    ("source", "flags", "opens"),
    [
        (r"\b(?:plans?|aims?)\b|规划", re.IGNORECASE, set("pa规PAK")),  # K: no (the class ignores case as the pattern)
        (r"(?<![\d.])\d{1,2}\s*月", 0, set("0123456789")),
        (r"(?:from\s+)?(?:19|20)\d\d", 0, set("f12")),
        (r"x*(?i:ab)", 0, set("xaA")),
    ],
)
def test_opening_class_holds_every_opening(source: str, flags: int, opens: set[str]) -> None:
    opening = opening_class(re.compile(source, flags))
    assert opening is not None
    lead = re.compile(opening, flags | (re.IGNORECASE if "(?i" in source else 0))
    assert all(lead.fullmatch(ch) for ch in opens - {"K"})


@pytest.mark.parametrize("source", [r"a?", r"(?:x|)y?", r"[^a]b", r".x", r"(?:.|x)y"])
def test_no_class_when_a_match_can_be_empty_or_open_with_anything(source: str) -> None:
    pattern = re.compile(source)
    assert opening_class(pattern) is None
    assert fast_start(pattern) is pattern
