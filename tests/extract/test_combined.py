"""extract_all reads a document's text once for facts and events and gives exactly what
extract_facts and extract_events give called apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.clean import CleaningContext, clean_document
from assay.extract.combined import extract_all
from assay.extract.events import extract_events
from assay.extract.events.cues import document_commodities
from assay.extract.facts import extract_facts
from assay.extract.text.analysed import AnalysedText
from assay.model import Document
from assay.sources import SourceError, SourceOptions, iter_sources

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "assay" / "sample"


def sample_documents() -> list[Document]:
    context = CleaningContext()
    raw = [item for item in iter_sources([str(SAMPLE)], SourceOptions()) if not isinstance(item, SourceError)]
    return [clean_document(item, context) for item in raw]


def test_combined_and_separate_extraction_agree_on_the_sample_corpus() -> None:
    docs = sample_documents()
    if not docs:
        pytest.skip("the bundled sample corpus is absent")
    facts = events = 0
    for doc in docs:
        both = extract_all(doc)
        assert both.facts == extract_facts(doc), doc.name
        assert both.events == extract_events(doc), doc.name
        facts += len(both.facts)
        events += len(both.events)
    assert facts > 100 and events > 20  # the corpus states both, so the comparison checks something


@pytest.mark.parametrize(
    "text",
    [
        # Traditional Chinese: statements are not sliced from the whole text but read alone
        "2024年中國稀土出口量為5.5萬噸，同比增長6%。\n商務部宣布對鎵、鍺相關物項實施出口管制，自8月1日起施行。",
        # Greek final sigma lower-cases by context: read alone too
        "ΣΟΣ. China's magnesium exports rose 5% to 40,000 tonnes in 2023.\nMOFCOM banned graphite exports in 2023.",
        "China imposed export controls on graphite on 1 December 2023. Exports fell 90% to 1,000 t in December.",
    ],
)
def test_combined_and_separate_extraction_agree_on_any_script(text: str) -> None:
    doc = Document(name="d", source="d.txt", raw_sha256="", clean_text=text, published="2024-12-05")
    both = extract_all(doc)
    assert both.facts == extract_facts(doc)
    assert both.events == extract_events(doc)
    assert both.facts or both.events


def test_document_commodities_read_from_the_shared_pass_agree_on_the_sample_corpus() -> None:
    docs = sample_documents()
    if not docs:
        pytest.skip("the bundled sample corpus is absent")
    named = 0
    for doc in docs:
        text = doc.clean_text or ""
        shared = document_commodities(text, doc.title, AnalysedText(text))
        assert shared == document_commodities(text, doc.title), doc.name
        named += bool(shared)
    assert named > 10  # most documents are about a commodity, so the comparison checks something


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Magnesium and graphite", "菱镁矿 prices rose; magnesium ingot fell. Graphitisation plants cut runs."),
        ("菱镁", "镁 exports rose.\n菱镁 output fell; 菱苦土 and thulium and 铥 were named, graphite twice: graphite."),
        (None, "Rare earths, rare earths and graphite: graphitising capacity rose as magnesia fell."),
        ("Graphite", "Magnesium fell.\nMagnesium rose.\nGraphite held.\nthulium, thulium"),
        ("Graphite and magnesium", "Graphite and magnesium, each named once: a tie goes to the first named."),
        ("", ""),
    ],
)
def test_document_commodities_read_off_the_mentions_in_place_agree(title: str | None, text: str) -> None:
    # the shared path counts the title's and the text's mentions without moving them past the title;
    # the plain path reads title and text joined, from scratch: same commodities, same order (ties)
    assert document_commodities(text, title, AnalysedText(text)) == document_commodities(text, title)
