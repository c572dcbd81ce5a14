"""Labelled items run together on one line: each figure belongs to the label right before it (our own sentences)."""

from __future__ import annotations

from tests.extract.fact_helpers import facts_reader, one

facts_of = facts_reader("2024-10-20")


def test_simplified_region_items_on_one_line() -> None:
    text = "2024年1-9月主要产区原镁产量:山西:150,200吨,同比增加4.1%,陕西:260,300吨,同比增加12%,河南:9,800吨,下降8%。"
    facts = facts_of(text)
    assert one(facts, value=260_300)["geo"] == "CN-SN"
    assert one(facts, value=12.0)["geo"] == "CN-SN"
    assert one(facts, value=9_800)["geo"] == "CN-HA"
    assert one(facts, value=-8.0)["geo"] == "CN-HA"


def test_traditional_items_with_a_long_label() -> None:
    text = "2024年1-9月原鎂產量:寧夏回族自治區:61,500噸,同比增加9%。內蒙古:4,100噸,下降30%。"
    facts = facts_of(text)
    assert one(facts, value=61_500)["geo"] == "CN-NX"
    assert one(facts, value=4_100)["geo"] == "CN-NM"


def test_english_region_items() -> None:
    text = "Primary magnesium output, January-September 2024. Shanxi: 150,200 t, up 4.1%; Shaanxi: 260,300 t, up 12%."
    facts = facts_of(text)
    assert one(facts, value=150_200)["geo"] == "CN-SX"
    assert one(facts, value=260_300)["geo"] == "CN-SN"
