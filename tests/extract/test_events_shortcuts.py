"""The event rules' shortcuts answer as the plain reading does: sentence ends tried only after a
stop, a heading's first ten words, a line's last connecting word, cues that skip fast to their
openings (`fast_start`), gated cues tried only where an opening starts, and opening groups looked
for apart. Each is compared with the plain regex or the plain reading, on the sample corpus's
statements and on generated text."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.events import statements as cutting
from assay.extract.events.dates import _PATTERN_SCAN, find_event_dates
from assay.extract.events.extractor import STATEMENT_SCAN
from assay.extract.events.prefilter import Gated, PatternScan
from assay.extract.events.words import cue, read_data
from assay.extract.text.gazetteer import _PUNCT_FOLD, _fold_punctuation

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "assay" / "sample"
RAW_CUES = {
    name: re.compile(entry["regex"], re.IGNORECASE if "i" in entry.get("flags", "") else 0)
    for name, entry in read_data("cues.toml")["pattern"].items()
}
GATED = {name: Gated(raw) for name, raw in RAW_CUES.items()}
FAST = {name: cue(name) for name in RAW_CUES}
PIECES = [
    "Exports fell 5% in May.",
    "The U.S. said on Monday",
    "“We will act.” Then",
    "e.g. this",
    "Jan. 4, 2022",
    "3.5",
    "growth.Next",
    "出口下降。随后",
    "；",
    "A: ",
    "1. Strict Export Quotas and",
    "Licensing",
    "MORE CONSOLIDATION",
    "Material Trading",
    "Center (NAMMTC) is",
    "in short supply",
    "no new mines",
    "on Monday",
    "first half of 2024",
    "by 2030",
    "last year",
    "12月1日起",
    "from 1 December",
    "in early May 2024",
    "2021-2025",
    "ſ",
    "K",
    "é",
    "\u2028",
    " ",
    "\n",
    "\t",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=14).map("".join)


def spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]  # an iterable of re.Match


def span_of(found: re.Match[str] | None) -> tuple[int, int] | None:
    return found.span() if found else None


def sample_texts() -> list[str]:
    paths = [path for path in sorted(SAMPLE.rglob("*")) if path.suffix in (".txt", ".md")]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    lines = [line for text in texts for line in text.splitlines()]
    return texts + lines


def plain_is_heading(text: str) -> bool:
    """`is_heading` as it read before its shortcuts: every word, the whole line's ending by regex."""
    body = cutting._BULLET.sub("", text) if re.match(r"^\s*\d", text) else text
    body = body.strip()
    if not body or (re.search(r"[.!?。！？;；:：]\s*$", body) and not body.endswith(":")):
        return False
    words = cutting._WORD.findall(body)
    if re.search(r"[\u4e00-\u9fff]", body):
        return len(body) <= 12 and not re.search(r"[，,]", body)
    if not words:
        return True
    if body.isupper() or len(words) <= 2:
        return True
    content = [w for w in words if w.lower() not in cutting._SMALL_WORDS]
    return len(words) <= 9 and sum(1 for w in content if w[0].isupper()) == len(content)


def plain_continues(previous: str, following: str) -> bool:
    """`_continues` as it read before its shortcuts."""
    if cutting._BULLET.match(following) or cutting._TIMELINE_ITEM.match(following):
        return False
    if cutting._YEAR_LINE.match(following) or cutting._YEAR_LINE.match(previous):
        return False
    if re.search(r"[.!?。！？;；:：]\s*$", previous):
        return False
    first = following[0]
    if first.islower():
        return True
    if cutting._CONNECTOR_END.search(previous):
        return True
    words = cutting._WORD.findall(previous)
    if len(words) < 4 or not (words[-1][0].isupper() and words[-2][0].isupper() and first.isupper()):
        return False
    closed = previous.rstrip().endswith(('"', "”", "’", ")"))
    return not closed and ":" not in following[:40] and not plain_is_heading(following)


def check_cutting(text: str) -> None:
    assert spans(cutting._sentence_ends(text)) == spans(cutting._SENTENCE_END.finditer(text)), text
    assert cutting.is_heading(text) == plain_is_heading(text), text
    for previous, following in zip(text.splitlines(), text.splitlines()[1:], strict=False):
        if previous.strip() and following.strip():
            pair = previous.strip(), following.strip()
            assert cutting._continues(*pair) == plain_continues(*pair), pair


def check_dates(text: str) -> None:
    # without a publication date, the patterns that need one are skipped: the dates are those of every pattern
    assert find_event_dates(text, None) == find_event_dates(text, None, _PATTERN_SCAN.finditer(text)), text


def check_cues(text: str) -> None:
    for name, raw in RAW_CUES.items():
        fast, gated = FAST[name], GATED[name]
        assert spans(fast.finditer(text)) == spans(raw.finditer(text)), (name, text)
        middle = len(text) // 3, 2 * len(text) // 3
        assert span_of(gated.search(text)) == span_of(raw.search(text)), (name, text)
        assert span_of(gated.search(text, *middle)) == span_of(raw.search(text, *middle)), (name, text)
        assert spans(gated.finditer(text, *middle)) == spans(raw.finditer(text, *middle)), (name, text)


def test_the_shortcuts_answer_as_the_plain_reading_on_the_sample_corpus() -> None:
    texts = sample_texts()
    assert texts, "the bundled sample corpus has no .txt or .md documents"
    for text in texts:
        check_cutting(text)
        check_dates(text)
    for text in [text for text in texts if "\n" not in text][:200]:  # lines: the cues read statements
        check_cues(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_shortcuts_answer_as_the_plain_reading_on_any_text(text: str) -> None:
    check_cutting(text)
    check_dates(text)
    check_cues(text)
    found = {index: spans(m) for index, m in STATEMENT_SCAN.finditer(text)}
    want = {index: spans(p.finditer(text)) for index, p in enumerate(STATEMENT_SCAN.patterns)}
    assert {i: s for i, s in found.items() if s} == {i: s for i, s in want.items() if s}, text


def test_sentence_ends_are_tried_after_stops_only() -> None:
    text = "Exports fell. “Prices rose.” Then 3.5% more.Next one。下一句"
    assert spans(cutting._sentence_ends(text)) == spans(cutting._SENTENCE_END.finditer(text))
    assert len(spans(cutting._sentence_ends(text))) == 4


def test_a_group_opening_with_a_common_word_is_looked_for_apart() -> None:
    scan = PatternScan([re.compile(r"\bin\s+short\s+supply\b"), re.compile(r"\bexport\w*")])
    assert scan._found_apart  # "in" is looked for only where "short" and "supply" are
    text = "Graphite is in short supply; in May, exports in short supply"
    assert [(i, spans(m)) for i, m in scan.finditer(text)] == [(0, [(12, 27), (45, 60)]), (1, [(37, 44)])]
    assert list(scan.finditer("in May")) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="’‘‐‑–—\u3000'- a中Σ", max_size=12) | st.text(max_size=12))
def test_punctuation_is_folded_as_the_table_folds_it(text: str) -> None:
    assert _fold_punctuation(text) == text.translate(_PUNCT_FOLD)
