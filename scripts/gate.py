"""What every quality gate shares: finding corpora, running `assay extract` and a ../shared scorer on
them, and keeping one section of quality/floors.toml.

scripts/quality.py (facts) uses it; any other gate (events, numbers) can too: each owns one section
of the floors file, and `write_section` leaves every other section, and its comments, untouched.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
SAMPLE_CORPUS = REPO / "src" / "assay" / "sample"
FLOORS_FILE = REPO / "quality" / "floors.toml"
HELD_BACK = REPO / "quality" / "gold"  # our own blind labels of ../shared/corpus/unlabelled articles
UNLABELLED = SHARED / "corpus" / "unlabelled"
# Our label files name the gold file each scorer reads: facts.jsonl -> gold.jsonl, events.jsonl -> events.jsonl.
HELD_BACK_FILES = {"gold.jsonl": "facts.jsonl", "events.jsonl": "events.jsonl"}
ASSAY = [sys.executable, "-c", "from assay.cli import main; main()"]  # the installed CLI, from this Python
MARGIN = 0.01  # floors sit this far below the measured score, so that reruns of the same code pass


@dataclass(frozen=True)
class Corpus:
    name: str
    path: Path
    shared: bool  # read from ../shared (absent on some machines) rather than from the repo


@dataclass(frozen=True)
class Scored:
    """A scorer's --json figures for one corpus, and the inputs `assay extract` could not read."""

    figures: dict[str, Any]
    failed_inputs: tuple[str, ...]


def find_corpora(gold_name: str) -> list[Corpus]:
    """Folders with a `gold_name` file: ../shared/corpus/* by name, then the bundled sample corpus."""
    found: list[Corpus] = []
    shared_corpora = SHARED / "corpus"
    if shared_corpora.is_dir():
        found += [
            Corpus(folder.name, folder.resolve(), shared=True)
            for folder in sorted(shared_corpora.iterdir())
            if (folder / gold_name).is_file()
        ]
    if (SAMPLE_CORPUS / gold_name).is_file():
        found.append(Corpus("sample", SAMPLE_CORPUS, shared=False))
    return found + held_back_corpora(gold_name)


def held_back_corpora(gold_name: str) -> list[Corpus]:
    """Our labelled batches of ../shared/corpus/unlabelled (quality/gold/BATCH), as corpus folders.

    The labels give character offsets, not quotes, so that no third-party sentence is copied into the
    repository: each batch is laid out in a temporary folder (its documents, their index lines, and the
    gold file with quotes cut from the texts) the first time it is asked for in this process.
    """
    if not UNLABELLED.is_dir() or not HELD_BACK.is_dir():
        return []
    return [
        Corpus(folder.name, _laid_out(folder), shared=True)
        for folder in sorted(HELD_BACK.iterdir())
        if (folder / HELD_BACK_FILES[gold_name]).is_file()
    ]


_LAID_OUT: dict[Path, Path] = {}


def _laid_out(batch: Path) -> Path:
    if batch in _LAID_OUT:
        return _LAID_OUT[batch]
    target = Path(tempfile.mkdtemp(prefix=f"assay-{batch.name}-"))
    docs = (batch / "docs.txt").read_text(encoding="utf-8").split()
    index = {
        json.loads(line)["doc"]: line
        for line in (UNLABELLED / "index.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    texts = {doc: (UNLABELLED / f"{doc}.txt").read_text(encoding="utf-8") for doc in docs}
    for doc, text in texts.items():
        (target / f"{doc}.txt").write_text(text, encoding="utf-8")
    (target / "index.jsonl").write_text("".join(index[doc] + "\n" for doc in docs), encoding="utf-8")
    for gold_name, label_name in HELD_BACK_FILES.items():
        rows = []
        for line in (batch / label_name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            start, end = row.pop("start"), row.pop("end")
            row.pop("note", None)
            row["quote"] = texts[row["doc"]][start:end]
            rows.append(json.dumps(row, ensure_ascii=False))
        (target / gold_name).write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    _LAID_OUT[batch] = target
    return target


def extract_and_score(corpus: Corpus, output_format: str, gold_name: str, scorer: str) -> Scored:
    """`assay extract CORPUS --format FORMAT` (as a user runs it), then ../shared/eval/SCORER GOLD PRED --json."""
    with tempfile.TemporaryDirectory(prefix="assay-gate-") as tmp:
        predicted = Path(tmp) / "predicted.jsonl"
        run = subprocess.run(
            [*ASSAY, "extract", str(corpus.path), "--format", output_format, "--output", str(predicted)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode not in (0, 1) or not predicted.exists():  # 1: some inputs failed, the rest was read
            raise RuntimeError(f"{corpus.path}: assay extract failed: {last_line(run.stderr)}")
        scored = subprocess.run(
            [sys.executable, str(SHARED / "eval" / scorer), str(corpus.path / gold_name), str(predicted), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
    figures = next((json.loads(line) for line in scored.stdout.splitlines() if line.startswith("{")), None)
    if scored.returncode != 0 or figures is None:
        raise RuntimeError(f"{corpus.path}: {scorer} failed: {last_line(scored.stderr or scored.stdout)}")
    failed = tuple(line for line in run.stderr.splitlines() if line.startswith("error: "))
    return Scored(figures, failed)


def floor_for(measured: float) -> float:
    """A floor a little below the measured score, rounded down to two decimals: 0.9567 → 0.94."""
    return max(0.0, math.floor(round((measured - MARGIN) * 100, 6)) / 100)


def read_section(path: Path, section: str) -> dict[str, dict[str, float]]:
    """One section of the floors file: corpus name → {score name: floor}."""
    if not path.exists():
        return {}
    tables = tomllib.loads(path.read_text(encoding="utf-8")).get(section, {})
    return {name: {key: float(value) for key, value in table.items()} for name, table in tables.items()}


def write_section(
    path: Path, section: str, comment: str, floors: dict[str, dict[str, float]], keys: Sequence[str]
) -> None:
    """Rewrite `[section]` only (one inline table per corpus, `keys` in order); the rest stays as it is."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    header = f"[{section}]"
    body = [f"# {comment}"]
    for name in sorted(floors):
        cells = ", ".join(f"{key} = {floors[name][key]:.2f}" for key in keys if key in floors[name])
        body.append(f"{_toml_key(name)} = {{ {cells} }}")
    if header in lines:
        start = lines.index(header) + 1
        end = next((i for i in range(start, len(lines)) if _other_section(lines[i], section)), len(lines))
        while end > start and not lines[end - 1].strip():  # keep the blank line before the next section
            end -= 1
        lines[start:end] = body
    else:
        lines += ["", header, *body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _other_section(line: str, section: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("[") and not stripped.startswith((f"[{section}]", f"[{section}."))
