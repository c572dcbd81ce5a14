"""Periods relative to a page or to another statement, one wording class per test, in sentences written
for these tests: a clause that describes a period, a world total beside a quota, undated pages."""

from __future__ import annotations

from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-10-20")


def test_a_clause_describing_a_period_holds_in_that_period() -> None:
    en = facts_of(
        "Magnet exports eased to 5,774 tonnes in September, 6.1% less than in August, "
        "when exports had reached a seven-month high of 6,146 tonnes."
    )
    assert one(en, value=6146)["period"] == "2025-08"
    assert one(en, value=5774)["period"] == "2025-09"
    zh = facts_of("9月稀土永磁出口5,774吨，低于8月，当时出口量达到6,146吨。")
    assert one(zh, value=6146)["period"] == "2025-08"


def test_a_world_total_beside_a_quota_is_not_a_quota() -> None:
    facts = facts_of(
        "China's rare earth mine production in 2020 was 140,000 tonnes, equal to that year's mining quota, "
        "out of a world total of 240,000 tonnes."
    )
    world = one(facts, value=240000)
    assert (world["geo"], world["metric"]) == ("WORLD", "production")


def test_an_undated_page_does_not_date_a_month_by_another_statements_year() -> None:
    text = (
        "China produced 900,000 tonnes of primary magnesium in 2023, the association said.\n\n"
        "In May, magnesium ingot exports rose to 40,000 tonnes."
    )
    facts = facts_of(text, None)
    assert one(facts, value=900000)["period"] == "2023"
    assert one(facts, value=40000).get("period") is None


def test_an_undated_page_dates_a_month_by_the_year_of_its_own_time() -> None:
    text = (
        "For the first seven months of 2025, magnet exports amounted to 27,897 tonnes.\n\n"
        "In July, Germany received 1,116 tonnes of magnets, against 900,000 tonnes of ore mined in 2010."
    )
    facts = facts_of(text, None)
    assert one(facts, value=1116)["period"] == "2025-07"
    titled = facts_of("In May, magnesium ingot exports rose to 40,000 tonnes.", None, title="May 2024 exports")
    assert one(titled, value=40000)["period"] == "2024-05"
