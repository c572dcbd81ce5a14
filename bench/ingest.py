"""Ingest throughput: the sample corpus's text and HTML turned into >= 10,000 documents, ingested into SQLite.

    python bench/ingest.py [--count 10000] [--workers 1] [--backend pool|dask] [--database URL]
                           [--no-extract | --extract-only] [--profile] [--reuse-extraction K]

Prints documents/s of assay ingest with extraction and without it (--no-extract: without only),
beside the baselines, and for each run the wall time spent per stage and the peak memory of this
process and of its worker processes. `--backend dask` runs the stages on a Dask LocalCluster of
`--workers` processes (`pool`: the pipeline's own process pool); `--database` ingests into that
store (e.g. an empty PostgreSQL database) instead of a fresh SQLite file. Run each size in its own
process: peak memory is the process's high-water mark.

As the store grows, the run prints checkpoints (at 10,000, 50,000 and 100,000 documents stored, and at
the end): documents/s so far and over the last window of documents, peak memory so far (this process,
and the worker processes alive), and the milliseconds per document of storing facts+events, of the
near-duplicate lookup and of the other writes over that window, so that a cost growing with the
store shows as a growing figure. `--reuse-extraction K` extracts only K documents and gives every
other document the extraction of one of them (serial modulo K): everything else runs as usual, so
a 100,000-document run measures the store's growth in a fraction of the time (one process only).

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
import multiprocessing
import multiprocessing.util
import os
import pstats
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

import assay.pipeline as pipeline
import assay.pipeline.stages as stages
import assay.pipeline.writer as writer
import assay.store.documents as documents_repo
from assay.clean import clean_document
from assay.clean.dedupe import DuplicateIndex
from assay.clean.noise import SourceBoilerplate
from assay.cli.docs import sample_corpus_dir
from assay.distributed import ExecutorChoice, stage_executor
from assay.sources import SourceOptions, iter_sources
from assay.store.db import Store, open_store
from assay.store.dedupe import StoredDuplicateIndex
from assay.workers import end_with_parent

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

    def install(self, in_workers: bool) -> None:
        """Wrap the stage functions; with `in_workers`, not those submitted to worker processes (a wrapper
        cannot be sent there, and their time is spent there: docs/CPU-s then counts this process only)."""
        # (owner, attribute, stage): functions the pipeline looks up at call time, so wrapping them times each call
        targets: list[tuple[Any, str, str]] = [
            # in worker processes (pool, Dask) the first three are not seen: they run there, not here
            (stages, "read_document", "clean (read, format to text)"),
            (pipeline, "extract", "extract facts+events"),
            (DuplicateIndex, "signature", "dedupe signature"),
            (pipeline, "finish_document", "clean (finish, boilerplate)"),  # in workers too since round 5
            (SourceBoilerplate, "observe", "clean (source boilerplate)"),
            (SourceBoilerplate, "filter", "clean (source boilerplate)"),
            (StoredDuplicateIndex, "find_many", "dedupe lookup (store)"),
            (StoredDuplicateIndex, "add_many", "dedupe index (store)"),
            (documents_repo, "find_source", "stored-input lookup"),
            (documents_repo, "find_sources", "stored-input lookup"),  # per chunk of inputs (round 5)
            (documents_repo, "save_document", "store documents+FTS"),
            (documents_repo, "save_documents", "store documents+FTS"),
            (writer, "replace_facts", "store facts"),
            (writer, "insert_facts", "store facts"),
            (writer, "insert_facts_of_documents", "store facts"),
            (writer, "record_events", "store events"),
            (writer, "record_new_events", "store events"),
            (writer.Batch, "end_transaction", "commits"),
            (pipeline, "refresh_statistics", "statistics"),
            (pipeline, "weigh_stale_points", "series points (after the run)"),  # round 5
        ]
        for owner, attribute, stage in targets:
            if in_workers and attribute in ("read_document", "extract", "signature"):
                continue
            if not hasattr(owner, attribute):  # the code of an earlier round, benched beside this one
                continue
            setattr(owner, attribute, self.wrap(stage, getattr(owner, attribute)))


# stages whose cost per document the checkpoints print: (heading, stages of StageClock)
CHECKPOINT_COSTS = (
    ("facts+events", ("store facts", "store events")),
    ("dup lookup", ("dedupe lookup (store)", "dedupe index (store)")),
    ("doc+FTS", ("store documents+FTS", "stored-input lookup")),
    ("commits", ("commits",)),
)
CHECKPOINTS = (10_000, 50_000, 100_000)
WINDOW = 1000  # documents a checkpoint's per-document costs are averaged over (fewer below 10,000)
BASELINE_FILES = 5000  # the baselines' rates are measured on at most this many files


def descendants() -> list[int]:
    """This process's live descendants (Linux; none elsewhere)."""
    found: list[int] = []
    pending = [os.getpid()]
    while pending:
        pid = pending.pop()
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                kids = [int(k) for k in children.read_text().split()]
            except OSError:
                continue
            pending.extend(kids)
            found.extend(kids)
    return found


def cpu_seconds_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def children_cpu_seconds() -> float:
    """CPU seconds of the child processes that have ended (and been waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_mb_of_children() -> float:
    """The largest peak memory (VmHWM) among this process's live descendants (Linux; 0 elsewhere)."""
    peak = 0.0
    for kid in descendants():
        try:
            status = Path(f"/proc/{kid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


class Checkpoints:
    """Counts documents as they are stored and, at each mark, prints what the run cost so far and over
    the last window: the figures that show whether a cost grows with the store."""

    def __init__(self, clock: StageClock, count: int) -> None:
        self.clock = clock
        self.marks = sorted({mark for mark in (*CHECKPOINTS, count) if mark <= count})
        self.window = min(WINDOW, max(1, self.marks[0] // 10))
        self.stored = 0
        self.started = time.perf_counter()
        self.window_start: tuple[float, float, dict[str, float]] | None = None
        self.lines: list[str] = []
        self.children_peak = 0.0

    def install(self) -> None:
        run_class = getattr(pipeline, "_Run")  # noqa: B009  # private on purpose; the bench reaches in
        analysed = run_class._analysed

        def counted(run: Any, *args: Any, **kwargs: Any) -> Any:
            result = analysed(run, *args, **kwargs)
            self.document_stored()
            return result

        run_class._analysed = counted

    def restart(self) -> None:
        self.stored, self.started, self.window_start, self.lines = 0, time.perf_counter(), None, []
        self.children_peak = 0.0

    def document_stored(self) -> None:
        self.stored += 1
        if any(self.stored == mark - self.window for mark in self.marks):
            self.window_start = (time.perf_counter(), time.process_time(), dict(self.clock.seconds))
        if self.stored in self.marks and self.window_start is not None:
            self.lines.append(self._line())
            print(self.lines[-1], flush=True)

    def _line(self) -> str:
        assert self.window_start is not None
        now = time.perf_counter()
        began, cpu_began, before = self.window_start
        cpu_ms = 1000 * (time.process_time() - cpu_began) / self.window
        costs = "".join(
            f"{1000 * sum(self.clock.seconds.get(s, 0.0) - before.get(s, 0.0) for s in stages) / self.window:>16.2f}"
            for _, stages in CHECKPOINT_COSTS
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.children_peak = max(self.children_peak, peak_mb_of_children())
        return (
            f"{self.stored:>9,}{self.stored / (now - self.started):>9.1f}{self.window / (now - began):>9.1f}"
            f"{rss:>9.0f}{self.children_peak:>9.0f}{cpu_ms:>8.1f}{costs}{os.getloadavg()[0]:>7.1f}"
        )

    def header(self) -> str:
        costs = "".join(f"{name + ' ms':>16}" for name, _ in CHECKPOINT_COSTS)
        return (
            f"{'stored':>9}{'docs/s':>9}{'window':>9}{'RSS MB':>9}{'worker':>9}{'CPU ms':>8}{costs}{'load':>7}"
            f"   (over the last {self.window} documents: docs/s, this process's CPU and wall ms per document)"
        )


def reuse_extraction(distinct: int) -> None:
    """Extract `distinct` documents only; every other gets the extraction of document serial % distinct."""
    made: dict[int, pipeline.Extraction] = {}
    extract = pipeline.extract
    serial_of = re.compile(r"(\d+)")

    def reused(doc: Any) -> pipeline.Extraction:
        found = serial_of.search(doc.name)
        key = int(found.group(1)) % distinct if found else 0
        if key not in made:
            made[key] = extract(doc)
        return made[key]

    pipeline.extract = reused  # looked up by pipeline.analyse at call time


@dataclass
class Run:
    label: str
    seconds: float
    cpu_seconds: float
    report: pipeline.IngestReport
    stages: dict[str, float]
    db_mb: float
    rss_mb: float
    children_rss_mb: float
    checkpoints: list[str]
    worker_cpu: dict[int, float]  # CPU seconds each helper process (pool or cluster) used during the run


@dataclass(frozen=True)
class Setup:
    workers: int
    backend: str
    database: str | None
    profile: bool


def _profiled_worker(folder: str, parent_pid: int) -> None:
    """A pool worker's initializer: end with the parent, and profile (CPU time) until the worker exits."""
    end_with_parent(parent_pid)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()

    def dump() -> None:
        profiler.disable()
        profiler.dump_stats(os.path.join(folder, f"worker-{os.getpid()}.prof"))

    multiprocessing.util.Finalize(None, dump, exitpriority=10)  # run as the worker process exits


@contextmanager
def bench_executor(setup: Setup, work: Path) -> Iterator[tuple[Executor | None, int]]:
    """The pipeline's executor, or with --profile and a pool, the same pool with each worker profiled."""
    if not (setup.profile and setup.workers > 1 and setup.backend == "pool"):
        with stage_executor(ExecutorChoice(workers=setup.workers, local_backend=setup.backend)) as chosen:
            yield chosen
        return
    folder = work / "worker-profiles"
    folder.mkdir(exist_ok=True)
    pool = ProcessPoolExecutor(
        setup.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_profiled_worker,
        initargs=(str(folder), os.getpid()),
    )
    try:
        yield pool, setup.workers
    finally:
        pool.shutdown()
    found = sorted(folder.glob("worker-*.prof"))
    if found:
        print(f"\n--- profile of the {len(found)} workers together (CPU time) ---")
        stats = pstats.Stats(*map(str, found))
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(30)
        for path in found:
            path.unlink()


def run_ingest(work: Path, corpus: Path, extract: bool, setup: Setup, clock: StageClock, marks: Checkpoints) -> Run:
    """Ingest the corpus into a fresh store, timed; the clock holds this run's stages only."""
    clock.seconds.clear()
    marks.restart()
    print(f"\ningest {'with' if extract else 'without'} extraction, as the store grows:\n{marks.header()}", flush=True)
    name = "with-extraction" if extract else "without-extraction"
    store: Store = open_store(setup.database or f"sqlite:///{work / (name + '.db')}")
    profiler = cProfile.Profile(time.process_time) if setup.profile else None
    with bench_executor(setup, work) as (executor, slots):
        options = pipeline.IngestOptions(
            SourceOptions(), extract=extract, show_progress=False, workers=slots, executor=executor
        )
        helpers_before = cpu_seconds_of(descendants())  # a cluster's processes, already running
        ended_before = children_cpu_seconds()
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = pipeline.ingest([str(corpus)], options, store)
        if profiler:
            profiler.disable()
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        helpers = {pid: used - helpers_before.get(pid, 0.0) for pid, used in cpu_seconds_of(descendants()).items()}
    # the pipeline's own pool has ended by now: its workers are counted among the ended children
    helpers[0] = children_cpu_seconds() - ended_before
    store.close()
    if profiler:
        print(f"\n--- profile, ingest {name} ---")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(30)
    label = f"assay ingest, {'with' if extract else 'no'} extraction"
    db_mb = sum(p.stat().st_size for p in work.glob(name + ".db*")) / 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    children_mb = max(children_mb, marks.children_peak)
    return Run(
        label, seconds, cpu_seconds, report, dict(clock.seconds), db_mb, rss_mb, children_mb, list(marks.lines), helpers
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--workers", type=int, default=1, help="IngestOptions.workers")
    parser.add_argument("--backend", choices=("pool", "dask"), default="pool", help="with --workers > 1")
    parser.add_argument("--database", help="store URL to ingest into (an empty one), instead of a fresh SQLite file")
    parser.add_argument("--no-extract", action="store_true", help="only the run without extraction")
    parser.add_argument("--extract-only", action="store_true", help="only the run with extraction")
    parser.add_argument(
        "--profile", action="store_true", help="also print the costliest functions (CPU time; a pool's workers too)"
    )
    parser.add_argument(
        "--reuse-extraction", type=int, metavar="K", help="extract K documents only, reuse theirs for the rest"
    )
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

        sampled, sampled_html = files[:BASELINE_FILES], html[: BASELINE_FILES // 2]
        read_s = baseline_read(sampled)
        traf_s = baseline_trafilatura(sampled_html)

        clock = StageClock()
        clock.install(in_workers=args.workers > 1)
        marks = Checkpoints(clock, args.count)
        marks.install()
        if args.reuse_extraction:
            if args.workers > 1:
                sys.exit("bench: --reuse-extraction works in one process only (workers extract on their own)")
            reuse_extraction(args.reuse_extraction)
            print(f"extraction reused: {args.reuse_extraction} documents extracted, the others given one of theirs")
        setup = Setup(args.workers, args.backend, args.database, args.profile)
        if args.database and not (args.no_extract or args.extract_only):
            sys.exit("bench: with --database, choose one run (--extract-only or --no-extract): it needs an empty store")
        runs = [run_ingest(work, corpus, True, setup, clock, marks)] if not args.no_extract else []
        if not args.extract_only:
            runs.append(run_ingest(work, corpus, False, setup, clock, marks))

        mb = size / 1e6
        sampled_mb = sum(p.stat().st_size for p in sampled) / 1e6
        html_mb = sum(p.stat().st_size for p in sampled_html) / 1e6
        print(f"\n{'':40}{'docs/s':>9}{'MB/s':>8}{'seconds':>9}{'docs/CPU-s':>12}")
        print(
            f"{'baseline: read + sha256 + decode':40}{len(sampled) / read_s:>9.0f}{sampled_mb / read_s:>8.1f}"
            f"{read_s:>9.1f}   ({len(sampled)} files)"
        )
        print(
            f"{'baseline: trafilatura alone (HTML)':40}{len(sampled_html) / traf_s:>9.0f}{html_mb / traf_s:>8.2f}"
            f"{traf_s:>9.1f}   ({len(sampled_html)} pages)"
        )
        for run in runs:
            print(
                f"{run.label + ' (' + args.backend + ' ' + str(args.workers) + ')':40}{len(files) / run.seconds:>9.1f}"
                f"{mb / run.seconds:>8.2f}{run.seconds:>9.1f}{len(files) / run.cpu_seconds:>12.1f}"
            )
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall figures shrink when others run)")
        for run in runs:
            helpers = sum(run.worker_cpu.values())
            total = run.cpu_seconds + helpers
            print(
                f"{run.label}: CPU ms per document: this process {1000 * run.cpu_seconds / len(files):.2f}, "
                f"workers {1000 * helpers / len(files):.2f}, in all {1000 * total / len(files):.2f}; "
                f"the {args.workers} cores busy {100 * total / (run.seconds * max(1, args.workers)):.0f}% "
                f"of the run's wall time (this process {100 * run.cpu_seconds / run.seconds:.0f}%, "
                f"the workers {100 * helpers / run.seconds:.0f}%)"
            )
        for run in runs:
            report = run.report
            print(
                f"\n{run.label}: added {report.added}, duplicates {report.duplicates}, failures "
                f"{len(report.failures)}, facts {report.facts}, events {report.events}; database {run.db_mb:.0f} MB, "
                f"peak memory (max RSS) so far {run.rss_mb:.0f} MB here, {run.children_rss_mb:.0f} MB in a worker"
            )
            for reason, times in Counter(reason for _, reason in report.failures).most_common(5):
                print(f"  failed {times}x: {reason}")
            print("  where the time goes (wall seconds inside each stage):")
            for stage, seconds in sorted(run.stages.items(), key=lambda item: -item[1]):
                print(f"    {stage:30}{seconds:8.2f}  {100 * seconds / run.seconds:5.1f}%")
            rest = run.seconds - sum(run.stages.values())
            print(f"    {'sources, savepoints, rest':30}{rest:8.2f}  {100 * rest / run.seconds:5.1f}%")
            print("  as the store grew:")
            print("  " + marks.header())
            for line in run.checkpoints:
                print("  " + line)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
