"""Each format to clean text, from real files built in the test, and bad input as one-line CleanErrors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader, PdfWriter

from assay.clean import CleanError, clean_document
from assay.sources import RawDocument, SourceOptions, iter_sources

WATERMARK = "Downloaded from slides-market.example, do not redistribute"


def _raw(folder: Path, data: bytes, content_type: str, name: str = "doc") -> RawDocument:
    """Write the bytes as a real file and read it back through the sources stage."""
    path = folder / f"{name}.{content_type}"
    path.write_bytes(data)
    [item] = list(iter_sources([str(path)], SourceOptions()))
    assert isinstance(item, RawDocument), item
    return item


def _pdf(pages: list[list[str]]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.cell(0, 8, "Quarterly Magnesia Review - Confidential", new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 8, f"Page {number} of {len(pages)}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


PDF_PAGES = [
    ["Dead-burned magnesia exports reached 1.2 million tonnes in 2023."],
    ["Fused magnesia prices in Dashiqiao averaged 2,900 yuan per tonne."],
    ["Liaoning holds about 85% of China's magnesite reserves."],
]


def test_pdf_pages_lose_their_running_header_and_page_numbers(tmp_path: Path) -> None:
    doc = clean_document(_raw(tmp_path, _pdf(PDF_PAGES), "pdf"))
    for [sentence] in PDF_PAGES:
        assert sentence in doc.clean_text
    assert "Confidential" not in doc.clean_text
    assert "Page 2 of 3" not in doc.clean_text
    assert any(step.startswith("drop-page-repeats:") for step in doc.cleaning_steps)
    assert doc.lang == "en"


def test_encrypted_pdf_is_a_clean_error(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(PDF_PAGES))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(CleanError) as caught:
        clean_document(_raw(tmp_path, buffer.getvalue(), "pdf", "locked"))
    assert "encrypted PDF" in caught.value.reason
    assert str(caught.value).startswith(f"{tmp_path / 'locked.pdf'}: ")
    assert "\n" not in str(caught.value)


def test_broken_pdf_is_a_clean_error(tmp_path: Path) -> None:
    data = _pdf(PDF_PAGES)
    for broken in (data[: len(data) // 3], b"%PDF-1.7\n" + os.urandom(300)):
        with pytest.raises(CleanError) as caught:
            clean_document(_raw(tmp_path, broken, "pdf", "broken"))
        assert "PDF" in caught.value.reason
        assert "\n" not in str(caught.value)


def _pptx() -> bytes:
    deck = Presentation()
    layout = deck.slide_layouts[5]  # title only
    contents = [
        ("China magnesite", "Liaoning produced about 18 million tonnes of magnesite in 2020."),
        ("Prices", "Fused magnesia 97% traded at 3,100 yuan per tonne."),
        ("Outlook", "Consolidation of Haicheng producers continues."),
    ]
    for title, body in contents:
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = title
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
        box.text_frame.text = body
        mark = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(8), Inches(0.5))
        mark.text_frame.text = WATERMARK
    table_slide = deck.slides.add_slide(layout)
    table_slide.shapes.title.text = "Exports by product"
    table = table_slide.shapes.add_table(3, 3, Inches(1), Inches(2), Inches(8), Inches(2)).table
    for r, row in enumerate([("Product", "2023 (t)", "YoY"), ("镁锭", "243,000", "13.45%"), ("Alloy", "0", "0")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def test_pptx_slides_tables_and_watermark(tmp_path: Path) -> None:
    doc = clean_document(_raw(tmp_path, _pptx(), "pptx", "deck"))
    assert "Liaoning produced about 18 million tonnes of magnesite in 2020." in doc.clean_text
    assert "| 镁锭 | 243,000 | 13.45% |" in doc.clean_text.split("\n")
    assert "| Alloy | 0 | 0 |" in doc.clean_text.split("\n")
    assert WATERMARK not in doc.clean_text


def test_truncated_pptx_is_a_clean_error(tmp_path: Path) -> None:
    data = _pptx()
    with pytest.raises(CleanError) as caught:
        clean_document(_raw(tmp_path, data[: len(data) // 2], "pptx", "cut"))
    assert "PPTX" in caught.value.reason
    assert "\n" not in str(caught.value)


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Graphite market note", level=1)
    document.add_paragraph("Flake graphite exports stood at 9,423 tonnes in February.")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("Grade", "Price (USD/t)", "Change"), ("-194 94%", "780", "+20")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Spherical graphite demand kept rising.")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = clean_document(_raw(tmp_path, buffer.getvalue(), "docx", "note"))
    lines = doc.clean_text.split("\n")
    assert "| -194 94% | 780 | +20 |" in lines
    assert lines.index("| -194 94% | 780 | +20 |") < lines.index("Spherical graphite demand kept rising.")
    assert doc.title == "Graphite market note"


def test_gbk_html_without_charset_is_decoded(tmp_path: Path) -> None:
    page = (
        "<html><head><title>镁价周报</title></head><body><nav>首页 | 新闻 | 价格</nav><article>"
        "<p>本周府谷地区镁锭主流成交价格为每吨一万六千八百元，较上周上涨二百元，市场成交氛围有所好转。</p>"
        "<p>出口方面，九月镁锭出口量为两万三千吨，同比增长百分之十二，主要流向荷兰、土耳其和加拿大。</p>"
        "</article></body></html>"
    )
    doc = clean_document(_raw(tmp_path, page.encode("gbk"), "html", "gbk-page"))
    assert "本周府谷地区镁锭主流成交价格" in doc.clean_text
    assert doc.lang == "zh"
    assert doc.title == "镁价周报"
    assert "nfkc" in doc.cleaning_steps  # full-width commas became ASCII
    assert "，" not in doc.clean_text


def test_html_metadata_title_and_date(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Site | Home</title><meta property='og:title' content='Magnesium exports rise'>"
        "<meta property='article:published_time' content='2024-03-05T08:00:00+08:00'></head><body><article>"
        "<p>China exported 38,000 tonnes of magnesium ingot in February 2024, up 12.5% from a year earlier.</p>"
        "<table><tr><th>Product</th><th>t</th></tr><tr><td>Ingot</td><td>38,000</td></tr></table>"
        "</article></body></html>"
    )
    doc = clean_document(_raw(tmp_path, page.encode(), "html", "page"))
    assert doc.title == "Magnesium exports rise"
    assert doc.published == "2024-03-05"
    assert any("Ingot | 38,000 |" in line for line in doc.clean_text.split("\n"))


def test_html_with_no_article_falls_back_to_visible_text(tmp_path: Path) -> None:
    page = "<html><body><div>镁锭 16800</div><div>硅铁 6500</div><script>var x = 1;</script></body></html>"
    doc = clean_document(_raw(tmp_path, page.encode(), "html", "tiny"))
    assert "镁锭 16800" in doc.clean_text
    assert "var x" not in doc.clean_text


def test_big5_text_is_decoded(tmp_path: Path) -> None:
    text = (
        "二零一九年，鎂錠出口量累計二十四點三萬噸，同比增長百分之十三。\n中國是全球最大的鎂生產國，府谷是主要產區。\n"
    )
    doc = clean_document(_raw(tmp_path, text.encode("big5"), "txt", "big5"))
    assert "鎂錠出口量累計" in doc.clean_text
    assert doc.lang == "zh"


def test_binary_junk_named_txt_is_not_text(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 8
    with pytest.raises(CleanError) as caught:
        clean_document(_raw(tmp_path, junk, "txt", "junk"))
    assert caught.value.reason.startswith("not text")


def test_markdown_syntax_is_removed_and_tables_kept(tmp_path: Path) -> None:
    text = (
        "# Rare earth quotas\n\nThe **first batch** of [2024 quotas](https://example.com) was 135,000 t.\n\n"
        "| Quota | 2024 (t) |\n|---|---|\n| Mining | 135,000 |\n"
    )
    doc = clean_document(_raw(tmp_path, text.encode(), "md", "quotas"))
    assert doc.title == "Rare earth quotas"
    assert "The first batch of 2024 quotas was 135,000 t." in doc.clean_text
    lines = doc.clean_text.split("\n")
    # header and body stay adjacent: a blank line between them would end the table for its readers
    header = lines.index("| Quota | 2024 (t) |")
    assert lines[header + 1] == "| Mining | 135,000 |"
    assert "---" not in doc.clean_text


def test_text_normalisation_keeps_lines_and_joins_hyphenated_words(tmp_path: Path) -> None:
    text = "Liaoning  magne-\nsite output\tfell.\r\n\r\n\r\n\r\n２０２３年产量为１８００万吨（约）\n镁锭 | 13.45% |\n"
    doc = clean_document(_raw(tmp_path, text.encode(), "txt", "norm"))
    assert doc.clean_text.split("\n") == [
        "Liaoning magnesite output | fell.",
        "",
        "2023年产量为1800万吨(约)",
        "镁锭 | 13.45% |",
    ]
    assert "dehyphenate" in doc.cleaning_steps and "nfkc" in doc.cleaning_steps


def test_html_byline_date_outside_the_main_text_is_found(tmp_path: Path) -> None:
    paragraph = "<p>Magnesia prices in Dashiqiao held at 3,100 yuan per tonne as kilns stayed shut for checks.</p>"
    page = (
        "<html><head><title>Magnesia weekly</title></head><body><div class='meta'>Posted on: 12 March 2024"
        f"</div><article>{paragraph * 4}</article></body></html>"
    )
    doc = clean_document(_raw(tmp_path, page.encode(), "html", "weekly"))
    assert doc.published == "2024-03-12"


def test_markdown_front_matter_gives_title_and_date(tmp_path: Path) -> None:
    text = "---\ntitle: 'Graphite licences'\ndate: 2023-12-01\n---\n"
    text += "Export licences for graphite took effect on 1 December.\n"
    doc = clean_document(_raw(tmp_path, text.encode(), "md", "licences"))
    assert (doc.title, doc.published) == ("Graphite licences", "2023-12-01")
    assert doc.clean_text == "Export licences for graphite took effect on 1 December."


def test_pinyin_glosses_of_machine_converted_chinese_are_dropped() -> None:
    from assay.clean.characters import normalize_text

    text, steps = normalize_text("據(jù)統計,內(nèi)蒙古產(chǎn)量為3,635噸;镁(Mg)和稀土(REO)不变")
    assert text == "據統計,內蒙古產量為3,635噸;镁(Mg)和稀土(REO)不变" and "pinyin" in steps
