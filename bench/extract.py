#!/usr/bin/env python3
"""Throughput of assay's extractor beside quantulum3's on the same text, and memory as the corpus grows.

    python bench/extract.py [--mb 4] [--baseline-mb 0.5] [--memory-mb 2]

The text is the clean text of the ../shared corpora and the bundled sample corpus (through the
real sources and clean stages), replicated until it reaches --mb. Documents are streamed, one at
a time, so memory should not grow with the corpus: the last lines print the peak traced memory
of extract_facts over --memory-mb and over ten times that.

quantulum3 (a bench-only dependency: pip install -e ".[bench]") is a classifier-backed quantity
parser; it runs on the first --baseline-mb of the same stream, because it is slow, and assay runs
on that same slice too so the ratio compares like with like.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from assay.clean import clean_document
from assay.extract.events import extract_events
from assay.extract.facts import extract_facts
from assay.extract.numbers import read_quantities
from assay.model import Document
from assay.sources import SourceError, SourceOptions, iter_sources

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO / ".." / "shared" / "corpus", REPO / "src" / "assay" / "sample"]
MB = 1_000_000


@dataclass(frozen=True)
class Run:
    name: str
    megabytes: float
    seconds: float
    items: int  # facts or quantities found

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds else float("inf")

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds if self.seconds else float("inf")


def load_documents() -> list[Document]:
    """The corpora's documents, cleaned; a corpus folder that is absent is left out."""
    inputs = [str(path) for path in CORPORA if path.is_dir()]
    docs = []
    for raw in iter_sources(inputs, SourceOptions()):
        if isinstance(raw, SourceError):
            print(f"skipped {raw}", file=sys.stderr)
            continue
        docs.append(clean_document(raw))
    return [doc for doc in docs if doc.clean_text.strip()]


def stream(docs: Sequence[Document], megabytes: float) -> Iterator[Document]:
    """Copies of `docs`, renamed, until `megabytes` of clean text have gone by; nothing is kept."""
    budget, copy = megabytes * MB, 0
    while budget > 0:
        for doc in docs:
            if budget <= 0:
                return
            budget -= len(doc.clean_text.encode("utf-8"))
            yield replace(doc, name=f"{doc.name}~{copy}")
        copy += 1


def timed(name: str, texts: Iterator[Document], work: Callable[[Document], int]) -> Run:
    size = items = 0
    started = time.perf_counter()
    for doc in texts:
        items += work(doc)
        size += len(doc.clean_text.encode("utf-8"))
    return Run(name, size / MB, time.perf_counter() - started, items)


def count_quantities(doc: Document) -> int:
    return len(read_quantities(doc.clean_text))


def count_facts(doc: Document) -> int:
    return len(extract_facts(doc))


def count_events(doc: Document) -> int:
    return len(extract_events(doc))


def side_by_side(texts: Iterator[Document], workers: dict[str, Callable[[Document], int]]) -> list[Run]:
    """Each document goes through every worker in turn, so a change in machine load hits all alike."""
    seconds = dict.fromkeys(workers, 0.0)
    found = dict.fromkeys(workers, 0)
    size = 0
    for doc in texts:
        size += len(doc.clean_text.encode("utf-8"))
        for name, work in workers.items():
            gc.collect()  # one worker's garbage must not be collected on another's clock
            started = time.perf_counter()
            found[name] += work(doc)
            seconds[name] += time.perf_counter() - started
    return [Run(name, size / MB, seconds[name], found[name]) for name in workers]


def quantulum3_parser() -> Callable[[Document], int] | None:
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    parser.parse("warm up: 5 tons")  # loads its classifier once, outside the timing

    def parse(doc: Document) -> int:
        return len(parser.parse(doc.clean_text))

    return parse


def peak_memory(docs: Sequence[Document], megabytes: float) -> tuple[float, int]:
    """Peak traced memory (MB) of extract_facts over a stream of `megabytes`, and the facts counted."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    found = sum(len(extract_facts(doc)) for doc in stream(docs, megabytes))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / MB, found


def print_runs(runs: Sequence[Run]) -> None:
    print(f"{'extractor':34s} {'MB':>7s} {'seconds':>8s} {'MB/s':>9s} {'found':>8s} {'found/s':>10s}")
    for run in runs:
        print(
            f"{run.name:34s} {run.megabytes:7.2f} {run.seconds:8.2f} {run.mb_per_s:9.3f} {run.items:8d}"
            f" {run.items_per_s:10.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes of text for assay (default 4)")
    parser.add_argument("--baseline-mb", type=float, default=0.5, help="megabytes for quantulum3 (default 0.5)")
    parser.add_argument("--memory-mb", type=float, default=2.0, help="stream size for the 1x memory run")
    args = parser.parse_args(argv)

    docs = load_documents()
    if not docs:
        print("bench: no corpus found (../shared/corpus, src/assay/sample)", file=sys.stderr)
        return 2
    base_mb = sum(len(d.clean_text.encode("utf-8")) for d in docs) / MB
    started = datetime.now().isoformat(timespec="seconds")
    print(f"assay extraction bench, {started}: {len(docs)} documents, {base_mb:.3f} MB of clean text, replicated\n")

    extract_facts(docs[0])  # first call loads gazetteers; not part of the throughput
    read_quantities(docs[0].clean_text)
    extract_events(docs[0])  # loads the event word tables once
    runs = [
        timed("assay read_quantities", stream(docs, args.mb), count_quantities),
        timed("assay extract_facts", stream(docs, args.mb), count_facts),
        timed("assay extract_events", stream(docs, args.mb), count_events),
    ]
    print_runs(runs)

    baseline = quantulum3_parser()
    if baseline is None:
        print('\nquantulum3 is not installed (pip install -e ".[bench]"): no baseline')
    else:
        same = side_by_side(
            stream(docs, args.baseline_mb),
            {
                "quantulum3 parser.parse (baseline)": baseline,
                "assay read_quantities": count_quantities,
                "assay extract_facts": count_facts,
            },
        )
        print(f"\nsame text, document by document in turn ({args.baseline_mb} MB):")
        print_runs(same)
        for run in same[1:]:
            print(f"{run.name} is {run.mb_per_s / same[0].mb_per_s:,.0f}x quantulum3's throughput (aim: >= 200x)")

    small, small_facts = peak_memory(docs, args.memory_mb)
    large, large_facts = peak_memory(docs, args.memory_mb * 10)
    print(f"\nmemory, extract_facts streaming ({'flat' if large < small * 1.5 + 1 else 'GROWS'}):")
    print(f"  1x  {args.memory_mb:6.1f} MB of text: peak {small:7.2f} MB traced, {small_facts} facts")
    print(f"  10x {args.memory_mb * 10:6.1f} MB of text: peak {large:7.2f} MB traced, {large_facts} facts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
