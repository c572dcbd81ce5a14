"""A corpus of hostile inputs through `assay ingest` in a child process, each with its expected
one-line error, a time and a memory budget (the child's own peak, VmHWM), and a
check that the store holds exactly what it held before."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from assay.store.db import open_store
from hostile import (
    deep_html,
    docx_bomb,
    docx_deep,
    docx_paragraphs,
    docx_wide,
    lying_zip_header,
    pptx_bomb,
    repetitive_text,
    xlsx_like_bomb,
)

SECONDS = 60.0  # generous: a shared CI machine; the bench measures the real figures
PEAK_MB = 700.0  # the interpreter with assay loaded is ~150 MB; before budgets a bomb took gigabytes

DRIVER = """
import json, resource, sys, time
started = time.monotonic()
from assay.cli import main
sys.argv = ["assay", *sys.argv[2:]]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code if isinstance(exit.code, int) else 1
# VmHWM: this program's own peak; ru_maxrss would also carry the parent's (pytest's) peak across fork
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            peak_kib = int(line.split()[1])
except OSError:
    pass
with open(STATS, "w") as out:
    json.dump({"code": code, "seconds": time.monotonic() - started, "peak_mb": peak_kib / 1024}, out)
"""


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    error: str | None  # a fragment of the one-line error, or None when the input is fine
    flags: tuple[str, ...] = ()  # a lowered budget keeps the case quick; the default is tested once


SMALLER = ("--max-inflated-bytes", str(32 * 1024 * 1024))
CASES = [
    Case("bomb.docx", lambda: docx_bomb(260), "inflates to"),  # over the default 256 MiB
    Case("bomb.pptx", lambda: pptx_bomb(40), "inflates to", SMALLER),
    Case("sheet-bomb.docx", lambda: xlsx_like_bomb(40), "inflates to", SMALLER),
    Case("paragraphs.docx", lambda: docx_paragraphs(60_000), "paragraphs", ("--max-paragraphs", "50000")),
    Case("deep.docx", lambda: docx_deep(5_000), "deeper than"),
    Case("wide.docx", lambda: docx_wide(150_000), "children", ("--max-width", "100000")),
    Case("lying.docx", lambda: lying_zip_header(docx_bomb(40), "word/document.xml", 1000), "DOCX", SMALLER),
    Case("deep.html", lambda: deep_html(100_000), "deeper than"),
    Case("binary.txt", lambda: bytes(range(256)) * 4000, "not text"),
    Case("repeated.txt", lambda: repetitive_text(1).encode(), None),
    Case("unclosed-scripts.html", lambda: b"<html><body><p>Magnesium rose.</p>" + b"<script>x" * 200_000, None),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    seed = folder / "seed.txt"
    seed.write_text("Magnesium exports\n\nChina's magnesium ingot exports reached 35,000 t in May 2024.\n")
    db = folder / "store.db"
    done = _run(folder, db, seed)
    assert done["code"] == 0
    return folder


def _run(folder: Path, db: Path, path: Path, flags: tuple[str, ...] = ()) -> dict[str, float]:
    stats = folder / f"{path.name}.stats.json"
    driver = DRIVER.replace("STATS", repr(str(stats)))
    command = [sys.executable, "-c", driver, "-", "--db", str(db), "ingest", "--no-progress", *flags, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    result: dict[str, float] = json.loads(stats.read_text())
    result["stderr"] = done.stderr  # type: ignore[assignment]  # kept beside the figures for the asserts
    return result


def _snapshot(db: Path) -> str:
    """A digest of every stored document, fact and event mention."""
    digest = hashlib.sha256()
    with open_store(f"sqlite:///{db}", gather_statistics=False) as store, store.session() as session:
        for table in ("documents", "facts", "events", "event_mentions"):
            for row in session.execute(text(f"SELECT * FROM {table} ORDER BY id")):  # our table names
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_costs_bounded_time_and_memory_and_leaves_the_store_alone(seeded: Path, case: Case) -> None:
    db = seeded / f"{case.name}.db"
    db.write_bytes((seeded / "store.db").read_bytes())
    path = seeded / case.name
    path.write_bytes(case.make())
    before = _snapshot(db)
    result = _run(seeded, db, path, case.flags)
    stderr = str(result["stderr"]).strip()
    assert result["seconds"] < SECONDS, result
    assert result["peak_mb"] < PEAK_MB, result
    assert "Traceback" not in stderr
    if case.error is None:
        assert result["code"] == 0, stderr
        return
    assert result["code"] == 1, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {path}: ") and case.error in lines[0], lines[0]
    assert _snapshot(db) == before
    os.remove(path)
