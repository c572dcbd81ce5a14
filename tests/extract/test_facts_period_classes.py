"""Which period a number takes, one wording class per test, in sentences written for these tests:
release dates, the level now, a plan's deadline, the level a change started from, undated reserves."""

from __future__ import annotations

from fact_helpers import facts_reader, one

facts_of = facts_reader("2024-09-10")


def test_a_release_date_is_not_the_period_of_the_figures() -> None:
    en = facts_of("China's rare earth quotas for 2024, released in August, were 270,000 tonnes for mining.")
    assert one(en, value=270000)["period"] == "2024"
    zh = facts_of("工信部于8月下达2024年稀土开采总量控制指标27万吨。")
    assert one(zh, value=270000)["period"] == "2024"


def test_the_level_today_is_dated_by_publication_not_by_the_target() -> None:
    en = facts_of(
        "The region plans to lift its capacity for rare earth magnets from 45,000 tonnes a year today "
        "to 100,000 tonnes a year by 2025.",
        "2021-03-01",
    )
    assert one(en, value=45000)["period"] == "2021"
    assert one(en, value=100000)["period"] == "2025"
    zh = facts_of("内蒙古稀土磁性材料产能由目前的4.5万吨/年提高到2025年的10万吨/年。", "2021-03-01")
    assert one(zh, value=45000)["period"] == "2021"


def test_a_deadline_right_after_the_number_wins_over_the_stage() -> None:
    facts = facts_of(
        "The third stage, from 2026 to 2030, aims at Liaoning magnesite output value of more than "
        "RMB 100 billion by 2030."
    )
    assert one(facts, metric="output_value")["period"] == "2030"


def test_the_level_a_change_started_from_is_the_year_before() -> None:
    facts = facts_of("In 2023 Myanmar's rare earth output rose to 38,000 tonnes from 12,000 tonnes.")
    assert one(facts, value=38000)["period"] == "2023"
    assert one(facts, value=12000)["period"] == "2022"
    dated = facts_of("Chinese magnesium output fell to 830,000 tonnes in 2023 from 933,000 tonnes in 2022.")
    assert one(dated, value=933000)["period"] == "2022"
    ago = facts_of("In 2019 rare earth trading volume rose to 3,387 tons from about 670 tons a year ago.")
    assert one(ago, value=670)["period"] == "2018"


def test_reserves_take_no_period_from_another_sentence() -> None:
    facts = facts_of(
        "Chinese magnesite output was 13 million tonnes in 2022. "
        "Liaoning's magnesite reserves are put at about 3.5 billion tonnes, some 85% of the national total."
    )
    assert one(facts, value=13000000)["period"] == "2022"
    assert one(facts, value=3500000000)["period"] is None
    assert one(facts, value=85)["period"] is None


def test_over_the_first_months_opening_a_sentence_is_its_period() -> None:
    facts = facts_of(
        "Over the first nine months of the year China sold 39,817 tonnes of magnets abroad, 7.5% less than "
        "in the same period of 2024, after new licences in April cut exports.",
        "2025-10-20",
    )
    assert one(facts, value=39817)["period"] == "2025-01/2025-09"
    assert one(facts, value=-7.5)["period"] == "2025-01/2025-09"


def test_a_quarter_written_without_du_as_in_taiwan_filings() -> None:
    facts = facts_of("正海磁材公布第三季財報：單季營業收入19.16億元人民幣，年增50.76%。", "2025-10-25")
    revenue = one(facts, unit="CNY")
    assert revenue["metric"] == "revenue" and revenue["period"] == "2025-Q3"
    assert one(facts, unit="pct_yoy")["period"] == "2025-Q3"
