"""find_periods and period_near on sentences written for these tests, one per class of wording."""

from __future__ import annotations

import random
from datetime import date

import pytest

from assay.extract.numbers import read_quantities
from assay.extract.periods import PeriodMention, find_periods, period_near
from assay.extract.periods.patterns import PATTERN_AT_A_DIGIT_NOT_A_YEAR, PATTERN_BY_START

PUBLISHED = date(2025, 10, 20)


def periods(text: str, published: date | None = PUBLISHED) -> list[str]:
    return [m.period for m in find_periods(text, published)]


def one(text: str, published: date | None = PUBLISHED) -> PeriodMention:
    found = find_periods(text, published)
    assert len(found) == 1, found
    assert text[found[0].start : found[0].end] == found[0].text
    return found[0]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Exports fell in August.", "2025-08"),
        ("Exports fell in November.", "2024-11"),  # after the publication month: the year before
        ("Jan-Sep exports rose.", "2025-01/2025-09"),
        ("From January to October, output rose.", "2025-01/2025-10"),
        ("January through September exports rose.", "2025-01/2025-09"),
        ("Sales in Q3 rose.", "2025-Q3"),
        ("Sales in the third quarter rose.", "2025-Q3"),
        ("Sales in the first three quarters rose.", "2025-01/2025-09"),
        ("Sales in the first nine months rose.", "2025-01/2025-09"),
        ("Sales in H1 rose.", "2025-H1"),
        ("Sales in the first half rose.", "2025-H1"),
        ("Sales on Oct 2 rose.", "2025-10-02"),
        ("上半年出口增长。", "2025-H1"),
        ("前三季度出口增长。", "2025-01/2025-09"),
        ("三季度出口增长。", "2025-Q3"),
        ("8月出口增长。", "2025-08"),
        ("1-9月出口增长。", "2025-01/2025-09"),
        ("前8个月出口增长。", "2025-01/2025-08"),
        ("10月20日起实施。", "2025-10-20"),
    ],
)
def test_periods_without_a_year_take_the_publication_year(text: str, period: str) -> None:
    m = one(text)
    assert (m.period, m.relative, m.target) == (period, True, False)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Sales in H1 2014 rose.", "2014-H1"),
        ("Sales in the first half of 2014 rose.", "2014-H1"),
        ("Sales in 2024 rose.", "2024"),
        ("Sales in fourth-quarter 2017 rose.", "2017-Q4"),
        ("Sales in the third quarter of 2023 rose.", "2023-Q3"),
        ("Sales in Q3 2023 rose.", "2023-Q3"),
        ("Sales in 3Q23 rose.", "2023-Q3"),
        ("Sales in December 2023 rose.", "2023-12"),
        ("On September 16, 2025 the rule began.", "2025-09-16"),
        ("On 16 September 2025 the rule began.", "2025-09-16"),
        ("On 2025-09-16 the rule began.", "2025-09-16"),
        ("January-September 2024 sales rose.", "2024-01/2024-09"),
        ("The 2021-25 plan is out.", "2021/2025"),
        ("The 2021-2025 plan is out.", "2021/2025"),
        ("The plan covers 2021 to 2025.", "2021/2025"),
        ("2024年1-9月出口增长。", "2024-01/2024-09"),
        ("2024年出口增长。", "2024"),
        ("2025年9月出口增长。", "2025-09"),
        ("2025年9月16日起实施。", "2025-09-16"),
        ("截至2025年9月底，产能5万吨。", "2025-09"),
        ("2024年上半年出口增长。", "2024-H1"),
        ("2024年前三季度出口增长。", "2024-01/2024-09"),
        ("2024年第三季度出口增长。", "2024-Q3"),
        ("“十四五”期间产能增长。", "2021/2025"),
        ("二〇二三年出口增长。", "2023"),
    ],
)
def test_absolute_periods(text: str, period: str) -> None:
    m = one(text)
    assert (m.period, m.relative) == (period, False)


@pytest.mark.parametrize(
    ("text", "period", "baseline"),
    [
        ("Output rose last year.", "2024", False),
        ("Output rose this year.", "2025", False),
        ("Output rose 5% from a year ago.", "2024", True),
        ("Output rose 5% from a year earlier.", "2024", True),
        ("Output rose 5% from the same period last year.", "2024", True),
        ("Output in July last year was high.", "2024-07", False),
        ("Output rose last month.", "2025-09", False),
        ("今年产量增长。", "2025", False),
        ("去年产量增长。", "2024", False),
        ("比去年同期增长5%。", "2024", True),
        ("上月产量增长。", "2025-09", False),
    ],
)
def test_relative_periods(text: str, period: str, baseline: bool) -> None:
    m = one(text)
    assert (m.period, m.relative, m.baseline) == (period, True, baseline)


@pytest.mark.parametrize(
    "text",
    [
        "Capacity will reach 50,000 t by 2025.",
        "The goal is set by the end of 2025.",
        "到2025年产能达到5万吨。",
        "2025年前完成。",
    ],
)
def test_targets(text: str) -> None:
    m = one(text)
    assert (m.period, m.target) == ("2025", True)


def test_as_of_a_year_is_no_target() -> None:
    assert [(m.period, m.target) for m in find_periods("截至2025年底，产能5万吨。", PUBLISHED)] == [("2025", False)]


def test_a_year_compared_against_is_a_baseline() -> None:
    assert [(m.period, m.baseline) for m in find_periods("up 7.5% compared with 2024", PUBLISHED)] == [("2024", True)]
    assert [(m.period, m.baseline) for m in find_periods("较2018年增长9.47%", None)] == [("2018", True)]


def test_year_in_the_same_sentence_wins_over_publication() -> None:
    text = "In 2023, exports rose. In 2023 exports in August were high."
    assert periods(text)[-1] == "2023-08"


def test_without_publication_date_the_last_named_year_applies() -> None:
    text = "2019年，镁锭出口24.3万吨。\n1-9月出口增长。"
    assert periods(text, None) == ["2019", "2019-01/2019-09"]


def test_relative_periods_need_a_publication_date() -> None:
    assert periods("Output rose last year.", None) == []


def test_quantities_and_years_are_told_apart() -> None:
    assert periods("Sales were 2000 tonnes and 2025 yuan.") == []


def test_may_the_verb_is_not_a_month() -> None:
    assert periods("Prices may rise.") == []


def test_period_near_picks_the_period_of_a_number() -> None:
    text = (
        "Exports stood at 22,966 mt in October, up 23.4% MoM and down 5.6% YoY. "
        "The exports totalled 229,570 mt from January to October, an increase of 7.1% YoY.\n\n"
        "In terms of destinations in October 2022, the exports to Netherlands stood at 6,280 mt."
    )
    mentions = find_periods(text, date(2022, 11, 24))
    chosen = {q.text: period_near(mentions, q.start, q.end, text) for q in read_quantities(text)}
    got = {k: (v.period if v else None) for k, v in chosen.items()}
    assert got["22,966 mt"] == "2022-10"
    assert got["229,570 mt"] == "2022-01/2022-10"
    assert got["7.1%"] == "2022-01/2022-10"
    assert got["6,280 mt"] == "2022-10"


def test_period_near_skips_baselines() -> None:
    text = "Exports were 6,225t last year, down from 13,079t a year earlier."
    mentions = find_periods(text, date(2021, 2, 1))
    q = next(q for q in read_quantities(text) if q.text == "13,079t")
    m = period_near(mentions, q.start, q.end, text)
    assert m is not None and m.period == "2020" and not m.baseline


def test_mentions_are_sorted_and_spans_exact() -> None:
    text = "In Q3 2024 and in H1 2025, 2024年1-9月 and last year."
    mentions = find_periods(text, PUBLISHED)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for m in mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "period"),
    [("去年前三季度出口增长。", "2024-01/2024-09"), ("Sales in the first half of last year rose.", "2024-H1")],
)
def test_a_relative_year_beside_a_period_gives_its_year(text: str, period: str) -> None:
    assert period in periods(text)


def test_at_a_digit_that_opens_no_year_the_shorter_alternation_finds_the_same() -> None:
    # the wordings left out of PATTERN_AT_A_DIGIT_NOT_A_YEAR open with 19xx/20xx whenever they open with a digit
    pieces = ["1", "3", "11", "12", "2024", "1999", "07", "年", "月", "日", "季度", "第", "至", "-", "/", ".", " ",
              "Q", "H", "st", "th", "Five-Year Plan", "September", "周前", "前", "半年", "to", ",", "号"]  # fmt: skip
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for at, char in enumerate(text):
            if not "0" <= char <= "9" or text.startswith(("19", "20"), at):
                continue
            full, short = PATTERN_BY_START["d"].match(text, at), PATTERN_AT_A_DIGIT_NOT_A_YEAR.match(text, at)
            assert (full and (full.span(), full.lastgroup)) == (short and (short.span(), short.lastgroup)), text
