"""Event extraction quality: score `assay extract --format eventspec` against every gold events file.

    python scripts/quality_events.py            print event precision, recall and F1 per corpus
    python scripts/quality_events.py --update   raise the [events] floors to just below today's scores
    python scripts/quality_events.py --update --allow-lower   also lower floors (say why in the commit)

Corpora: ../shared/corpus/* (each folder with an events.jsonl) and the bundled sample corpus
(src/assay/sample/events.jsonl). Scores come from ../shared/eval/score_events.py. This script
edits only the [events] section of quality/floors.toml; the other sections belong to their owners.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import gate

SHARED = gate.SHARED
FLOORS_FILE = gate.FLOORS_FILE
SECTION = "events"
COMMENT = "per corpus: event F1 from ../shared/eval/score_events.py (tests/extract/test_events_gate.py)"
floor_for = gate.floor_for


@dataclass(frozen=True)
class EventScore:
    corpus: str
    docs: int
    gold: int
    pred: int
    precision: float
    recall: float
    f1: float
    actor_agree: float | None
    stance_agree: float | None


def find_corpora() -> list[tuple[str, Path]]:
    return [(corpus.name, corpus.path) for corpus in gate.find_corpora("events.jsonl")]


def score_corpus(name: str, folder: Path) -> EventScore:
    """Extract events from the corpus as a user would, and score them against its gold."""
    corpus = gate.Corpus(name, folder, shared=name != "sample")
    figures = gate.extract_and_score(corpus, "eventspec", "events.jsonl", "score_events.py").figures
    event = figures["event"]
    return EventScore(
        name,
        figures["docs"],
        figures["gold"],
        figures["pred"],
        event["precision"],
        event["recall"],
        event["f1"],
        figures["actor_agree"],
        figures["stance_agree"],
    )


def read_floors(path: Path = FLOORS_FILE) -> dict[str, float]:
    """corpus name -> event F1 floor, from the [events] section."""
    return {name: values["event_f1"] for name, values in gate.read_section(path, SECTION).items()}


def write_floors(floors: dict[str, float], path: Path = FLOORS_FILE) -> None:
    """Rewrite the [events] section only; comments and other sections stay as they are."""
    gate.write_section(path, SECTION, COMMENT, {name: {"event_f1": v} for name, v in floors.items()}, ["event_f1"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="raise the [events] floors to today's scores")
    parser.add_argument("--allow-lower", action="store_true", help="with --update, lower floors too")
    args = parser.parse_args(argv)
    if args.allow_lower and not args.update:
        parser.error("--allow-lower only makes sense with --update")
    if not (SHARED / "eval" / "score_events.py").is_file():
        print(f"../shared is absent (looked in {SHARED.resolve()}): nothing to score", file=sys.stderr)
        return 2
    scores = [score_corpus(name, folder) for name, folder in find_corpora()]
    floors = read_floors()
    print("| corpus | docs | gold | predicted | precision | recall | F1 | floor | actor agrees | stance agrees |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for s in scores:
        floor = floors.get(s.corpus)
        print(
            f"| {s.corpus} | {s.docs} | {s.gold} | {s.pred} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
            f"{'-' if floor is None else f'{floor:.2f}'} | {_share(s.actor_agree)} | {_share(s.stance_agree)} |"
        )
    if args.update:
        updated = dict(floors)
        for s in scores:
            proposed = floor_for(s.f1)
            updated[s.corpus] = proposed if args.allow_lower else max(floors.get(s.corpus, 0.0), proposed)
        write_floors(updated)
        print(f"wrote [{SECTION}] floors to {FLOORS_FILE}")
    return 0


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
