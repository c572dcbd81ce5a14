"""AnalysedText: mentions sliced from one gazetteer pass over the whole text equal those of a pass
over each span alone, and every span's Simplified copy equals to_simplified of the span."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.events.statements import statements
from assay.extract.text.analysed import AnalysedText
from assay.extract.text.gazetteer import GazetteerPass, find_mentions, to_simplified

PIECES = [
    "China", "Chinese", "magnesium", "magnesia", "graphite", "rare earths", "NdFeB", "US", "us", "EU", "Eu",
    "US$", "U.S. Geological Survey", "DivergenceUS:", "Inner Mongolia", "Liaoning", "Haicheng", "出口", "镁砂",
    "稀土", "内蒙古", "大陆架", "中國", "稀土出口", "镁", "菱镁矿", "Acme Magnetics (300001.SZ)", "中国稀土(000831)",
    "exports", "production", "quota", ". ", "\n", "。", ", ", " ", "-", "’", "Σ", "İ",
]  # fmt: skip


def spans_agree(text: str, spans: list[tuple[int, int]]) -> None:
    analysed = AnalysedText(text)
    whole = GazetteerPass(text)
    assert analysed.mentions(text) == find_mentions(text)
    for start, end in spans:
        alone = to_simplified(text[start:end])
        assert analysed.span_simplified(start, end) == alone, (text, start, end)
        assert analysed.span_mentions(start, end) == find_mentions(alone), (text, start, end)
        if analysed.sliceable:  # the pass itself, not a fallback, gives the span's mentions
            assert whole.mentions(start, end) == find_mentions(text[start:end]), (text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=14), st.data())
def test_any_span_of_any_text(parts: list[str], data: st.DataObject) -> None:
    text = "".join(parts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6)))
    spans_agree(text, list(itertools.pairwise(cuts)))


def test_statements_of_a_mixed_page() -> None:
    text = (
        "Exports of magnesia from Liaoning (CN-LN) rose; the US$ price held. US: shipments to the EU fell.\n"
        "Acme Magnetics (300001.SZ) said the U.S. Geological Survey put world output at 1,000 t.\n"
        "辽宁省镁砂出口量同比增长5%。内蒙古稀土产量下降。中国稀土(000831)公告。"
    )
    found = statements(text)
    assert len(found) >= 5
    assert AnalysedText(text).sliceable
    spans_agree(text, [(s.start, s.end) for s in found])
    # the mentions are there, so the comparison checks something
    assert any(AnalysedText(text).span_mentions(s.start, s.end) for s in found)


def test_traditional_text_is_read_span_by_span() -> None:
    text = "中國稀土出口。臺灣鎂產量。"
    analysed = AnalysedText(text)
    assert not analysed.sliceable
    spans_agree(text, [(0, 7), (7, len(text)), (2, 9)])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=10),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=4),
)
def test_mentions_after_a_title_equal_a_pass_over_both(parts: list[str], title: list[str]) -> None:
    text = "".join(parts)
    prefix = ("".join(title) + "\n") * 3
    assert AnalysedText(text).mentions_after(prefix) == find_mentions(prefix + text)


def test_mentions_after_a_title_read_the_text_once() -> None:
    text = "Liaoning magnesia exports rose; the US price held."
    analysed = AnalysedText(text)
    prefix = "Magnesia in China\n" * 3
    assert analysed.mentions_after(prefix) == find_mentions(prefix + text)
    assert analysed.mentions(text) == find_mentions(text)  # the text's own pass, kept for the rules
    # a place at the title's end and "Geological Survey" opening the text are read as one name
    survey = AnalysedText("Geological Survey data show graphite output fell.")
    assert survey.mentions_after("Graphite in the US\n") == find_mentions(
        "Graphite in the US\nGeological Survey data show graphite output fell."
    )
