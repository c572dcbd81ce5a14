"""What storing one more document costs in a store of 10,000 or 100,000: ingest's cost that must not grow.

    python bench/store_growth.py --size 100000 [--seed 1000] [--window 1000] [--database URL]

Ingests `--seed` generated documents (bench/ingest.py's corpus), copies their rows in SQL until the
store holds `--size` documents (each copy with its own source, hashes and near-duplicate band keys,
its facts and event mentions, its full-text entry), then ingests `--window` new documents and prints,
per document, this process's CPU milliseconds and the wall milliseconds of storing facts+events, of
the near-duplicate lookup, of the document writes and of the commits, with the peak memory. Run it
once per size, each in its own process (peak memory is the process's high-water mark), and compare:
a cost that grows with the store shows as a larger figure at 100,000 than at 10,000.

Extraction is reused as in `bench/ingest.py --reuse-extraction` (500 documents extracted, the others
given one of theirs), so the window measures the store, not the extractor. Copies in SQL are not
ingests: they stand for the documents a real archive would hold, at a fraction of the time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import Connection, func, select, text

import assay.pipeline as pipeline
from assay.sources import SourceOptions
from assay.store.db import Store, open_store, refresh_statistics
from assay.store.schema import DocumentBandRow, DocumentRow, EventMentionRow, FactRow
from ingest import CHECKPOINT_COSTS, StageClock, reuse_extraction, sentence_pools, write_documents

REUSED = 500  # documents really extracted; the others reuse one of their extractions
# band keys of a copy: the original's divided by BAND_SHRINK, moved by the copy's number times BAND_SHIFT,
# so no two copies share a key (up to 500 copies within 64 bits) and lookups meet them as an archive's bands
BAND_SHRINK = 1 << 10
BAND_SHIFT = 1 << 54
COPIED_TABLES = ("documents", "facts", "event_mentions", "document_bands")


def resident_mb() -> float:
    """This process's resident memory now (Linux VmRSS; 0 elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)


def copy_rows(store: Store, size: int) -> int:
    """Copy the stored documents (and their facts, mentions and bands) until the store holds `size`."""
    with store.engine.begin() as connection:
        base = int(connection.execute(select(func.max(DocumentRow.id))).scalar_one())
        seed = int(connection.execute(select(func.count(DocumentRow.id))).scalar_one())
        copies = 0
        while seed * (copies + 1) < size:
            copies += 1
            take = min(seed, size - seed * copies)
            _copy_once(connection, copies, base, take)
        if store.dialect == "postgresql":  # explicit ids were given: move the sequences past them
            for table in COPIED_TABLES[:3]:
                connection.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    refresh_statistics(store)
    with store.session() as session:
        return int(session.scalar(select(func.count(DocumentRow.id))) or 0)


def _copy_once(connection: Connection, number: int, base: int, take: int) -> None:
    offset = number * base
    tag = f"{number:04d}"
    documents = [c.name for c in DocumentRow.__table__.columns]
    changed = {
        "id": "id + :offset",
        "source": "source || '#copy' || :tag",
        "name": "name",
        "raw_sha256": "substr(raw_sha256, 1, 60) || :tag",
        "text_sha256": "substr(text_sha256, 1, 60) || :tag",
        "duplicate_of": "NULL",
        "superseded_by": "NULL",
    }
    picked = ", ".join(changed.get(c, c) for c in documents)
    params = {"offset": offset, "tag": tag, "base": base, "take": take}
    connection.execute(
        text(
            f"INSERT INTO documents ({', '.join(documents)}) SELECT {picked} FROM documents "
            "WHERE id <= :base AND id IN (SELECT id FROM documents WHERE id <= :base ORDER BY id LIMIT :take)"
        ),
        params,
    )
    for table, row in (("facts", FactRow), ("event_mentions", EventMentionRow)):
        columns = [c.name for c in row.__table__.columns if c.name not in ("id",)]
        picked = ", ".join("document_id + :offset" if c == "document_id" else c for c in columns)
        connection.execute(
            text(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picked} FROM {table} "
                "WHERE document_id IN (SELECT id FROM documents WHERE id <= :base ORDER BY id LIMIT :take)"
            ),
            params,
        )
    bands = DocumentBandRow.__tablename__
    connection.execute(
        text(
            f"INSERT INTO {bands} (band, document_id) "
            f"SELECT band / :shrink + :shift, document_id + :offset FROM {bands} "
            "WHERE document_id IN (SELECT id FROM documents WHERE id <= :base ORDER BY id LIMIT :take)"
        ),
        {**params, "shrink": BAND_SHRINK, "shift": number * BAND_SHIFT},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="documents in the store before the window")
    parser.add_argument("--seed", type=int, default=1000, help="documents ingested, then copied")
    parser.add_argument("--window", type=int, default=1000, help="documents ingested and measured")
    parser.add_argument("--database", help="an empty store to use instead of a fresh SQLite file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="assay-growth-"))
    try:
        english, chinese = sentence_pools()
        corpus = work / "corpus"
        corpus.mkdir()
        write_documents(corpus, args.seed + args.window, english, chinese)
        seed, window = work / "seed", work / "window"
        for folder in (seed, window):
            folder.mkdir()
        for path in sorted(corpus.rglob("*.*")):
            serial = int(path.stem.split("-")[-1])
            target = (seed if serial < args.seed else window) / path.parent.name
            target.mkdir(exist_ok=True)
            path.rename(target / path.name)
        reuse_extraction(REUSED)
        store = open_store(args.database or f"sqlite:///{work / 'growth.db'}")
        options = pipeline.IngestOptions(SourceOptions(), show_progress=False)
        started = time.perf_counter()
        pipeline.ingest([str(seed)], options, store)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        stored = copy_rows(store, args.size)
        copied = time.perf_counter() - started
        copy_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"before the window (seed, copies): peak memory {copy_rss:.0f} MB, resident {resident_mb():.0f} MB")
        print(f"store: {stored:,} docs ({args.seed} ingested in {seeded:.0f} s, the others copied in {copied:.0f} s)")

        clock = StageClock()
        clock.install(in_workers=False)
        cpu, wall = time.process_time(), time.perf_counter()
        report = pipeline.ingest([str(window)], options, store)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        window_rss = resident_mb()
        store.close()
        done = report.added + report.duplicates
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        costs = "".join(
            f"{name + ' ' + f'{1000 * sum(clock.seconds.get(s, 0.0) for s in stages) / done:.2f}':>24}"
            for name, stages in CHECKPOINT_COSTS
        )
        print(
            f"window of {done} documents into a store of {stored:,}: {done / wall:.1f} docs/s, "
            f"{1000 * cpu / done:.1f} CPU ms per document, peak memory {rss:.0f} MB, load {os.getloadavg()[0]:.1f}"
        )
        print(f"resident memory after the window: {window_rss:.0f} MB")
        print(f"wall ms per document:{costs}")
        if report.failures:
            print(f"failures: {len(report.failures)}, e.g. {report.failures[0]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
