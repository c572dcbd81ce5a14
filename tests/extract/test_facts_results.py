"""Company results: revenue and net profit statements, their changes and analysts' forecasts (our own sentences)."""

from __future__ import annotations

from tests.extract.fact_helpers import facts_reader, one

from assay.extract.facts.results_cues import find_cues, statements

facts_of = facts_reader("2025-10-28")


def test_chinese_half_year_and_single_quarter_items() -> None:
    text = (
        "业绩概览 - 2025H1营业收入20.40亿元同比增长6.12% 归母净利润1.80亿元同比下降12.30% [1] "
        "- 2025Q2营业收入10.10亿元同比增长2.00%环比下降1.50% 扣非归母净利润0.90亿元同比增长30.00%环比增长8.00% [1]"
    )
    facts = facts_of(text, title="宁波韵升(600366):上半年业绩稳健")
    revenue = one(facts, metric="revenue", unit="CNY", period="2025-H1")
    assert revenue["geo"] == "company:ningbo-yunsheng" and revenue["value"] == 2_040_000_000
    assert revenue["commodity"] == "rare_earth_magnets"
    assert one(facts, metric="net_profit", unit="pct_yoy", period="2025-H1")["value"] == -12.3
    assert one(facts, metric="revenue", unit="pct_qoq", period="2025-Q2")["value"] == -1.5
    assert one(facts, metric="net_profit", unit="CNY", period="2025-Q2")["value"] == 90_000_000
    assert one(facts, metric="net_profit", unit="pct_qoq", period="2025-Q2")["value"] == 8.0


def test_gross_margin_and_points_are_not_facts() -> None:
    text = "2025年前三季度公司营业收入15.2亿元，同比增长9.1%；销售毛利率18.5%，同比提高2.3个百分点。"
    facts = facts_of(text, title="正海磁材(300224)三季报点评")
    assert {f["value"] for f in facts} == {1_520_000_000, 9.1}
    assert one(facts, unit="CNY")["period"] == "2025-01/2025-09"


def test_analyst_forecast_row_gives_one_fact_per_year() -> None:
    text = "我们预计公司2026-2028年归母净利润分别为4.10/5.20/6.30亿元，对应同比增长25.0%/26.8%/21.2%。"
    facts = facts_of(text, title="北方稀土(600111)：价格上行带动业绩修复")
    levels = sorted((f["period"], f["value"]) for f in facts if f["unit"] == "CNY")
    assert levels == [("2026", 410_000_000), ("2027", 520_000_000), ("2028", 630_000_000)]
    growth = sorted((f["period"], f["value"]) for f in facts if f["unit"] == "pct_yoy")
    assert growth == [("2026", 25.0), ("2027", 26.8), ("2028", 21.2)]
    assert all(f["basis"] == "forecast" and f["geo"] == "company:china-northern-rare-earth" for f in facts)


def test_traditional_chinese_quarter() -> None:
    text = "中科三環第三季營收18.6億元，年增7.2%；歸母淨利潤0.95億元，年減15.4%。"
    facts = facts_of(text)
    revenue = one(facts, metric="revenue", unit="CNY")
    assert revenue["geo"] == "company:zhongke-sanhuan" and revenue["period"] == "2025-Q3"
    assert one(facts, metric="net_profit", unit="pct_yoy")["value"] == -15.4


def test_english_quarter_with_the_company_and_changes_after_the_number() -> None:
    text = (
        "The company's Q2 2025 revenue was 2.310 billion yuan, +4.50%; net profit attributable to shareholders "
        "was 120.5 million yuan, -20.10% year over year, +35.00% quarter on quarter."
    )
    facts = facts_of(text, title="Zhenghai Magnetic (300224): margins recover")
    assert one(facts, metric="revenue", unit="CNY")["period"] == "2025-Q2"
    assert one(facts, metric="revenue", unit="pct_yoy")["value"] == 4.5
    assert one(facts, metric="net_profit", unit="pct_yoy")["value"] == -20.1
    assert one(facts, metric="net_profit", unit="pct_qoq")["value"] == 35.0
    assert {f["geo"] for f in facts} == {"company:zhenghai-magnetic-materials"}


def test_net_loss_is_a_negative_net_profit() -> None:
    text = (
        "MP Materials reported a net loss of $(41.8) million for the third quarter of 2025, "
        "on revenue of $53.6 million."
    )
    facts = facts_of(text, "2025-11-07")
    loss = one(facts, metric="net_profit")
    assert loss["value"] == -41_800_000 and loss["unit"] == "USD" and loss["period"] == "2025-Q3"
    assert one(facts, metric="revenue")["value"] == 53_600_000


def test_adjusted_ebitda_is_not_revenue_or_profit() -> None:
    text = "Lynas posted revenue of US$200 million in the quarter, while adjusted EBITDA was $30.1 million."
    facts = facts_of(text, "2025-10-20")
    assert [f["value"] for f in facts if f["metric"] in ("revenue", "net_profit")] == [200_000_000]


def test_an_industry_total_is_not_the_title_company() -> None:
    text = "2024年中国稀土行业营业收入约1200亿元。"
    facts = facts_of(text, title="金力永磁：年报点评")
    assert all(not f["geo"].startswith("company:") for f in facts)


def test_the_company_in_prose_is_the_title_company() -> None:
    text = "In the first three quarters of 2025, the company's output of NdFeB magnets rose by about 30% year on year."
    facts = facts_of(text, title="JL Mag Rare-Earth (300748): orders stay strong")
    fact = one(facts, value=30.0)
    assert fact["geo"] == "company:jl-mag-rare-earth" and fact["metric"] == "production"


def test_cues_and_statements_read_the_longest_wording() -> None:
    kinds = [(c.kind) for c in find_cues("扣非归母净利润1亿元，净利率5%，毛利率20%")]
    assert kinds == ["net_profit", "other", "other"]
    text = "a. - b [1] c。d"
    assert [text[s:e].strip() for s, e in statements(text)] == ["a.", "b", "c", "d"]


def test_a_subsidiary_named_in_passing_does_not_take_the_results() -> None:
    text = "公司通过控股银海新材建设回收项目。预计2026-2028年营业收入分别为80.1/95.2/110.3亿元。"
    facts = facts_of(text, title="金力永磁(300748):产能持续增长")
    assert {f["geo"] for f in facts if f["metric"] == "revenue"} == {"company:jl-mag-rare-earth"}


def test_a_paragraph_keeps_the_company_whose_results_it_gives() -> None:
    text = "宁波韵升2025年前三季度营业收入40.5亿元。归母净利润2.1亿元，同比增长35.0%。"
    facts = facts_of(text, title="稀土永磁行业三季报综述")
    assert {f["geo"] for f in facts} == {"company:ningbo-yunsheng"}
    assert one(facts, metric="net_profit", unit="CNY")["period"] == "2025-01/2025-09"


def test_a_company_is_found_by_its_listing_code() -> None:
    facts = facts_of("中国稀土(000831)前三季度营业收入25.6亿元，同比增长12.0%。")
    assert one(facts, unit="CNY")["geo"] == "company:china-rare-earth-resources"


def test_results_period_from_the_sentence_before_and_year_to_date() -> None:
    text = (
        "Energy Fuels (NYSE: UUUU) reported Q2 2025 results on Tuesday. Revenue was $80.2M, with a net loss "
        "of $12.5 million. Year to date, revenue reached $150.4 million."
    )
    facts = facts_of(text, "2025-08-06")
    assert one(facts, metric="revenue", value=80_200_000)["period"] == "2025-Q2"
    assert one(facts, metric="net_profit")["period"] == "2025-Q2"
    assert one(facts, metric="revenue", value=150_400_000)["period"] == "2025-H1"  # January to June


def test_english_results_table_with_period_columns() -> None:
    text = (
        "Energy Fuels condensed results (in millions of US$)\n\n"
        "| | Q2 2025 | Q2 2024 | Change |\n"
        "| Revenue | 40.2 | 31.5 | 28% |\n"
        "| Net loss | (12.3) | (9.8) | |\n"
        "| Adjusted EBITDA | (7.1) | (5.0) | |\n"
    )
    facts = facts_of(text, "2025-08-06")
    assert sorted((f["metric"], f["period"], f["value"]) for f in facts) == [
        ("net_profit", "2024-Q2", -9_800_000),
        ("net_profit", "2025-Q2", -12_300_000),
        ("revenue", "2024-Q2", 31_500_000),
        ("revenue", "2025-Q2", 40_200_000),
    ]
    assert {f["geo"] for f in facts} == {"company:energy-fuels"}


def test_chinese_forecast_table_keeps_the_reported_year_actual() -> None:
    text = (
        "盈利预测（单位：百万元）\n指标 | 2024A | 2025E | 2026E\n"
        "营业收入 | 5,120 | 6,300 | 7,450\n毛利率 | 12.1% | 14.0% | 15.2%\n"
    )
    facts = facts_of(text, title="正海磁材(300224)深度报告")
    assert [(f["period"], f["value"], f["basis"]) for f in facts] == [
        ("2024", 5_120_000_000, "actual"),
        ("2025", 6_300_000_000, "forecast"),
        ("2026", 7_450_000_000, "forecast"),
    ]


def test_table_months_ended_columns() -> None:
    text = (
        "Lynas Rare Earths results, in millions of US$\n"
        "| | Three months ended September 30, 2025 | Nine months ended September 30, 2025 |\n"
        "| Revenue | 120.5 | 380.2 |\n"
    )
    facts = facts_of(text, "2025-10-30")
    assert sorted((f["period"], f["value"]) for f in facts) == [
        ("2025-01/2025-09", 380_200_000),
        ("2025-Q3", 120_500_000),
    ]


def test_amount_before_the_measure_and_loans_that_are_not_results() -> None:
    text = (
        "MP Materials posted $48.2 million in revenue for the second quarter of 2025, up 12% year over year. "
        "It also drew a $90.0 million project loan from the Department of Energy."
    )
    facts = facts_of(text, "2025-08-10")
    revenue = one(facts, metric="revenue", unit="USD")
    assert revenue["value"] == 48_200_000 and revenue["period"] == "2025-Q2"
    assert one(facts, metric="revenue", unit="pct_yoy")["value"] == 12.0
    assert all(f["value"] != 90_000_000 for f in facts)


def test_a_project_of_yearly_output_is_capacity_and_yearly_output_is_production() -> None:
    facts = facts_of("公司拟建设年产8000吨高性能钕铁硼磁材项目。", title="宁波韵升(600366)公告点评")
    fact = one(facts, value=8000)
    assert fact["metric"] == "capacity" and fact["unit"] == "t/yr" and fact["geo"] == "company:ningbo-yunsheng"
    facts = facts_of("2024年全国原镁年产量为82万吨。")
    assert one(facts, value=820_000)["metric"] == "production"


def test_measures_listed_with_respectively() -> None:
    text = "2024年公司实现营业收入、归母净利润分别为52.30亿元、3.15亿元，同比分别增长6.5%、下降21.0%。"
    facts = facts_of(text, title="正海磁材(300224):年报点评")
    assert one(facts, metric="revenue", unit="CNY")["value"] == 5_230_000_000
    assert one(facts, metric="net_profit", unit="CNY")["value"] == 315_000_000
    assert one(facts, metric="revenue", unit="pct_yoy")["value"] == 6.5
    assert one(facts, metric="net_profit", unit="pct_yoy")["value"] == -21.0
    text = "In 2024 revenue and net income were $310.5 million and $12.2 million, respectively."
    facts = facts_of(text, "2025-03-01", title="Lynas Rare Earths: annual results")
    assert one(facts, metric="net_profit")["value"] == 12_200_000
    assert one(facts, metric="revenue")["value"] == 310_500_000
