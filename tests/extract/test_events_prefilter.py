"""The opening-word index never skips a pattern that matches: the event rules' trigger, date and
actor patterns find exactly what a full loop over every pattern finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.events.actors import _compiled_bodies, _compiled_countries
from assay.extract.events.dates import _PATTERN_INDEX, _PATTERNS
from assay.extract.events.extractor import _TRIGGER_INDEX
from assay.extract.events.lexicon import TRIGGERS
from assay.extract.events.prefilter import PatternSet, needs, openings
from assay.extract.events.statements import statements
from assay.extract.text.gazetteer import to_simplified

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "assay" / "sample"

INDEXES: list[tuple[str, PatternSet, list[re.Pattern[str]]]] = [
    ("triggers", _TRIGGER_INDEX, [t.pattern for t in TRIGGERS]),
    ("dates", _PATTERN_INDEX, [p for _, p in _PATTERNS]),
    ("bodies", _compiled_bodies()[1], [p for _, p in _compiled_bodies()[0]]),
    ("countries", _compiled_countries()[1], [p for _, p in _compiled_countries()[0]]),
]

PIECES = [
    "China imposed EXPORT CONTROLS on graphite",
    "Export Licences for gallium",
    "the Ministry of Commerce",
    "MOFCOM",
    "the U.S. Department of Commerce",
    "in April 2025",
    "first-half 2024",
    "Q3",
    "by 2030",
    "稀土开采总量控制指标",
    "商务部",
    "对镁砂实施出口管制",
    "2021年12月1日起",
    "去年",
    "十四五",
    "ſ",  # long s: re's case folding matches it to "s", str.lower does not
    "K",  # Kelvin sign, folded to "k" by re
    "İ",
    " ",
    "\n",
    "-",
]


def matching(patterns: list[re.Pattern[str]], text: str) -> set[int]:
    return {i for i, p in enumerate(patterns) if p.search(text)}


def sample_statements() -> list[str]:
    paths = [path for path in sorted(SAMPLE.rglob("*")) if path.suffix in (".txt", ".md")]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    return [to_simplified(s.text) for text in texts for s in statements(text)]


@pytest.mark.parametrize(("name", "index", "patterns"), INDEXES, ids=[i[0] for i in INDEXES])
def test_no_matching_pattern_is_skipped_on_the_sample_corpus(
    name: str, index: PatternSet, patterns: list[re.Pattern[str]]
) -> None:
    found = sample_statements()
    if not found:
        pytest.skip("the bundled sample corpus has no .txt or .md documents")
    matched_any = False
    for text in found:
        expected = matching(patterns, text)
        matched_any = matched_any or bool(expected)
        assert expected <= index.possible(text), (name, text)
    assert matched_any, f"no {name} pattern matched the sample corpus: the test checks nothing"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=12))
def test_no_matching_pattern_is_skipped_on_any_text(parts: list[str]) -> None:
    text = " ".join(parts)
    for name, index, patterns in INDEXES:
        assert matching(patterns, text) <= index.possible(text), (name, text)


def test_openings_are_read_from_the_pattern() -> None:
    assert openings(re.compile(r"export\s+licen[cs]es?", re.IGNORECASE)) == frozenset({"export"})
    assert openings(re.compile(r"(?<![\w-])(?:ban|curb)s?\b", re.IGNORECASE)) == frozenset({"ban", "curb"})
    assert openings(re.compile(r"十[三四五]五")) == frozenset({"十三五", "十四五", "十五五"})
    # an optional first word or a class of letters leaves nothing certain to look for
    assert openings(re.compile(r"(?:only\s+)?\d+ groups")) is None
    assert openings(re.compile(r"\w+ed")) is None


def test_a_pattern_without_a_readable_opening_needs_a_later_part() -> None:
    assert needs(re.compile(r"(?<![\d年])\d{1,2}\s*月(?:份)?")) == frozenset({"月"})
    assert needs(re.compile(r"(?:only\s+)?\d+ groups")) == frozenset({" groups"})
    assert needs(re.compile(r"(?i)\b(?:early )?(?:JAN|feb)\b")) == frozenset({"jan", "feb"})
    assert needs(re.compile(r"\w+ed")) == frozenset({"ed"})
    assert needs(re.compile(r"\d+|[a-z]+")) is None  # an alternative that needs nothing
    index = PatternSet([re.compile(r"(?<!\d)\d{1,2}\s*月"), re.compile(r"(?:only\s+)?\d+ groups")])
    assert index.always == frozenset()
    assert index.possible("4月") == {0}
    assert index.possible("only 5 groups") == {1}
    assert index.possible("April") == frozenset()


def test_text_with_unusual_case_folding_runs_every_pattern() -> None:
    index = PatternSet([re.compile(r"ban", re.IGNORECASE), re.compile(r"出口")])
    assert index.possible("a BAN on exports") == {0}
    assert index.possible("稀土出口") == {1}
    assert index.possible("nothing here") == frozenset()
    assert index.possible("the ſtate") == {0, 1}  # re would match "ſ" to "s": no skipping
