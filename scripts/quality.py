#!/usr/bin/env python3
"""The extraction quality gate: score every corpus with gold facts against floors kept in the repo.

    python scripts/quality.py                  score, print a table; exit 1 if a score is below its floor
    python scripts/quality.py --update         raise the [facts] floors to just below today's scores
    python scripts/quality.py --update --allow-lower   also lower floors (say why in the commit)
    python scripts/quality.py --docs           also regenerate docs/extraction.md

Corpora: every folder under ../shared/corpus with a gold.jsonl, and the bundled sample corpus
(src/assay/sample) when it has one. Each is read by `assay extract DIR --format factspec`, the
command users run, and scored by ../shared/eval/score.py --json. Floors live in
quality/floors.toml, section [facts] (one inline table per corpus); this script edits only that
section, since [numbers] and [events] belong to their owners.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from gate import (
    ASSAY,
    FLOORS_FILE,
    REPO,
    SAMPLE_CORPUS,
    SHARED,
    Corpus,
    extract_and_score,
    floor_for,
    read_section,
    write_section,
)
from gate import (
    find_corpora as corpora_with,
)

DOCS_PAGE = REPO / "docs" / "extraction.md"
SECTION = "facts"
GATED = ("fact_f1", "strict_f1")
FLOORS_COMMENT = "per corpus: fact F1 and strict F1 from ../shared/eval/score.py (scripts/quality.py --update)"


@dataclass(frozen=True)
class Score:
    """What score.py reports for one corpus."""

    corpus: str
    docs: int
    gold: int
    pred: int
    fact: tuple[float, float, float]  # precision, recall, F1
    strict: tuple[float, float, float]
    value_f1: float
    period_agree: float | None
    basis_agree: float | None
    failed_inputs: tuple[str, ...] = ()

    def gated(self) -> dict[str, float]:
        return {"fact_f1": self.fact[2], "strict_f1": self.strict[2]}


def find_corpora() -> list[Corpus]:
    """Every corpus with gold facts: ../shared ones first (by name), then the bundled sample."""
    return corpora_with("gold.jsonl")


def score_corpus(corpus: Corpus) -> Score:
    """Run `assay extract` on the corpus and score its FactSpec output against the corpus's gold file."""
    scored = extract_and_score(corpus, "factspec", "gold.jsonl", "score.py")
    figures = scored.figures
    return Score(
        corpus=corpus.name,
        docs=figures["docs"],
        gold=figures["gold"],
        pred=figures["pred"],
        fact=_prf(figures["fact"]),
        strict=_prf(figures["strict"]),
        value_f1=figures["value"]["f1"],
        period_agree=figures["period_agree"],
        basis_agree=figures["basis_agree"],
        failed_inputs=scored.failed_inputs,
    )


def peer_number_agreement() -> tuple[int, int] | None:
    """Cases of the peer's number suite that `assay quantities` reads as expected: (agreed, total)."""
    checker = SHARED / "eval" / "check_numbers.py"
    if not checker.is_file():
        return None
    run = subprocess.run(
        [sys.executable, str(checker), shlex.join(ASSAY)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"numbers agree (\d+)/(\d+)", run.stdout)
    return (int(found[1]), int(found[2])) if found else None


def read_floors(path: Path) -> dict[str, dict[str, float]]:
    """The [facts] floors: corpus name → {fact_f1, strict_f1}."""
    return read_section(path, SECTION)


def updated_floors(
    floors: dict[str, dict[str, float]], scores: list[Score], allow_lower: bool
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """New floors (raised where scores rose; lowered only when allowed) and a line per change or refusal."""
    new = {name: dict(table) for name, table in floors.items()}
    notes: list[str] = []
    for score in scores:
        table = new.setdefault(score.corpus, {})
        for key, measured in score.gated().items():
            old, proposed = table.get(key), floor_for(measured)
            if old is None or proposed > old:
                table[key] = proposed
                notes.append(f"{score.corpus}.{key}: floor {old} → {proposed} (measured {measured:.4f})")
            elif proposed < old and allow_lower:
                table[key] = proposed
                notes.append(f"{score.corpus}.{key}: floor LOWERED {old} → {proposed} (measured {measured:.4f})")
            elif proposed < old:
                notes.append(f"{score.corpus}.{key}: kept floor {old}; lowering to {proposed} needs --allow-lower")
    return new, notes


def write_floors(floors: dict[str, dict[str, float]], path: Path) -> None:
    """Rewrite the [facts] section only; comments and other sections stay as they are."""
    write_section(path, SECTION, FLOORS_COMMENT, floors, GATED)


def below_floor(floors: dict[str, dict[str, float]], scores: list[Score]) -> list[str]:
    """One line per gated score that is below its floor."""
    failures = []
    for score in scores:
        for key, measured in score.gated().items():
            floor = floors.get(score.corpus, {}).get(key)
            if floor is not None and measured < floor:
                failures.append(f"{score.corpus}: {key} {measured:.4f} is below its floor {floor:.2f}")
    return failures


def score_table(scores: list[Score], floors: dict[str, dict[str, float]]) -> str:
    """A plain-text table of the scores with their floors."""
    head = (
        f"{'corpus':10s} {'docs':>4s} {'gold':>5s} {'pred':>5s}  {'fact P':>6s} {'R':>6s} {'F1':>6s} {'floor':>5s}"
        f"  {'strict P':>8s} {'R':>6s} {'F1':>6s} {'floor':>5s}  {'value F1':>8s}"
    )
    rows = [head, "-" * len(head)]
    for s in scores:
        floor = floors.get(s.corpus, {})
        rows.append(
            f"{s.corpus:10s} {s.docs:4d} {s.gold:5d} {s.pred:5d}  {s.fact[0]:6.3f} {s.fact[1]:6.3f} {s.fact[2]:6.3f}"
            f" {_floor_cell(floor.get('fact_f1'))}  {s.strict[0]:8.3f} {s.strict[1]:6.3f} {s.strict[2]:6.3f}"
            f" {_floor_cell(floor.get('strict_f1'))}  {s.value_f1:8.3f}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="raise the [facts] floors to today's scores")
    parser.add_argument("--allow-lower", action="store_true", help="with --update, lower floors too")
    parser.add_argument("--docs", action="store_true", help=f"regenerate {DOCS_PAGE.relative_to(REPO)}")
    parser.add_argument("--floors", type=Path, default=FLOORS_FILE, help="the floors file (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.allow_lower and not args.update:
        parser.error("--allow-lower only makes sense with --update")

    corpora = find_corpora()
    if not corpora:
        print(f"quality: no corpus with gold.jsonl (looked in {SHARED.resolve() / 'corpus'} and {SAMPLE_CORPUS})")
        return 2
    try:
        scores = [score_corpus(corpus) for corpus in corpora]
    except RuntimeError as exc:
        print(f"quality: {exc}", file=sys.stderr)
        return 2
    floors = read_floors(args.floors)
    if args.update:
        floors, notes = updated_floors(floors, scores, args.allow_lower)
        write_floors(floors, args.floors)
        print("\n".join(notes) or "floors unchanged")
    print(score_table(scores, floors))
    for score in scores:
        for line in score.failed_inputs:
            print(f"{score.corpus}: {line}")
    if args.docs:
        from quality_docs import write_page  # only this mode needs it, and it imports assay

        write_page(DOCS_PAGE, scores, peer_number_agreement())
        print(f"wrote {DOCS_PAGE.relative_to(REPO)}")
    failures = below_floor(floors, scores)
    for line in failures:
        print(f"BELOW FLOOR {line}")
    return 1 if failures else 0


def _prf(figures: dict[str, float]) -> tuple[float, float, float]:
    return (figures["precision"], figures["recall"], figures["f1"])


def _floor_cell(value: float | None) -> str:
    return f"{value:5.2f}" if value is not None else f"{'-':>5s}"


if __name__ == "__main__":
    sys.exit(main())
