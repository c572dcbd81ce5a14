"""read_quantities on sentences written for these tests: one case per class of wording."""

from __future__ import annotations

import pytest

from assay.extract.numbers import NumberRole, number_role, read_quantities
from assay.model import Approx, Quantity, QuantityKind


def only(text: str) -> Quantity:
    found = read_quantities(text)
    assert len(found) == 1, found
    return found[0]


def values(text: str) -> list[tuple[float, str | None]]:
    return [(q.value, q.unit) for q in read_quantities(text)]


# (sentence, value, unit, value_high)
ENGLISH_QUANTITIES = [
    ("Output reached 1,026 units.", 1026, None, None),
    ("Reserves stand at 1.12 million tonnes.", 1_120_000, "t", None),
    ("Sales were 3.52 billion tons last year.", 3_520_000_000, "t", None),
    ("Shipments totalled 20,836 mt in May.", 20836, "t", None),
    ("Demand grew to 147.8 kt.", 147_800, "t", None),
    ("The mine holds 18 Mt of ore.", 18_000_000, "t", None),
    ("A plant of 45,000 tons/year opened.", 45_000, "t/yr", None),
    ("The new line adds 300,000 tpa.", 300_000, "t/yr", None),
    ("It has 1.5 million tonnes per year of capacity.", 1_500_000, "t/yr", None),
    ("Revenue hit ¥1.916 billion.", 1_916_000_000, "CNY", None),
    ("Trade was worth US$2.51 trillion.", 2_510_000_000_000, "USD", None),
    ("Spot traded at RMB15,949/t.", 15_949, "CNY/t", None),
    ("Offers were Yuan 42,000-42,500 a tonne.", 42_000, "CNY/t", 42_500),
    ("Bids rose to $2,550-2,580 per tonne.", 2_550, "USD/t", 2_580),
    ("Quotes at 2,720-2,740 dollars per ton held.", 2_720, "USD/t", 2_740),
    ("Flake sold at Rmb 5,000/tonne.", 5_000, "CNY/t", None),
    ("Magnesia fetched $810/tonne.", 810, "USD/t", None),
    ("The deal was $9.3 million.", 9_300_000, "USD", None),
    ("Output value reached 17.5 trillion Yuan.", 17_500_000_000_000, "CNY", None),
    ("Imports were 35,539t.", 35_539, "t", None),
    ("A grant of €40 million was made.", 40_000_000, "EUR", None),
    ("The fee is EUR 2,000.", 2_000, "EUR", None),
    ("Oxide sold at $50/kg.", 50, "USD/kg", None),
    ("Metal sold at 600 yuan per kg.", 600, "CNY/kg", None),
    ("A loan of 10 mln dollars.", 10_000_000, "USD", None),
    ("Spending of 5bn yuan.", 5_000_000_000, "CNY", None),
    ("It raised $38 million.", 38_000_000, "USD", None),
    ("It raised $5m in May.", 5_000_000, "USD", None),
    ("Output hit 1.2m tonnes.", 1_200_000, "t", None),
    ("It costs one dollar and fifty cents.", 1.5, "USD", None),
    ("A fine of 5m yuan.", 5_000_000, "CNY", None),
    ("Output of 4 1/2 million tonnes.", 4_500_000, "t", None),
    ("The pile holds 2 000 000 tonnes.", 2_000_000, "t", None),
]


@pytest.mark.parametrize(("text", "value", "unit", "high"), ENGLISH_QUANTITIES)
def test_english_quantities(text: str, value: float, unit: str | None, high: float | None) -> None:
    found = [q for q in read_quantities(text) if q.unit == unit and q.value == pytest.approx(value)]
    assert found, read_quantities(text)
    assert found[0].value_high == (pytest.approx(high) if high is not None else None)
    assert text[found[0].start : found[0].end] == found[0].text


CHINESE_QUANTITIES = [
    ("产量为1.1万吨。", 11_000, "t", None),
    ("价格为66.75万元/吨。", 667_500, "CNY/t", None),
    ("营收1,100.9亿元。", 110_090_000_000, "CNY", None),
    ("共3万4000件。", 34_000, None, None),
    ("规模达二十万亿。", 20_000_000_000_000, None, None),
    ("库存一千二百三十四吨。", 1234, "t", None),
    ("出口額達1.5億美元。", 150_000_000, "USD", None),
    ("投資20萬美元。", 200_000, "USD", None),
    ("总投资5万元。", 50_000, "CNY", None),
    ("产能10万吨/年。", 100_000, "t/yr", None),
    ("报价525000-535000元/吨。", 525_000, "CNY/t", 535_000),
    ("预计5至8万吨。", 50_000, "t", 80_000),
    ("价格为３５０元/公斤。", 350, "CNY/kg", None),
    ("出口量為２．５萬噸。", 25_000, "t", None),
    ("售价为8000美元/吨。", 8_000, "USD/t", None),
    ("兩千噸。", 2_000, "t", None),
    ("收入8亿元人民币。", 800_000_000, "CNY", None),
    ("出口量一直在40来万吨左右。", 400_000, "t", None),
    ("售价九百九十九块。", 999, "CNY", None),
    ("只要一块五。", 1.5, "CNY", None),
    ("三块五毛一斤。", 3.5, "CNY", None),
    ("单价3元5角2分。", 3.52, "CNY", None),
    ("五毛钱。", 0.5, "CNY", None),
    ("港币100元。", 100, "HKD", None),
    ("逾千吨。", 1000, "t", None),
    ("每万元产值。", 10_000, "CNY", None),
    ("产量一点五亿吨。", 150_000_000, "t", None),
    ("美元100。", 100, "USD", None),
]


@pytest.mark.parametrize(("text", "value", "unit", "high"), CHINESE_QUANTITIES)
def test_chinese_quantities(text: str, value: float, unit: str | None, high: float | None) -> None:
    found = [q for q in read_quantities(text) if q.unit == unit and q.value == pytest.approx(value)]
    assert found, read_quantities(text)
    assert found[0].value_high == (pytest.approx(high) if high is not None else None)
    assert text[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a million", 1_000_000),
        ("half of the output", 0.5),
        ("one hundred and twenty", 120),
        ("two-thirds", 2 / 3),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("three hundred and two dozens", 324),
        ("twenty-one trillion and three hundred", 21_000_000_000_300),
        ("one and a half", 1.5),
        ("one hundred and three and two thirds", 103 + 2 / 3),
        ("nine point nought four", 9.04),
        ("a hundredth", 0.01),
        ("half a million", 500_000),
        ("one and a half million", 1_500_000),
        ("minus 3.5", -3.5),
        ("negative 5", -5),
        ("one over three", 1 / 3),
        ("2000 over 3", 2000 / 3),
        ("3 dozens", 36),
        ("322 hundred", 32_200),
        ("2.33 k", 2_330),
        ("1.2b", 1_200_000_000),
        ("1e10", 1e10),
        ("1.1^23", 1.1**23),
        ("3/4", 0.75),
        ("2  1/4", 2.25),
        ("1 234 567", 1_234_567),
        (".08", 0.08),
    ],
)
def test_english_number_words_and_notations(text: str, value: float) -> None:
    assert only(text).value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一千二百三十四", 1234),
        ("两", 2),
        ("九万四", 94_000),
        ("五亿零六", 500_000_006),
        ("一百零一万一千", 1_011_000),
        ("四千万零六千", 40_006_000),
        ("10万万", 1_000_000_000),
        ("4.78万亿", 4_780_000_000_000),
        ("5亿1万4千6百", 500_014_600),
        ("七十八萬五佰零六", 780_506),
        ("壹仟零伍拾", 1050),
        ("半百", 50),
        ("十点二三三", 10.233),
        ("五分之一", 0.2),
        ("三百五十又3分之1", 350 + 1 / 3),
        ("一百万又五十万分之二十五", 1_000_000.00005),
        ("二〇二四", 2024),
        ("一百 五 十 二", 152),
        ("7万 5千 4百", 75_400),
        ("一打", 12),
        ("一半", 0.5),
        ("十二点五万", 125_000),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    assert only(text).value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("Prices rose 23pc.", 23, QuantityKind.PERCENT),
        ("It fell 5 per cent.", 5, QuantityKind.PERCENT),
        ("It fell 5 percent.", 5, QuantityKind.PERCENT),
        ("It rose 12.5%.", 12.5, QuantityKind.PERCENT),
        ("Share rose 2 percentage points.", 2, QuantityKind.POINTS),
        ("Rates rose 50 basis points.", 0.5, QuantityKind.POINTS),
        ("占比百分之五。", 5, QuantityKind.PERCENT),
        ("增长百分之三十点五。", 30.5, QuantityKind.PERCENT),
        ("提高6个百分点。", 6, QuantityKind.POINTS),
        ("提高6個百分點。", 6, QuantityKind.POINTS),
        ("降低了三成。", 30, QuantityKind.PERCENT),
        ("七成六的企业", 76, QuantityKind.PERCENT),
        ("千分之五", 0.5, QuantityKind.PERCENT),
        ("占５０％。", 50, QuantityKind.PERCENT),
    ],
)
def test_percent_and_points(text: str, value: float, kind: QuantityKind) -> None:
    q = only(text)
    assert (q.value, q.kind) == (pytest.approx(value), kind)
    assert q.unit == ("%" if kind is QuantityKind.PERCENT else None)


@pytest.mark.parametrize(
    ("text", "value", "high", "unit"),
    [
        ("Growth of 3-5% is expected.", 3, 5, "%"),
        ("Growth of 3%-5% is expected.", 3, 5, "%"),
        ("Growth of 3–5% is expected.", 3, 5, "%"),
        ("It is between 3 and 5 per cent.", 3, 5, "%"),
        ("Output of 1.5-2 million tonnes.", 1_500_000, 2_000_000, "t"),
        ("Prices of 200 to 250 yuan/t.", 200, 250, "CNY/t"),
        ("产量300-400万吨。", 3_000_000, 4_000_000, "t"),
        ("价格在5000~6000元/吨。", 5000, 6000, "CNY/t"),
    ],
)
def test_ranges(text: str, value: float, high: float, unit: str) -> None:
    q = only(text)
    assert (q.value, q.value_high, q.unit) == (pytest.approx(value), pytest.approx(high), unit)


@pytest.mark.parametrize(
    ("text", "approx"),
    [
        ("about 5,000 tonnes", Approx.ABOUT),
        ("around 5,000 tonnes", Approx.ABOUT),
        ("approximately 6,140 mt", Approx.ABOUT),
        ("some 300 tonnes", Approx.ABOUT),
        ("roughly $4 billion", Approx.ABOUT),
        ("nearly 40%", Approx.UNDER),
        ("almost 40%", Approx.UNDER),
        ("less than 40%", Approx.UNDER),
        ("under 40%", Approx.UNDER),
        ("more than 60pc", Approx.OVER),
        ("over 60pc", Approx.OVER),
        ("above 60pc", Approx.OVER),
        ("exceeding 60pc", Approx.OVER),
        ("in excess of 10,000t", Approx.OVER),
        ("约5万吨", Approx.ABOUT),
        ("大约5万吨", Approx.ABOUT),
        ("5万吨左右", Approx.ABOUT),
        ("超过5万吨", Approx.OVER),
        ("逾5万吨", Approx.OVER),
        ("300多万吨", Approx.OVER),
        ("5万余吨", Approx.OVER),
        ("近5万吨", Approx.UNDER),
        ("不足5万吨", Approx.UNDER),
        ("不到5万吨", Approx.UNDER),
    ],
)
def test_approximations(text: str, approx: Approx) -> None:
    assert only(text).approx is approx


def test_more_than_three_million_tonnes_in_chinese() -> None:
    q = only("300多万吨")
    assert (q.value, q.unit, q.approx) == (3_000_000, "t", Approx.OVER)


@pytest.mark.parametrize(
    ("text", "value", "signed"),
    [
        ("+50.76%", 50.76, True),
        ("-5000", -5000, True),
        ("a change of −3.2%", -3.2, True),
        ("负3.9%", -3.9, True),
        ("up 5%", 5, False),
        ("3-5 tonnes", 3, False),
    ],
)
def test_signs_written_in_the_text(text: str, value: float, signed: bool) -> None:
    q = only(text)
    assert (q.value, q.signed) == (pytest.approx(value), signed)


def test_year_is_not_fused_with_the_quantity_after_it() -> None:
    assert values("in 2024 135,000 tonnes were sold") == [(2024, None), (135_000, "t")]


def test_year_is_not_the_low_end_of_a_range_or_a_tonnage() -> None:
    found = read_quantities("imports rose by 23pc from 2019 to 35,539t last year")
    assert [(q.value, q.unit, q.value_high) for q in found] == [
        (23, "%", None),
        (2019, None, None),
        (35_539, "t", None),
    ]


def test_a_year_earlier_is_not_a_capacity() -> None:
    assert only("down from 13,079t a year earlier").unit == "t"


def test_date_parts_are_not_a_range() -> None:
    assert [q.value_high for q in read_quantities("on 2025-10-20 the ban began")] == [None, None, None]


def test_from_x_to_y_gives_both_numbers_the_unit() -> None:
    assert values("rose from 5,000 to 6,000 tonnes") == [(5000, "t"), (6000, "t")]


def test_a_count_of_quarters_is_not_a_fraction() -> None:
    assert values("in the first three quarters of 2025") == [(3, None), (2025, None)]


def test_full_width_digits_keep_offsets() -> None:
    text = "出口１２３４吨"
    q = only(text)
    assert (q.value, q.start, q.end, q.text) == (1234, 2, 7, "１２３４吨")


def test_full_width_comma_separates_numbers() -> None:
    assert [q.value for q in read_quantities("$20，300美圆")] == [20, 300]


def test_lone_yi_inside_words_is_skipped() -> None:
    assert read_quantities("统一市场，进一步推进") == []


def test_five_m_alone_is_not_five_million() -> None:
    assert values("a 5m deep pit") == [(5, None)]


def test_a_plot_of_land_is_not_money() -> None:
    assert [q.unit for q in read_quantities("一块地")] == []


def test_section_number_before_a_year_is_two_numbers() -> None:
    assert [q.value for q in read_quantities("图2.2019年中国镁产品出口结构")] == [2, 2019]


def test_unit_on_the_next_line() -> None:
    assert values("Investment: 17.5 trillion\nYuan") == [(17_500_000_000_000, "CNY")]


def test_currency_in_parentheses_before_a_price() -> None:
    q = read_quantities("at Chinese renminbi (Rmb) 5,000/tonne")[0]
    assert (q.text, q.value, q.unit) == ("(Rmb) 5,000/tonne", 5000, "CNY/t")


@pytest.mark.parametrize(
    ("text", "at", "role"),
    [
        ("in 2024 sales rose", "2024", NumberRole.YEAR),
        ("the N52SH grade", "52", NumberRole.GRADE),
        ("under HS code 28469019 imports", "28469019", NumberRole.CODE),
        ("it ranked 3rd", "3", NumberRole.ORDINAL),
        ("排名第3位", "3", NumberRole.ORDINAL),
        ("on 2025-09-16 it began", "09", NumberRole.DATE),
        ("9月16日起", "16", NumberRole.DATE),
        ("99.95% purity", "99.95%", NumberRole.GRADE),
        ("flake, 94-97% C, +80 mesh", "94-97%", NumberRole.GRADE),
        ("flake, 94-97% C, +80 mesh", "+80", NumberRole.GRADE),
        ("Zhongke (300224.SZ) said", "300224", NumberRole.CODE),
        ("exports of 5,000 tonnes", "5,000 tonnes", None),
    ],
)
def test_number_roles(text: str, at: str, role: NumberRole | None) -> None:
    q = next(q for q in read_quantities(text) if q.text == at)
    assert number_role(text, q) is role


def test_spans_index_the_text_exactly() -> None:
    text = "China's exports were 20,836 mt in Sept, down 11.0% MoM; 出口量为1.1万吨，同比增长5.2%。"
    found = read_quantities(text)
    assert [q.text for q in found] == ["20,836 mt", "11.0%", "1.1万吨", "5.2%"]
    for q in found:
        assert text[q.start : q.end] == q.text


def test_empty_and_numberless_text() -> None:
    assert read_quantities("") == []
    assert read_quantities("No numbers here at all.") == []


def test_capital_m_after_a_currency_is_million() -> None:
    from assay.extract.numbers.reader import read_quantities

    values = [(q.value, q.unit) for q in read_quantities("revenue of $53.6M and a loss of US$12M, 5 MW")]
    assert values[:2] == [(53_600_000.0, "USD"), (12_000_000.0, "USD")]


def test_trade_press_yn_is_the_yuan() -> None:
    (price, *_) = read_quantities("Flake prices were Yn3,600-4,100/t on 12 May.")
    assert (price.value, price.value_high, price.unit) == (3600, 4100, "CNY/t")
    assert read_quantities("Glyn 300 t")[0].unit == "t"
