#!/usr/bin/env python3
"""Run extract_facts over a corpus folder and score it with ../shared/eval/score.py.

    python scripts/score_corpus.py [CORPUS_DIR ...] [--raw] [--misses] [--out DIR]

Each folder holds documents, `index.jsonl` (publication dates, titles) and `gold.jsonl`.
Documents go through the real sources and cleaning stages (`iter_sources`, `clean_document`);
`--raw` reads each `.txt` file as it is instead. Default folders: ../shared/corpus/seeds and dev.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from assay.extract.facts import extract_facts
from assay.model import Document

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def _index(folder: Path) -> dict[str, dict[str, object]]:
    path = folder / "index.jsonl"
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(r["doc"]): r for r in rows}


def raw_documents(folder: Path) -> list[Document]:
    index = _index(folder)
    docs = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        meta = index.get(path.stem, {})
        docs.append(
            Document(
                name=path.stem,
                source=str(path),
                raw_sha256=hashlib.sha256(text.encode()).hexdigest(),
                clean_text=text,
                raw_text=text,
                title=meta.get("title") if isinstance(meta.get("title"), str) else None,  # type: ignore[arg-type]
                published=meta.get("published") if isinstance(meta.get("published"), str) else None,  # type: ignore[arg-type]
            )
        )
    return docs


def cleaned_documents(folder: Path) -> list[Document]:
    from assay.clean import CleaningContext, clean_document
    from assay.sources import SourceError, SourceOptions, iter_sources

    context = CleaningContext()
    docs = []
    for item in iter_sources([str(folder)], SourceOptions()):
        if isinstance(item, SourceError):
            print(f"skipped: {item}", file=sys.stderr)
            continue
        docs.append(clean_document(item, context))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--raw", action="store_true", help="read .txt files as they are, without cleaning")
    ap.add_argument("--misses", action="store_true", help="list missed and extra facts")
    ap.add_argument("--out", type=Path, help="keep the predictions in this folder")
    args = ap.parse_args(argv)
    folders = args.folders or [SHARED / "corpus" / "seeds", SHARED / "corpus" / "dev"]
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="assay-score-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        gold = folder / "gold.jsonl"
        if not gold.exists():
            print(f"{folder}: no gold.jsonl, skipped", file=sys.stderr)
            continue
        docs = raw_documents(folder) if args.raw else cleaned_documents(folder)
        pred = out_dir / f"{folder.name}.jsonl"
        with pred.open("w", encoding="utf-8") as fh:
            for doc in docs:
                for fact in extract_facts(doc):
                    fh.write(json.dumps(fact.to_factspec(), ensure_ascii=False) + "\n")
        print(f"== {folder.name} ({len(docs)} documents)")
        cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(pred)]
        if args.misses:
            cmd.append("--misses")
        subprocess.run(cmd, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
