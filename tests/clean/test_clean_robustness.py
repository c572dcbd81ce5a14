"""Whatever the bytes, cleaning returns a Document or raises CleanError: never another exception."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.clean import CleanError, CleaningContext, clean_document
from assay.model import Document
from assay.sources import CONTENT_TYPES, RawDocument

CONTEXT = CleaningContext()
MARKUP = st.sampled_from(["<p>", "</p>", "<table><tr><td>", "|", "\n", "-\n", "\t", "镁锭", "2025-08-25", "&amp;"])


def _clean(data: bytes, content_type: str) -> Document | None:
    raw = RawDocument(
        name="fuzz",
        source="fuzz",
        data=data,
        content_type=content_type,
        url=None,
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        source_name="fuzz",
    )
    try:
        return clean_document(raw, CONTEXT)
    except CleanError as exc:
        assert "\n" not in str(exc)
        return None


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600), content_type=st.sampled_from(CONTENT_TYPES))
def test_random_bytes_in_any_format(data: bytes, content_type: str) -> None:
    _clean(data, content_type)


@settings(max_examples=80, deadline=None)
@given(
    pieces=st.lists(st.one_of(st.text(max_size=30), MARKUP), max_size=40),
    content_type=st.sampled_from(["txt", "md", "html"]),
)
def test_random_text_keeps_its_words_in_clean_text(pieces: list[str], content_type: str) -> None:
    doc = _clean("".join(pieces).encode("utf-8", errors="surrogatepass"), content_type)
    if doc is not None:
        assert doc.clean_text.strip()
        assert doc.lang in (None, "zh", "en", "mixed")
        assert "\n\n\n" not in doc.clean_text
