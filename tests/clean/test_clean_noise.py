"""Noise removal by repetition: repeated bodies, watermark lines, per-source boilerplate."""

from __future__ import annotations

from datetime import UTC, datetime

from assay.clean import CleaningContext, clean_document
from assay.clean.noise import (
    RECENT_TEXTS,
    SourceBoilerplate,
    drop_page_repeats,
    drop_repeated_body,
    drop_repeated_lines,
)
from assay.sources import RawDocument

ARTICLE = [
    "Magnesium ingot exports from China reached 22,966 tonnes in October, customs data showed.",
    "",
    "Exports to the Netherlands stood at 6,280 tonnes, or 27% of the total shipped that month.",
    "",
    "Traders said the rise was far from firm evidence that overseas demand had fully recovered.",
    "",
    "Prices in Fugu slipped to 23,000 yuan per tonne as smelters restarted after the holiday.",
]


def _raw(text: str, name: str, source: str = "metalnews") -> RawDocument:
    return RawDocument(
        name=name,
        source=f"{source}/{name}.txt",
        data=text.encode(),
        content_type="txt",
        url=None,
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        source_name=source,
    )


def test_body_carried_twice_is_kept_once_with_its_crumbs() -> None:
    lines = ["Home", "Blog Details", "", *ARTICLE, "", "Home page", "Blog Details", *ARTICLE]
    result = drop_repeated_body(lines)
    kept = [line for line in result.lines if line]
    assert result.dropped == 1
    assert kept == ["Home", "Blog Details", *[line for line in ARTICLE if line], "Home page"]


def test_short_repeats_are_not_a_repeated_body() -> None:
    lines = ["Fused magnesia 97%: 3,100 yuan per tonne", "Dead-burned magnesia 90%: 2,000 yuan per tonne"] * 2
    assert drop_repeated_body(lines).dropped == 0


def test_watermark_line_truncations_and_companion_crumbs_go() -> None:
    mark = "Thank you for downloading this template from slides-market, do not redistribute"
    lines = [
        "Slide one text about magnesite reserves in Liaoning.",
        mark,
        "",
        "slides.example",
        "Slide two on Haicheng.",
        mark,
        "slides.exampleHow magnesia production can emerge stronger",
        "Slide three on prices.",
        mark[:45],
        mark,
        "slides.example",
        "MORE",
        "MORE",
        "MORE",
    ]
    result = drop_repeated_lines(lines)
    kept = [line for line in result.lines if line]
    assert kept == [
        "Slide one text about magnesite reserves in Liaoning.",
        "Slide two on Haicheng.",
        "How magnesia production can emerge stronger",
        "Slide three on prices.",
        "MORE",
        "MORE",
        "MORE",
    ]


def test_page_repeats_ignore_page_numbers() -> None:
    body = "Fused magnesia output: {n}00,000 t.\nMagnesite ore graded {n}% MgO.\nHaicheng holds {n}0 mines."
    pages = [f"Magnesia Review\n{body.format(n=n)}\nPage {n} of 4" for n in range(1, 5)]
    cleaned, dropped = drop_page_repeats(pages)
    assert dropped == 2
    assert cleaned == [body.format(n=n) for n in range(1, 5)]


def test_source_boilerplate_is_learned_across_documents() -> None:
    context = CleaningContext()
    chrome = ["Created with Pixso. Home Created with Pixso. Blog", "We use cookies. Accept all"]
    bodies = [
        "Graphite exports rose 39% in February as battery makers in Europe built up anode stocks.",
        "Magnesia prices in Dashiqiao held steady while kilns in Haicheng stayed shut for inspections.",
        "Rare earth quotas were raised 12.5% for the first batch, to 135,000 tonnes of mining output.",
        "Magnet exports to the EU surged in August to 2,582 tonnes, up 21% from the month before.",
    ]
    docs = [clean_document(_raw("\n".join([*chrome, body]), f"doc{i}"), context) for i, body in enumerate(bodies)]
    assert docs[0].clean_text.startswith("Created with Pixso")  # too early to know
    for doc, body in zip(docs[2:], bodies[2:], strict=True):
        assert doc.clean_text == body
        assert "drop-source-boilerplate:2" in doc.cleaning_steps
    other = clean_document(_raw("\n".join([*chrome, bodies[0]]), "elsewhere", source="othersite"), context)
    assert other.clean_text.startswith("Created with Pixso")  # another source has its own counts


def test_copies_of_one_text_do_not_erase_each_other() -> None:
    context = CleaningContext()
    text = "\n".join(line for line in ARTICLE if line)
    docs = [clean_document(_raw(text, f"copy{i}"), context) for i in range(5)]
    assert all(doc.clean_text == text for doc in docs)


def test_a_long_run_remembers_only_recent_texts_and_a_recent_copy_is_not_counted_again() -> None:
    seen = SourceBoilerplate()
    for i in range(RECENT_TEXTS * 3):
        seen.observe("feed", [f"article {i}", "shared footer"])
    counts = seen._sources["feed"]
    assert len(counts.texts) == len(counts.order) == RECENT_TEXTS
    seen.observe("feed", [f"article {RECENT_TEXTS * 3 - 1}", "shared footer"])  # a recent copy: not counted
    assert counts.documents == RECENT_TEXTS * 3


def test_table_rows_survive_source_boilerplate() -> None:
    context = CleaningContext()
    header = "| 产品 | 价格区间(元/吨) | 均价(元/吨) |"
    docs = [
        clean_document(_raw(f"{header}\n| 氧化钕 | {500000 + i}-{510000 + i} | {505000 + i} |", f"p{i}"), context)
        for i in range(4)
    ]
    assert all(doc.clean_text.startswith(header) for doc in docs)


def test_context_primed_with_stored_documents_cleans_the_first_new_one() -> None:
    context = CleaningContext()
    banner = "Subscribe to the Metals Desk newsletter for weekly prices"
    for i in range(4):
        context.observe("metalnews", f"{banner}\nStored article number {i} on magnesia prices in Dashiqiao.")
    doc = clean_document(_raw(f"{banner}\n{ARTICLE[0]}\n{ARTICLE[2]}", "fresh"), context)
    assert banner not in doc.clean_text
    assert doc.clean_text.startswith(ARTICLE[0])
