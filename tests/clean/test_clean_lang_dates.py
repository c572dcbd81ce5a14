"""Language from script ratios, and publication dates from metadata and text."""

from __future__ import annotations

from datetime import date

import pytest

from assay.clean.dates import date_from_text, iso_date
from assay.clean.lang import detect_language

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("China's magnesium ingot exports rose 23.4% in October from September.", "en"),
        ("2019年中国累计出口镁产品45.56万吨，较2018年增长9.47%，达到历史高点。", "zh"),
        ("二零一九年，鎂錠出口量累計二十四點三萬噸，同比增長百分之十三。", "zh"),
        ("NdFeB磁材出口量为5774吨，环比下降6.1%，其中出口至美国的数量明显下降，欧洲需求保持强劲。", "zh"),
        (
            "Investment: 17.5 trillion Yuan for the New Infrastructure Plan (新基建) until 2025, led by new "
            "development concepts and technological innovation.",
            "en",
        ),
        (
            "稀土永磁 Rare earth permanent magnets 出口 exports 同比增长 rose year on year 欧盟 European Union",
            "mixed",
        ),
        ("12,345 | 67.8 |", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_short_menu_lines_do_not_vote() -> None:
    text = "首页\n新闻\n价格\n关于我们\nChina's graphite exports rose 39% in February, customs data showed."
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Views: 2 Author: Site Editor Publish Time: 2025-11-25 Origin: Site\nStrategic Upgrade", "2025-11-25"),
        ("logo\nBlog Details\n\nWhat is new?\n\n2025-08-25\n\nOf course. Here is an overview.", "2025-08-25"),
        ("标题\n发布时间：2021年03月23日 10:00 来源：尚镁网\n正文", "2021-03-23"),
        ("Title\nBy S. Writer\nPublished: Wednesday, 03 September 2014\n\nBody", "2014-09-03"),
        ("Title\n\nPublished: Nov 24, 2022 10:08\nSource: SMM", "2022-11-24"),
        (" date 2025-10-20 China's rare earth magnet exports fell 6.1% in September.", "2025-10-20"),
        ("Headline\n  • 23/02/21", None),  # yy/mm/dd or dd/mm/yy: ambiguous
        ("Headline\n  • 21/13/05", "2005-01-21"),  # only dd/mm/yy... no: mm/dd/yy fails, dd/mm/yy fails, yy/mm/dd fails
        ("On September 16, 2025, MOFCOM clarified the rules.", None),  # an event, not a byline
        ("Published: 2031-05-01\nA date in the future of the fetch is not a publication date.", None),
        ("2021年03月23日\n正文", "2021-03-23"),
    ],
)
def test_date_from_text(text: str, expected: str | None) -> None:
    if "21/13/05" in text:
        # 21/13/05: yy/mm/dd has month 13, dd/mm/yy has month 13, mm/dd/yy has month 21: no reading at all
        expected = None
    assert date_from_text(text, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T08:00:00+08:00", "2024-03-05"),
        ("Tue, 05 Mar 2024 08:00:00 GMT", "2024-03-05"),
        ("2025-08", "2025-08"),
        ("2025", "2025"),
        ("20240305", "2024-03-05"),
        ("2024年3月5日", "2024-03-05"),
        ("yesterday", None),
        ("2030-01-01", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value, TODAY) == expected
