"""The event quality gate: event F1 on every corpus with gold events stays at or above its floor
in quality/floors.toml [events], scored by ../shared/eval/score_events.py on `assay extract` output."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import quality_events  # noqa: E402  # scripts/ is not a package; it goes on sys.path just above

FLOORS = quality_events.read_floors()


def needs_shared() -> None:
    if not (quality_events.SHARED / "eval" / "score_events.py").is_file():
        pytest.skip(f"../shared is absent (looked in {quality_events.SHARED.resolve()}): no event scorer")


@pytest.fixture(scope="module")
def scores() -> dict[str, quality_events.EventScore]:
    needs_shared()
    return {name: quality_events.score_corpus(name, folder) for name, folder in quality_events.find_corpora()}


@pytest.mark.shared
@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_event_f1_stays_at_or_above_its_floor(corpus: str, scores: dict[str, quality_events.EventScore]) -> None:
    if corpus not in scores:
        pytest.skip(f"corpus {corpus!r} has a floor but is not present on this machine")
    score = scores[corpus]
    assert score.f1 >= FLOORS[corpus], (
        f"{corpus}: event F1 {score.f1:.3f} < floor {FLOORS[corpus]:.2f} "
        f"(precision {score.precision:.3f}, recall {score.recall:.3f}; "
        "misses: ../shared/eval/score_events.py GOLD PRED --misses)"
    )


@pytest.mark.shared
def test_every_corpus_with_gold_events_has_a_floor(scores: dict[str, quality_events.EventScore]) -> None:
    missing = sorted(set(scores) - set(FLOORS))
    assert not missing, f"corpora without [events] floors: {missing}; run `python scripts/quality_events.py --update`"


def test_floors_sit_just_below_the_measured_score() -> None:
    assert quality_events.floor_for(0.932) == 0.92
    assert quality_events.floor_for(1.0) == 0.99
    assert quality_events.floor_for(0.005) == 0.0


def test_writing_floors_touches_only_the_events_section(tmp_path: Path) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text(
        "# top\n[facts]\nseeds = { fact_f1 = 0.5 }\n\n[events]\nold = { event_f1 = 0.1 }\n\n[numbers]\nx = 1\n"
    )
    quality_events.write_floors({"seeds": 0.92}, floors)
    text = floors.read_text()
    assert "seeds = { fact_f1 = 0.5 }" in text and "[numbers]\nx = 1" in text
    assert quality_events.read_floors(floors) == {"seeds": 0.92}
