"""The prefilter never loses a match: the event rules' trigger, date and actor patterns, read
through `PatternScan` (skipped where they lack what they need, tried only where an opening
starts), find exactly what every pattern's own `finditer` finds; a `Gated` cue answers as its
pattern does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.events.actors import _WORLD, actor_scan, compiled_bodies, compiled_countries
from assay.extract.events.dates import DATE_PATTERNS
from assay.extract.events.extractor import STATEMENT_SCAN
from assay.extract.events.lexicon import TRIGGERS
from assay.extract.events.prefilter import Gated, PatternScan, needs, needs_all, openings
from assay.extract.events.statements import statements
from assay.extract.events.words import cue, read_data
from assay.extract.text.gazetteer import to_simplified

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "assay" / "sample"

SCANS: list[tuple[str, PatternScan]] = [
    ("dates and triggers", STATEMENT_SCAN),
    ("bodies", compiled_bodies()[1]),
    ("countries", compiled_countries()[1]),
    ("world", _WORLD),
    ("bodies, countries and world together", actor_scan()[2]),
]
CUES = [(cue(name), Gated(cue(name))) for name in read_data("cues.toml")["pattern"]]

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
    "between 2021 and 2025",
    "稀土开采总量控制指标",
    "商务部",
    "对镁砂实施出口管制",
    "2021年12月1日起",
    "去年",
    "十四五",
    "any ban",
    "is meant to",
    "analysts expect",
    "ſ",  # long s: re's case folding matches it to "s", str.lower does not
    "K",  # Kelvin sign, folded to "k" by re
    "İ",
    " ",
    "\n",
    "-",
]


def spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]  # an iterable of re.Match


def expected(scan: PatternScan, text: str) -> dict[int, list[tuple[int, int]]]:
    found = {index: spans(p.finditer(text)) for index, p in enumerate(scan.patterns)}
    return {index: found_spans for index, found_spans in found.items() if found_spans}


def scanned(scan: PatternScan, text: str) -> dict[int, list[tuple[int, int]]]:
    found = {index: spans(matches) for index, matches in scan.finditer(text)}
    return {index: found_spans for index, found_spans in found.items() if found_spans}


def sample_statements() -> list[str]:
    paths = [path for path in sorted(SAMPLE.rglob("*")) if path.suffix in (".txt", ".md")]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    return [to_simplified(s.text) for text in texts for s in statements(text)]


@pytest.mark.parametrize(("name", "scan"), SCANS, ids=[s[0] for s in SCANS])
def test_the_scan_finds_every_match_on_the_sample_corpus(name: str, scan: PatternScan) -> None:
    found = sample_statements()
    if not found:
        pytest.skip("the bundled sample corpus has no .txt or .md documents")
    matched_any = False
    for text in found:
        want = expected(scan, text)
        matched_any = matched_any or bool(want)
        assert scanned(scan, text) == want, (name, text)
    assert matched_any, f"no {name} pattern matched the sample corpus: the test checks nothing"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=12))
def test_the_scan_finds_every_match_on_any_text(parts: list[str]) -> None:
    text = " ".join(parts)
    for name, scan in SCANS:
        assert scanned(scan, text) == expected(scan, text), (name, text)
    for pattern, gated in CUES:
        assert spans(gated.finditer(text)) == spans(pattern.finditer(text)), (pattern.pattern, text)


def test_the_statement_scan_holds_the_dates_then_the_triggers() -> None:
    assert list(STATEMENT_SCAN.patterns) == [*DATE_PATTERNS, *(t.pattern for t in TRIGGERS)]


def test_openings_are_read_from_the_pattern() -> None:
    assert openings(re.compile(r"export\s+licen[cs]es?", re.IGNORECASE)) == frozenset({"export"})
    assert openings(re.compile(r"(?<![\w-])(?:ban|curb)s?\b", re.IGNORECASE)) == frozenset({"ban", "curb"})
    assert openings(re.compile(r"十[三四五]五")) == frozenset({"十三五", "十四五", "十五五"})
    # an optional first word: a match starts with it or with what follows it
    assert openings(re.compile(r"(?:between\s+)?20[0-4]\d")) == frozenset(
        {"between", "200", "201", "202", "203", "204"}
    )
    # a class of letters leaves nothing certain to look for
    assert openings(re.compile(r"(?:only\s+)?\d+ groups")) is None
    assert openings(re.compile(r"\w+ed")) is None


def test_a_pattern_without_a_readable_opening_needs_a_later_part() -> None:
    assert needs(re.compile(r"(?<![\d年])\d{1,2}\s*月(?:份)?")) == frozenset({"月"})
    assert needs(re.compile(r"(?:only\s+)?\d+ groups")) == frozenset({" groups"})
    assert needs(re.compile(r"(?i)\b(?:early )?(?:JAN|feb)\b")) == frozenset({"jan", "feb"})
    assert needs(re.compile(r"\w+ed")) == frozenset({"ed"})
    assert needs(re.compile(r"\d+|[a-z]+")) is None  # an alternative that needs nothing
    # a short Chinese word is rare enough to look for after the rarest part; a short English one is not
    assert needs_all(re.compile(r"(?:19|20)\d\d\s*年")) == [frozenset({"19", "20"}), frozenset({"年"})]
    assert needs_all(re.compile(r"capacity\s+to\s+\d")) == [frozenset({"capacity"})]


def test_a_pattern_is_tried_only_where_it_may_match() -> None:
    scan = PatternScan([re.compile(r"(?<!\d)\d{1,2}\s*月"), re.compile(r"(?:only\s+)?\d+ groups")])
    assert [index for index, _ in scan.finditer("4月")] == [0]
    assert [index for index, _ in scan.finditer("only 5 groups")] == [1]
    assert list(scan.finditer("April")) == []
    banned = PatternScan([re.compile(r"\bbans?\b", re.IGNORECASE)])
    assert [spans(m) for _, m in banned.finditer("a BAN, then bans")] == [[(2, 5), (12, 16)]]


def test_text_with_unusual_case_folding_runs_every_pattern_that_ignores_case() -> None:
    scan = PatternScan([re.compile(r"ban", re.IGNORECASE), re.compile(r"出口")])
    assert [index for index, _ in scan.finditer("a BAN on exports")] == [0]
    assert [index for index, _ in scan.finditer("稀土出口")] == [1]
    assert list(scan.finditer("nothing here")) == []
    # re would match "ſ" to "s" and "K" (Kelvin) to "k": no skipping of the patterns that ignore case
    assert [index for index, _ in scan.finditer("the ſtate")] == [0]
    assert [spans(m) for _, m in PatternScan([re.compile("ask", re.IGNORECASE)]).finditer("aſK")] == [[(0, 3)]]
    assert Gated(re.compile("ask", re.IGNORECASE)).search("aſK") is not None


def test_a_gated_cue_skips_text_without_its_words() -> None:
    commentary = Gated(re.compile(r"(?i)\bany\s+(?:\w+\s+)?(?:ban|halt)s?\b"))
    assert not commentary.may_match("exports were banned in May")
    assert commentary.search("Any export ban would hurt").span() == (0, 14)  # type: ignore[union-attr]
    assert commentary.sub("-", "no such words") == "no such words"
