"""Prices, one wording class per test, in sentences written for these tests: an amount glossed in a
second currency with the mass written once, a product named after an opening price phrase, per
kilogram against per tonne, weekly lists of quotes, and Chinese prices without 元."""

from __future__ import annotations

from fact_helpers import facts_reader, one

from assay.extract.numbers import read_quantities

facts_of = facts_reader("2024-03-15")


def test_a_price_glossed_in_a_second_currency_shares_its_mass() -> None:
    units = [q.unit for q in read_quantities("Dysprosium rose to CNY 2,150 ($298.60) per kilogram.")]
    assert units == ["CNY/kg", "USD/kg"]
    units = [q.unit for q in read_quantities("Cerium stood at CNY 7,000 per tonne ($972) this week.")]
    assert units == ["CNY/t", "USD/t"]
    units = [q.unit for q in read_quantities("Gadolinium fell to 195,000 yuan （US$27,000） per metric ton.")]
    assert units == ["CNY/t", "USD/t"]


def test_two_amounts_in_brackets_without_a_mass_stay_money() -> None:
    units = [q.unit for q in read_quantities("The plant cost CNY 1.2 billion ($166 million) per the filing.")]
    assert units == ["CNY", "USD"]


def test_a_glossed_price_is_one_fact_per_currency() -> None:
    facts = facts_of("Holmium oxide settled at CNY 480,000 ($66,300) per metric ton this week.")
    assert one(facts, unit="CNY/t")["value"] == 480000
    assert one(facts, unit="USD/t")["value"] == 66300
    assert {f["commodity"] for f in facts} == {"holmium"}


def test_an_opening_price_phrase_belongs_to_the_product_named_after_it() -> None:
    text = (
        "Europium oxide gained 3 percent to CNY 2,400 ($333) per kilogram. "
        "Closing at CNY 31,000 ($4,300) per metric ton, lanthanum oxide was flat for the week. "
        "At CNY 26,000 ($3,610) per metric ton, cerium oxide did not move."
    )
    facts = facts_of(text)
    assert one(facts, unit="CNY/t", value=31000)["commodity"] == "lanthanum"
    assert one(facts, unit="CNY/t", value=26000)["commodity"] == "cerium"
    assert one(facts, unit="CNY/kg")["commodity"] == "europium"


def test_neodymium_praseodymium_in_either_order_is_prnd() -> None:
    facts = facts_of("Neodymium-praseodymium oxide was quoted at 402,000 yuan/ton this week.")
    assert one(facts, value=402000)["commodity"] == "prnd"
    zh = facts_of("氧化钕镨报价40.2万元/吨。")
    assert one(zh, value=402000)["commodity"] == "prnd"


def test_a_capital_m_after_a_currency_amount_is_million() -> None:
    units = [(q.value, q.unit) for q in read_quantities("powders ($105M) and sheets (US$8.3M)")]
    assert units == [(105_000_000, "USD"), (8_300_000, "USD")]


def test_a_chinese_quote_without_yuan_is_in_yuan() -> None:
    facts = facts_of("本周府谷镁锭主流报价2.3-2.35万/吨，金属镝报价2450/公斤。")
    ingot = one(facts, value=23000)
    assert (ingot["commodity"], ingot["unit"], ingot["value_high"]) == ("magnesium", "CNY/t", 23500)
    assert one(facts, value=2450)["unit"] == "CNY/kg"


def test_a_weekly_list_after_an_apposition_pairs_each_element_with_its_quote() -> None:
    facts = facts_of(
        "Prices of light rare earths, praseodymium-neodymium and neodymium oxides, last week held stable at "
        "282,000-285,000 yuan/mt and 284,000-287,000 yuan/mt, respectively, their lowest since late May.",
        "2019-11-18",
    )
    prnd, nd = one(facts, value=282000), one(facts, value=284000)
    assert (prnd["commodity"], nd["commodity"]) == ("prnd", "neodymium")
    assert not prnd["period"].startswith("2019-05")


def test_a_thousands_group_after_a_space_before_a_tonnage() -> None:
    read = [(q.value, q.unit) for q in read_quantities("output was 82 600 tons and exports 13 885.92 tons in 2010")]
    assert read[:2] == [(82600, "t"), (13885.92, "t")]
    assert [q.value for q in read_quantities("in 2019 431 tons")] == [2019, 431]


def test_an_assessment_name_and_a_grade_name_the_product_not_its_content() -> None:
    facts = facts_of(
        "Magnesia, calcined, 90-92% MgO, fob China was trading at $205-230 per tonne. The price of fused "
        "magnesia, basis 97% MgO, lump, fob China, was $1,200-1,300 per tonne."
    )
    assert one(facts, value=205)["commodity"] == "caustic_calcined_magnesia"
    assert one(facts, value=1200)["commodity"] == "fused_magnesia"


def test_a_weekly_move_before_its_element_and_quote_is_a_price_change() -> None:
    facts = facts_of(
        "With a 9.4 percent climb, yttrium claimed the week's largest gain, settling at CNY 290.00 ($47.39) "
        "per kilogram.",
        "2013-08-28",
    )
    change = one(facts, value=9.4)
    assert (change["commodity"], change["metric"], change["unit"]) == ("yttrium", "price", "pct_change")


def test_a_purity_before_a_product_still_names_the_product() -> None:
    facts = facts_of("Fugu Xintian Magnesium Alloy offered 99.9% magnesium ingot at Yuan 42,000/mt.", "2021-12-10")
    assert one(facts, value=42000)["commodity"] == "magnesium"


def test_a_price_raised_by_an_amount_is_not_a_price() -> None:
    facts = facts_of("春节后烧结镁砂燃料煤价格上调了15元/吨左右，镁砂报价为2,200元/吨。")
    assert [f["value"] for f in facts if f["unit"] == "CNY/t"] == [2200]


def test_oxide_grades_written_without_a_percent_or_after_the_formula_are_grades() -> None:
    facts = facts_of(
        "Caustic calcined magnesia prices held, with 90-92% MgO at $135-160/tonne and 96 MgO at $265-285/tonne, "
        "while fused magnesia MgO 98% climbed to $760-920/tonne."
    )
    assert one(facts, value=135)["commodity"] == "caustic_calcined_magnesia"
    assert one(facts, value=265)["commodity"] == "caustic_calcined_magnesia"
    assert one(facts, value=760)["commodity"] == "fused_magnesia"


def test_the_group_a_sentence_opens_with_is_a_topic_not_a_list_item() -> None:
    en = facts_of("As for heavy rare earths, terbium oxide sold at 9,000 yuan/kg, with few deals.")
    assert one(en, value=9000)["commodity"] == "terbium"
    zh = facts_of("至于中重稀土，氧化镝报价为1550元/公斤。")
    assert one(zh, value=1550)["commodity"] == "dysprosium"
    listed = facts_of("Light rare earths, neodymium and praseodymium oxides rose to 600,000 yuan/mt.")
    assert one(listed, value=600000)["commodity"] == "rare_earths"


def test_bare_amounts_of_a_price_sentence_take_the_weight_of_its_quote() -> None:
    en = facts_of("Neodymium oxide rose to 610,000 yuan per tonne this week from 590,000 yuan last week.")
    assert one(en, value=590000)["unit"] == "CNY/t"
    noted = facts_of("The price of flake graphite fell from 4,200 yuan (ton price, the same below) to 3,900 yuan.")
    assert {f["value"] for f in noted if f["unit"] == "CNY/t"} == {4200, 3900}
    zh = facts_of("氧化镨钕价格由45万元/吨降至43万元。")
    assert one(zh, value=430000)["unit"] == "CNY/t"
    money = facts_of("镁锭价格为17000元/吨，每吨利润约1000元，成本16000元，成交额约2000万元。")
    assert [f["value"] for f in money] == [17000]


def test_a_price_sentence_after_a_quote_per_tonne_keeps_its_weight() -> None:
    facts = facts_of(
        "Chinese magnesium ingot will likely sell at US$ 2,300-2,400 per tonne next quarter.\n\n"
        "The price in China rebounded to US$ 2,400 level while it had decreased to US$ 2,250 last week."
    )
    assert {f["value"] for f in facts if f["unit"] == "USD/t"} >= {2400, 2250}
    money = facts_of("Magnesium ingot sold at US$ 2,300 per tonne. The plant cost US$ 2,000 to refit.")
    assert [f["value"] for f in money if f["unit"] == "USD/t"] == [2300]


def test_a_weight_note_marked_the_same_below_holds_for_later_quotes() -> None:
    en = facts_of(
        "The price of spherical graphite fell from 21,000 yuan (ton price, the same below) to 19,500 yuan. "
        "Output was cut. The price of flake graphite is now only about 3,400 yuan."
    )
    assert one(en, value=3400)["unit"] == "CNY/t"
    zh = facts_of("球形石墨价格从2.1万元（吨价，下同）降至1.95万元。企业减产。鳞片石墨价格目前仅约3400元。")
    assert one(zh, value=3400)["unit"] == "CNY/t"
