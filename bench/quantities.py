#!/usr/bin/env python3
"""Throughput of assay's number and period readers beside quantulum3's parser, on the same text.

    python bench/quantities.py [--mb 2] [--baseline-kb 40]

The text is every .txt document of the ../shared corpora and of the bundled sample corpus,
repeated until it reaches --mb. read_quantities and find_periods run on all of it; quantulum3
(a bench-only dependency: pip install -e ".[bench]") runs on the first --baseline-kb only, since
it is slow, and read_quantities runs on that same slice too, so the ratio compares like with like.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from assay.extract.numbers import read_quantities
from assay.extract.periods import find_periods

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO / ".." / "shared" / "corpus", REPO / "src" / "assay" / "sample"]


def corpus_text() -> str:
    texts = [p.read_text(encoding="utf-8", errors="replace") for root in CORPORA for p in sorted(root.rglob("*.txt"))]
    if not texts:
        raise SystemExit("no corpus text found (../shared/corpus and src/assay/sample are both absent)")
    return "\n\n".join(texts)


def timed(label: str, text: str, run: Callable[[str], int]) -> float:
    started = time.perf_counter()
    found = run(text)
    seconds = time.perf_counter() - started
    megabytes = len(text.encode("utf-8")) / 1e6
    speed = megabytes / seconds if seconds else float("inf")
    print(f"{label:34} {megabytes:7.3f} MB {seconds:8.3f} s {speed:9.3f} MB/s {found:8d} found")
    return speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of the text read by assay")
    parser.add_argument("--baseline-kb", type=float, default=40.0, help="size of the slice quantulum3 reads")
    args = parser.parse_args()
    base = corpus_text()
    text = (base * (int(args.mb * 1e6 / max(1, len(base.encode("utf-8")))) + 1))[: int(args.mb * 1e6)]
    published = date(2025, 10, 20)
    timed("assay read_quantities", text, lambda t: len(read_quantities(t)))
    timed("assay find_periods", text, lambda t: len(find_periods(t, published)))
    piece = text[: int(args.baseline_kb * 1000)]
    ours = timed("assay read_quantities (slice)", piece, lambda t: len(read_quantities(t)))
    try:
        from quantulum3 import parser as q3  # bench-only dependency
    except ImportError:
        print("quantulum3 is not installed (pip install -e '.[bench]'): no baseline")
        return
    q3.parse("warm up: 5 tonnes")  # loads its unit tables outside the timing
    theirs = timed("quantulum3 parse (slice, baseline)", piece, lambda t: len(q3.parse(t)))
    print(f"ratio: assay reads numbers {ours / theirs:,.0f}x as fast as quantulum3 on the same text")


if __name__ == "__main__":
    main()
