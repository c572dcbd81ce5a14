"""The faster whole-text scans of the fact rules find exactly what the plain patterns they replace find,
on random text built from the pieces those patterns look at (and any other characters)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.facts.readings import _EXAMPLES, _EXAMPLES_FROM_FIRST
from assay.extract.facts.results_tables import _FISCAL, _MONTHS_ENDED, _column_period
from assay.extract.facts.slots import _RESPECTIVELY_ANYWHERE, _RESPECTIVELY_FROM_FIRST
from assay.extract.periods.finder import find_periods, opens_before
from assay.extract.periods.patterns import (
    ANCHOR,
    MAY_OPEN_AT_A_DIGIT_NOT_A_YEAR,
    PATTERN_AT_A_DIGIT_NOT_A_YEAR,
    anchors,
)
from assay.extract.text.gazetteer import (
    _PUNCT_FOLD,
    _TICKER,
    _ZH_TICKER,
    _fold_punctuation,
    _listed_companies,
    _ticker_code,
    _ticker_companies,
    company_slug,
)
from assay.extract.text.layout import _SENTENCE_END, _sentence_ends

PIECES = [
    "2024", "1999", "2021-25", "12", "3", "07", "30", "1.5", "20,836", "3.52", ".5", "Q3", "H1", "2Q", "1H", "Q",
    "H", "year", "years", "month", "quarter", "half", "week", "Jan", "JAN", "jan", "Sept.", "May", "may", "March",
    "mar", "dec", "Oct", "nov", "feb", "apr", "Junk", "July", "xjan", "年", "月", "季度", "期", "周", "週", "星期",
    "十二五", "十三五", "十", "日", "号", "至", "到", "前", "第", "1st", "2nd", "3RD", "th", "of", " ", "\t", "\n",
    "\n\n", ". ", ".", "!", "?", ";", "。", "！", "？", "；", "-", "–", "~", "～", "/", ",", ":", "：", '"', "“",
    "(", ")", "%", "a", "A", "x", "Sales", "DynamicsSeptember", "VOLUME:", "Volume", "exports", "中国", "出口",
    "U.S.", "e.g.", "year-on-year.Jan", "Five-Year Plan",
]  # fmt: skip
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=24).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_anchors_are_those_of_the_one_pattern(text: str) -> None:
    assert anchors(text) == [(m.start(), m.lastgroup) for m in ANCHOR.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_a_wording_opens_at_a_digit_only_where_the_short_test_passes(text: str) -> None:
    for at, char in enumerate(text):
        opens = "0" <= char <= "9" and not text.startswith(("19", "20"), at)
        if opens and PATTERN_AT_A_DIGIT_NOT_A_YEAR.match(text, at):
            assert MAY_OPEN_AT_A_DIGIT_NOT_A_YEAR.match(text, at), (text, at)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_sentence_ends_are_those_of_the_one_pattern(text: str) -> None:
    assert _sentence_ends(text) == [(m.end(), m.group()) for m in _SENTENCE_END.finditer(text)]


GAZETTEER_PIECES = [
    "’", "‘", "‐", "‑", "–", "—", "\u3000", "'", "-", " ", "Acme Magnetics", "JL Mag", "(", ")", "（", "）",
    "300748.SZ", "300748", "0700.HK", "LYC.AX", "NYSE: MP", "NASDAQ：", "中国稀土", "北方稀土", "600111", ".SH",
    "Lynas", "MP Materials", "the", "\n", "镁",
]  # fmt: skip
GAZETTEER_TEXTS = st.lists(st.one_of(st.sampled_from(GAZETTEER_PIECES), st.text(max_size=3)), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(GAZETTEER_TEXTS)
def test_punctuation_folds_as_the_table_does(text: str) -> None:
    assert _fold_punctuation(text) == text.translate(_PUNCT_FOLD)


@settings(max_examples=400, deadline=None)
@given(GAZETTEER_TEXTS)
def test_companies_named_with_a_ticker_are_those_both_patterns_find(text: str) -> None:
    listed = _listed_companies()
    expected = [
        (m.start("name"), m.end("name"), listed.get(_ticker_code(m["ticker"])) or company_slug(m["name"]))
        for m in _TICKER.finditer(text)
    ] + [
        (m.start("name"), m.end("name"), listed.get(_ticker_code(m["ticker"])) or m["name"])
        for m in _ZH_TICKER.finditer(text)
    ]
    found = [(c.start, c.end, c.value.removeprefix("company:")) for c in _ticker_companies(text)]
    assert found == expected


CUE_PIECES = [
    "respectively", "Respectively", "RESPECTIVELY", "specifically", "ſpecifically", "x", "中", "_", "1", "é", " ",
    "分别", "各为", "依次为", "分", "别", "(", "（", ")", "）", ",", ", ", "e.g.", "eg", "such as", "including",
    "like", "例如", "包括", "mostly", "mainly", "whose", "which", "where", "who", ".", ";", "magnesia", "\n",
]  # fmt: skip
CUE_TEXTS = st.lists(st.one_of(st.sampled_from(CUE_PIECES), st.text(max_size=3)), max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(CUE_TEXTS, st.integers(0, 40), st.integers(0, 40))
def test_cues_read_from_their_first_character_find_the_same(text: str, lo: int, length: int) -> None:
    assert [m.span() for m in _RESPECTIVELY_FROM_FIRST.finditer(text)] == [
        m.span() for m in _RESPECTIVELY_ANYWHERE.finditer(text)
    ]
    hi = min(len(text), lo + length)
    assert [m.span() for m in _EXAMPLES_FROM_FIRST.finditer(text, lo, hi)] == [
        m.span() for m in _EXAMPLES.finditer(text, lo, hi)
    ]


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=6))
def test_a_period_starts_before_a_limit_only_where_a_wording_opens(text: str, limit: int) -> None:
    if any(p.start < limit for p in find_periods(text, date(2025, 6, 30))):
        assert opens_before(text, limit), (text, limit)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_a_results_column_is_dated_as_by_the_plain_reading(cell: str) -> None:
    reference = date(2025, 6, 30)
    found = find_periods(cell.strip(), reference)  # the reading before the opening test
    plain = found[0].period if len(found) == 1 and len(found[0].text) >= len(cell.strip()) - 2 else None
    if not (_MONTHS_ENDED.search(cell) or _FISCAL.match(cell)):
        assert _column_period(cell, reference) == plain
    for header in ("2024", " Q3 2025 ", "2024年1-9月", "H1 2025", "Jan-Sep 2025", "1-9月"):
        assert _column_period(header, reference) == find_periods(header.strip(), reference)[0].period
