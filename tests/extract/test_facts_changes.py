"""Numbers that state a change or a comparison, and the levels around them, in English, Simplified and
Traditional Chinese: which unit a percent change takes (pct_yoy, pct_mom, pct_qoq or pct_change), which
measure it changes, the baseline levels it is measured from, and levels that go from one value to another.
Every sentence is written for these tests."""

from __future__ import annotations

from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-06-15")


# --- a yearly or year-to-date total changes against the same span a year before -----------------


def test_a_yearly_flow_change_with_no_baseline_is_year_on_year() -> None:
    en = facts_of("China's graphite exports rose 9% in 2023, customs figures showed.", "2024-01-22")
    assert one(en, value=9)["unit"] == "pct_yoy"
    level = facts_of("China produced 880,000 tonnes of primary magnesium in 2023, up 7%.", "2024-02-01")
    assert one(level, value=7)["unit"] == "pct_yoy" and one(level, unit="t")["value"] == 880000
    zh = facts_of("2023年，我国石墨出口量增长9%。", "2024-01-22")
    assert one(zh, value=9)["unit"] == "pct_yoy"


def test_a_year_to_date_flow_change_is_year_on_year() -> None:
    facts = facts_of("2024年1至10月稀土累計出口4萬8千噸，增長8.5%。", "2024-11-20")
    change = one(facts, value=8.5)
    assert change["unit"] == "pct_yoy" and change["period"] == "2024-01/2024-10"
    en = facts_of(
        "In the first eight months of 2024, China's magnet exports totalled 38,000 tonnes, up 4%.", "2024-09-20"
    )
    assert one(en, value=4)["unit"] == "pct_yoy"


def test_a_change_since_a_point_in_the_year_stays_a_plain_change() -> None:
    facts = facts_of("China's graphite exports have risen 15% since March, traders said.", "2024-08-20")
    assert one(facts, value=15)["unit"] == "pct_change"
    zh = facts_of("2024年以来，石墨出口量累计增长15%。", "2024-08-20")
    assert one(zh, value=15)["unit"] == "pct_change"


def test_a_movement_noun_after_the_number_makes_it_a_change_not_a_share() -> None:
    facts = facts_of(
        "Exports of spherical graphite stood at 2,500 tonnes in January and February, representing a 60% decline "
        "from the same period a year earlier.",
        "2024-03-20",
    )
    change = one(facts, value=-60)
    assert change["metric"] == "exports" and change["unit"] == "pct_yoy"
    assert not [f for f in facts if f["unit"] == "%"]


def test_a_month_or_a_price_without_a_baseline_stays_a_plain_change() -> None:
    month = facts_of("China's graphite exports rose 12% in March.", "2025-04-20")
    assert one(month, value=12)["unit"] == "pct_change"
    price = facts_of("The price of dysprosium oxide fell 18% in 2023.", "2024-01-10")
    assert one(price, value=-18)["unit"] == "pct_change"


# --- the wording names the baseline after the number ----------------------------------------------


def test_year_over_year_after_the_number_makes_it_a_change() -> None:
    facts = facts_of(
        "In the fourth quarter, China's magnet exports grew at an average of 24% year over year.", "2025-01-20"
    )
    change = one(facts, value=24)
    assert change["unit"] == "pct_yoy" and change["metric"] == "exports"


def test_on_a_monthly_basis_is_month_on_month() -> None:
    facts = facts_of("Flake graphite exports dropped by 40% on a monthly basis to 2,000 tonnes in May.", "2025-06-20")
    change = one(facts, value=-40)
    assert change["unit"] == "pct_mom" and change["period"] == "2025-05"
    assert one(facts, unit="t")["value"] == 2000


def test_more_than_the_year_prior_is_year_on_year() -> None:
    facts = facts_of("In 2023 China shipped 61,000 tonnes of NdFeB magnets, 8% more than it shipped the year prior.")
    change = one(facts, value=8)
    assert change["unit"] == "pct_yoy" and change["metric"] == "exports" and change["period"] == "2023"


def test_month_and_year_growth_in_traditional_shorthand() -> None:
    facts = facts_of("5月稀土磁鐵出口量達4,200噸，月增12.5%、年增3.1%。", "2025-06-20")
    assert one(facts, value=12.5)["unit"] == "pct_mom"
    assert one(facts, value=3.1)["unit"] == "pct_yoy"
    # "9月增长": a month followed by growth is not the month-on-month shorthand 月增
    other = facts_of("石墨出口量9月增长5%。", "2025-10-20")
    assert one(other, value=5)["unit"] != "pct_mom"


def test_sequential_change_of_a_quarter_is_quarter_on_quarter() -> None:
    zh = facts_of("2024年第三季度，氧化镨钕均价为40万元/吨，环比上涨3.2%。", "2024-10-15")
    assert one(zh, value=3.2)["unit"] == "pct_qoq"
    en = facts_of("In Q3 2024, NdPr oxide averaged 400,000 yuan per tonne, up 3.2% sequentially.", "2024-10-15")
    assert one(en, value=3.2)["unit"] == "pct_qoq"


def test_in_the_same_comparison_takes_the_earlier_change_basis() -> None:
    facts = facts_of(
        "Flake graphite exports dropped by 40% on a monthly basis to 2,000 tonnes in May, while exports of "
        "spherical graphite slumped by 30% to 900 tonnes in the same comparison.",
        "2025-06-20",
    )
    assert one(facts, value=-30)["unit"] == "pct_mom"
    zh = facts_of("2024年镁锭出口量同比增长6%，镁合金出口量也增长4%。", "2025-01-20")
    assert one(zh, value=4)["unit"] == "pct_yoy"


def test_baseline_month_with_its_level_before_the_change() -> None:
    hant = facts_of("大陸10月稀土磁鐵出口量為5,000噸，較9月的5,300噸減少5.7%。", "2025-11-20")
    assert one(hant, value=-5.7)["unit"] == "pct_mom"
    hans = facts_of("10月中国稀土出口4,000吨，较9月（5,800吨）锐减31%。", "2025-11-20")
    assert one(hans, value=-31)["unit"] == "pct_mom"


# --- which measure a change belongs to ------------------------------------------------------------


def test_a_change_after_a_value_level_is_a_change_of_that_value() -> None:
    facts = facts_of(
        "Magnesia export values totalled $45 million in 2022, an increase of 20% year on year.", "2023-02-01"
    )
    change = one(facts, value=20)
    assert change["metric"] == "trade_value" and change["unit"] == "pct_yoy"
    zh = facts_of("2024年稀土出口金额为3.2亿美元，同比下降12%。", "2025-01-20")
    assert one(zh, value=-12)["metric"] == "trade_value"


def test_a_change_after_its_level_keeps_the_level_product_past_an_aside() -> None:
    facts = facts_of(
        "In 2024 China exported 60,000 tonnes of rare earth magnets (mostly NdFeB, some SmCo), 9% more than a "
        "year before.",
        "2025-01-20",
    )
    change = one(facts, value=9)
    assert change["commodity"] == "rare_earth_magnets" and change["unit"] == "pct_yoy"


def test_a_change_and_its_baseline_level_belong_to_the_level_before_them() -> None:
    facts = facts_of(
        "China exported 120,000 tonnes of fused magnesia in 2022, according to customs data, up by 5% from "
        "114,000 tonnes in 2021 in response to growing overseas demand.",
        "2023-02-01",
    )
    change = one(facts, value=5)
    assert change["metric"] == "exports" and change["unit"] == "pct_yoy"
    baseline = one(facts, value=114000)
    assert baseline["metric"] == "exports" and baseline["period"] == "2021"
    assert all(f["metric"] == "exports" for f in facts)


def test_volume_after_value_is_the_trade_flow() -> None:
    hant = facts_of("9月中國出口稀土4,000噸，金額為6,000萬美元，數量較8月減少30%。", "2025-10-14")
    change = one(hant, value=-30)
    assert change["metric"] == "exports" and change["unit"] == "pct_mom"
    assert one(hant, unit="USD")["metric"] == "trade_value"
    bracketed = facts_of("9月中國出口稀土4,000噸，金額為6,000萬美元，數量較8月（5,800噸）銳減31%。", "2025-10-14")
    assert one(bracketed, value=-31)["metric"] == "exports"
    assert one(bracketed, value=5800)["period"] == "2025-08"


def test_a_weekly_change_is_a_price_change() -> None:
    en = facts_of("With a 6.5 percent gain over the past week, terbium oxide led the weekly index.", "2025-06-13")
    fact = one(en, value=6.5)
    assert fact["metric"] == "price" and fact["commodity"] == "terbium" and fact["unit"] == "pct_change"
    zh = facts_of("氧化镝周环比上涨4%。", "2025-06-13")
    assert one(zh, value=4)["metric"] == "price"
    hant = facts_of("本週氧化鏑上漲4%，市場成交清淡。", "2025-06-13")
    assert one(hant, value=4)["metric"] == "price"


# --- levels that move from one value to another ---------------------------------------------------


def test_a_rate_that_climbs_from_one_level_to_another_is_two_levels() -> None:
    en = facts_of("The approval rate for rare earth export licences has climbed from 25% to 60%.", "2025-06-20")
    assert {f["value"] for f in en if f["metric"] == "approval_rate" and f["unit"] == "%"} == {25, 60}
    assert not [f for f in en if f["unit"].startswith("pct")]
    zh = facts_of("稀土出口许可证的批准率从30%提高到55%。", "2025-06-20")
    assert {f["value"] for f in zh if f["metric"] == "approval_rate"} == {30, 55}
    share = facts_of("China's share of world graphite output rose from 65% to 77%.", "2025-06-20")
    assert {f["value"] for f in share if f["metric"] == "production_share" and f["share_of"] == "WORLD"} == {65, 77}


def test_a_flow_that_falls_to_zero_is_a_zero_level() -> None:
    en = facts_of("Graphite exports to Japan fell from 6,000 tonnes in May to zero in June.", "2025-07-20")
    zero = one(en, value=0)
    assert zero["unit"] == "t" and zero["partner"] == "JP" and zero["period"] == "2025-06"
    assert one(en, value=6000)["period"] == "2025-05"
    zh = facts_of("6月石墨对日本出口量从5月的500吨降至零。", "2025-07-20")
    assert one(zh, value=0)["unit"] == "t"
    hant = facts_of("6月石墨對日本出口量從5月的500噸降至零。", "2025-07-20")
    assert one(hant, value=0)["partner"] == "JP"


# --- precision: what is not a change of a tracked measure ----------------------------------------


def test_a_respective_list_of_finer_items_than_our_products_keeps_only_its_first() -> None:
    for text in (
        "Output of magnesia bricks, magnesia-carbon bricks and silica bricks fell 12.1%, 6.5% and 3.2% year over "
        "year in 2012, respectively.",
        "2012年镁砖、镁碳砖和硅砖产量同比分别下降12.1%、6.5%和3.2%。",
        "2012年鎂磚、鎂碳磚和矽磚產量同比分別下降12.1%、6.5%和3.2%。",
    ):
        facts = facts_of(text, "2013-03-01")
        assert [f["value"] for f in facts if f["unit"].startswith("pct")] == [-12.1], text


def test_weight_saved_by_a_part_is_not_a_change_of_a_measure() -> None:
    for text in (
        "Switching the seat frame to magnesium alloy cuts weight by 30%, the carmaker said.",
        "The magnesium alloy wheel is 25% lighter than an aluminium one.",
        "某车企镁合金用量提升，新款轮毂较铝合金方案减重15%。",
        "某車企鎂合金用量提升，新款輪轂較鋁合金方案減重15%。",
    ):
        assert not [f for f in facts_of(text) if f["unit"].startswith("pct")], text


def test_two_products_and_two_changes_pair_in_order_without_respectively() -> None:
    for text in (
        "Exports of magnesium powder and magnesium alloy fell 12% and 25% year on year in 2024.",
        "2024年镁粉和镁合金出口量同比下降12%和25%。",
        "2024年鎂粉和鎂合金出口量同比下降12%和25%。",
    ):
        facts = facts_of(text)
        assert one(facts, value=-12)["commodity"] == "magnesium_powder", text
        assert one(facts, value=-25)["commodity"] == "magnesium_alloy", text


def test_lower_than_last_year_is_a_change_over_time() -> None:
    en = facts_of(
        "Flake graphite now sells for about 3,500 yuan a tonne, about 40% lower than the price last year.", "2012-10-20"
    )
    assert one(en, value=-40)["metric"] == "price"
    for text in (
        "鳞片石墨价格约为3500元/吨，比去年均价低40%左右。",
        "鱗片石墨價格約為3500元/噸，比去年均價低40%左右。",
    ):
        fact = one(facts_of(text, "2012-10-20"), value=-40)
        assert fact["metric"] == "price" and fact["unit"] == "pct_yoy", text
    # a comparison with another place or product is not a change over time
    assert not [f for f in facts_of("中国鳞片石墨价格比非洲同类产品低20%。") if f["unit"].startswith("pct")]


def test_a_running_total_belongs_to_the_measure_before_it_and_so_does_its_change() -> None:
    facts = facts_of(
        "China's rare earth imports fell 30% from a year earlier to 8,000 tons in December, producing a 2024 "
        "total of 120,000 tons, down 20% from 2023.",
        "2025-01-20",
    )
    total = one(facts, value=120000)
    assert total["metric"] == "imports" and total["period"] == "2024"
    change = one(facts, value=-20)
    assert change["metric"] == "imports" and change["period"] == "2024"  # the total's period, not December's
    assert not [f for f in facts if f["metric"] == "production"]


def test_a_change_measured_from_a_baseline_level_keeps_its_own_period() -> None:
    facts = facts_of("2025年12月稀土出口量为4392吨，仍比2024年同期的3326吨高出32%。", "2026-01-20")
    assert one(facts, value=3326)["period"] == "2024-12"
    change = one(facts, value=32)
    assert change["period"] == "2025-12" and change["unit"] == "pct_yoy"


def test_a_baseline_price_written_low_slash_high_is_a_range() -> None:
    facts = facts_of(
        "The price of dead burned magnesia 97.5% MgO rose to $1,100-1,400 per tonne fob China on Tuesday from "
        "$630/740 per tonne a week earlier.",
        "2018-03-14",
    )
    baseline = one(facts, value=630)
    assert baseline["value_high"] == 740 and baseline["unit"] == "USD/t" and baseline["period"] == "2018-03-07"
    assert not [f for f in facts if f["value"] < 1]


def test_a_level_a_week_earlier_is_dated_a_week_before() -> None:
    facts = facts_of(
        "Terbium metal climbed to CNY 4,900 ($800.68) per kilogram, up from CNY 4,700 ($768.51) a week ago.",
        "2013-08-28",
    )
    assert one(facts, value=4700)["period"] == "2013-08-21"
    assert one(facts, value=4900)["period"] == "2013-08-28"


def test_a_step_of_a_pricing_formula_is_not_a_change() -> None:
    for text in (
        "北方稀土拟将稀土精矿价格上调2.4%至每吨26834元，按REO每增减1%每吨调整536.68元。",
        "北方稀土擬將稀土精礦價格上調2.4%至每噸26834元，按REO每增減1%每噸調整536.68元。",
        "The rare earth concentrate price rose 2.4%, adjusted by 536 yuan per tonne for every 1% of REO content.",
    ):
        facts = facts_of(text, "2026-01-12")
        assert [f["value"] for f in facts if f["unit"].startswith("pct")] == [2.4], text
