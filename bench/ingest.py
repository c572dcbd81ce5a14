"""Ingest throughput: the sample corpus's text and HTML turned into >= 10,000 documents, ingested into SQLite.

    python bench/ingest.py [--count 10000] [--workers 1] [--no-extract] [--profile]

Each generated document is assembled from sentences of the bundled sample corpus (chosen per
document, so documents are distinct and go through extraction rather than being dropped as
near-duplicates) under a serial title line; half are plain text, half HTML pages with site
navigation around the article. Baselines measured in the same run: reading and decoding the
same files, and trafilatura alone on the HTML files.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import trafilatura
from sqlalchemy.orm import Session

import assay.pipeline as pipeline
from assay.clean import clean_document
from assay.cli.docs import sample_corpus_dir
from assay.sources import SourceOptions, iter_sources
from assay.store.db import Store, open_store

SOURCES = 12  # folders, i.e. publishers, the documents are spread over
NAV = "Home | Markets | Magnesium | Rare Earths | Graphite | Prices | Contact"
FOOTER = "Copyright 2025 Example Metals Portal. All rights reserved. Privacy | Terms"


def sentence_pools() -> tuple[list[str], list[str]]:
    """English and Chinese sentences of the sample corpus's text and HTML documents, cleaned."""
    corpus = sample_corpus_dir()
    if corpus is None:
        sys.exit("bench: the bundled sample corpus (assay.sample) is missing")
    english: list[str] = []
    chinese: list[str] = []
    for item in iter_sources([str(corpus)], SourceOptions()):
        if isinstance(item, Exception) or item.content_type not in ("txt", "md", "html"):
            continue
        doc = clean_document(item)
        for paragraph in doc.clean_text.split("\n"):
            for sentence in _sentences(paragraph):
                (chinese if doc.lang == "zh" else english).append(sentence)
    return english, chinese


def _sentences(paragraph: str) -> Iterator[str]:
    piece = ""
    for char in paragraph:
        piece += char
        if char in "。！？" or (char in ".!?" and len(piece) > 40):
            if len(piece.strip()) > 15:
                yield piece.strip()
            piece = ""
    if len(piece.strip()) > 15:
        yield piece.strip()


def write_documents(folder: Path, count: int, english: list[str], chinese: list[str]) -> int:
    """Write `count` documents; returns their total size in bytes."""
    rng = random.Random(20251123)
    total = 0
    for serial in range(count):
        pool = chinese if chinese and serial % 5 == 4 else english
        sentences = rng.sample(pool, min(len(pool), rng.randint(8, 18)))
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        title = f"Market bulletin {serial}: {sentences[0][:60]}"
        day = f"2025-{serial % 12 + 1:02d}-{serial % 28 + 1:02d}"
        source = folder / f"publisher-{serial % SOURCES:02d}"
        source.mkdir(exist_ok=True)
        if serial % 2:
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            page = (
                f"<html><head><title>{title}</title><meta name='date' content='{day}'></head><body>"
                f"<nav>{NAV}</nav><article><h1>{title}</h1>{body}</article><footer>{FOOTER}</footer></body></html>"
            )
            path = source / f"bulletin-{serial:05d}.html"
        else:
            page = f"{title}\n{day}\n\n" + "\n\n".join(paragraphs) + "\n"
            path = source / f"bulletin-{serial:05d}.txt"
        data = page.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def baseline_read(files: list[Path]) -> float:
    """Seconds to read and decode every file (what any ingester must at least do)."""
    started = time.perf_counter()
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()
        path.read_bytes().decode("utf-8")
    return time.perf_counter() - started


def baseline_trafilatura(files: list[Path]) -> float:
    """Seconds for trafilatura alone to turn the HTML files into text."""
    started = time.perf_counter()
    for path in files:
        trafilatura.extract(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started


class StageClock:
    """Wall time spent inside the pipeline's stage functions, found by wrapping them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started

        return timed

    def install(self) -> None:
        pipeline.clean_document = self.wrap("clean", pipeline.clean_document)
        pipeline.extract_facts = self.wrap("extract facts", pipeline.extract_facts)
        pipeline.extract_events = self.wrap("extract events", pipeline.extract_events)
        pipeline.text_sha256 = self.wrap("dedupe", pipeline.text_sha256)
        pipeline.DuplicateIndex.signature = self.wrap("dedupe", pipeline.DuplicateIndex.signature)  # type: ignore[method-assign]
        pipeline.DuplicateIndex.find = self.wrap("dedupe", pipeline.DuplicateIndex.find)  # type: ignore[method-assign]
        pipeline.DuplicateIndex.add = self.wrap("dedupe", pipeline.DuplicateIndex.add)  # type: ignore[method-assign]
        original_transaction = Store.transaction

        @contextmanager
        def timed_transaction(store: Store) -> Iterator[Session]:
            started = time.perf_counter()
            try:
                with original_transaction(store) as session:
                    yield session
            finally:
                self.seconds["store writes"] += time.perf_counter() - started

        Store.transaction = timed_transaction  # type: ignore[method-assign,assignment]
        pipeline.repo.save_document = self.wrap("  of which documents", pipeline.repo.save_document)
        pipeline.replace_facts = self.wrap("  of which facts", pipeline.replace_facts)
        pipeline.record_events = self.wrap("  of which events", pipeline.record_events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--workers", type=int, default=1, help="IngestOptions.workers")
    parser.add_argument("--no-extract", action="store_true", help="ingest without extracting facts and events")
    parser.add_argument("--profile", action="store_true", help="also print the 25 costliest functions")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    try:
        english, chinese = sentence_pools()
        corpus = work / "corpus"
        corpus.mkdir()
        size = write_documents(corpus, args.count, english, chinese)
        files = sorted(p for p in corpus.rglob("*") if p.is_file())
        html = [p for p in files if p.suffix == ".html"]
        print(
            f"corpus: {len(files)} documents, {size / 1e6:.1f} MB, from {len(english)} English and "
            f"{len(chinese)} Chinese sentences of the sample corpus; {len(html)} HTML pages"
        )

        read_s = baseline_read(files)
        traf_s = baseline_trafilatura(html)

        clock = StageClock()
        clock.install()
        store = open_store(f"sqlite:///{work / 'bench.db'}")
        options = pipeline.IngestOptions(
            SourceOptions(), extract=not args.no_extract, show_progress=False, workers=args.workers
        )
        profiler = cProfile.Profile() if args.profile else None
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = pipeline.ingest([str(corpus)], options, store)
        if profiler:
            profiler.disable()
        ours_s = time.perf_counter() - started
        ours_cpu = time.process_time() - cpu_started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        store.close()
        db_mb = sum(p.stat().st_size for p in work.glob("bench.db*")) / 1e6

        mb = size / 1e6
        html_mb = sum(p.stat().st_size for p in html) / 1e6
        print(f"\n{'':38}{'docs/s':>10}{'MB/s':>9}{'seconds':>10}")
        print(f"{'baseline: read + sha256 + decode':38}{len(files) / read_s:>10.0f}{mb / read_s:>9.1f}{read_s:>10.1f}")
        print(
            f"{'baseline: trafilatura alone (HTML)':38}{len(html) / traf_s:>10.0f}{html_mb / traf_s:>9.2f}"
            f"{traf_s:>10.1f}"
        )
        print(
            f"{'assay ingest (workers=' + str(args.workers) + ')':38}{len(files) / ours_s:>10.0f}"
            f"{mb / ours_s:>9.2f}{ours_s:>10.1f}"
        )
        label = "  same, per CPU second of this process"
        print(f"{label:38}{len(files) / ours_cpu:>10.0f}{mb / ours_cpu:>9.2f}{ours_cpu:>10.1f}")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall figures shrink when others run)")
        print(
            f"\nadded {report.added}, duplicates {report.duplicates}, failures {len(report.failures)}, "
            f"facts {report.facts}, events {report.events}"
        )
        for reason, times in Counter(reason for _, reason in report.failures).most_common(5):
            print(f"  failed {times}x: {reason}")
        print(
            f"peak memory (max RSS): {rss_after / 1024:.0f} MB (before ingest {rss_before / 1024:.0f} MB); "
            f"database {db_mb:.0f} MB"
        )
        print("\nwhere the time goes (wall seconds inside each stage):")
        accounted = 0.0
        for stage, seconds in clock.seconds.items():
            accounted += 0 if stage.startswith(" ") else seconds
            print(f"  {stage:20}{seconds:8.1f}  {100 * seconds / ours_s:5.1f}%")
        rest = ours_s - accounted
        print(f"  {'sources, lookups, rest':20}{rest:8.1f}  {100 * rest / ours_s:5.1f}%")
        if profiler:
            print()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
