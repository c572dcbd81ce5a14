"""Periods anchored on another date: a day and month without a year, a week before a dated quote, a weekday
of the page's week, the same months of another year, a month in the possessive. One wording class per
test, in English, Simplified and Traditional Chinese sentences written for these tests."""

from __future__ import annotations

from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-06-13")  # a Friday


def test_a_day_and_month_without_a_year_is_a_day_of_the_pages_year() -> None:
    en = facts_of("Assessed prices for flake graphite 94-97% C were $880-950 per tonne fob China on 11 June.")
    assert one(en, value=880)["period"] == "2025-06-11"
    ordinal = facts_of("As of 2nd May, magnesium ingot was quoted at RMB 17,300-17,400/t in Fugu.", "2025-05")
    assert one(ordinal, value=17300)["period"] == "2025-05-02"
    later = facts_of("Dead burned magnesia 90% was quoted at $300 per tonne on 20 December.", "2025-03-02")
    assert one(later, value=300)["period"] == "2024-12-20"  # a day after the page's date: the year before
    zh = facts_of("6月11日，氧化镨钕报价为45万元/吨。")
    assert one(zh, value=450000)["period"] == "2025-06-11"
    hant = facts_of("6月11日，氧化鐠釹報價為45萬元/噸。")
    assert one(hant, value=450000)["period"] == "2025-06-11"


def test_a_day_and_month_is_not_read_in_a_number() -> None:
    facts = facts_of("Exports reached 1,427 tonnes of flake graphite in December, against 23 tonnes in June.")
    assert one(facts, value=1427)["period"] == "2024-12"


def test_a_week_before_a_dated_quote_is_seven_days_before_it() -> None:
    en = facts_of(
        "Dysprosium oxide rose to 2.6 million yuan per tonne on June 12, "
        "up from 2.5 million yuan per tonne the previous week."
    )
    assert one(en, value=2600000)["period"] == "2025-06-12"
    assert one(en, value=2500000)["period"] == "2025-06-05"
    ago = facts_of("Terbium metal climbed to CNY 7,300 per kilogram, up from CNY 7,100 ($990) a week ago.")
    assert one(ago, value=7300)["period"] == "2025-06-13"
    assert one(ago, value=7100)["period"] == "2025-06-06"
    before = facts_of(
        "Fused magnesia 97% was assessed at $650-700 per tonne, down from $700-760 per tonne the week before."
    )
    assert one(before, value=700, unit="USD/t", value_high=760)["period"] == "2025-06-06"
    zh = facts_of("6月12日氧化镝报价260万元/吨，一周前为250万元/吨。")
    assert one(zh, value=2600000)["period"] == "2025-06-12"
    assert one(zh, value=2500000)["period"] == "2025-06-05"
    hant = facts_of("6月12日氧化鏑報價260萬元/噸，一週前為250萬元/噸。")
    assert one(hant, value=2500000)["period"] == "2025-06-05"


def test_a_weekday_is_that_day_of_the_pages_week() -> None:
    en = facts_of("The price of fused magnesia 97% fell to $700-760 per tonne fob China on Tuesday.")
    assert one(en, value=700)["period"] == "2025-06-10"
    same_day = facts_of("Magnesium ingot in Fugu was quoted at RMB 16,800/t on Friday.")
    assert one(same_day, value=16800)["period"] == "2025-06-13"
    zh = facts_of("周二，府谷镁锭报价跌至16800元/吨。")
    assert one(zh, value=16800)["period"] == "2025-06-10"
    hant = facts_of("星期二，府谷鎂錠報價跌至16800元/噸。")
    assert one(hant, value=16800)["period"] == "2025-06-10"


def test_a_weekday_on_a_page_dated_by_month_names_no_day() -> None:
    facts = facts_of("The price of fused magnesia 97% fell to $700-760 per tonne fob China on Tuesday.", "2025-06")
    assert one(facts, value=700)["period"] != "2025-06-24"


def test_the_same_period_of_another_year_is_the_same_months_in_that_year() -> None:
    of_year = facts_of(
        "Flake graphite exports were 3,100 tonnes in the first two months of 2024, "
        "down from 9,800 tonnes in the same period of 2023.",
        "2024-03-20",
    )
    assert one(of_year, value=9800)["period"] == "2023-01/2023-02"
    last_year = facts_of(
        "Spherical graphite exports stood at 2,500 tonnes in the first two months, "
        "against 7,000 tonnes exported during the corresponding period last year.",
        "2024-03-20",
    )
    assert one(last_year, value=7000)["period"] == "2023-01/2023-02"
    assert one(last_year, value=2500)["period"] == "2024-01/2024-02"
    zh = facts_of("2024年1-9月，我国石墨出口量为15.3万吨，2023年同期为17.5万吨。", "2024-10-20")
    assert one(zh, value=175000)["period"] == "2023-01/2023-09"
    hant = facts_of("2024年1-9月，大陸石墨出口量為15.3萬噸，去年同期為17.5萬噸。", "2024-10-20")
    assert one(hant, value=175000)["period"] == "2023-01/2023-09"


def test_a_month_in_the_possessive_dates_its_own_number() -> None:
    en = facts_of(
        "Shipments of flake graphite rose to 2,300 tonnes in February, up 140% from January's 950 tonnes.",
        "2024-03-20",
    )
    assert one(en, value=950)["period"] == "2024-01"
    assert one(en, value=2300)["period"] == "2024-02"
    zh = facts_of("2月鳞片石墨出口量升至2300吨，较1月的950吨增长142%。", "2024-03-20")
    assert one(zh, value=950)["period"] == "2024-01"
    hant = facts_of("2月鱗片石墨出口量升至2300噸，較1月的950噸增長142%。", "2024-03-20")
    assert one(hant, value=950)["period"] == "2024-01"


def test_an_undated_page_reporting_a_whole_year_was_written_after_it() -> None:
    en = facts_of(
        "China's graphite exports rose 5% in 2024, customs data showed. The country shipped 210,000 tonnes "
        "of graphite last year. In December alone, it shipped 16,000 tonnes of graphite.",
        None,
        title="China's graphite exports in 2024 climb",
    )
    assert one(en, value=210000)["period"] == "2024"
    assert one(en, value=16000)["period"] == "2024-12"
    zh = facts_of("2024年我国稀土出口量增长6%，12月出口稀土3326吨。去年我国稀土出口量为55431吨。", None, "2024年")
    assert one(zh, value=55431)["period"] == "2024"
    hant = facts_of("2024年大陸稀土出口量增長6%，12月出口稀土3326噸。去年大陸稀土出口量為55431噸。", None, "2024年")
    assert one(hant, value=55431)["period"] == "2024"


def test_an_undated_forecast_for_a_year_is_written_within_it() -> None:
    facts = facts_of(
        "China's magnesium exports will reach 400,000 mt in 2017, up 12% from 356,400 mt of magnesium last year, "
        "with shipments expected to pick up in December.",
        None,
        title="China's 2017 magnesium exports forecast at 400,000 mt",
    )
    assert one(facts, value=356400)["period"] == "2016"


def test_an_undated_page_titled_by_a_month_was_written_after_that_month() -> None:
    facts = facts_of(
        "Flake graphite exports stood at 9,400 tonnes in February 2018. The average export price was $987 per "
        "tonne, against $852 per tonne in December and $833 per tonne in January.",
        None,
        title="Graphite exports rise in Feb",
    )
    assert one(facts, value=852)["period"] == "2017-12"
    assert one(facts, value=833)["period"] == "2018-01"


def test_a_source_named_after_from_does_not_make_the_next_clauses_year_a_baseline() -> None:
    en = facts_of(
        "According to figures from the land ministry, as of the end of 2009, China's crystalline graphite "
        "reserves were 30 million tons.",
        None,
    )
    assert one(en, value=30000000)["period"] == "2009"
    zh = facts_of("据国土资源部统计，截至2009年底，我国晶质石墨储量为3000万吨。", None)
    assert one(zh, value=30000000)["period"] == "2009"
    hant = facts_of("據國土資源部統計，截至2009年底，我國晶質石墨儲量為3000萬噸。", None)
    assert one(hant, value=30000000)["period"] == "2009"


def test_this_period_stands_for_the_period_the_last_dated_sentence_is_about() -> None:
    en = facts_of(
        "In the first two months of 2024, China's graphite exports fell after controls took effect in December "
        "2023.\n\nFlake graphite exports totaled 3,100 tonnes during this period, down from 9,800 tonnes in the "
        "same timeframe in 2023.",
        "2024-03-20",
    )
    assert one(en, value=3100)["period"] == "2024-01/2024-02"
    assert one(en, value=9800)["period"] == "2023-01/2023-02"
    zh = facts_of("2024年1-9月，我国石墨出口有所下降。\n\n此期间，鳞片石墨出口量为15.3万吨。", "2024-10-20")
    assert one(zh, value=153000)["period"] == "2024-01/2024-09"
    hant = facts_of("2024年1-9月，大陸石墨出口有所下降。\n\n此期間，鱗片石墨出口量為15.3萬噸。", "2024-10-20")
    assert one(hant, value=153000)["period"] == "2024-01/2024-09"


def test_two_months_in_a_row_joined_by_and_are_one_span() -> None:
    en = facts_of("Spherical graphite exports stood at 2,500 tonnes in January and February.", "2024-03-20")
    assert one(en, value=2500)["period"] == "2024-01/2024-02"
    apart = facts_of("Spherical graphite exports were 1,200 tonnes in January and 900 tonnes in March.", "2024-04-20")
    assert one(apart, value=1200)["period"] == "2024-01"
    assert one(apart, value=900)["period"] == "2024-03"
    zh = facts_of("1-2月，球形石墨出口量为2500吨。", "2024-03-20")
    assert one(zh, value=2500)["period"] == "2024-01/2024-02"
    hant = facts_of("1-2月，球形石墨出口量為2500噸。", "2024-03-20")
    assert one(hant, value=2500)["period"] == "2024-01/2024-02"


def test_a_quarterly_reports_the_quarter_is_the_quarter_it_reports() -> None:
    en = facts_of("NdPr production of 1,600 tonnes was achieved during the quarter.", "2025-07-18")
    assert one(en, value=1600)["period"] == "2025-Q2"
    named = facts_of(
        "The company reported on the third quarter of 2024. Magnet output reached 5,000 tonnes in the quarter.",
        "2025-07-18",
    )
    assert one(named, value=5000)["period"] == "2024-Q3"
    zh = facts_of("公司发布2025年第二季度报告。该季度公司钕铁硼磁材产量为5000吨。", "2025-07-18")
    assert one(zh, value=5000)["period"] == "2025-Q2"
    hant = facts_of("公司發布季度報告。該季度公司釹鐵硼磁材產量為5000噸。", "2025-07-18")
    assert one(hant, value=5000)["period"] == "2025-Q2"


def test_a_page_dated_by_month_dates_an_undated_price_by_that_month() -> None:
    en = facts_of("Chinese producers are currently offering magnesium ingot at $2,850-2,950 per tonne.", "2025-06")
    assert one(en, value=2850)["period"] == "2025-06"
    day = facts_of("Chinese producers are currently offering magnesium ingot at $2,850-2,950 per tonne.")
    assert one(day, value=2850)["period"] == "2025-06-13"
    zh = facts_of("目前府谷镁锭报价为16800元/吨。", "2025-06")
    assert one(zh, value=16800)["period"] == "2025-06"
    hant = facts_of("目前府谷鎂錠報價為16800元/噸。", "2025-06")
    assert one(hant, value=16800)["period"] == "2025-06"


def test_a_level_said_to_hold_now_is_dated_by_the_pages_year_unless_a_price() -> None:
    en = facts_of("The county's primary magnesium capacity now stands at 583,500 tonnes per year.")
    assert one(en, value=583500)["period"] == "2025"
    zh = facts_of("目前全县原镁实际产能已达到58.35万吨/年。")
    assert one(zh, value=583500)["period"] == "2025"
    hant = facts_of("目前全縣原鎂實際產能已達到58.35萬噸/年。")
    assert one(hant, value=583500)["period"] == "2025"


def test_a_count_of_months_names_no_month() -> None:
    zh = facts_of("8月稀土磁铁出口量连三月上升，达6146吨。", "2025-09-22")
    assert one(zh, value=6146)["period"] == "2025-08"
    hant = facts_of("8月稀土磁鐵出口量連三月上升，達6146噸。", "2025-09-22")
    assert one(hant, value=6146)["period"] == "2025-08"
    en = facts_of("Magnet exports rose for a third month in a row to 6,146 tonnes in August.", "2025-09-22")
    assert one(en, value=6146)["period"] == "2025-08"


def test_the_year_a_run_began_is_not_the_period_of_the_number() -> None:
    zh = facts_of("中国2025年共出口稀土62585吨，同比增长12.9%，达到2014年以来最高水平。", "2026-01-14")
    assert one(zh, value=12.9)["period"] == "2025"
    assert one(zh, value=62585)["period"] == "2025"
    hant = facts_of("8月稀土磁鐵出口量達6146噸，年增15.4%，創今年來新高。", "2025-09-22")
    assert one(hant, value=15.4)["period"] == "2025-08"
    en = facts_of("China exported 62,585 tonnes of rare earths in 2025, up 12.9%, the most since 2014.", "2026-01-14")
    assert one(en, value=12.9)["period"] == "2025"


def test_a_period_with_its_number_in_parentheses_or_a_record_owns_it() -> None:
    zh = facts_of("9月中国出口稀土4000吨，较8月（5791.8吨）锐减30.9%。", "2025-10-14")
    assert one(zh, value=5791.8)["period"] == "2025-08"
    assert one(zh, value=4000)["period"] == "2025-09"
    hant = facts_of("2021年大陸鱗片石墨出口量62.8萬噸，超過此前2018年的最高值57.1萬噸。", "2022-08-03")
    assert one(hant, value=571000)["period"] == "2018"
    en = facts_of("Rare earth exports fell to 4,000 tonnes in September from August (5,792 tonnes).", "2025-10-14")
    assert one(en, value=5792)["period"] == "2025-08"


def test_over_a_span_after_a_clause_break_is_the_span_not_a_baseline() -> None:
    en = facts_of(
        "Despite alloy exports having jumped 8%, magnesium ingot exports over January-November fell 7% year on year.",
        "2016-01-04",
    )
    assert one(en, value=-7)["period"] == "2015-01/2015-11"
    zh = facts_of("尽管镁合金出口增长8%，1-11月镁锭出口量同比下降7%。", "2016-01-04")
    assert one(zh, value=-7)["period"] == "2015-01/2015-11"
    hant = facts_of("儘管鎂合金出口增長8%，1-11月鎂錠出口量同比下降7%。", "2016-01-04")
    assert one(hant, value=-7)["period"] == "2015-01/2015-11"


def test_a_period_naming_the_total_after_it_belongs_to_that_total() -> None:
    en = facts_of(
        "China's rare earth imports last month dropped 41.1% from a year earlier to 9,645 tons, "
        "producing a 2024 total of 132,931 tons.",
        "2025-01-20",
    )
    assert one(en, value=9645)["period"] == "2024-12"
    assert one(en, value=132931)["period"] == "2024"
    zh = facts_of("上月稀土进口量降至9645吨，2024年总量为132931吨。", "2025-01-20")
    assert one(zh, value=9645)["period"] == "2024-12"
    assert one(zh, value=132931)["period"] == "2024"
    hant = facts_of("上月稀土進口量降至9645噸，2024年總量為132931噸。", "2025-01-20")
    assert one(hant, value=9645)["period"] == "2024-12"


def test_a_respectively_list_of_periods_dates_each_value_by_its_place() -> None:
    zh = facts_of("金力永磁2024年第一至四季度营业收入分别为15.36亿元、18.25亿元、16.53亿元、17.49亿元。", None)
    assert [one(zh, value=v)["period"] for v in (1536000000, 1825000000, 1653000000, 1749000000)] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
    ]
    hant = facts_of("大陸2024年第一至三季度鎂錠出口量分別為3萬噸、2.5萬噸和3.2萬噸。", "2025-03-20")
    assert [one(hant, value=v)["period"] for v in (30000, 25000, 32000)] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    en = facts_of(
        "China exported 30,000 t, 25,000 t and 32,000 t of magnesium ingot in the first, second and third "
        "quarters of 2024 respectively.",
        "2025-03-20",
    )
    assert [one(en, value=v)["period"] for v in (30000, 25000, 32000)] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    months = facts_of("镁锭1月、2月、3月出口量分别为3万吨、2.5万吨和3.2万吨。", "2025-04-20")
    assert [one(months, value=v)["period"] for v in (30000, 25000, 32000)] == ["2025-01", "2025-02", "2025-03"]


def test_a_standing_share_or_a_level_held_for_years_takes_no_carried_period() -> None:
    en = facts_of(
        "China set its 2024 rare earth mining quota at 270,000 tonnes. China plays a dominant role in the market, "
        "accounting for approximately 70% of global rare earth output.",
    )
    assert one(en, value=70).get("period") is None
    past = facts_of(
        "China set its 2024 rare earth mining quota at 270,000 tonnes. That year China accounted for about 70% "
        "of global rare earth output."
    )
    assert one(past, value=70)["period"] == "2024"
    zh = facts_of("2019年我国镁锭出口量增长3%。我国镁锭出口量一直在40万吨左右波动。", "2020-03-01")
    assert one(zh, value=400000).get("period") is None
    hant = facts_of("2019年大陸鎂錠出口量增長3%。大陸鎂錠出口量長期在40萬噸左右。", "2020-03-01")
    assert one(hant, value=400000).get("period") is None


def test_that_month_stands_for_the_month_named_last() -> None:
    zh = facts_of(
        "2025年12月，我国镁产品出口量为3.87万吨。当月镁锭出口量为2.15万吨，出口均价为2093美元/吨。", "2026-01-29"
    )
    assert one(zh, value=21500)["period"] == "2025-12"
    assert one(zh, value=2093)["period"] == "2025-12"
    hant = facts_of("2025年12月，大陸鎂產品出口量為3.87萬噸。當月鎂錠出口量為2.15萬噸。", "2026-01-29")
    assert one(hant, value=21500)["period"] == "2025-12"
    en = facts_of(
        "China's magnesium exports were 38,700 tonnes in December 2025.\n\nIn the same month, magnesium ingot "
        "exports came to 21,500 tonnes.",
        "2026-01-29",
    )
    assert one(en, value=21500)["period"] == "2025-12"


def test_a_domestic_baseline_after_a_converted_price_is_the_baselines() -> None:
    zh = facts_of("2025年12月镁锭出口均价为2093美元/吨，折合人民币约14775元/吨，较国内同期15757元/吨低。", "2026-01-29")
    assert one(zh, value=14775)["period"] == "2025-12"
    hant = facts_of(
        "2025年12月鎂錠出口均價為2093美元/噸，折合人民幣約14775元/噸，較國內同期15757元/噸低。", "2026-01-29"
    )
    assert one(hant, value=14775)["period"] == "2025-12"
    en = facts_of("Magnesium ingot imports from Turkey last year reached 5,000 tonnes, up 10%.", "2026-01-29")
    assert one(en, value=5000)["period"] == "2025"
