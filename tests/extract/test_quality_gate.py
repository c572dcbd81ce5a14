"""The extraction quality gate: every corpus's fact and strict F1 stay at or above the floors in
quality/floors.toml, the floors only go down on purpose, and docs/extraction.md shows today's figures."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import quality  # noqa: E402  # scripts/ is not a package; it goes on sys.path just above
from quality import Score  # noqa: E402  # same

SHARED = REPO / ".." / "shared"
FLOORS = quality.read_floors(quality.FLOORS_FILE)


def needs_scorer(corpus: str) -> None:
    if not (SHARED / "eval" / "score.py").is_file():
        pytest.skip(f"../shared is absent (looked in {SHARED.resolve()}): no scorer and no corpus to score {corpus}")


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    """Every corpus scored once for this module (the extractor runs as `assay extract`, like a user's)."""
    needs_scorer("the corpora")
    return {corpus.name: quality.score_corpus(corpus) for corpus in quality.find_corpora()}


@pytest.mark.shared
@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_scores_stay_at_or_above_their_floors(corpus: str, scores: dict[str, Score]) -> None:
    if corpus not in scores:
        pytest.skip(f"corpus {corpus!r} has a floor but is not present on this machine")
    failures = quality.below_floor({corpus: FLOORS[corpus]}, [scores[corpus]])
    assert not failures, "; ".join(failures) + " (misses: ../shared/eval/score.py GOLD PRED --misses)"


@pytest.mark.shared
def test_every_scored_corpus_has_floors(scores: dict[str, Score]) -> None:
    missing = [name for name in scores if set(quality.GATED) - set(FLOORS.get(name, {}))]
    assert not missing, f"corpora without floors: {missing}; run `python scripts/quality.py --update`"


@pytest.mark.shared
def test_the_docs_page_shows_todays_figures(scores: dict[str, Score]) -> None:
    import quality_docs

    expected = quality_docs.render_page(
        list(scores.values()), quality.peer_number_agreement(), quality_docs.load_examples()
    )
    committed = quality.DOCS_PAGE.read_text(encoding="utf-8")
    assert committed == expected, "docs/extraction.md is stale: run `python scripts/quality.py --docs`"


def test_the_docs_page_has_an_accuracy_row_per_gated_corpus() -> None:
    page = quality.DOCS_PAGE.read_text(encoding="utf-8")
    section = page.split("## Accuracy", 1)[1]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0] == "corpus"
    assert set(FLOORS) <= set(rows[1:])
    for line in section.splitlines():
        if line.startswith("| ") and line.split("|")[1].strip() in FLOORS:
            figures = [cell.strip() for cell in line.split("|")[5:12]]
            assert all(0.0 <= float(value) <= 1.0 for value in figures), line


def test_floors_sit_just_below_the_measured_score_rounded_down() -> None:
    assert quality.floor_for(0.8) == 0.79
    assert quality.floor_for(0.9567) == 0.94
    assert quality.floor_for(1.0) == 0.99
    assert quality.floor_for(0.005) == 0.0


def score(corpus: str, fact_f1: float, strict_f1: float) -> Score:
    return Score(corpus, 7, 90, 95, (0.9, 0.9, fact_f1), (0.8, 0.8, strict_f1), 0.95, 0.9, 0.9)


def test_update_raises_floors_and_lowers_them_only_when_allowed() -> None:
    floors = {"dev": {"fact_f1": 0.80, "strict_f1": 0.70}}

    raised, notes = quality.updated_floors(floors, [score("dev", 0.90, 0.85), score("new", 0.5, 0.4)], False)
    assert raised == {"dev": {"fact_f1": 0.89, "strict_f1": 0.84}, "new": {"fact_f1": 0.49, "strict_f1": 0.39}}
    assert len(notes) == 4

    kept, notes = quality.updated_floors(floors, [score("dev", 0.60, 0.75)], False)
    assert kept == {"dev": {"fact_f1": 0.80, "strict_f1": 0.74}}
    assert any("needs --allow-lower" in note for note in notes)
    assert floors == {"dev": {"fact_f1": 0.80, "strict_f1": 0.70}}  # the input is not changed

    lowered, _ = quality.updated_floors(floors, [score("dev", 0.60, 0.75)], True)
    assert lowered == {"dev": {"fact_f1": 0.59, "strict_f1": 0.74}}


def test_below_floor_names_the_corpus_and_the_score() -> None:
    floors = {"dev": {"fact_f1": 0.80, "strict_f1": 0.70}}
    assert quality.below_floor(floors, [score("dev", 0.80, 0.71)]) == []
    [line] = quality.below_floor(floors, [score("dev", 0.7999, 0.71)])
    assert line.startswith("dev: fact_f1 0.7999 is below its floor 0.80")


def test_writing_floors_touches_only_the_facts_section(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text(
        "# header comment stays\n\n[facts]\n# old comment\ndev = { fact_f1 = 0.5, strict_f1 = 0.4 }\n\n"
        "[numbers]\n# owned by NUMBERS\npeer_agreement = 0.95\n\n[events]\ndev = { f1 = 0.7 }\n",
        encoding="utf-8",
    )
    quality.write_floors({"dev": {"fact_f1": 0.91, "strict_f1": 0.82}, "my corpus": {"fact_f1": 0.5}}, path)

    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["facts"] == {"dev": {"fact_f1": 0.91, "strict_f1": 0.82}, "my corpus": {"fact_f1": 0.5}}
    assert data["numbers"] == {"peer_agreement": 0.95}
    assert data["events"] == {"dev": {"f1": 0.7}}
    assert text.startswith("# header comment stays\n")
    assert "# owned by NUMBERS" in text and "\n\n[numbers]" in text
    assert quality.read_floors(path) == data["facts"]

    missing = tmp_path / "none.toml"
    missing.write_text("[numbers]\npeer_agreement = 0.95\n", encoding="utf-8")
    quality.write_floors({"dev": {"fact_f1": 0.9, "strict_f1": 0.8}}, missing)
    assert tomllib.loads(missing.read_text(encoding="utf-8"))["numbers"] == {"peer_agreement": 0.95}
    assert quality.read_floors(missing) == {"dev": {"fact_f1": 0.9, "strict_f1": 0.8}}


def test_the_committed_floors_file_parses_and_gates_both_scores() -> None:
    for corpus, table in FLOORS.items():
        assert set(table) == set(quality.GATED), corpus
        assert all(0.0 <= value <= 1.0 for value in table.values()), corpus
