"""What one input may cost: bytes after decompression, elements, and wall time.

Every source (file, URL, feed entry) is held to the same `InputBudget`; the cleaners count what
they read against it and the pipeline bounds each document's time with `time_limit`. Going over
any bound raises `BudgetExceeded`, which the pipeline reports as one line and stores nothing for.

Office files are zip containers: `checked_zip` inflates every member once, in a stream, counting
the bytes actually produced (a member's declared size is only a first check, as it can lie), and
walks each XML part with a streaming parser counting elements, nesting depth and children per
element, before python-docx or python-pptx load anything.
"""

from __future__ import annotations

import ctypes
import io
import signal
import threading
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import IO, Any

MIB = 1024 * 1024
INFLATE_CHUNK = 256 * 1024


@dataclass(frozen=True)
class InputBudget:
    """Bounds on one document; each can be raised from the command line (see `assay ingest --help`)."""

    max_inflated_bytes: int = 256 * MIB  # zip members together, a gzip body, the decoded text
    max_elements: int = 2_000_000  # XML elements in an Office file, all parts together
    max_paragraphs: int = 500_000  # paragraphs (docx, pptx) or lines of text
    max_pages: int = 5_000  # PDF pages or slides
    max_cells: int = 1_000_000  # table cells
    max_depth: int = 256  # XML nesting
    max_width: int = 1_000_000  # children of one XML element
    max_seconds: float = 300.0  # wall time to fetch, clean and extract one document

    def scaled(self, factor: float) -> InputBudget:
        """Every bound times `factor` (tests and benches use small budgets)."""
        return InputBudget(
            max_inflated_bytes=int(self.max_inflated_bytes * factor),
            max_elements=int(self.max_elements * factor),
            max_paragraphs=int(self.max_paragraphs * factor),
            max_pages=int(self.max_pages * factor),
            max_cells=int(self.max_cells * factor),
            max_depth=self.max_depth,
            max_width=int(self.max_width * factor),
            max_seconds=self.max_seconds * factor,
        )


class BudgetExceeded(BaseException):  # named for what happened, like KeyboardInterrupt
    """An input went over its budget. A BaseException so that readers' broad `except Exception`
    handlers (which turn library errors into "corrupt file") let it through unchanged."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __reduce__(self) -> tuple[type[BudgetExceeded], tuple[str]]:
        return (BudgetExceeded, (self.reason,))


def megabytes(size: float) -> str:
    """A size as people read it: bytes below 1 MiB, else MB with one decimal."""
    if size < MIB:
        return f"{int(size)} bytes"
    return f"{size / MIB:.1f} MB"


@contextmanager
def time_limit(seconds: float, what: str = "this document", of: float | None = None) -> Iterator[None]:
    """Raise BudgetExceeded in the block once `seconds` have passed (what is left of the budget `of`,
    which the message names, when a document's earlier stages spent the rest).

    Python code is interrupted wherever it is (a long regex scan included, once it returns): in the
    main thread by a real-time timer signal; in any other thread (a Dask worker runs tasks in a
    thread pool) by a timer thread that raises the exception asynchronously in the block's thread,
    since signals reach only the main thread.
    """
    if seconds <= 0:
        yield
        return
    budget = seconds if of is None else of
    reason = f"took longer than the time budget of {budget:g}s for {what} (raise with --max-seconds)"
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and hasattr(signal, "setitimer"):
        with _signal_alarm(seconds, reason):
            yield
    elif not in_main_thread:
        with _thread_alarm(seconds, reason):
            yield
    else:  # a platform without setitimer: the byte and element budgets still hold
        yield


@contextmanager
def _signal_alarm(seconds: float, reason: str) -> Iterator[None]:
    expired = False

    def expire(signum: int, frame: FrameType | None) -> None:
        nonlocal expired
        expired = True
        raise BudgetExceeded(reason)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # The handler's exception is lost when the signal lands in a garbage-collector callback or a
    # __del__ ("Exception ignored in ..."): the block then finishes, and is over budget all the same.
    if expired:
        raise BudgetExceeded(reason)


class _Expired(BudgetExceeded):
    """What the timer thread raises in the block's thread (an exception class it can make with no
    arguments); `_thread_alarm` turns it into a BudgetExceeded with the reason."""

    def __init__(self) -> None:
        super().__init__("the time budget")


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
_set_async_exc.restype = ctypes.c_int


@contextmanager
def _thread_alarm(seconds: float, reason: str) -> Iterator[None]:
    target = threading.get_ident()
    guard = threading.Lock()  # the timer raises only while the block is still running
    state = {"done": False, "expired": False}

    def expire() -> None:
        with guard:
            if not state["done"]:
                state["expired"] = True
                _set_async_exc(target, _Expired)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _Expired:
        raise BudgetExceeded(reason) from None
    finally:
        timer.cancel()
        with guard:
            state["done"] = True
            if state["expired"]:
                # Withdraw the exception if it is still pending, so that it cannot land after the
                # block, in whatever the thread runs next; the block is over budget all the same.
                _set_async_exc(target, ctypes.py_object())
    if state["expired"]:
        raise BudgetExceeded(reason)


@dataclass(frozen=True)
class ZipShape:
    """What `checked_zip` counted in a container."""

    inflated_bytes: int
    elements: int
    paragraphs: int
    pages: int
    cells: int


# local names (namespace dropped) counted per kind, for Word, PowerPoint and spreadsheet parts
_PARAGRAPH_TAGS = frozenset({"p"})
_CELL_TAGS = frozenset({"tc", "c"})
_PAGE_PARTS = ("ppt/slides/slide", "xl/worksheets/sheet")


def checked_zip(data: bytes, budget: InputBudget) -> ZipShape:
    """Inflate and walk every member of an Office container within `budget`; BudgetExceeded if over.

    zipfile.BadZipFile (and friends) propagate for damaged containers, as the readers expect.
    """
    from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type information

    with zipfile.ZipFile(io.BytesIO(data)) as container:
        members = container.infolist()
        declared = sum(info.file_size for info in members)
        if declared > budget.max_inflated_bytes:
            raise BudgetExceeded(
                f"inflates to {megabytes(declared)} (as declared), over the budget of "
                f"{megabytes(budget.max_inflated_bytes)} (raise with --max-inflated-bytes)"
            )
        counter = _Counter(budget)
        for info in members:
            if info.filename.startswith(_PAGE_PARTS) and info.filename.endswith(".xml"):
                counter.pages += 1
                counter.check("pages", counter.pages, budget.max_pages, "--max-pages")
            with container.open(info) as stream:
                limited = _InflateMeter(stream, counter)
                if info.filename.endswith((".xml", ".rels")):
                    counter.walk_xml(etree, limited)
                else:
                    while limited.read(INFLATE_CHUNK):
                        pass
        return ZipShape(counter.inflated, counter.elements, counter.paragraphs, counter.pages, counter.cells)


class _Counter:
    def __init__(self, budget: InputBudget) -> None:
        self.budget = budget
        self.inflated = 0
        self.elements = 0
        self.paragraphs = 0
        self.pages = 0
        self.cells = 0
        self._widths: list[int] = [0]

    @staticmethod
    def check(what: str, count: int, limit: int, flag: str) -> None:
        if count > limit:
            raise BudgetExceeded(f"has over {limit:,} {what}, over the budget (raise with {flag})")

    def add_bytes(self, size: int) -> None:
        self.inflated += size
        if self.inflated > self.budget.max_inflated_bytes:
            raise BudgetExceeded(
                f"inflates to over {megabytes(self.budget.max_inflated_bytes)}, over the budget "
                "(raise with --max-inflated-bytes)"
            )

    def walk_xml(self, etree: Any, stream: _InflateMeter) -> None:
        """Count elements, depth and width with a streaming parser: memory stays flat."""
        events = etree.iterparse(
            stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
        )
        try:
            self.count_events(events)
        except etree.XMLSyntaxError as exc:
            if "depth" in str(exc).lower():  # libxml2's own nesting guard fired before ours could count
                raise BudgetExceeded(
                    f"nests XML deeper than {self.budget.max_depth} levels (raise with --max-depth)"
                ) from None
            return  # a damaged part: the reader reports it in its own words

    def count_events(self, events: Iterable[tuple[str, Any]]) -> None:
        budget = self.budget
        widths = self._widths
        for event, element in events:
            if event == "start":
                widths[-1] += 1
                if widths[-1] > budget.max_width:
                    raise BudgetExceeded(
                        f"has an XML element with over {budget.max_width:,} children (raise with --max-width)"
                    )
                widths.append(0)
                if len(widths) > budget.max_depth + 1:
                    raise BudgetExceeded(f"nests XML deeper than {budget.max_depth} levels (raise with --max-depth)")
                self.elements += 1
                self.check("XML elements", self.elements, budget.max_elements, "--max-elements")
                tag = element.tag
                local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
                if local in _PARAGRAPH_TAGS:
                    self.paragraphs += 1
                    self.check("paragraphs", self.paragraphs, budget.max_paragraphs, "--max-paragraphs")
                elif local in _CELL_TAGS:
                    self.cells += 1
                    self.check("table cells", self.cells, budget.max_cells, "--max-cells")
            elif len(widths) > 1:
                widths.pop()
                element.clear(keep_tail=False)  # what was counted is not kept, nor its emptied siblings
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        if len(widths) == 1:
            widths[0] = 0  # one part done: the next part starts a new document


def checked_markup(markup: str, budget: InputBudget) -> None:
    """Walk an HTML page with lxml's pull parser, counting elements, depth and width within `budget`."""
    from lxml import etree

    counter = _Counter(budget)
    parser = etree.HTMLPullParser(events=("start", "end"), huge_tree=True, no_network=True)
    for start in range(0, len(markup), INFLATE_CHUNK):
        parser.feed(markup[start : start + INFLATE_CHUNK])
        counter.count_events(parser.read_events())
    try:
        parser.close()
    except etree.XMLSyntaxError:
        return  # markup the HTML readers will make what they can of
    counter.count_events(parser.read_events())


class _InflateMeter(io.RawIOBase):
    """A member's stream that counts the bytes it inflates against the budget as they come."""

    def __init__(self, stream: IO[bytes], counter: _Counter) -> None:
        self.stream = stream
        self.counter = counter

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(INFLATE_CHUNK if size is None or size < 0 else min(size, INFLATE_CHUNK))
        self.counter.add_bytes(len(chunk))
        return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]  # buffer protocol
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
