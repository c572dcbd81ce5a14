"""Event extraction quality: score `assay extract --format eventspec` against every gold events file.

    python scripts/quality_events.py            print event precision, recall and F1 per corpus
    python scripts/quality_events.py --update   raise the [events] floors to just below today's scores

Corpora: ../shared/corpus/* (each folder with an events.jsonl) and the bundled sample corpus
(src/assay/sample/events.jsonl). Scores come from ../shared/eval/score_events.py. This script
edits only the [events] section of quality/floors.toml; the other sections belong to their owners.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
SAMPLE = REPO / "src" / "assay" / "sample"
FLOORS_FILE = REPO / "quality" / "floors.toml"
SECTION = "events"
ASSAY = [sys.executable, "-c", "from assay.cli import main; main()"]


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
    found: list[tuple[str, Path]] = []
    if (SHARED / "corpus").is_dir():
        found += [
            (folder.name, folder.resolve())
            for folder in sorted((SHARED / "corpus").iterdir())
            if (folder / "events.jsonl").is_file()
        ]
    if (SAMPLE / "events.jsonl").is_file():
        found.append(("sample", SAMPLE))
    return found


def score_corpus(name: str, folder: Path) -> EventScore:
    """Extract events from the corpus as a user would, and score them against its gold."""
    with tempfile.TemporaryDirectory(prefix="assay-events-") as tmp:
        predicted = Path(tmp) / "events.jsonl"
        run = subprocess.run(
            [*ASSAY, "extract", str(folder), "--format", "eventspec", "--output", str(predicted)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode not in (0, 1) or not predicted.exists():  # 1: some inputs failed, the rest was read
            raise RuntimeError(f"{folder}: assay extract failed: {run.stderr.strip().splitlines()[-1:]}")
        scored = subprocess.run(
            [
                sys.executable,
                str(SHARED / "eval" / "score_events.py"),
                str(folder / "events.jsonl"),
                str(predicted),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    figures = next((json.loads(line) for line in scored.stdout.splitlines() if line.startswith("{")), None)
    if scored.returncode != 0 or figures is None:
        raise RuntimeError(f"{folder}: score_events.py failed: {scored.stderr.strip()[-300:]}")
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
    section = tomllib.loads(path.read_text(encoding="utf-8")).get(SECTION, {})
    return {name: float(values["event_f1"]) for name, values in section.items()}


def floor_for(measured: float) -> float:
    """Just below the measured score, rounded down to the hundredth: 0.932 -> 0.92."""
    return max(0.0, math.floor(round(measured * 100, 6)) / 100 - 0.01)


def write_floors(floors: dict[str, float], path: Path = FLOORS_FILE) -> None:
    """Rewrite the [events] section only; comments and other sections stay as they are."""
    text = path.read_text(encoding="utf-8")
    body = "\n".join(f"{name} = {{ event_f1 = {value:.2f} }}" for name, value in sorted(floors.items()))
    section = (
        f"[{SECTION}]\n# per corpus: event F1 from ../shared/eval/score_events.py "
        "(tests/extract/test_events_gate.py)\n" + body + "\n"
    )
    pattern = re.compile(rf"^\[{SECTION}\]\n(?:(?!^\[).*\n?)*", re.MULTILINE)
    found = pattern.search(text)
    if found is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        following = text[found.end() :]
        text = text[: found.start()] + section + ("\n" + following if following else "")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="raise the [events] floors to today's scores")
    args = parser.parse_args(argv)
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
            updated[s.corpus] = max(floors.get(s.corpus, 0.0), floor_for(s.f1))
        write_floors(updated)
        print(f"wrote [{SECTION}] floors to {FLOORS_FILE}")
    return 0


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
