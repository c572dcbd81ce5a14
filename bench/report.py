"""Report writing time per commodity: PDF (the aim: under 5 s each), beside HTML and Markdown baselines.

    python bench/report.py [--count 10000] [--db FILE] [--skip-large]

Two stores: the bundled sample corpus, and a generated store of --count documents (the generator
of bench/ingest.py: sentences of the sample corpus under serial titles, half HTML), ingested with
extraction. `--db FILE` reuses (or keeps) the generated store, whose ingest takes minutes.
For each commodity: seconds to write the PDF, the same report as HTML (charts included, no PDF
layout) and as Markdown (no charts, no layout): the baselines show what PDF rendering costs.
The first report of a process also pays for importing WeasyPrint and matplotlib; it is timed apart.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ingest.py's generator

from assay import pipeline
from assay.cli.docs import sample_corpus_dir
from assay.publish.report import render_report
from assay.publish.report_data import ReportOptions
from assay.sources import SourceOptions
from assay.store.db import Store, open_store
from assay.store.documents import store_counts
from ingest import sentence_pools, write_documents  # after the path line above

COMMODITIES = ("magnesium", "magnesia", "magnesite", "graphite", "rare_earths", "rare_earth_magnets")


def timed(store: Store, commodity: str, fmt: str) -> tuple[float, float]:
    """Wall and CPU seconds of one report (CPU time is what the machine's other users cannot inflate)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    render_report(store, commodity, ReportOptions(format=fmt))
    return time.perf_counter() - started, time.process_time() - cpu_started


def table(title: str, store: Store) -> None:
    print(f"\n{title}")
    print(f"{'commodity':22}{'pdf s':>8}{'pdf cpu':>9}{'html s':>8}{'md s':>8}   (aim: pdf under 5 s)")
    for commodity in COMMODITIES:
        (pdf, pdf_cpu), (html, _), (md, _) = (timed(store, commodity, fmt) for fmt in ("pdf", "html", "md"))
        flag = "" if pdf < 5 else "  over the aim"
        print(f"{commodity:22}{pdf:8.2f}{pdf_cpu:9.2f}{html:8.2f}{md:8.2f}{flag}")


def counts(store: Store) -> str:
    with store.session() as session:
        found = store_counts(session)
    return f"{found.documents} documents, {found.facts} facts, {found.events} events"


def ingest(store: Store, folder: Path) -> None:
    started = time.perf_counter()
    report = pipeline.ingest([str(folder)], pipeline.IngestOptions(SourceOptions(), show_progress=False), store)
    print(
        f"ingested {report.added} documents ({report.facts} facts, {report.events} events) "
        f"in {time.perf_counter() - started:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents in the generated store")
    parser.add_argument("--db", type=Path, help="SQLite file for the generated store (reused when it exists)")
    parser.add_argument("--skip-large", action="store_true", help="only the sample corpus")
    args = parser.parse_args()
    corpus = sample_corpus_dir()
    if corpus is None:
        sys.exit("bench: the bundled sample corpus (assay.sample) is missing")
    with tempfile.TemporaryDirectory(prefix="assay-bench-report-") as work:
        sample = open_store(f"sqlite:///{Path(work) / 'sample.db'}")
        ingest(sample, corpus)
        started = time.perf_counter()
        render_report(sample, "magnesium", ReportOptions(format="pdf"))
        first = time.perf_counter() - started
        print(f"first PDF of the process (imports WeasyPrint, matplotlib, fonts): {first:.2f} s")
        table(f"sample corpus ({counts(sample)})", sample)
        sample.close()
        if args.skip_large:
            return
        path = args.db or Path(work) / "large.db"
        fresh = not path.exists()
        large = open_store(f"sqlite:///{path}")
        if fresh:
            english, chinese = sentence_pools()
            folder = Path(work) / "generated"
            folder.mkdir()
            write_documents(folder, args.count, english, chinese)
            ingest(large, folder)
        table(f"generated store ({counts(large)})", large)
        large.close()
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall figures grow when others run)")


if __name__ == "__main__":
    main()
