"""Fuzzing the cleaners and readers with hypothesis: whatever the bytes, a reader returns text or
raises its one documented error, and the cleaners never raise and never grow their input.

CI runs a short, fixed number of examples per property (about a minute in all). For a release,
run the long campaign documented in docs/hardening.md:
    ASSAY_FUZZ_EXAMPLES=20000 python -m pytest tests/clean/test_fuzz_cleaners.py
Anything a campaign finds becomes an explicit test below (see the `example` decorators).
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from datetime import UTC, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assay.clean import CleanError, clean_document
from assay.clean.characters import NotText, decode_bytes, normalize_text
from assay.clean.noise import drop_page_repeats, drop_repeated_body, drop_repeated_lines
from assay.sources import InputBudget, RawDocument
from assay.terminal import visible
from hostile import SAMPLE_DOCX, SAMPLE_PPTX

EXAMPLES = int(os.environ.get("ASSAY_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False)
SMALL_BUDGET = InputBudget(max_inflated_bytes=4 * 1024 * 1024, max_seconds=20)

# text that looks like our documents: Latin and Han letters, digits, units, line breaks, controls
TEXTISH = st.text(
    alphabet=st.one_of(
        st.sampled_from("abcdefghij ABC 0123456789 .,;:%/-|\n\n\t"),
        st.sampled_from("镁锭价格稀土石墨出口万吨元，。"),
        st.characters(codec="utf-8"),
    ),
    max_size=400,
)
LINES = st.lists(
    st.sampled_from(["", "Download the full report at example.com now", "magnesium 5%", "| a | b |", "x" * 25]),
    max_size=60,
)


def _raw(data: bytes, content_type: str) -> RawDocument:
    return RawDocument("fuzz", f"fuzz.{content_type}", data, content_type, None, datetime.now(UTC), "fuzz")


@FUZZ
@given(st.binary(max_size=2000))
@example(b"\xff\xfe\x00")
@example("石墨电极".encode("gbk"))
def test_decoding_returns_text_or_says_not_text(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except NotText:
        return
    assert isinstance(text, str) and encoding


@FUZZ
@given(TEXTISH)
def test_normalising_never_raises_and_is_stable(text: str) -> None:
    once, _ = normalize_text(text)
    twice, _ = normalize_text(once)
    assert normalize_text(twice)[0] == twice


@FUZZ
@given(LINES)
def test_noise_filters_never_grow_the_text(lines: list[str]) -> None:
    for removal in (drop_repeated_lines(lines), drop_repeated_body(lines)):
        assert len(removal.lines) <= len(lines)
    pages, _ = drop_page_repeats(["\n".join(lines)] * 3)
    assert len(pages) == 3


@FUZZ
@given(TEXTISH, st.sampled_from(["txt", "md", "html"]))
@example("<html>" + "<div>" * 300 + "x", "html")
@example("---\ntitle: \x1b[2J\n---\nbody", "md")
def test_text_formats_clean_or_fail_with_one_reason(text: str, content_type: str) -> None:
    try:
        document = clean_document(_raw(text.encode("utf-8"), content_type))
    except CleanError as exc:
        assert "\n" not in exc.reason
        return
    assert document.clean_text.strip()


def _mutated(base: bytes, seed: int, flips: int) -> bytes:
    generator = random.Random(seed)
    data = bytearray(base)
    for _ in range(flips):
        data[generator.randrange(len(data))] = generator.randrange(256)
    return bytes(data)


def _rezipped(base: bytes, seed: int) -> bytes:
    """The container rebuilt with one XML part cut short or repeated: damaged XML inside a valid zip."""
    generator = random.Random(seed)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".xml") and generator.random() < 0.3:
                cut = generator.randrange(len(data) + 1)
                data = data[:cut] if generator.random() < 0.5 else data[:cut] * 3
            target.writestr(info, data)
    return out.getvalue()


@FUZZ
@given(st.integers(0, 2**32), st.integers(1, 40), st.sampled_from(["docx", "pptx"]), st.booleans())
def test_office_readers_clean_or_fail_with_one_reason(seed: int, flips: int, kind: str, rezip: bool) -> None:
    base = (SAMPLE_DOCX if kind == "docx" else SAMPLE_PPTX).read_bytes()
    data = _rezipped(base, seed) if rezip else _mutated(base, seed, flips)
    from assay.clean import CleaningContext

    try:
        clean_document(_raw(data, kind), CleaningContext(budget=SMALL_BUDGET))
    except CleanError as exc:
        assert "\n" not in exc.reason


@FUZZ
@given(st.text(max_size=200))
def test_visible_text_has_no_control_or_bidi_character_left(text: str) -> None:
    shown = visible(text, single_line=True)
    for char in shown:
        code = ord(char)
        assert not (code < 0x20 or 0x7F <= code <= 0x9F)
        assert char not in "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
