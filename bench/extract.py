#!/usr/bin/env python3
"""Extraction throughput in KB of clean text per CPU-second, beside quantulum3 and beside older code.

    python bench/extract.py [--baseline-rev REV ...] [--rounds 3] [--repeat 3] [--corpus DIR ...]
                            [--quantulum-kb 100] [--memory-mb 2]

The text is the clean text of ../shared/corpus/dev and seeds (or the --corpus folders; the bundled
sample when none is there), through the real sources and clean stages. Throughput is in CPU
seconds (time.process_time), the best of --repeat passes, so other work on a shared machine
counts less than in wall time:
- facts: extract_facts(doc); events: extract_events(doc); facts+events: both, through
  extract_all(doc) (one reading of the text for both) where the code has it, else one then the other.
- quantulum3 (pip install -e ".[bench]"), a classifier-backed quantity parser, on the first
  --quantulum-kb of the same text, and assay's read_quantities on that same slice.

`--baseline-rev REV` (a commit, tag or branch; repeatable) measures the same documents with the
extractor of that revision, exported from git into a temporary folder and run with it on
PYTHONPATH, in separate processes taken in turn with the working tree's (--rounds times, best
kept), so both see the same load. For example `--baseline-rev d936fc8 --baseline-rev main`.
The last lines print the peak traced memory of extract_facts streaming --memory-mb of copies
of the text, and ten times that: it should stay flat.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO / ".." / "shared" / "corpus"
DEFAULT_CORPORA = [SHARED_CORPUS / "dev", SHARED_CORPUS / "seeds"]
SAMPLE = REPO / "src" / "assay" / "sample"
KB = 1000
MB = 1_000_000
MEASURES = ("facts", "events", "facts+events")
# the fields of a Document the extractor reads; every revision's Document has them
DOCUMENT_FIELDS = (
    "name", "source", "raw_sha256", "clean_text", "raw_text", "title", "lang", "published", "content_type",
)  # fmt: skip


# --- the measurement, run in a child process by whichever revision is on its PYTHONPATH ----------


def measure(documents_path: Path, repeat: int) -> dict[str, Any]:
    """Best CPU seconds of `repeat` passes of each measure over the documents in `documents_path`."""
    import assay.model
    from assay.extract.events import extract_events
    from assay.extract.facts import extract_facts

    both: Callable[[Any], object]
    try:
        from assay.extract.combined import extract_all

        both, combined = extract_all, True
    except ImportError:  # code from before extract_all: one then the other

        def both(doc: Any) -> object:
            return extract_facts(doc), extract_events(doc)

        combined = False

    known = set(assay.model.Document.__dataclass_fields__)
    rows = json.loads(documents_path.read_text(encoding="utf-8"))
    docs = [assay.model.Document(**{k: v for k, v in row.items() if k in known}) for row in rows]
    work: dict[str, Callable[[Any], object]] = {"facts": extract_facts, "events": extract_events, "facts+events": both}
    for doc in docs[:3]:  # gazetteers, word tables and regexes load once, outside the timing
        both(doc)
    best = dict.fromkeys(MEASURES, float("inf"))
    for _ in range(repeat):
        for name, run in work.items():
            gc.collect()
            started = time.process_time()
            for doc in docs:
                run(doc)
            best[name] = min(best[name], time.process_time() - started)
    return {"seconds": best, "combined": combined, "code": str(Path(assay.model.__file__).parents[1])}


# --- the parent: documents, revisions, the table -------------------------------------------------


def load_documents(corpora: Sequence[Path]) -> list[Any]:
    """The corpora's documents, cleaned; a corpus folder that is absent is left out."""
    from assay.clean import clean_document
    from assay.sources import SourceError, SourceOptions, iter_sources

    inputs = [str(path) for path in corpora if path.is_dir()]
    docs = []
    for raw in iter_sources(inputs, SourceOptions()) if inputs else ():
        if isinstance(raw, SourceError):
            print(f"skipped {raw}", file=sys.stderr)
            continue
        docs.append(clean_document(raw))
    return [doc for doc in docs if doc.clean_text.strip()]


def export_revision(rev: str, into: Path) -> Path:
    """The `src` folder of revision `rev`, exported from git into `into`; exits on an unknown revision."""
    archive = into / "src.tar"
    with archive.open("wb") as out:
        done = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src"], stdout=out, stderr=subprocess.PIPE)
    if done.returncode != 0:
        sys.exit(f"error: {rev}: {done.stderr.decode(errors='replace').strip() or 'not a revision of this repository'}")
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_child(src: Path, documents_path: Path, repeat: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(documents_path), "--repeat", str(repeat)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=src)
    if done.returncode != 0:
        sys.exit(f"error: measuring with {src}: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(result["code"]).resolve() != src.resolve():  # an installed assay shadowed the exported one
        sys.exit(f"error: {src}: the measurement ran the code in {result['code']}")
    return result


def revision_label(rev: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True)
    return f"{rev} ({done.stdout.strip()})" if done.returncode == 0 and done.stdout.strip() != rev else rev


def compare(docs: Sequence[Any], revisions: Sequence[str], rounds: int, repeat: int) -> None:
    """Each revision and the working tree measured in turn, `rounds` times; the best of each printed."""
    size = sum(len(doc.clean_text.encode("utf-8")) for doc in docs)
    with tempfile.TemporaryDirectory(prefix="assay-bench-") as tmp:
        documents_path = Path(tmp) / "documents.json"
        rows = [{k: getattr(doc, k) for k in DOCUMENT_FIELDS if hasattr(doc, k)} for doc in docs]
        documents_path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        sources: dict[str, Path] = {}
        for rev in revisions:
            sources[revision_label(rev)] = export_revision(rev, Path(tempfile.mkdtemp(dir=tmp)))
        sources["working tree"] = REPO / "src"
        best: dict[str, dict[str, float]] = {label: dict.fromkeys(MEASURES, float("inf")) for label in sources}
        combined: dict[str, bool] = {}
        for _ in range(rounds):
            for label, src in sources.items():
                result = run_child(src, documents_path, repeat)
                combined[label] = result["combined"]
                for name in MEASURES:
                    best[label][name] = min(best[label][name], result["seconds"][name])
    print(f"KB of clean text per CPU-second, best of {rounds} rounds x {repeat} passes, revisions in turn:")
    print(f"{'code':34s} " + " ".join(f"{name:>13s}" for name in MEASURES) + "  facts+events as")
    for label, seconds in best.items():
        cells = " ".join(f"{size / KB / seconds[name]:13.0f}" for name in MEASURES)
        how = "extract_all" if combined[label] else "one then the other"
        print(f"{label:34s} {cells}  {how}")
    if len(best) > 1:
        mine = best["working tree"]
        for label, seconds in list(best.items())[:-1]:
            ratio = seconds["facts+events"] / mine["facts+events"]
            print(f"working tree facts+events is {ratio:.2f}x {label}")


def quantulum3_parser() -> Callable[[str], int] | None:
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    parser.parse("warm up: 5 tons")  # loads its classifier once, outside the timing

    def parse(text: str) -> int:
        return len(parser.parse(text))

    return parse


def beside_quantulum3(docs: Sequence[Any], kilobytes: float) -> None:
    """quantulum3 and assay's read_quantities on the same first `kilobytes` of text, in CPU seconds."""
    from assay.extract.numbers import read_quantities

    if kilobytes <= 0:
        return
    baseline = quantulum3_parser()
    if baseline is None:
        print('\nquantulum3 is not installed (pip install -e ".[bench]"): no baseline')
        return
    texts, size = [], 0
    for doc in docs:
        if size >= kilobytes * KB:
            break
        texts.append(doc.clean_text)
        size += len(doc.clean_text.encode("utf-8"))
    runs = {"quantulum3 parser.parse (baseline)": baseline, "assay read_quantities": lambda t: len(read_quantities(t))}
    seconds = dict.fromkeys(runs, 0.0)
    found = dict.fromkeys(runs, 0)
    for text in texts:  # document by document in turn, so a change of load hits both alike
        for name, run in runs.items():
            gc.collect()
            started = time.process_time()
            found[name] += run(text)
            seconds[name] += time.process_time() - started
    print(f"\nquantities, the same {size / KB:.0f} KB, document by document in turn:")
    for name in runs:
        rate = size / KB / seconds[name] if seconds[name] else float("inf")
        print(f"{name:34s} {rate:10.1f} KB/CPU-s {found[name]:7d} quantities")


def stream(docs: Sequence[Any], megabytes: float) -> Iterator[Any]:
    """Copies of `docs`, renamed, until `megabytes` of clean text have gone by; nothing is kept."""
    budget, copy = megabytes * MB, 0
    while budget > 0:
        for doc in docs:
            if budget <= 0:
                return
            budget -= len(doc.clean_text.encode("utf-8"))
            yield replace(doc, name=f"{doc.name}~{copy}")
        copy += 1


def peak_memory(docs: Sequence[Any], megabytes: float) -> tuple[float, int]:
    """Peak traced memory (MB) of extract_facts over a stream of `megabytes`, and the facts counted."""
    from assay.extract.facts import extract_facts

    tracemalloc.start()
    tracemalloc.reset_peak()
    found = sum(len(extract_facts(doc)) for doc in stream(docs, megabytes))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / MB, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-rev", action="append", default=[], metavar="REV", help="older code to compare")
    parser.add_argument("--rounds", type=int, default=3, help="turns of every revision (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the text per turn (default 3)")
    parser.add_argument("--corpus", action="append", type=Path, help="corpus folder (default: dev and seeds)")
    parser.add_argument("--quantulum-kb", type=float, default=100.0, help="KB for quantulum3 (default 100; 0: none)")
    parser.add_argument("--memory-mb", type=float, default=2.0, help="stream size for the 1x memory run (0: none)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # one measurement, for the parent
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(measure(args.child, args.repeat)))
        return 0

    corpora = args.corpus or DEFAULT_CORPORA
    docs = load_documents(corpora) or load_documents([SAMPLE])
    if not docs:
        print("error: bench: no corpus found (../shared/corpus/dev, seeds, src/assay/sample)", file=sys.stderr)
        return 1
    size = sum(len(d.clean_text.encode("utf-8")) for d in docs)
    started = datetime.now().isoformat(timespec="seconds")
    print(f"assay extraction bench, {started}: {len(docs)} documents, {size / KB:.0f} KB of clean text\n")
    compare(docs, args.baseline_rev, args.rounds, args.repeat)
    beside_quantulum3(docs, args.quantulum_kb)
    if args.memory_mb > 0:
        small, small_facts = peak_memory(docs, args.memory_mb)
        large, large_facts = peak_memory(docs, args.memory_mb * 10)
        print(f"\nmemory, extract_facts streaming ({'flat' if large < small * 1.5 + 1 else 'GROWS'}):")
        print(f"  1x  {args.memory_mb:6.1f} MB of text: peak {small:7.2f} MB traced, {small_facts} facts")
        print(f"  10x {args.memory_mb * 10:6.1f} MB of text: peak {large:7.2f} MB traced, {large_facts} facts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
