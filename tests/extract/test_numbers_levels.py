"""read_quantities on the reading bugs found while filling slots, one class of wording per test."""

from __future__ import annotations

import pytest

from assay.extract.numbers import read_quantities
from assay.model import QuantityKind


def readings(text: str) -> list[tuple[float, float | None, str | None]]:
    return [(q.value, q.value_high, q.unit) for q in read_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb or noun of change before "from X to Y": two levels
        ("Capacity will rise from 45,000 t/yr to 100,000 t/yr.", [(45_000, None, "t/yr"), (100_000, None, "t/yr")]),
        ("Annual output grew from 12,000 to 18,000 tonnes.", [(12_000, None, "t"), (18_000, None, "t")]),
        ("The quota was cut from 5,500 t to 4,200 t in June.", [(5_500, None, "t"), (4_200, None, "t")]),
        ("An increase from $3,100/t to $3,650/t surprised buyers.", [(3_100, None, "USD/t"), (3_650, None, "USD/t")]),
        # no change word in the clause: one range
        ("Offers ranged from 21,000 to 23,500 yuan/t.", [(21_000, 23_500, "CNY/t")]),
        ("Quotes from 800 to 950 tonnes were heard.", [(800, 950, "t")]),
        ("Stocks rose. Spot lots from 40 to 60 t changed hands.", [(40, 60, "t")]),
        ("Deals were done at 6,000 to 6,400 yuan/t.", [(6_000, 6_400, "CNY/t")]),
    ],
)
def test_from_x_to_y_is_a_change_only_after_a_word_of_change(
    text: str, expected: list[tuple[float, float | None, str | None]]
) -> None:
    assert readings(text) == expected


def test_a_year_is_not_the_low_end_of_a_range_of_tonnes() -> None:
    assert readings("Stocks went from 2019 to 35,539t over the period.") == [(2019, None, None), (35_539, None, "t")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Sales reached RMB 100\nbillion last year.", 1e11, "CNY"),
        ("Sales reached RMB 100 \nbillion last year.", 1e11, "CNY"),
        ("The group spent US$ 2.5\n  million on exploration.", 2_500_000, "USD"),
        ("Output was 3\nmillion tonnes.", 3_000_000, "t"),
    ],
)
def test_a_multiplier_on_the_next_line_still_scales_the_number(text: str, value: float, unit: str) -> None:
    (found,) = read_quantities(text)
    assert (found.value, found.unit) == (value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "See item 5\nMillion-tonne projects are listed below.",  # a capitalised line starts anew
        "Row 5\nk-values follow.",  # a one-letter multiplier never crosses a line
        "Note 5\n\nbillion-dollar deals are rare.",  # a blank line ends the paragraph
    ],
)
def test_a_new_line_does_not_lend_its_first_word_to_the_number_before(text: str) -> None:
    assert read_quantities(text)[0].value == 5


@pytest.mark.parametrize(
    "text",
    [
        "Exports were 670 tons a year ago.",
        "Exports were 670 tonnes a year earlier.",
        "Exports were up from 670 t a year before.",
    ],
)
def test_a_year_ago_is_a_time_not_a_rate(text: str) -> None:
    (found,) = read_quantities(text)
    assert (found.value, found.unit, found.kind) == (670, "t", QuantityKind.MASS)


def test_a_year_after_tonnes_without_ago_is_still_a_rate() -> None:
    (found,) = read_quantities("The plant makes 670 tons a year.")
    assert (found.value, found.unit) == (670, "t/yr")


@pytest.mark.parametrize(
    "text",
    ["The price was (Rmb) 5,000/tonne.", "Price (RMB) 5,000 per tonne", "quoted at (Rmb)5,000/tonne"],
)
def test_a_currency_in_brackets_before_the_number_makes_a_price(text: str) -> None:
    (found,) = read_quantities(text)
    assert (found.value, found.unit, found.kind) == (5_000, "CNY/t", QuantityKind.PRICE)
