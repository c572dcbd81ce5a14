#!/usr/bin/env python3
"""Facts that match gold on everything but the period: where strict F1 loses to fact F1.

    python scripts/period_misses.py [CORPUS ...]

CORPUS names a corpus of scripts/gate.py (dev, seeds, sample, heldout-a, heldout-b; default dev,
heldout-a and heldout-b). Each is read by `assay extract` and matched the way ../shared/eval/score.py
matches: first with the period required (strict pairs), then, among what is left, without it. Each
pair of the second round is printed as `doc | published | gold period | our period | quote`, with
the gold quote and, when it differs, ours below it. The last line counts the pairs per corpus.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from gate import ASSAY, SHARED, Corpus, find_corpora

Fact = dict[str, Any]


def load_scorer() -> ModuleType:
    """../shared/eval/score.py as a module, so that pairs are matched exactly as the scorer matches them."""
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit("error: ../shared/eval/score.py: not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predicted(corpus: Corpus) -> list[Fact]:
    with tempfile.TemporaryDirectory(prefix="assay-periods-") as tmp:
        out = Path(tmp) / "pred.jsonl"
        subprocess.run(
            [*ASSAY, "extract", str(corpus.path), "--format", "factspec", "--output", str(out)],
            capture_output=True,
            check=False,
        )
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def published_dates(corpus: Corpus) -> dict[str, str]:
    index = corpus.path / "index.jsonl"
    if not index.exists():
        return {}
    rows = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(row["doc"]): str(row.get("published") or "-") for row in rows}


def period_only_pairs(scorer: ModuleType, gold: list[Fact], pred: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Pairs that match on every field but the period, once every strict pair has been taken out."""
    fact_match: Callable[[Fact, Fact], bool] = scorer.fact_match
    accepts: Callable[[object, object], bool] = scorer.accepts
    strict = scorer.match(gold, list(pred), lambda g, p: fact_match(g, p) and accepts(g.get("period"), p.get("period")))
    taken_gold = {id(g) for g, _ in strict}
    taken_pred = {id(p) for _, p in strict}
    rest_gold = [g for g in gold if id(g) not in taken_gold]
    rest_pred = [p for p in pred if id(p) not in taken_pred]
    pairs: list[tuple[Fact, Fact]] = scorer.match(rest_gold, rest_pred, fact_match)
    return pairs


def show(pair: tuple[Fact, Fact], published: dict[str, str]) -> str:
    gold, ours = pair
    head = (
        f"{gold['doc']} | {published.get(gold['doc'], '-')} | gold {json.dumps(gold.get('period'))}"
        f" | ours {json.dumps(ours.get('period'))} | {gold['metric']} {ours.get('value')} {ours.get('unit')}"
    )
    lines = [head, f"    gold: {gold.get('quote', '')}"]
    if ours.get("quote") and ours.get("quote") != gold.get("quote"):
        lines.append(f"    ours: {ours['quote']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="*", default=["dev", "heldout-a", "heldout-b"])
    args = ap.parse_args(argv)
    scorer = load_scorer()
    known = {corpus.name: corpus for corpus in find_corpora("gold.jsonl")}
    counts = []
    for name in args.corpora:
        corpus = known.get(name)
        if corpus is None:
            print(f"error: {name}: no such corpus (known: {', '.join(sorted(known))})", file=sys.stderr)
            return 1
        gold = scorer.load(corpus.path / "gold.jsonl")
        docs = scorer.scored_docs(corpus.path / "gold.jsonl", gold)
        pred = [p for p in predicted(corpus) if p.get("doc") in docs]
        pairs = period_only_pairs(scorer, gold, pred)
        print(f"== {name}: {len(pairs)} facts with the wrong period")
        published = published_dates(corpus)
        for pair in sorted(pairs, key=lambda pair: (pair[0]["doc"], str(pair[0].get("quote")))):
            print(show(pair, published))
        counts.append(f"{name} {len(pairs)}")
    print("wrong period: " + ", ".join(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
