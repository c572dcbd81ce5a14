"""Tables as text extraction leaves them: pipes, markdown, one cell per line, and columns aligned by spaces."""

from __future__ import annotations

from fact_helpers import facts_reader, one

facts_of = facts_reader("2025-03-01")


def test_space_aligned_table_by_country_and_year() -> None:
    text = (
        "Graphite mine production, in thousand tonnes:\n"
        "Country 2023 2024 (estimate)\n"
        "China 1,230 1,270\n"
        "Mozambique 96 75\n"
        "World total 1,600 1,600\n"
    )
    facts = facts_of(text, None)
    assert one(facts, geo="CN", period="2024")["value"] == 1_270_000
    mozambique = one(facts, geo="MZ", period="2023")
    assert mozambique["value"] == 96_000 and mozambique["metric"] == "production"
    assert mozambique["commodity"] == "graphite"
    assert one(facts, geo="WORLD", period="2024")["value"] == 1_600_000


def test_space_aligned_table_with_year_rows_and_measure_columns() -> None:
    text = (
        "Rare earth quotas\n"
        "Year Mining quota (t REO) Smelting and separation quota (t REO)\n"
        "2023 255,000 240,000\n"
        "2024 270,000 254,000\n"
    )
    facts = facts_of(text, None)
    assert one(facts, metric="mining_quota", period="2024")["value"] == 270000
    assert one(facts, metric="smelting_quota", period="2023")["value"] == 240000


def test_rows_of_destinations_are_partners() -> None:
    text = (
        "China's magnesium ingot exports by destination, tonnes, 2024\n"
        "Country | Tonnes\nNetherlands | 61,200\nTurkey | 30,100\n"
    )
    facts = facts_of(text, None)
    fact = one(facts, partner="NL")
    assert fact["geo"] == "CN" and fact["metric"] == "exports" and fact["period"] == "2024"


def test_year_rows_under_a_commodity_caption() -> None:
    text = "Natural graphite\n\nYear | Imports (t)\n2022 | 89,200\n2023 | 84,000\n"
    facts = facts_of(text, None, title="United States imports of graphite")
    fact = one(facts, period="2023")
    assert fact["metric"] == "imports" and fact["geo"] == "US" and fact["value"] == 84000


def test_date_rows_with_low_and_high_columns() -> None:
    text = (
        "价格行情 | 2025年2月28日 | 单位:万元/吨\n\n"
        "| 日期 | 氧化镝 最低价 | 氧化镝 最高价 | 氧化镝 均价 |\n"
        "| 2月26日 | 160 | 162 | 161 |\n"
        "| 2月27日 | 159 | 161 | 160 |\n"
    )
    facts = facts_of(text, "2025-02-28")
    low = one(facts, period="2025-02-26", value=1_600_000)
    assert low["value_high"] == 1_620_000 and low["commodity"] == "dysprosium" and low.get("form") == "oxide"
    assert one(facts, period="2025-02-27", value=1_600_000).get("value_high") is None


def test_markdown_with_blank_lines_between_rows() -> None:
    text = "Terbium oxide, annual average, US$ per kilogram\n\n| 2022 | 2023 |\n\n| 2,051 | 1,300 |\n"
    facts = facts_of(text, None)
    fact = one(facts, period="2023")
    assert fact["value"] == 1300 and fact["unit"] == "USD/kg" and fact["commodity"] == "terbium"


def test_weekly_price_report_rows_name_their_weight_and_the_page_its_currency() -> None:
    text = (
        "Oxide prices held firm, traders said, quoting most grades in yuan.\n"
        "Table of oxide prices in China\n"
        " PRODUCT          PURITY       UNIT   PRICE (THIS WEEK)   PRICE (LAST WEEK)\n"
        " Cerium Oxide     99.5-99.9%   Tonne    21000-23000         20000-22000\n"
        " Terbium Oxide    99.99%       Kg        7200-7400           7100-7300\n"
        " Samarium Oxide   99.9%        Tonne    16000-18000         16000-1\n"
    )
    facts = facts_of(text, "2025-06-13")
    cerium = one(facts, commodity="cerium", period="2025-06-13")
    assert (cerium["value"], cerium["value_high"], cerium["unit"]) == (21000, 23000, "CNY/t")
    assert one(facts, commodity="cerium", period="2025-06-06")["value"] == 20000
    assert one(facts, commodity="terbium", period="2025-06-06")["unit"] == "CNY/kg"
    assert not [f for f in facts if f["commodity"] == "samarium" and f["period"] == "2025-06-06"]  # cut short


def test_chinese_weekly_quote_list_with_a_weight_column() -> None:
    text = (
        "本周稀土价格小幅上涨，以下报价单位为元。\n"
        "產品       單位    本周價格         上周價格\n"
        "氧化镝     公斤    2650-2700        2600-2650\n"
        "氧化镨钕   噸      452000-455000    440000-445000\n"
    )
    facts = facts_of(text, "2025-06-13")
    assert one(facts, commodity="dysprosium", period="2025-06-13")["unit"] == "CNY/kg"
    prnd = one(facts, commodity="prnd", period="2025-06-06")
    assert (prnd["value"], prnd["unit"], prnd["metric"]) == (440000, "CNY/t", "price")


def test_quotes_without_a_currency_anywhere_are_not_prices() -> None:
    text = (
        "Inventories of oxides at the warehouse\n"
        " PRODUCT          UNIT   PRICE (THIS WEEK)   PRICE (LAST WEEK)\n"
        " Cerium Oxide     Tonne    21000-23000         20000-22000\n"
        " Lanthanum Oxide  Tonne    11000-12000         11000-12000\n"
    )
    assert not [f for f in facts_of(text, "2025-06-13") if f["metric"] == "price"]
