"""Input budgets: zip containers inflated and walked within bounds, HTML walked, time limits."""

from __future__ import annotations

import gc
import io
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest

from assay.sources import BudgetExceeded, InputBudget
from assay.sources.budget import checked_markup, checked_zip, time_limit
from hostile import (
    SAMPLE_DOCX,
    deep_html,
    docx_bomb,
    docx_deep,
    docx_paragraphs,
    docx_wide,
    lying_zip_header,
    pptx_bomb,
    wide_html,
    xlsx_like_bomb,
)

SMALL = InputBudget(max_inflated_bytes=8 * 1024 * 1024)


@pytest.mark.parametrize("make", [docx_bomb, pptx_bomb, xlsx_like_bomb], ids=["docx", "pptx", "xlsx-like"])
def test_a_zip_bomb_is_stopped_by_its_declared_size(make: object) -> None:
    bomb = make(16)  # type: ignore[operator]  # one of the makers above
    assert len(bomb) < 200_000  # a few hundred KB that inflate to 16 MiB
    with pytest.raises(BudgetExceeded, match=r"inflates to .* over the budget .*--max-inflated-bytes"):
        checked_zip(bomb, SMALL)


def test_a_header_that_understates_the_size_is_caught_while_inflating() -> None:
    bomb = docx_bomb(16)
    lying = lying_zip_header(bomb, "word/document.xml", declared=1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as container:
        assert sum(info.file_size for info in container.infolist()) < SMALL.max_inflated_bytes
    # zipfile stops at the declared size and then finds the CRC wrong: a damaged file, never 16 MiB read
    with pytest.raises((BudgetExceeded, zipfile.BadZipFile)):
        checked_zip(lying, InputBudget(max_inflated_bytes=2 * 1024 * 1024))


def test_actual_inflated_bytes_count_not_only_the_headers() -> None:
    bomb = docx_bomb(4)
    # a budget above every declared size but below the sum of what is really inflated, headers zeroed
    lying = lying_zip_header(bomb, "word/document.xml", declared=0)
    with pytest.raises((BudgetExceeded, zipfile.BadZipFile)):
        checked_zip(lying, InputBudget(max_inflated_bytes=1024 * 1024))


def test_paragraphs_over_the_budget_are_refused() -> None:
    with pytest.raises(BudgetExceeded, match=r"over 1,000 paragraphs.*--max-paragraphs"):
        checked_zip(docx_paragraphs(5_000), InputBudget(max_paragraphs=1_000))


def test_deep_xml_is_refused() -> None:
    with pytest.raises(BudgetExceeded, match=r"deeper than 256 levels.*--max-depth"):
        checked_zip(docx_deep(5_000), InputBudget())


def test_wide_xml_is_refused() -> None:
    with pytest.raises(BudgetExceeded, match=r"over 10,000 children.*--max-width"):
        checked_zip(docx_wide(20_000), InputBudget(max_width=10_000))


def test_elements_over_the_budget_are_refused() -> None:
    with pytest.raises(BudgetExceeded, match=r"XML elements.*--max-elements"):
        checked_zip(docx_wide(20_000), InputBudget(max_elements=5_000))


def test_an_ordinary_office_file_is_within_the_default_budget() -> None:
    shape = checked_zip(SAMPLE_DOCX.read_bytes(), InputBudget())
    assert 0 < shape.paragraphs < 1000
    assert shape.inflated_bytes > len(SAMPLE_DOCX.read_bytes())


def test_html_depth_and_width_are_bounded() -> None:
    with pytest.raises(BudgetExceeded, match="deeper than"):
        checked_markup(deep_html(2_000).decode(), InputBudget())
    with pytest.raises(BudgetExceeded, match="children"):
        checked_markup(wide_html(3_000).decode(), InputBudget(max_width=1_000))
    checked_markup("<html><body><p>fine</p></body></html>", InputBudget())


def test_time_limit_interrupts_a_long_computation() -> None:
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match=r"time budget of 0.3s"), time_limit(0.3):
        while True:
            sum(range(1000))
    assert time.monotonic() - started < 2


def test_time_limit_holds_when_the_signal_lands_in_a_garbage_collector_callback() -> None:
    # Python swallows an exception raised in a gc callback ("Exception ignored in ..."); the block must
    # still end over budget rather than run on as if nothing happened.
    def slow_callback(phase: str, info: dict[str, int]) -> None:
        time.sleep(0.02)

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(BudgetExceeded), time_limit(0.1, "this block"):
            started = time.monotonic()
            while time.monotonic() - started < 1.0:
                gc.collect()
    finally:
        gc.callbacks.remove(slow_callback)


def test_time_limit_leaves_a_quick_block_alone_and_disarms() -> None:
    with time_limit(5):
        value = sum(range(1000))
    assert value == 499500
    time.sleep(0.05)  # no alarm left behind


T = TypeVar("T")


def _in_a_thread(block: Callable[[], T]) -> T:
    with ThreadPoolExecutor(1) as pool:  # as a Dask worker runs its tasks: not in the main thread
        return pool.submit(block).result()


def test_time_limit_interrupts_a_long_computation_outside_the_main_thread() -> None:
    def spin() -> float:
        started = time.monotonic()
        with time_limit(0.3, "this block"):
            while True:
                sum(range(1000))
        return started

    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match=r"time budget of 0.3s for this block") as raised:
        _in_a_thread(spin)
    assert type(raised.value) is BudgetExceeded and time.monotonic() - started < 2


def test_time_limit_outside_the_main_thread_never_fires_after_its_block() -> None:
    # Blocks shorter than, about as long as, and far longer than their budget: the alarm fires inside a
    # block or not at all, and an exception still pending when a block ends is withdrawn, not left for
    # the code after it. (The long blocks outlast the interpreter's 5 ms thread switch, so that the
    # timer thread gets to run even on a loaded machine.)
    def many_calls() -> tuple[int, int]:
        inside = 0
        for n in range(150):
            seconds = (0.0003, 0.001, 0.03)[n % 3]
            try:
                with time_limit(0.001):
                    deadline = time.monotonic() + seconds
                    while time.monotonic() < deadline:
                        pass
            except BudgetExceeded:
                inside += 1
        after = 0
        deadline = time.monotonic() + 0.2
        while time.monotonic() < deadline:  # plain code after every block: nothing may land here
            after += 1
        return inside, after

    inside, after = _in_a_thread(many_calls)
    assert 0 < inside <= 150 and after > 0  # on a loaded machine the timer thread may miss some long ones


def test_budget_exceeded_survives_a_process_boundary() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(BudgetExceeded("too big")))
    assert isinstance(error, BudgetExceeded) and error.reason == "too big"
