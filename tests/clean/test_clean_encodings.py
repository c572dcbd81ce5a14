"""Encodings the detector confuses: short GBK (read as Korean or Big5), short Big5, Latin-1 without
a declared charset (read as Central European), and mixed texts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assay.clean import clean_document
from assay.clean.characters import decode_bytes
from assay.sources import RawDocument

SHORT_SIMPLIFIED = [
    "石墨价格",
    "出口增长",
    "稀土永磁",
    "中国镁业协会",
    "镁锭出口",
    "石墨电极",
    "锂电池负极材料",
    "氧化镁",
    "稀土",
]
SHORT_TRADITIONAL = ["稀土出口管制", "鎂錠價格上漲", "中國稀土行業協會", "石墨電極", "氧化鎂", "鎂價，上漲。"]
LATIN = [
    "Société Générale: Müller über Größe, año, crème brûlée, naïve façade",
    "Le prix du magnésium a augmenté à 2 300 euros la tonne à Québec.",
]


@pytest.mark.parametrize("text", SHORT_SIMPLIFIED)
def test_short_gbk_is_read_as_chinese_not_korean(text: str) -> None:
    decoded, encoding = decode_bytes(text.encode("gbk"))
    assert decoded == text
    assert encoding == "gb18030"


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_big5_stays_big5(text: str) -> None:
    decoded, _ = decode_bytes(text.encode("big5"))
    assert decoded == text


@pytest.mark.parametrize("text", LATIN)
def test_latin1_html_without_a_charset_is_windows_1252_not_central_european(text: str) -> None:
    markup = f"<html><body><article><p>{text}</p></article></body></html>".encode("latin-1")
    decoded, encoding = decode_bytes(markup)
    assert text in decoded
    assert encoding == "cp1252"
    raw = RawDocument("p", "p.html", markup, "html", None, datetime.now(UTC), None)
    assert text in clean_document(raw).clean_text


def test_cyrillic_is_still_detected() -> None:
    text = "Цена магния выросла на 5 процентов в мае, сообщили трейдеры."
    assert decode_bytes(text.encode("cp1251"))[0] == text


def test_long_gbk_and_utf8_are_unchanged() -> None:
    text = "本周府谷地区镁锭主流成交价格为每吨一万六千八百元，较上周上涨二百元。" * 20
    assert decode_bytes(text.encode("gbk"))[0] == text
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
