"""Watch rules: what each rule matches, each match queued once, and delivered end to end."""

from __future__ import annotations

import json

from publish_helpers import magnesium_market

from assay.model import Basis, Event, Stance
from assay.publish.notify import NotifySettings, WebhookSettings, deliver_due
from assay.publish.watch import evaluate, run_rules
from assay.store.db import Store
from assay.store.events import record_events
from assay.store.watch import WatchRuleSpec, add_rule, get_rule, list_notifications
from knowledge_base import KnowledgeBase, make_fact
from receivers import Received, webhook_receiver


def rule(store: Store, **fields: object) -> int:
    spec = WatchRuleSpec(**{"commodity": "magnesium", "notify": "https://hooks.example.com/x", **fields})  # type: ignore[arg-type]
    with store.transaction() as session:
        return add_rule(session, spec)


def queued(store: Store) -> list[dict[str, object]]:
    with store.session() as session:
        return [n.message.payload for n in reversed(list_notifications(session))]


def test_a_new_rule_watches_only_what_comes_after_it(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    rule_id = rule(store, metric="exports")
    assert run_rules(store)[0].matches == []
    kb.doc("later", make_fact(33_000, "April exports were 33,000 t", period="2024-04"))
    outcomes = run_rules(store)
    assert [m.data["value"] for m in outcomes[0].matches] == [33_000]
    assert run_rules(store)[0].matches == []  # seen: never matched again
    payloads = queued(store)
    assert len(payloads) == 1 and payloads[0]["rule"]["id"] == rule_id  # type: ignore[index]


def test_change_pct_compares_with_the_previous_period(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)  # March exports: 30,000 t
    rule(store, metric="exports", geo="CN", change_pct=20)
    kb.doc("small-move", make_fact(33_000, "April exports were 33,000 t", period="2024-04"))
    assert run_rules(store)[0].matches == []  # +10%
    kb.doc("big-move", make_fact(45_000, "May exports jumped to 45,000 t", period="2024-05"))
    (match,) = run_rules(store)[0].matches
    assert match.data["change_pct"] == 36.36 and match.data["previous"] == 33_000


def test_a_keyword_rule_matches_quotes_and_documents(kb: KnowledgeBase, store: Store) -> None:
    rule(store, keyword="Fugu")
    kb.doc("fugu", make_fact(16_800, "Fugu ingot held at 16,800 yuan/t", metric="price", unit="CNY/t"))
    kb.doc("other", make_fact(17_000, "Ingot held at 17,000 yuan/t", metric="price", unit="CNY/t"))
    kinds = sorted((m.kind, m.text.split(" ")[0]) for m in run_rules(store)[0].matches)
    assert [k for k, _ in kinds] == ["document", "fact"]


def test_an_event_type_rule_matches_events_of_that_type(kb: KnowledgeBase, store: Store) -> None:
    rule(store, commodity="graphite", event_type="export_control")
    doc_id = kb.doc("mofcom", make_fact(1, "placeholder", commodity="graphite"))
    with store.transaction() as session:
        record_events(
            session,
            doc_id,
            [
                Event(
                    doc="mofcom",
                    type="export_control",
                    actor="CN:MOFCOM",
                    commodities=("graphite",),
                    date="2023-12-01",
                    stance=Stance.TIGHTEN,
                    quote="China will require export licences for graphite from 1 December",
                ),
                Event(
                    doc="mofcom",
                    type="production_quota",
                    actor="CN:MIIT",
                    commodities=("graphite",),
                    date="2024",
                    stance=Stance.NEUTRAL,
                    quote="quotas were issued",
                ),
            ],
        )
    (match,) = run_rules(store)[0].matches
    assert match.kind == "event" and match.data["type"] == "export_control"


def test_watch_test_looks_at_everything_stored_without_moving_marks(kb: KnowledgeBase, store: Store) -> None:
    magnesium_market(kb)
    rule_id = rule(store, metric="production", geo="CN")
    with store.session() as session:
        found = evaluate(session, get_rule(session, rule_id), from_start=True)
    assert [m.data["value"] for m in found] == [900_000]
    assert queued(store) == []


def test_a_match_reaches_a_webhook_once(kb: KnowledgeBase, store: Store) -> None:
    received = Received()
    with webhook_receiver(received) as url:
        rule(store, metric="exports", notify=url)
        kb.doc("later", make_fact(33_000, "April exports were 33,000 t", period="2024-04", basis=Basis.ACTUAL))
        run_rules(store)
        settings = NotifySettings(webhook=WebhookSettings(secret="s"))
        assert len(deliver_due(store, settings=settings).sent) == 1
        run_rules(store)
        assert not deliver_due(store, settings=settings).sent
    (only,) = received.items
    payload = json.loads(only[1])
    assert payload["kind"] == "watch" and payload["matches"][0]["quote"] == "April exports were 33,000 t"
