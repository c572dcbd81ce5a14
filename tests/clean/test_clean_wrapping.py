"""Chinese hard-wrapped at a fixed width is joined back; headings, prose and English are left alone."""

from __future__ import annotations

import textwrap
from pathlib import Path

from assay.clean import clean_document
from assay.clean.wrapping import rejoin_wrapped_lines
from assay.extract.facts import extract_facts
from assay.sources import RawDocument, SourceOptions, iter_sources

# our own article, written in one piece and then wrapped at 24 characters as a feed would
ARTICLE = (
    "據海關數據,今年五月中國氧化鎂出口量為十二萬噸,較上月增長百分之八,其中對日本的出口量最大。"
    "業內人士表示,遼寧地區環保檢查導致部分菱鎂礦企業停產,供應偏緊的局面仍將持續一段時間。"
    "與此同時,國內電熔鎂砂價格在過去兩週上漲約百分之五,下游耐火材料廠家的採購意願有所回升。"
)


def _cut(text: str, width: int) -> list[str]:
    return [text[start : start + width] for start in range(0, len(text), width)]


def _wrapped(text: str, width: int, blank_between: bool) -> str:
    lines = _cut(text, width)
    return ("\n\n" if blank_between else "\n").join(lines)


def test_wrapped_lines_are_joined_whether_or_not_blank_lines_separate_them() -> None:
    for blank_between in (True, False):
        text = "氧化鎂出口五月增長\n\n" + _wrapped(ARTICLE, 24, blank_between)
        joined, joins = rejoin_wrapped_lines(text)
        assert joined == "氧化鎂出口五月增長\n\n" + ARTICLE
        assert joins == len(_cut(ARTICLE, 24)) - 1


def test_a_wrapped_line_ending_a_sentence_ends_its_paragraph() -> None:
    first = "今年前五個月中國金屬鎂產量累計達到三十五萬噸左右,府谷地區的產量佔比約六成以上。"  # 40: ends at the width
    second = "另據統計,同期鎂合金出口量為八萬噸,主要流向德國、美國及韓國等地的汽車零部件企業。"
    lines = _cut(first, 20) + _cut(second, 20)
    joined, _ = rejoin_wrapped_lines("\n\n".join(lines))
    assert joined.split("\n\n") == [first, second]


def test_numbered_headings_of_one_length_on_a_web_page_are_not_joined() -> None:
    paragraph = (
        "受環保督察影響,海城和大石橋的多家鎂質材料企業在九月上旬先後停產整頓,市場上菱鎂礦石供應明顯減少,"
        "重燒鎂砂和電熔鎂砂的報價隨之上調,部分企業表示訂單已排到十月底,短期內價格仍有上漲空間。"
    )
    page = "\n".join(
        [
            "1、遼寧發布鎂質耐火材料工業污染物排放地方標準",
            paragraph,
            "2、大石橋環保與安監部門聯合檢查菱鎂礦山企業",
            paragraph.replace("九月", "十月"),
            "3、海城市開展為期一個月的環保領域專項巡察工作",
            paragraph.replace("九月", "八月"),
        ]
    )
    assert rejoin_wrapped_lines(page) == (page, 0)


def test_english_and_unwrapped_chinese_are_left_as_they_are() -> None:
    english = "\n".join(textwrap.wrap("China exported 12,000 tonnes of magnesia in May, up 8% on April. " * 4, 30))
    assert rejoin_wrapped_lines(english) == (english, 0)
    assert rejoin_wrapped_lines(ARTICLE) == (ARTICLE, 0)


def test_a_wrapped_txt_file_cleans_to_whole_sentences_and_its_figure_is_read(tmp_path: Path) -> None:
    text = "稀土永磁出口快訊\n\n" + _wrapped(
        "海關總署周三公布的數據顯示,七月中國稀土永磁體出口量為5577噸,同比增長5.7%,創年內新高。"
        "其中出口到德國的數量最多,美國位居第二,當月出口量為619噸,較上月大幅增長。"
        "分析人士認為,出口許可審批加快是出口回升的主要原因,預計未來數月仍將保持增長。",
        20,
        blank_between=True,
    )
    path = tmp_path / "feed-2025-08-magnets-zh.txt"
    path.write_text(text, encoding="utf-8")
    [raw] = list(iter_sources([str(path)], SourceOptions()))
    assert isinstance(raw, RawDocument)
    doc = clean_document(raw)
    assert "rejoin-wrapped" in doc.cleaning_steps
    assert "稀土永磁體出口量為5577噸" in doc.clean_text
    values = {fact.value for fact in extract_facts(doc)}
    assert 5577 in values and 619 in values
