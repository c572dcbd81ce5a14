"""Facts and events of one document from one reading of its text: what the pipeline calls.

`extract_all(doc)` gives exactly what `extract_facts(doc)` and `extract_events(doc)` give called
apart, but the work both rule sets need (the Simplified copy, the gazetteer pass over the whole
text and its slices per statement) is done once, in an `AnalysedText` they share.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.extract.events import extract_events
from assay.extract.facts import extract_facts
from assay.extract.text.analysed import AnalysedText
from assay.model import Document, Event, Fact


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one document states: its facts and its events."""

    facts: list[Fact]
    events: list[Event]


def extract_all(doc: Document) -> Extracted:
    """The document's facts and events, its text read once for both."""
    analysed = AnalysedText(doc.clean_text or "")
    return Extracted(extract_facts(doc, analysed), extract_events(doc, analysed))
