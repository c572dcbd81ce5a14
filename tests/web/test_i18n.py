"""Both catalogues say the same things; numbers, units, dates and places read as each reader expects."""

from __future__ import annotations

import re

import pytest

from assay.web.i18n import LANGUAGES, Locale, catalogue, pick_language


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en) == set(zh)
    for key in en:
        assert re.findall(r"{\w+}", en[key]) == re.findall(r"{\w+}", zh[key]), key


@pytest.mark.parametrize(
    ("value", "unit", "english", "chinese"),
    [
        (1_120_000, "t", "1.12 million t", "112万吨"),
        (4500, "t", "4,500 t", "4,500吨"),
        (250_000_000, "t", "250 million t", "2.5亿吨"),
        (36_580, "CNY/t", "36,580 CNY/t", "3.66万元/吨"),
        (5.2, "pct_yoy", "5.2% y/y", "5.2%（同比）"),
        (1.5e9, "USD", "1.5 billion USD", "15亿美元"),
    ],
)
def test_amounts(value: float, unit: str, english: str, chinese: str) -> None:
    assert Locale("en").amount(value, unit) == english
    assert Locale("zh").amount(value, unit) == chinese


def test_dates_periods_and_places() -> None:
    en, zh = Locale("en"), Locale("zh")
    assert (en.date("2025-03-14"), zh.date("2025-03-14")) == ("14 Mar 2025", "2025年3月14日")
    assert (en.period("2024-Q3"), zh.period("2024-Q3")) == ("Q3 2024", "2024年第三季度")
    assert (en.period("2024-H1"), zh.period("2024-H1")) == ("H1 2024", "2024年上半年")
    assert en.period("2024-01/2024-09") == "Jan 2024–Sep 2024"
    assert (en.place("US"), zh.place("US"), zh.place("CN-LN"), en.place("WORLD")) == (
        "United States", "美国", "辽宁", "World",
    )  # fmt: skip
    assert en.place("company:acme") == "company:acme"
    assert (en.commodity("rare_earths"), zh.commodity("rare_earths")) == ("rare earths in aggregate", "稀土")
    assert (en.event_type("export_control"), zh.event_type("export_control")) == ("export control", "出口管制")


def test_language_choice_order() -> None:
    assert pick_language("zh", "en", "en-GB") == "zh"
    assert pick_language(None, "zh", "en-GB") == "zh"
    assert pick_language(None, None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert pick_language("fr", None, "de-DE") == "en"
    assert set(LANGUAGES) == {"en", "zh"}
