"""read_quantities and find_periods never raise, keep spans valid and values finite, and stay linear."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.numbers import number_role, read_quantities
from assay.extract.periods import find_periods, period_near
from assay.model import Period

NUMBERISH = st.lists(
    st.sampled_from(
        [
            *"0123456789０１２９.,-–~+%％/^eE $¥€元吨万亿千百十两零一二三四五六七八九点分之又多余约成个百分点 \t",
            "million",
            "bn",
            "k",
            "t",
            "mt",
            "tonnes",
            "per cent",
            "pc",
            "to",
            "and",
            "between",
            "about",
            "over",
            "a",
            "one",
            "two",
            "hundred",
            "half",
            "thirds",
            "dozen",
            "point",
            "Q3",
            "H1",
            "January",
            "年",
            "月",
            "日",
        ]
    ),
    max_size=30,
).map("".join)


def check(text: str) -> None:
    for q in read_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert math.isfinite(q.value)
        assert q.value_high is None or math.isfinite(q.value_high)
        number_role(text, q)
    mentions = find_periods(text, date(2025, 10, 20))
    assert mentions == sorted(mentions, key=lambda m: m.start)
    for m in mentions:
        assert text[m.start : m.end] == m.text
        Period.parse(m.period)
    if text:
        period_near(mentions, 0, len(text), text)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode_never_breaks_anything(text: str) -> None:
    check(text)


@settings(max_examples=600, deadline=None)
@given(NUMBERISH)
def test_number_like_noise_never_breaks_anything(text: str) -> None:
    check(text)


def test_a_long_single_line_completes_with_every_number_read() -> None:
    sentence = "Exports were 20,836 mt in May, up 26.2% YoY; 出口量为1.1万吨，价格约66.75万元/吨。 "
    repeats = 10_000  # about 750,000 characters on one line
    found = read_quantities(sentence * repeats)
    assert len(found) == 4 * repeats


def test_pathological_runs_complete() -> None:
    # long runs of what numbers are made of: digits, separators, numerals, number words
    for chunk in ("1,", "1 ", "9" * 50 + " ", "十", "一", "one ", "and ", "- ", "1.", "万", "1e", "百分之", "a "):
        text = chunk * (60_000 // len(chunk))
        for q in read_quantities(text):
            assert math.isfinite(q.value)
        find_periods(text, date(2025, 1, 1))
