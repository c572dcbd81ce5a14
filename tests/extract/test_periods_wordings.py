"""find_periods on wordings that slot filling found misread, one class per test."""

from __future__ import annotations

from datetime import date

import pytest

from assay.extract.periods import find_periods

PUBLISHED = date(2025, 6, 15)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.period) for m in find_periods(text, PUBLISHED)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年中国镁产量为85万吨。", [("2019年", "2019")]),  # 年 then 中国, not 年中 (mid-year)
        ("二〇一九年中国的出口", [("二〇一九年", "2019")]),
        ("2023年中，镁价回落。", [("2023年", "2023")]),
    ],
)
def test_a_chinese_year_keeps_its_year_before_zhong(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Output was 89 kt in 2022 and 54 kt in 2021.", [("2022", "2022"), ("2021", "2021")]),
        ("Sales hit 2024 and 35 tonnes later.", [("2024", "2024")]),
        ("Plans cover 2021-25 and 2026/27.", [("2021-25", "2021/2025"), ("2026/27", "2026/2027")]),
        ("Between 2022 and 2024 exports doubled.", [("Between 2022 and 2024", "2022/2024")]),
    ],
)
def test_two_digits_after_and_are_no_second_year(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Export DynamicsSeptember Volume: 5,774 tons", [("September", "2024-09")]),
        ("Market ReviewMarch 2025 prices", [("March 2025", "2025-03")]),
    ],
)
def test_a_month_run_into_the_word_before_it_is_read(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Exports peaked in July of last year.", "2024-07"),
        ("Exports peaked in July of the previous year.", "2024-07"),
        ("Exports peaked in March last year.", "2024-03"),
    ],
)
def test_a_month_of_last_year_is_one_period(text: str, period: str) -> None:
    ((_, read),) = found(text)
    assert read == period


def test_words_holding_month_letters_name_no_month() -> None:
    assert found("Innovation in the decade saw separate junior doctors decline.") == []
