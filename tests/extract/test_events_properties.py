"""Properties that hold on any text: extraction never raises, every quote is the text at its span,
every event is valid EventSpec with vocabulary ids."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.events import extract_events
from assay.extract.events.lexicon import EVENT_TYPES
from assay.model import Document
from assay.vocab import commodities

PIECES = [
    "China imposed export controls on graphite",
    "MIIT set the rare earth mining quota",
    " in April 2025",
    " on 1 December",
    " by 2030",
    "稀土开采总量控制指标",
    "商务部",
    "对镁砂实施出口管制",
    "12月1日起",
    "2021—2022年",
    "A: ",
    "C: ",
    "\n2017\n",
    "• ",
    ". ",
    "。",
    ", and ",
    "\n\n",
    "no ",
    "may ",
    "(",
    ")",
    "Within 2 years (2021-2022)",
    "Liaoning",
    "辽宁",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=30),
    st.sampled_from([None, "2025-10-20", "2024", "2023-02"]),
)
def test_any_text_gives_valid_events(parts: list[str], published: str | None) -> None:
    text = "".join(parts)
    events = extract_events(Document(name="p", source="p", raw_sha256="0", clean_text=text, published=published))
    known = commodities()
    for event in events:
        assert text[event.start : event.end] == event.quote
        assert event.quote.strip()
        assert event.type in EVENT_TYPES
        assert event.commodities and all(c in known for c in event.commodities)
        spec = event.to_eventspec()
        assert spec["stance"] in ("tighten", "loosen", "neutral")
