"""Build the binary documents of the bundled sample corpus, and its top-level index.

    python scripts/build_sample.py [--out DIR] [--index-only]

The PDF report, the PPTX deck and the DOCX briefing under src/assay/sample/reports/ are
generated here from the text kept in this script, so that their content can be reviewed as
text and rebuilt after an edit. The PDF and the deck carry a repeated watermark line on every
page or slide, the kind of noise that cleaning must remove. The script also rewrites src/assay/sample/index.jsonl as
the concatenation of the per-folder index files (the scorer reads the top-level one, the
folder reader the per-folder ones), so the two never disagree.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches, Pt

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "src" / "assay" / "sample"
PDF_NAME = "rpt-2025-strategic-minerals-review.pdf"
PPTX_NAME = "deck-2025-magnesia-magnesium.pptx"
DOCX_NAME = "rpt-2022-graphite-briefing.docx"

# Repeated on every PDF page: cleaning should recognise them as page furniture.
PDF_HEADER = "Strategic Minerals Review | Issue 2025/1 | reports.example.org"
PDF_WATERMARK = "Licensed to subscriber copy - do not forward or post online - reports.example.org/smr"
PPTX_WATERMARK = "Internal briefing - not for distribution - decks.example.org"
PDF_LINE_WIDTH = 92  # characters a line; lines are broken here so that the PDF text keeps them


@dataclass(frozen=True)
class Table:
    """A small table: the first row is the header."""

    rows: tuple[tuple[str, ...], ...]


Block = str | Table


@dataclass(frozen=True)
class Page:
    heading: str
    blocks: tuple[Block, ...]


PDF_PAGES: tuple[Page, ...] = (
    Page(
        "Rare earths: quotas keep rising, more slowly",
        (
            "Summary. This issue reviews supply of rare earths, natural graphite, magnesium and magnesite "
            "with the figures of the U.S. Geological Survey (Mineral Commodity Summaries 2024) and the "
            "quotas of China's Ministry of Industry and Information Technology (MIIT).",
            "China caps rare earth output twice over: a mining quota and a smelting and separation quota, "
            "both set in tonnes of rare earth oxide (REO) and issued in one or two batches a year. "
            "The table gives the full-year totals.",
            Table(
                (
                    ("Year", "Mining quota (t REO)", "Smelting and separation quota (t REO)"),
                    ("2020", "140,000", "135,000"),
                    ("2021", "168,000", "162,000"),
                    ("2022", "210,000", "202,000"),
                    ("2023", "255,000", "240,000"),
                    ("2024", "270,000", "254,000"),
                )
            ),
            "The mining quota has almost doubled in four years, but growth slowed sharply in 2024, "
            "when the quota rose 5.9% after 21.4% in 2023. The ion-adsorption (southern) part of the "
            "quota has hardly changed, so the increase has gone to the light rare earths of Inner "
            "Mongolia and Sichuan.",
            "Policy has tightened in other ways. The Regulations on the Administration of Rare Earths, in "
            "force since 1 October 2024, make the quota system a matter of law and require traceability "
            "of products from mine to export.",
        ),
    ),
    Page(
        "Rare earths: mine production outside China grows",
        (
            "The USGS estimates world mine production at 350,000 tonnes of REO in 2023, against 300,000 "
            "tonnes in 2022. Output by country, in tonnes of REO:",
            Table(
                (
                    ("Country", "2022", "2023 (estimate)"),
                    ("China", "210,000", "240,000"),
                    ("United States", "42,000", "43,000"),
                    ("Burma (Myanmar)", "12,000", "38,000"),
                    ("Australia", "18,000", "18,000"),
                    ("Thailand", "7,100", "7,100"),
                    ("World total (rounded)", "300,000", "350,000"),
                )
            ),
            "China's share of world mine output was about 69% in 2023. Reserves: China 44 million tonnes "
            "of REO, the world 110 million tonnes.",
            "Myanmar's output more than tripled, which makes the ion-adsorption clays of Kachin State the "
            "main outside source of heavy rare earths for Chinese separators. Any disruption there reaches "
            "dysprosium and terbium prices within weeks.",
        ),
    ),
    Page(
        "Natural graphite: China's output revised up",
        (
            "The USGS has revised its view of Chinese graphite mining. In the 2023 edition it estimated "
            "China's 2022 output at 850,000 tonnes; the 2024 edition puts the same year at 1,210,000 tonnes, "
            "and 2023 at 1,230,000 tonnes.",
            "World production was 1,600,000 tonnes in 2023, so China mined about 77% of the total. "
            "Chinese reserves are put at 78 million tonnes, out of world reserves of 280 million tonnes.",
            Table(
                (
                    ("Country", "2022", "2023 (estimate)"),
                    ("China", "1,210,000", "1,230,000"),
                    ("Madagascar", "130,000", "100,000"),
                    ("Mozambique", "166,000", "96,000"),
                    ("Brazil", "72,000", "73,000"),
                    ("World total (rounded)", "1,680,000", "1,600,000"),
                )
            ),
            "Export licences for flake and spherical graphite have applied since 1 December 2023. "
            "In 2024, China's exports of natural graphite fell 25.2% to 126,258 tonnes (UN Comtrade).",
        ),
    ),
    Page(
        "Magnesium and magnesite",
        (
            "Magnesium metal: the USGS estimates Chinese smelter production at 830,000 tonnes in 2023, "
            "down from 933,000 tonnes in 2022, out of world production of 940,000 tonnes. That is a share "
            "of about 88%. Nearly all of it comes from Pidgeon-process smelters in Shaanxi, Shanxi, "
            "Ningxia and Inner Mongolia.",
            "The average European price fell to US$3,200 per tonne in 2023 from US$5,206 per tonne in 2022. "
            "U.S. imports of magnesium metal rose to 95,000 tonnes in 2023.",
            "Magnesite: measured as contained magnesium oxide, China mined 13 million tonnes in 2023, out of "
            "a world total of 22 million tonnes. China's reserves are put at 580 million tonnes, against "
            "world reserves of 7.7 billion tonnes. Liaoning province, around Haicheng and Dashiqiao, holds "
            "most of them.",
            "Outlook: consolidation of Liaoning's mines into a few groups this year should steady magnesia "
            "supply, while magnesium depends on power and coal policy in Yulin.",
        ),
    ),
)


@dataclass(frozen=True)
class Slide:
    title: str
    bullets: tuple[str, ...] = ()
    table: Table | None = None


PPTX_SLIDES: tuple[Slide, ...] = (
    Slide(
        "China magnesia and magnesium: the market at a glance (2025)",
        ("Briefing deck for the purchasing team", "Figures: USGS Mineral Commodity Summaries 2024 and industry data"),
    ),
    Slide(
        "Magnesite: the ore behind refractory magnesia",
        (
            "China mined 13 million tonnes of magnesite in 2023 (contained MgO), out of 22 million tonnes worldwide",
            "China's reserves: 580 million tonnes; world reserves: 7.7 billion tonnes",
            "Liaoning holds about 3.52 billion tonnes of resources, some 85% of China's total",
            "Haicheng (Anshan) mines the ore; Dashiqiao (Yingkou) processes it into DBM, FM and CCM",
        ),
    ),
    Slide(
        "Magnesium smelter production by country (thousand tonnes)",
        ("China made about 88% of the world's primary magnesium in 2023",),
        Table(
            (
                ("Country", "2022", "2023"),
                ("China", "933", "830"),
                ("Kazakhstan", "27", "25"),
                ("Brazil", "22", "22"),
                ("Israel", "22", "22"),
                ("Russia", "21", "20"),
                ("World total", "1,050", "940"),
            )
        ),
    ),
    Slide(
        "Trade and prices",
        (
            "China exported more than 300,000 tonnes of magnesium ingot in 2024",
            "U.S. imports of magnesium metal: 95,000 tonnes in 2023",
            "U.S. imports of magnesium compounds: 570,000 tonnes in 2023",
            "European magnesium price: US$5,206/t in 2022, US$3,200/t in 2023",
        ),
    ),
    Slide(
        "Policy watch",
        (
            "Liaoning: no new open-pit magnesite mines; total-volume control of mining",
            "Liaoning: two to three mining groups by 2030",
            "Yulin (Shaanxi): energy-consumption controls can stop magnesium smelters at short notice, as in 2021",
            "Action: keep two suppliers per grade and three months of stock before winter",
        ),
    ),
)


DOCX_TITLE = "Natural graphite supply briefing, February 2022"
DOCX_HEADER = "Confidential - prepared for the anode materials purchasing committee"
DOCX_SECTIONS: tuple[tuple[str, tuple[Block, ...]], ...] = (
    (
        "1. Mine supply",
        (
            "The U.S. Geological Survey's Mineral Commodity Summaries 2022 estimate world mine production of "
            "natural graphite at 1,000,000 tonnes in 2021, up from 966,000 tonnes in 2020. China produced an "
            "estimated 820,000 tonnes in 2021, against 762,000 tonnes a year earlier, or about 82% of the "
            "world total.",
            Table(
                (
                    ("Country", "2020", "2021 (estimate)"),
                    ("China", "762,000", "820,000"),
                    ("Brazil", "63,600", "68,000"),
                    ("Mozambique", "28,000", "30,000"),
                    ("Russia", "25,000", "27,000"),
                    ("Madagascar", "20,900", "22,000"),
                    ("World total (rounded)", "966,000", "1,000,000"),
                )
            ),
        ),
    ),
    (
        "2. Outside China",
        (
            "Brazil remains the second producer. Mozambique's Balama mine, idle for much of 2020, restarted "
            "in 2021, but the country's output of 30,000 tonnes is still far below the mine's capacity. "
            "New projects in Tanzania and Madagascar are at the permitting or financing stage.",
        ),
    ),
    (
        "3. Trade and prices",
        (
            "U.S. imports of natural graphite rose to 53,000 tonnes in 2021 from 36,000 tonnes in 2020. "
            "The average U.S. import value of flake graphite rose to US$1,600 per tonne in 2021 from "
            "US$1,540 per tonne in 2020.",
        ),
    ),
    (
        "4. Policy and risks",
        (
            "Energy-consumption controls in Inner Mongolia cut the output of graphitisation plants that "
            "turn needle coke into synthetic anode material in the second half of 2021, and graphitisation "
            "fees rose sharply. Natural flake graphite from Heilongjiang faced periodic environmental "
            "inspections. We recommend qualifying at least one supplier outside China for flake concentrate.",
        ),
    ),
)


def wrap(text: str) -> list[str]:
    return textwrap.wrap(text, width=PDF_LINE_WIDTH, break_on_hyphens=False)


def build_pdf(path: Path) -> None:
    """The report, one explicit line per cell so that extracted text keeps our line breaks."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Strategic Minerals Review, Issue 2025/1")
    pdf.set_author("Strategic Minerals Review")
    pdf.set_creation_date(datetime(2025, 3, 20, tzinfo=UTC))  # stable metadata across rebuilds
    for number, page in enumerate(PDF_PAGES, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, PDF_HEADER, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.cell(0, 8, page.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for block in page.blocks:
            if isinstance(block, Table):
                _pdf_table(pdf, block)
            else:
                pdf.set_font("Helvetica", size=10)
                for line in wrap(block):
                    pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.set_y(-22)
        pdf.set_font("Helvetica", style="I", size=8)
        pdf.cell(0, 5, PDF_WATERMARK, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 5, f"Page {number} of {len(PDF_PAGES)}", new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def _pdf_table(pdf: FPDF, table: Table) -> None:
    widths = [60] + [45] * (len(table.rows[0]) - 1)
    for index, row in enumerate(table.rows):
        pdf.set_font("Helvetica", style="B" if index == 0 else "", size=9)
        for width, cell in zip(widths, row, strict=True):
            pdf.cell(width, 6, cell, border=1)
        pdf.ln(6)


def build_pptx(path: Path) -> None:
    """The deck: a title and bullets per slide, one table, and the watermark line on each slide."""
    deck = Presentation()
    deck.core_properties.title = PPTX_SLIDES[0].title
    blank = deck.slide_layouts[5]  # title only
    for slide_text in PPTX_SLIDES:
        slide = deck.slides.add_slide(blank)
        slide.shapes.title.text = slide_text.title
        top = Inches(1.6)
        if slide_text.bullets:
            box = slide.shapes.add_textbox(Inches(0.6), top, Inches(8.8), Inches(2.4))
            frame = box.text_frame
            frame.word_wrap = True
            for index, bullet in enumerate(slide_text.bullets):
                paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                paragraph.text = bullet
                paragraph.font.size = Pt(16)
            top = Inches(1.6 + 0.5 * len(slide_text.bullets))
        if slide_text.table is not None:
            rows = slide_text.table.rows
            shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1.0), top, Inches(7.5), Inches(2.8))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    shape.table.cell(r, c).text = cell
        mark = slide.shapes.add_textbox(Inches(0.4), Inches(7.0), Inches(9.2), Inches(0.4))
        mark.text_frame.text = PPTX_WATERMARK
        mark.text_frame.paragraphs[0].font.size = Pt(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    deck.save(str(path))


def build_docx(path: Path) -> None:
    """The briefing: heading, sections of paragraphs, one table; a page header that repeats on print."""
    document = docx.Document()
    document.core_properties.title = DOCX_TITLE
    document.sections[0].header.paragraphs[0].text = DOCX_HEADER
    document.add_heading(DOCX_TITLE, level=1)
    for heading, blocks in DOCX_SECTIONS:
        document.add_heading(heading, level=2)
        for block in blocks:
            if isinstance(block, Table):
                table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
            else:
                document.add_paragraph(block)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def write_top_index(sample_dir: Path) -> int:
    """index.jsonl at the top = the folders' index.jsonl files, folders in name order."""
    lines: list[str] = []
    for folder_index in sorted(sample_dir.glob("*/index.jsonl")):
        lines.extend(line for line in folder_index.read_text(encoding="utf-8").splitlines() if line.strip())
    (sample_dir / "index.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR / "reports", help="folder for the PDF, PPTX and DOCX")
    parser.add_argument("--index-only", action="store_true", help="only rewrite the top-level index.jsonl")
    args = parser.parse_args(argv)
    if not args.index_only:
        build_pdf(args.out / PDF_NAME)
        build_pptx(args.out / PPTX_NAME)
        build_docx(args.out / DOCX_NAME)
        print(f"built {PDF_NAME}, {PPTX_NAME} and {DOCX_NAME} in {args.out}")
    count = write_top_index(SAMPLE_DIR)
    print(f"wrote {SAMPLE_DIR / 'index.jsonl'} ({count} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
