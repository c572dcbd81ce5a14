"""Correction input is checked against the vocabularies and FactSpec formats before anything changes."""

from __future__ import annotations

import pytest

from assay.editorial.corrections import CorrectionError, parse_changes


def test_text_becomes_typed_values_and_blank_means_unchanged() -> None:
    raw = {"value": "6,410", "unit": "t", "period": "2024-Q2", "geo": "CN-LN", "partner": "none", "metric": ""}
    assert parse_changes(raw) == {"value": 6410.0, "unit": "t", "period": "2024-Q2", "geo": "CN-LN", "partner": None}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"value": "lots"}, "value: 'lots' is not a number"),
        ({"value": "inf"}, "not a finite number"),
        ({"unit": "furlongs"}, "unknown unit"),
        ({"commodity": "unobtainium"}, "unknown commodity"),
        ({"metric": "vibes"}, "unknown metric"),
        ({"period": "last spring"}, "not a FactSpec period"),
        ({"geo": "Liaoning province"}, "not a FactSpec place"),
        ({"quote": "x"}, "not a correctable field"),
    ],
)
def test_bad_values_name_the_field(raw: dict[str, str], message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        parse_changes(raw)
