"""extract_facts is total: any text in, facts out, never an exception, in time linear in the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.extract.facts import extract_facts
from assay.model import Document, Period

_PIECES = st.sampled_from(
    [
        "China", "exports", "of magnesium ingot", " rose ", "12.5%", " to ", "22,966 mt", " in October", ", ",
        "同比增长", "9.47%", "万吨", "45.56", "氧化钕价格为", "53万元/吨", " | ", "\n", "\n\n", "(", ")", "$",
        "1,050-1,210 per tonne", "from", " a year earlier", "2024年", "1-9月", "accounting for", "of the world's",
        "Q3", "H1 2014", "by 2025", "¥1.916 billion", "+50.76% YoY", "Turkey", "占全球的", ";", ".", "：",
    ]
)  # fmt: skip


def _doc(text: str, published: str | None = "2025-05-01") -> Document:
    return Document(name="r", source="r", raw_sha256="x", clean_text=text, published=published, title=text[:40])


def _check(text: str, published: str | None = "2025-05-01") -> None:
    for fact in extract_facts(_doc(text, published)):
        assert 0 <= fact.start <= fact.end <= len(text)
        assert text[fact.start : fact.end] == fact.quote
        if fact.period is not None:
            Period.parse(fact.period)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.sampled_from([None, "2025-05-01", "2019", "bad-date"]))
def test_industry_fragments_never_raise(pieces: list[str], published: str | None) -> None:
    _check("".join(pieces), published)


def test_empty_and_blank_texts() -> None:
    assert extract_facts(_doc("")) == []
    assert extract_facts(_doc(" \n\n\t ")) == []


def test_one_long_line_is_read_whole() -> None:
    sentence = "China exported 5,000 t of magnesium ingot in May, up 5% YoY, while prices held; "
    text = sentence * 400
    facts = extract_facts(_doc(text))
    assert {f.unit for f in facts} == {"t", "pct_yoy"}  # the same statement repeated is one fact each
