"""The digest: new documents, new and changed facts, biggest moves, new events and contradictions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from publish_helpers import magnesium_market

from assay.publish.digest import DigestOptions, digest_html, digest_json, digest_markdown, gather_digest
from assay.publish.timing import parse_duration, parse_since
from assay.store.db import Store
from assay.store.watch import utc_now
from knowledge_base import KnowledgeBase, make_fact


def test_what_was_stored_in_the_window_is_new(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        digest = gather_digest(session, DigestOptions(since=utc_now() - timedelta(days=7)))
        nothing = gather_digest(session, DigestOptions(since=utc_now() + timedelta(minutes=1)))
    assert {d.name for d in digest.documents} == {"usgs-note", "customs-2024", "price-wire", "blog-post"}
    assert digest.n_new_facts == 13 and len(digest.contradictions) == 1
    assert nothing.empty and "None." in digest_markdown(nothing)


def test_changed_facts_and_the_biggest_moves(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    since = utc_now()
    kb.doc(
        "revision",
        make_fact(26_000, "February exports were revised to 26,000 t", period="2024-02"),
        make_fact(45_000, "April exports jumped to 45,000 t", period="2024-04"),
    )
    with store.session() as session:
        digest = gather_digest(session, DigestOptions(since=since))
    assert [d.name for d in digest.documents] == ["revision"]
    (changed,) = digest.changed
    assert (changed.period, changed.before, changed.after) == ("2024-02", "25,000 t", "26,000 t")
    biggest = digest.moves[0]
    assert biggest.period == "2024-04" and biggest.pct == pytest.approx(50.0)
    text = digest_markdown(digest)
    assert "2024-04: 45,000 t, +50.0% from 30,000 t" in text
    assert "<h2>Changed facts (1)</h2>" in digest_html(digest)


def test_a_commodity_digest_keeps_to_its_commodity(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    kb.doc("graphite-note", make_fact(9_000, "Graphite exports were 9,000 t", commodity="graphite"))
    with store.session() as session:
        digest = gather_digest(session, DigestOptions(since=utc_now() - timedelta(days=1), commodity="graphite"))
    assert [d.name for d in digest.documents] == ["graphite-note"] and digest.n_new_facts == 1


def test_durations_and_dates() -> None:
    now = utc_now()
    assert parse_duration("6h") == timedelta(hours=6) and parse_duration("2w") == timedelta(days=14)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("2026-12-01", now).day == 1
    for bad in ("", "7", "-3d", "soon"):
        with pytest.raises(ValueError):
            parse_since(bad, now) if bad != "7" else parse_duration(bad)


def test_the_digest_as_json(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    with store.session() as session:
        payload = gather_digest(session, DigestOptions(since=utc_now() - timedelta(days=1)))
    as_json = json.loads(json.dumps(digest_json(payload)))
    assert as_json["new_facts"] == 13 and len(as_json["documents"]) == 4
    assert as_json["contradictions"][0]["kind"] == "contradiction"
