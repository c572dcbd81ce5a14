"""Market reports: the summary's numbers cite their statements, charts are drawn, PDFs read as a person
would (pdftotext for the words, pdftoppm for the pages), Chinese renders with a CJK font."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from publish_helpers import magnesium_market

from assay.model import Event, Stance
from assay.publish.report import (
    chart_images,
    render_report,
    report_body_html,
    report_html,
    report_json,
    report_markdown,
)
from assay.publish.report_data import ReportOptions, gather_report
from assay.store.db import Store
from assay.store.events import record_events
from assay.vocab import commodities
from knowledge_base import KnowledgeBase, make_fact

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils is not installed (apt-get install poppler-utils)",
)


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "report") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def pdf_pages(pdf: bytes, tmp_path: Path, name: str) -> list[Path]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / name)], check=True, timeout=120)
    return sorted(tmp_path.glob(f"{name}-*.png"))


def test_the_summary_states_the_figures_with_their_citations(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions(format="md"))
    production = next(s for s in data.summary if "900,000 t" in s)
    assert production.startswith("China produced 900,000 t of primary magnesium metal in 2023[")
    assert "90.0% of the world total[" in production
    by_number = {c.number: c for c in data.citations}
    cited = [int(n) for n in re.findall(r"\[(\d+)\]", production)]
    assert {by_number[n].quote for n in cited} == {
        "China produced 900,000 tonnes in 2023",
        "World output was 1,000,000 tonnes in 2023",
    }
    price = next(s for s in data.summary if "assessed price" in s)
    assert "17,000 CNY/t to 19,000 CNY/t" in price and "from 3 quotes" in price


def test_every_number_in_the_summary_carries_a_citation(sample_store: Store) -> None:
    for commodity in ("magnesium", "rare_earths", "graphite"):
        with sample_store.session() as session:
            data = gather_report(session, commodity, ReportOptions(format="md"))
        assert data.citations, commodity
        for sentence in data.summary:
            if re.search(r"\d[\d,.]* (t|CNY/t)\b|\d%", sentence):
                assert re.search(r"\[\d+\]", sentence), sentence
        numbers = {int(n) for s in data.summary for n in re.findall(r"\[(\d+)\]", s)}
        assert numbers <= {c.number for c in data.citations}


def test_charts_show_shares_exports_destinations_and_prices(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions())
    assert data.shares is not None and [row.geo for row in data.shares.rows] == ["CN", "KZ", "IL"]
    assert [p.label for p in data.exports] == ["2024-01", "2024-02", "2024-03"]
    assert [(p.label, p.value) for p in data.destinations] == [("NL", 12_000), ("TR", 8_000)]
    assert data.prices is not None and data.prices.assessment is not None
    assert (data.prices.assessment.low, data.prices.assessment.high) == (17_000, 19_000)
    svgs = chart_images(data)
    assert len(svgs) == 4 and all(svg.startswith("<svg") for svg in svgs)
    assert "production share by country, 2023" in svgs[0] and "Netherlands" in svgs[2]


def test_contradictions_and_the_sources_appendix(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions(format="md"))
    assert len(data.contradictions) == 1 and data.contradictions[0].period == "2024-01"
    text = report_markdown(data)
    assert "## Open contradictions" in text and "blog-post says 40,000" in text
    assert "<https://customs.example.com/2024-03>" in text and "“January exports were 20,000 t”" in text


def test_an_empty_store_gives_a_report_that_says_so(store: Store) -> None:
    text = render_report(store, "graphite", ReportOptions(format="md"))
    assert isinstance(text, str) and "Nothing stored yet." in text


def test_since_leaves_out_earlier_facts(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions(since="2024"))
    assert data.shares is None  # the production figures are of 2023
    assert data.exports


@needs_poppler
def test_the_pdf_reads_as_a_report(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    magnesium_market(kb)
    pdf = render_report(store, "magnesium", ReportOptions(format="pdf"))
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    flat = " ".join(text.split())
    assert "Primary magnesium metal: market report" in flat
    assert "China produced 900,000 t of primary magnesium metal in 2023" in flat
    # the charts' words are text in the PDF: the charts are there
    for title in ("production share by country, 2023", "Exports by period", "Exports by destination, 2024-03"):
        assert title in flat, title
    assert "price history (CNY/t) with the assessment band" in flat
    # the sources appendix: titles, URLs and quotes
    assert "https://customs.example.com/2024-03" in flat and "“China produced 900,000 tonnes in 2023”" in flat
    pages = pdf_pages(pdf, tmp_path, "en")
    assert len(pages) >= 2 and all(p.stat().st_size > 5_000 for p in pages)


@needs_poppler
def test_a_chinese_report_is_written_and_rendered_in_chinese(sample_store: Store, tmp_path: Path) -> None:
    pdf = render_report(sample_store, "rare_earths", ReportOptions(format="pdf", lang="zh"))
    assert isinstance(pdf, bytes)
    flat = "".join(pdf_text(pdf, tmp_path, "zh").split())
    for words in ("稀土市场报告", "摘要", "关键数据", "政策与事件时间线", "资料来源", "2023年中国稀土产量为240,000吨"):
        assert words in flat, words
    fonts = subprocess.run(["pdffonts", str(tmp_path / "zh.pdf")], capture_output=True, check=True, timeout=60)
    assert b"CJK" in fonts.stdout  # the Chinese text is set in a CJK font, not boxes
    assert pdf_pages(pdf, tmp_path, "zh")


@needs_poppler
def test_every_commodity_of_the_sample_corpus_gets_a_pdf(sample_store: Store, tmp_path: Path) -> None:
    for commodity in ("magnesium", "magnesia", "graphite", "rare_earths", "rare_earth_magnets"):
        with sample_store.session() as session:
            data = gather_report(session, commodity, ReportOptions())
        html = report_html(data)
        assert html.count("<svg") >= 1, commodity
        pdf = render_report(sample_store, commodity, ReportOptions())
        assert isinstance(pdf, bytes)
        flat = " ".join(pdf_text(pdf, tmp_path, commodity).split())
        for figure in data.key_figures[:3]:
            assert f"{figure.value:,.0f}" in flat, (commodity, figure)


def test_the_body_for_other_pages_has_charts_as_images_and_only_web_links(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    kb.doc("odd", make_fact(31_000, "March exports were 31,000 t", period="2024-03"), url="javascript:alert(1)")
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions(format="html"))
    body = report_body_html(data, charts_as_images=True)
    assert "<html" not in body and "<style" not in body and "<svg" not in body
    assert body.count('<img alt="" src="data:image/svg+xml;base64,') == 4
    assert 'href="javascript:' not in body and 'href="https://customs.example.com/2024-03"' in body


def test_the_report_as_json_cites_what_it_lists(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        payload = report_json(gather_report(session, "magnesium", ReportOptions()))
    as_json = json.loads(json.dumps(payload))
    numbers = {s["number"] for s in as_json["sources"]}
    cited = {n for f in as_json["key_figures"] for n in f["cites"]} | {
        n for r in as_json["exports"] for n in r["cites"]
    }
    assert cited <= numbers and as_json["price_assessment"]["low"] == 17_000
    assert as_json["production_shares"]["rows"][0] == {"geo": "CN", "value": 900_000, "share": 90.0, "cites": [1]}


def test_shares_choose_between_forms_without_comparing_none(kb: KnowledgeBase, store: Store) -> None:
    kb.doc(
        "two-forms",
        *(
            make_fact(v, f"{g} made {v} t", metric="production", geo=g, period="2023")
            for g, v in (("CN", 9), ("KZ", 1))
        ),
        *(
            make_fact(v, f"{g} metal {v} t", metric="production", geo=g, period="2023", form="metal")
            for g, v in (("CN", 8), ("IL", 2), ("RU", 1))
        ),
    )
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions())
    assert data.shares is not None and [row.geo for row in data.shares.rows] == ["CN", "IL", "RU"]


def test_every_commodity_of_the_vocabulary_gets_a_report(sample_store: Store) -> None:
    for commodity in commodities():
        for lang in ("en", "zh"):
            text = render_report(sample_store, commodity, ReportOptions(format="md", lang=lang))
            assert isinstance(text, str) and text.startswith("# "), (commodity, lang)


def test_a_long_timeline_lists_the_latest_events_and_counts_the_rest(kb: KnowledgeBase, store: Store) -> None:
    doc_id = kb.doc("wire", make_fact(1, "placeholder"))
    events = [
        Event(
            doc="wire",
            type="export_control",
            actor=f"CN:BODY{n}",
            commodities=("magnesium",),
            date=f"{2000 + n}",
            stance=Stance.TIGHTEN,
            quote=f"rule number {n} was announced",
        )
        for n in range(35)
    ]
    with store.transaction() as session:
        record_events(session, doc_id, events)
    with store.session() as session:
        data = gather_report(session, "magnesium", ReportOptions(format="md"))
    assert data.n_events == 35 and [e.date for e in data.timeline] == [str(2000 + n) for n in range(5, 35)]
    assert "The latest 30 of 35 events" in report_markdown(data)
    assert any(s.startswith("35 policy and market events are on record; the latest") for s in data.summary)
