"""Accuracy on the shared development corpora, scored by ../shared/eval/score.py (skipped without ../shared)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assay.extract.facts import extract_facts
from assay.model import Document

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
FLOORS = {"seeds": (0.895, 0.83), "dev": (0.955, 0.93)}  # fact F1, strict F1: what the rules reach today


def _documents(folder: Path) -> list[Document]:
    index = {}
    if (folder / "index.jsonl").exists():
        for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                index[row["doc"]] = row
    docs = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        meta = index.get(path.stem, {})
        docs.append(
            Document(
                name=path.stem,
                source=str(path),
                raw_sha256=hashlib.sha256(text.encode()).hexdigest(),
                clean_text=text,
                title=meta.get("title"),
                published=meta.get("published"),
            )
        )
    return docs


@pytest.mark.shared
@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_corpus_scores_stay_above_floor(corpus: str, tmp_path: Path) -> None:
    folder = SHARED / "corpus" / corpus
    if not (folder / "gold.jsonl").exists() or not (SHARED / "eval" / "score.py").exists():
        pytest.skip(f"../shared/corpus/{corpus} or ../shared/eval/score.py is not available")
    pred = tmp_path / f"{corpus}.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for doc in _documents(folder):
            for fact in extract_facts(doc):
                fh.write(json.dumps(fact.to_factspec(), ensure_ascii=False) + "\n")
    run = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(folder / "gold.jsonl"), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(run.stdout.splitlines()[0])
    fact_floor, strict_floor = FLOORS[corpus]
    assert scores["fact"]["f1"] >= fact_floor, scores
    assert scores["strict"]["f1"] >= strict_floor, scores
