"""Corrections on SQLite and PostgreSQL: applied where facts are read, kept through re-extraction,
with before, after, who and why; rejections leave every analysis."""

from __future__ import annotations

import pytest
from store_rows import add_document, fact

from assay.model import Fact
from assay.store import corrections
from assay.store.corrections import CorrectionError
from assay.store.db import Store
from assay.store.facts import FactFilter, query_facts, replace_facts
from assay.store.records import select_facts
from assay.store.series import FactSelection

GROWTH = {
    "metric": "exports",
    "value": 12.5,
    "unit": "pct_yoy",
    "quote": "up 12.5% on a year earlier",
    "start": 40,
    "end": 66,
}


def stored(store: Store, doc_id: int, facts: list[Fact]) -> list[int]:
    with store.transaction() as session:
        replace_facts(session, doc_id, facts)
    with store.session() as session:
        return [f.id for f in query_facts(session, FactFilter(document_id=doc_id))]


def facts_of(store: Store, doc: str) -> list[tuple[str, float, str | None, str]]:
    with store.session() as session:
        return [(f.fact.unit, f.fact.value, f.fact.period, f.status) for f in query_facts(session, FactFilter(doc=doc))]


def series_values(store: Store) -> list[float]:
    with store.session() as session:
        return [r.fact.value for r in select_facts(session, FactSelection(commodity="magnesium", metric="exports"))]


def test_a_correction_is_what_every_reader_sees(any_store: Store) -> None:
    doc_id = add_document(any_store, "mg-note")
    level, _ = stored(any_store, doc_id, [fact("mg-note"), fact("mg-note", **GROWTH)])
    with any_store.transaction() as session:
        done = corrections.correct_fact(session, level, {"value": 6410.0, "period": "2024-06"}, "digits swapped", "ana")
    assert done.changes() == {"value": (6140.0, 6410.0), "period": ("2024-05", "2024-06")}
    assert ("t", 6410.0, "2024-06", "corrected") in facts_of(any_store, "mg-note")
    assert 6410.0 in series_values(any_store) and 6140.0 not in series_values(any_store)
    with any_store.session() as session:  # the series select reads the corrected period's bounds too
        june = select_facts(session, FactSelection(commodity="magnesium", metric="exports", unit="t"))
    assert [(r.fact.period, r.fact.value) for r in june] == [("2024-06", 6410.0)]


def test_a_rejected_fact_leaves_every_analysis_and_its_history_stays(any_store: Store) -> None:
    doc_id = add_document(any_store, "mg-note")
    level, growth = stored(any_store, doc_id, [fact("mg-note"), fact("mg-note", **GROWTH)])
    with any_store.transaction() as session:
        corrections.reject_fact(session, growth, "a growth rate, not a level", "ana")
    assert facts_of(any_store, "mg-note") == [("t", 6140.0, "2024-05", "extracted")]
    assert 12.5 not in series_values(any_store)
    with any_store.session() as session:
        history = corrections.history(session, growth)
        standing = corrections.standing_for_document(session, doc_id)
        assert corrections.rejected_fact_ids(session, [growth, level]) == {growth}
    assert [(c.action, c.user, c.reason, c.before["value"], c.after) for c in history] == [
        ("reject", "ana", "a growth rate, not a level", 12.5, None)
    ]
    assert [c.action for c in standing] == ["reject"]


def test_corrections_survive_reextraction_with_a_new_rule_version(any_store: Store) -> None:
    doc_id = add_document(any_store, "mg-note")
    level, growth = stored(any_store, doc_id, [fact("mg-note"), fact("mg-note", **GROWTH)])
    with any_store.transaction() as session:
        corrections.correct_fact(session, level, {"value": 6410.0}, "digits swapped", "ana")
        corrections.reject_fact(session, growth, "not a level", "ana")
    # a new extractor version: new rows, new ids, a new rule version, and one more fact
    new_facts = [fact("mg-note", rule_version="4"), fact("mg-note", **GROWTH, rule_version="4")]
    new_facts.append(fact("mg-note", value=70.0, quote="70 t to Japan", start=80, end=93, partner="JP"))
    stored(any_store, doc_id, new_facts)
    assert sorted(facts_of(any_store, "mg-note")) == [
        ("t", 70.0, "2024-05", "extracted"),
        ("t", 6410.0, "2024-05", "corrected"),
    ]
    with any_store.session() as session:
        history = corrections.history(session, level)  # the id the analyst saw still finds it
        now = history[-1].fact_id
        assert now is not None and corrections.history(session, now)[-1].id == history[-1].id
        assert [f.fact.value for f in query_facts(session, FactFilter(ids=(now,)))] == [6410.0]


def test_a_correction_finds_its_fact_by_quote_when_the_text_moved(any_store: Store) -> None:
    doc_id = add_document(any_store, "mg-note")
    (level,) = stored(any_store, doc_id, [fact("mg-note")])
    with any_store.transaction() as session:
        corrections.correct_fact(session, level, {"unit": "kt", "value": 6.14}, "kilotonnes", "ana")
    stored(any_store, doc_id, [fact("mg-note", start=110, end=133)])  # cleaning changed: same quote, new span
    assert facts_of(any_store, "mg-note") == [("kt", 6.14, "2024-05", "corrected")]


def test_a_corrected_fact_the_new_rules_miss_is_restored_from_the_correction(any_store: Store) -> None:
    doc_id = add_document(any_store, "mg-note")
    (level,) = stored(any_store, doc_id, [fact("mg-note")])
    with any_store.transaction() as session:
        corrections.correct_fact(session, level, {"value": 6410.0}, "digits swapped", "ana")
    stored(any_store, doc_id, [])
    assert facts_of(any_store, "mg-note") == [("t", 6410.0, "2024-05", "corrected")]


def test_a_newer_correction_supersedes_the_older_and_both_are_kept(any_store: Store) -> None:
    doc_id = add_document(any_store, "mg-note")
    (level,) = stored(any_store, doc_id, [fact("mg-note")])
    with any_store.transaction() as session:
        corrections.correct_fact(session, level, {"value": 6410.0}, "first", "ana")
    with any_store.transaction() as session:
        corrections.correct_fact(session, level, {"value": 6401.0}, "second look", "bo")
    with any_store.session() as session:
        history = corrections.history(session, level)
    assert [(c.user, c.superseded, c.before["value"], (c.after or {})["value"]) for c in history] == [
        ("ana", True, 6140.0, 6410.0),
        ("bo", False, 6410.0, 6401.0),
    ]
    stored(any_store, doc_id, [fact("mg-note")])
    assert facts_of(any_store, "mg-note") == [("t", 6401.0, "2024-05", "corrected")]


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"colour": "red"}, "x", "cannot correct colour"),
        ({"value": 6140.0}, "x", "changes nothing"),
        ({"value": 1.0}, "  ", "needs a reason"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(
    any_store: Store, changes: dict[str, object], reason: str, message: str
) -> None:
    doc_id = add_document(any_store, "mg-note")
    (level,) = stored(any_store, doc_id, [fact("mg-note")])
    with pytest.raises(CorrectionError, match=message), any_store.transaction() as session:
        corrections.correct_fact(session, level, changes, reason, "ana")
    assert facts_of(any_store, "mg-note") == [("t", 6140.0, "2024-05", "extracted")]
    with any_store.session() as session:
        assert corrections.history(session, level) == []


def test_an_unknown_fact_is_a_clear_error(any_store: Store) -> None:
    with pytest.raises(CorrectionError, match="no fact 424242"), any_store.transaction() as session:
        corrections.reject_fact(session, 424242, "x", "ana")
