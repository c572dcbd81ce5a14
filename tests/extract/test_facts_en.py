"""English wordings, one class per test, in sentences written for these tests."""

from __future__ import annotations

import pytest
from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-06-15")


def test_level_with_month_and_year_changes() -> None:
    facts = facts_of(
        "Exports of dead-burned magnesia from China fell 12% year on year to 95,000 t in March.", "2025-04-20"
    )
    level = one(facts, unit="t")
    assert level["commodity"] == "dead_burned_magnesia"
    assert level["metric"] == "exports" and level["geo"] == "CN"
    assert level["value"] == 95000 and level["period"] == "2025-03"
    change = one(facts, unit="pct_yoy")
    assert change["value"] == -12 and change["period"] == "2025-03"
    assert len(facts) == 2


def test_stood_at_with_mom_and_yoy() -> None:
    facts = facts_of(
        "Chinese magnesium ingot exports stood at 31,200 mt in May, down 4.2% MoM and up 9.8% YoY.", "2025-06-20"
    )
    assert one(facts, unit="t")["value"] == 31200
    assert one(facts, unit="pct_mom")["value"] == -4.2
    assert one(facts, unit="pct_yoy")["value"] == 9.8
    assert all(f["period"] == "2025-05" for f in facts)
    assert all(f.get("form") == "ingot" for f in facts)


def test_cumulative_period_and_decrease_against_previous_year() -> None:
    facts = facts_of(
        "China's graphite exports totalled 150,300 tonnes in January-August, a 3.1% decrease compared to 2024.",
        "2025-09-20",
    )
    level = one(facts, unit="t")
    assert level["period"] == "2025-01/2025-08" and level["commodity"] == "graphite"
    change = one(facts, value=-3.1)
    assert change["unit"] == "pct_yoy"


def test_world_share() -> None:
    facts = facts_of(
        "In 2023 China produced 240,000 tonnes of rare earth oxide, accounting for 68.6% of global output."
    )
    share = one(facts, metric="production_share")
    assert share["value"] == 68.6 and share["share_of"] == "WORLD" and share["geo"] == "CN"
    level = one(facts, metric="production")
    assert level["value"] == 240000 and level["period"] == "2023"


def test_province_share_of_national_reserves() -> None:
    facts = facts_of("Liaoning holds about 2.8 billion tonnes of magnesite, some 80% of China's total reserves.", None)
    share = one(facts, metric="reserves_share")
    assert share["geo"] == "CN-LN" and share["share_of"] == "CN" and share["value"] == 80
    reserves = one(facts, metric="reserves")
    assert reserves["value"] == 2_800_000_000 and reserves["approx"] == "~"


def test_partner_after_to() -> None:
    facts = facts_of("Magnet exports to Germany rose to 1,540 tonnes in April.", "2025-05-20")
    fact = one(facts, unit="t")
    assert fact["partner"] == "DE" and fact["geo"] == "CN" and fact["commodity"] == "rare_earth_magnets"


def test_imports_from_origin() -> None:
    facts = facts_of("China imported 4,100 t of rare earth ores from Laos in February.", "2025-03-20")
    fact = one(facts, unit="t")
    assert fact["metric"] == "imports" and fact["partner"] == "LA" and fact["period"] == "2025-02"


def test_destination_list_after_exports() -> None:
    facts = facts_of(
        "By destination, exports to Japan were 2,100 mt, accounting for 18%; South Korea 1,800 mt, "
        "accounting for 15%; Vietnam 900 mt.",
        "2025-03-10",
        title="China magnesium exports in February",
    )
    assert one(facts, partner="KR", unit="t")["value"] == 1800
    assert one(facts, partner="VN", unit="t")["value"] == 900
    share = one(facts, partner="KR", unit="%")
    assert share["metric"] == "exports_share" and share["share_of"] == "CN"


def test_absolute_changes_are_not_facts() -> None:
    facts = facts_of("Prices of neodymium oxide rose 30,000 yuan/t to 560,000 yuan/t this week.", "2025-06-13")
    assert [f["value"] for f in facts] == [560000]


def test_absolute_change_list_is_not_a_fact() -> None:
    text = (
        "Shipments of magnesium ingot to Japan and Korea rose with increases of 900 mt and 450 mt respectively, "
        "while those to India fell 300 mt."
    )
    assert facts_of(text) == []


def test_purity_grade_year_and_count_are_not_facts() -> None:
    text = "The plant makes 99.95% magnesium ingot and N52 magnets, employs 1,200 people and was built in 2019."
    assert facts_of(text) == []


def test_price_range_per_tonne() -> None:
    facts = facts_of("Flake graphite -100 mesh was assessed at $410-450 per tonne FOB China on June 12.", "2025-06-13")
    fact = one(facts, metric="price")
    assert fact["value"] == 410 and fact["value_high"] == 450 and fact["unit"] == "USD/t"
    assert fact["commodity"] == "flake_graphite" and fact["period"] == "2025-06-12"


def test_current_price_takes_publication_date() -> None:
    facts = facts_of("Dysprosium oxide is currently quoted at 1,650,000 yuan/t.", "2025-06-13")
    fact = one(facts, metric="price")
    assert fact["period"] == "2025-06-13" and fact["commodity"] == "dysprosium" and fact.get("form") == "oxide"


def test_forecast_basis() -> None:
    facts = facts_of("Global demand for NdFeB magnets is expected to reach 380,000 tonnes in 2030.")
    fact = one(facts, unit="t")
    assert fact["basis"] == "forecast" and fact["geo"] == "WORLD" and fact["metric"] == "consumption"
    assert fact["period"] == "2030"


def test_target_basis_with_by_year() -> None:
    facts = facts_of("The province plans to lift graphite anode capacity to 500,000 t/yr by 2027.", None)
    fact = one(facts, metric="capacity")
    assert fact["basis"] == "target" and fact["period"] == "2027" and fact["unit"] == "t/yr"


def test_quota_set_is_actual() -> None:
    facts = facts_of("The 2025 mining quota for rare earths was set at 270,000 tonnes, up 5.9% from 2024.")
    level = one(facts, unit="t")
    assert level["metric"] == "mining_quota" and level["basis"] == "actual" and level["period"] == "2025"
    change = one(facts, value=5.9)
    assert change["unit"] == "pct_yoy" and change["metric"] == "mining_quota"


def test_smelting_quota() -> None:
    facts = facts_of("The rare earth smelting and separation quota was set at 254,000 tonnes for 2025.")
    assert one(facts, unit="t")["metric"] == "smelting_quota"


def test_company_with_ticker() -> None:
    facts = facts_of(
        "Ningxia Orient Magnet Works (600999.SH): H1 revenue reached ¥2.3 billion (+12.5% YoY) on NdFeB sales.",
        "2025-08-30",
    )
    revenue = one(facts, unit="CNY")
    assert revenue["geo"] == "company:ningxia-orient-magnet-works" and revenue["metric"] == "revenue"
    assert revenue["value"] == 2_300_000_000 and revenue["period"] == "2025-H1"
    assert one(facts, unit="pct_yoy")["value"] == 12.5


def test_known_company_name() -> None:
    facts = facts_of("JL Mag reported net profit of 320 million yuan for 2024 from rare earth magnets.")
    fact = one(facts, metric="net_profit")
    assert fact["geo"] == "company:jl-mag-rare-earth" and fact["value"] == 320_000_000


def test_trade_value_in_value_terms() -> None:
    facts = facts_of(
        "In value terms, Chinese exports of spherical graphite reached $41.5 million in May.", "2025-06-20"
    )
    fact = one(facts, unit="USD")
    assert fact["metric"] == "trade_value" and fact["commodity"] == "spherical_graphite"


def test_context_carries_across_sentences() -> None:
    text = (
        "China's exports of fused magnesia fell sharply in the first half of 2024. "
        "The total reached 118,000 tonnes, down 8.4% year on year."
    )
    facts = facts_of(text)
    level = one(facts, unit="t")
    assert level["commodity"] == "fused_magnesia" and level["metric"] == "exports"
    assert level["period"] == "2024-H1"
    assert one(facts, unit="pct_yoy")["value"] == -8.4


def test_headline_label_gives_the_period() -> None:
    text = "Rare earth magnet exports\nJuly Volume: 4,210 tons, up 3.3% month-on-month."
    facts = facts_of(text, "2025-08-20")
    level = one(facts, unit="t")
    assert level["period"] == "2025-07" and level["metric"] == "exports"
    assert one(facts, unit="pct_mom")["value"] == 3.3


def test_baseline_level_keeps_its_own_period() -> None:
    text = "Imports of rare earth ores from Myanmar rose 14% to 4,100t in March from 3,600t in February."
    facts = facts_of(text, "2025-04-20")
    assert one(facts, value=4100)["period"] == "2025-03"
    assert one(facts, value=3600)["period"] == "2025-02"


def test_a_year_earlier_follows_the_sentence_year() -> None:
    text = "In 2022, graphite electrode output rose to 1.2 million tonnes from 1.05 million tonnes a year earlier."
    facts = facts_of(text, None)
    assert one(facts, value=1_200_000)["period"] == "2022"
    assert one(facts, value=1_050_000)["period"] == "2021"


def test_comparison_between_places_is_not_a_change() -> None:
    facts = facts_of("Chinese magnesium costs are about 25% lower than in other countries.")
    assert facts == []


def test_ratio_of_two_measures_is_not_a_share() -> None:
    facts = facts_of("China's graphite exports were equal to about 30% of its production in 2024.")
    assert [f for f in facts if f["unit"] == "%"] == []


def test_value_in_two_currencies_is_two_facts() -> None:
    facts = facts_of("Terbium oxide traded at CNY 7,150,000/t ($984,000/t) on June 10.", "2025-06-13")
    assert {f["unit"] for f in facts} == {"CNY/t", "USD/t"}


def test_repeated_statement_is_one_fact() -> None:
    text = "Praseodymium-neodymium oxide prices averaged 420,000 yuan/t in May.\n\n" * 2
    assert len(facts_of(text, "2025-06-02")) == 1


def test_approximation_words() -> None:
    facts = facts_of(
        "China produced nearly 1 million tonnes of primary magnesium in 2024 and exported over 400,000 tonnes.",
        None,
    )
    assert one(facts, metric="production")["approx"] == "<"
    assert one(facts, metric="exports")["approx"] == ">"


@pytest.mark.parametrize(
    ("wording", "commodity", "form"),
    [
        ("Mg ingot 99.9", "magnesium", "ingot"),
        ("CCM", "caustic_calcined_magnesia", None),
        ("DBM", "dead_burned_magnesia", None),
        ("NdPr oxide", "prnd", "oxide"),
        ("rare earth magnets", "rare_earth_magnets", None),
        ("artificial graphite", "synthetic_graphite", None),
    ],
)
def test_commodity_wordings(wording: str, commodity: str, form: str | None) -> None:
    facts = facts_of(f"Chinese exports of {wording} reached 12,500 tonnes in April.", "2025-05-20")
    fact = one(facts, unit="t")
    assert fact["commodity"] == commodity and fact.get("form") == form


def test_approval_rate() -> None:
    facts = facts_of("Only 40% of rare earth export licence applications were approved in June.", "2025-07-01")
    fact = one(facts, metric="approval_rate")
    assert fact["value"] == 40 and fact["unit"] == "%"
