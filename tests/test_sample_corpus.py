"""The bundled sample corpus (src/assay/sample): documents, index, gold facts and gold events agree.

These tests read the corpus the way a person checking it would: every indexed document exists,
every quote of the gold files is in its document's text, every id is one of our vocabularies, the
binary documents are what scripts/build_sample.py makes, and the syndicated copy is a near-duplicate.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import docx
import lxml.html
import pycountry
import pypdf
import pytest
from pptx import Presentation

from assay.extract.events.lexicon import EVENT_TYPES
from assay.model import Approx, Basis, Period, Stance
from assay.vocab import commodities, metrics, places, units

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "src" / "assay" / "sample"
FORMATS = {".txt", ".md", ".html", ".pdf", ".pptx", ".docx"}
ORIGINAL, SYNDICATED = "eb-liaoning-consolidation", "mp-liaoning-magnesite-plan"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def documents() -> dict[str, Path]:
    return {p.stem: p for p in sorted(SAMPLE.rglob("*")) if p.suffix in FORMATS and p.name != "README.md"}


@cache
def index() -> dict[str, dict[str, Any]]:
    return {line["doc"]: line for line in read_jsonl(SAMPLE / "index.jsonl")}


def gold_facts() -> list[dict[str, Any]]:
    return read_jsonl(SAMPLE / "gold.jsonl")


def gold_events() -> list[dict[str, Any]]:
    return read_jsonl(SAMPLE / "events.jsonl")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pptx_slides(path: Path) -> list[str]:
    """One text per slide: text frames, then table rows with cells joined by ' | '."""
    slides = []
    for slide in Presentation(str(path)).slides:
        parts: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(" | ".join(cell.text for cell in row.cells) for row in shape.table.rows)
        slides.append("\n".join(parts))
    return slides


def docx_text(path: Path) -> str:
    """Paragraphs, then table rows with cells joined by ' | '."""
    document = docx.Document(str(path))
    rows = [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join([*(paragraph.text for paragraph in document.paragraphs), *rows])


def plain_text(path: Path) -> str:
    """UTF-8, or GB18030 for the Chinese page that a GBK site serves."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def html_text(path: Path) -> str:
    return squash(lxml.html.fromstring(path.read_bytes()).text_content())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def document_text(stem: str) -> str:
    path = documents()[stem]
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".pptx":
        return "\n".join(pptx_slides(path))
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".html":
        return html_text(path)
    return plain_text(path)


def quote_found(stem: str, quote: str) -> bool:
    text = document_text(stem)
    if documents()[stem].suffix == ".html":
        return squash(quote) in text
    return quote in text


def options(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def valid_geo(code: str) -> bool:
    if code.startswith("company:"):
        return bool(re.fullmatch(r"company:[a-z0-9]+(-[a-z0-9]+)*", code))
    if code in places():
        return True
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def valid_actor(actor: str) -> bool:
    if valid_geo(actor):
        return True
    geo, _, body = actor.partition(":")
    return bool(body) and valid_geo(geo) and bool(re.fullmatch(r"[A-Z][A-Z_]*", body))


@cache
def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_sample", REPO / "scripts" / "build_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def article_text(path: Path) -> str:
    """The article's own paragraphs: <p> without a class inside <article> or the story <div>."""
    tree = lxml.html.fromstring(path.read_bytes())
    paragraphs = tree.xpath("//article/p[not(@class)] | //div[@class='story']/p[not(@class)]")
    return " ".join(squash(p.text_content()) for p in paragraphs)


def test_package_ships_the_corpus() -> None:
    package = resources.files("assay.sample")
    assert package.joinpath("index.jsonl").is_file()
    assert package.joinpath("gold.jsonl").is_file()
    assert package.joinpath("events.jsonl").is_file()


def test_size_languages_and_formats() -> None:
    assert len(documents()) >= 25
    langs = Counter(line["lang"] for line in index().values())
    assert langs["zh"] >= 6, langs
    assert {path.suffix for path in documents().values()} == FORMATS


def test_every_document_is_indexed_once_and_every_index_line_has_a_document() -> None:
    top = read_jsonl(SAMPLE / "index.jsonl")
    stems = [line["doc"] for line in top]
    assert len(stems) == len(set(stems)), "a doc id is listed twice"
    assert set(stems) == set(documents())


def test_folder_indexes_describe_their_own_folder_and_add_up_to_the_top_index() -> None:
    folder_lines: list[dict[str, Any]] = []
    for folder_index in sorted(SAMPLE.glob("*/index.jsonl")):
        lines = read_jsonl(folder_index)
        in_folder = {p.stem for p in folder_index.parent.iterdir() if p.suffix in FORMATS}
        assert {line["doc"] for line in lines} == in_folder, folder_index
        folder_lines.extend(lines)
    assert folder_lines == read_jsonl(SAMPLE / "index.jsonl"), "run scripts/build_sample.py --index-only"


@pytest.mark.parametrize("stem", sorted(index()))
def test_index_line_is_complete(stem: str) -> None:
    line = index()[stem]
    assert re.fullmatch(r"https://[a-z0-9.-]+\.example\.(com|org)/\S+", line["url"]), line["url"]
    assert line["title"].strip()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line["published"])
    assert line["lang"] in {"en", "zh"}
    assert line["sources"] and all(isinstance(s, str) and s.strip() for s in line["sources"])


@pytest.mark.parametrize("stem", sorted(documents()))
def test_document_length_is_short_but_real(stem: str) -> None:
    text = document_text(stem)
    if index()[stem]["lang"] == "zh":
        size = len(re.findall(r"[\u4e00-\u9fff]", text))
        assert 250 <= size <= 1200, f"{stem}: {size} Chinese characters"
    else:
        size = len(re.findall(r"[A-Za-z]+", text))
        assert 150 <= size <= 700, f"{stem}: {size} words"


def test_gold_is_large_enough_and_labels_every_document() -> None:
    facts, events = gold_facts(), gold_events()
    assert len(facts) >= 150
    assert len(events) >= 30
    labelled = {fact["doc"] for fact in facts}
    assert labelled == set(index()), f"documents without gold facts: {sorted(set(index()) - labelled)}"


def test_every_quote_is_verbatim_in_its_document() -> None:
    missing = [
        (line["doc"], line["quote"])
        for line in gold_facts() + gold_events()
        if line["doc"] not in documents() or not quote_found(line["doc"], line["quote"])
    ]
    assert not missing


def test_gold_facts_use_our_vocabularies() -> None:
    problems = []
    for fact in gold_facts():
        checks = {
            "commodity": all(c in commodities() for c in options(fact["commodity"])),
            "metric": all(m in metrics() for m in options(fact["metric"])),
            "unit": all(u in units() for u in options(fact["unit"])),
            "geo": all(valid_geo(g) for g in options(fact["geo"])),
            "partner": all(valid_geo(g) for g in options(fact.get("partner", "CN"))),
            "share_of": all(valid_geo(g) for g in options(fact.get("share_of", "CN"))),
            "basis": all(b in {x.value for x in Basis} for b in options(fact["basis"])),
            "approx": fact.get("approx") in {None, *(x.value for x in Approx)},
            "period": all(p is None or Period.parse(p) for p in options(fact["period"])),
            "value": isinstance(fact["value"], int | float) and fact.get("value_high", fact["value"]) >= fact["value"],
            "shares": any(m.endswith("_share") for m in options(fact["metric"])) == ("share_of" in fact),
        }
        problems.extend((fact["doc"], fact["quote"], name) for name, ok in checks.items() if not ok)
    assert not problems


def test_gold_events_use_our_vocabularies() -> None:
    problems = []
    for event in gold_events():
        checks = {
            "type": all(t in EVENT_TYPES for t in options(event["type"])),
            "actor": all(valid_actor(a) for a in options(event["actor"])),
            "commodities": bool(event["commodities"]) and all(c in commodities() for c in event["commodities"]),
            "stance": all(s in {x.value for x in Stance} for s in options(event["stance"])),
            "date": all(d is None or Period.parse(d) for d in options(event["date"])),
            "geo": event.get("geo") is None or valid_geo(event["geo"]),
        }
        problems.extend((event["doc"], event["quote"], name) for name, ok in checks.items() if not ok)
    assert not problems


def test_built_pdf_pptx_and_docx_match_the_build_script(tmp_path: Path) -> None:
    build = load_build_script()
    build.build_pdf(tmp_path / build.PDF_NAME)
    build.build_pptx(tmp_path / build.PPTX_NAME)
    build.build_docx(tmp_path / build.DOCX_NAME)
    reports = SAMPLE / "reports"
    assert pdf_text(tmp_path / build.PDF_NAME) == pdf_text(reports / build.PDF_NAME)
    assert pptx_slides(tmp_path / build.PPTX_NAME) == pptx_slides(reports / build.PPTX_NAME)
    assert docx_text(tmp_path / build.DOCX_NAME) == docx_text(reports / build.DOCX_NAME)


def test_one_chinese_page_is_not_utf8() -> None:
    """A GBK-encoded page keeps encoding detection honest on the demo corpus."""
    not_utf8 = []
    for stem, path in documents().items():
        if path.suffix in {".txt", ".md"}:
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                not_utf8.append(stem)
    assert not_utf8 and all(index()[stem]["lang"] == "zh" for stem in not_utf8)


def test_pdf_and_pptx_carry_a_watermark_on_every_page() -> None:
    build = load_build_script()
    pages = pypdf.PdfReader(SAMPLE / "reports" / build.PDF_NAME).pages
    assert len(pages) >= 3
    assert all(build.PDF_WATERMARK in page.extract_text() for page in pages)
    slides = pptx_slides(SAMPLE / "reports" / build.PPTX_NAME)
    assert len(slides) >= 3
    assert all(build.PPTX_WATERMARK in slide for slide in slides)


def test_html_pages_of_a_site_share_their_boilerplate() -> None:
    for site in ("exporter-blog", "metals-portal"):
        pages = sorted((SAMPLE / site).glob("*.html"))
        assert len(pages) >= 3, site
        line_sets = [{squash(line) for line in page.read_text(encoding="utf-8").splitlines()} for page in pages]
        shared = set.intersection(*line_sets)
        assert any("cookie" in line.lower() for line in shared), site
        assert any("<nav" in line for line in shared), site


def test_syndicated_copy_is_a_near_duplicate_of_its_original() -> None:
    original, copy = documents()[ORIGINAL], documents()[SYNDICATED]
    a, b = shingles(article_text(original)), shingles(article_text(copy))
    assert len(a & b) / len(a | b) > 0.8
    assert index()[ORIGINAL]["url"] != index()[SYNDICATED]["url"]
    assert index()[ORIGINAL]["title"] != index()[SYNDICATED]["title"]
