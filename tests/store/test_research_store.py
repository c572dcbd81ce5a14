"""The research tables on SQLite and PostgreSQL: crawl sources with backoff, page validators, the crawl
log, watch rules and the notification outbox (unique keys, claims with a lease, retries)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assay.store import crawl as repo
from assay.store.db import Store
from assay.store.watch import (
    CLAIM_LEASE,
    Message,
    WatchRuleSpec,
    WatchStoreError,
    add_rule,
    claim_due,
    enqueue,
    list_rules,
    mark_retry,
    mark_sent,
    outbox_counts,
    remove_rule,
    utc_now,
)


def test_sources_keep_their_schedule_and_back_off(any_store: Store) -> None:
    now = utc_now()
    with any_store.transaction() as session:
        source_id = repo.add_source(session, "https://example.com/feed.xml", "feed", 3600, now)
        with pytest.raises(repo.CrawlStoreError, match="already a source"):
            repo.add_source(session, "https://example.com/feed.xml", "page", 60, now)
        with pytest.raises(repo.CrawlStoreError, match="unknown kind"):
            repo.add_source(session, "https://example.com/x", "blog", 60, now)
    with any_store.transaction() as session:
        assert [s.id for s in repo.due_sources(session, now)] == [source_id]
        waits = [repo.record_failure(session, source_id, now) for _ in range(8)]
    assert waits[:3] == [timedelta(hours=2), timedelta(hours=4), timedelta(hours=8)]
    assert waits[-1] == timedelta(days=64 / 24) and max(waits) <= repo.MAX_WAIT
    with any_store.transaction() as session:
        assert repo.due_sources(session, now + timedelta(hours=1)) == []
        repo.record_success(session, source_id, repo.Validators('"v2"', "Tue, 05 Mar 2024 08:00:00 GMT"), now)
    with any_store.session() as session:
        (source,) = repo.list_sources(session)
    assert (source.failures, source.backoff_s, source.etag) == (0, 0, '"v2"')
    assert source.next_due == now + timedelta(hours=1)


def test_page_validators_and_the_log(any_store: Store) -> None:
    now = utc_now()
    with any_store.transaction() as session:
        repo.save_page_validators(session, "https://example.com/a", repo.Validators('"a1"', None), now)
        repo.save_page_validators(session, "https://example.com/a", repo.Validators('"a2"', None), now)
        repo.log(session, None, "https://example.com/a", "error", "HTTP 500 Internal Server Error", now)
    with any_store.session() as session:
        assert repo.page_validators(session, "https://example.com/a") == repo.Validators('"a2"', None)
        assert repo.page_validators(session, "https://example.com/b") == repo.Validators()
        (line,) = repo.recent_log(session)
    assert line.outcome == "error" and line.message.startswith("HTTP 500")


def test_removing_a_source_keeps_its_log(any_store: Store) -> None:
    now = utc_now()
    with any_store.transaction() as session:
        source_id = repo.add_source(session, "https://example.com/p", "page", 60, now)
        repo.log(session, source_id, "https://example.com/p", "ok", "fetched", now)
    with any_store.transaction() as session:
        repo.remove_source(session, str(source_id))
        with pytest.raises(repo.CrawlStoreError):
            repo.remove_source(session, "https://example.com/p")
    with any_store.session() as session:
        assert len(repo.recent_log(session)) == 1 and repo.list_sources(session) == []


def message(key: str) -> Message:
    return Message(key=key, target="mailto:a@example.com", subject="s", text="t", html="<p>t</p>", payload={"n": 1})


def test_the_outbox_sends_each_key_once_and_keeps_failures(any_store: Store) -> None:
    with any_store.transaction() as session:
        assert enqueue(session, message("k1")) and enqueue(session, message("k2"))
        assert not enqueue(session, message("k1"))
    now = utc_now()
    with any_store.transaction() as session:
        claimed = claim_due(session, now)
        assert [n.message.key for n in claimed] == ["k1", "k2"]
        assert claim_due(session, now) == []  # claimed: a second sender gets nothing
        mark_sent(session, claimed[0].id, now)
        mark_retry(session, claimed[1].id, "SMTP 451: try later", now + timedelta(minutes=1))
    with any_store.transaction() as session:
        assert claim_due(session, now) == []
        (retry,) = claim_due(session, now + timedelta(minutes=1))
        assert retry.message.key == "k2" and retry.attempts == 1 and retry.last_error == "SMTP 451: try later"
    with any_store.transaction() as session:
        # a sender that died while sending: the message is offered again once its lease is over
        (again,) = claim_due(session, now + timedelta(minutes=1) + CLAIM_LEASE)
        assert again.message.key == "k2"
    with any_store.session() as session:
        assert outbox_counts(session) == {"sending": 1, "sent": 1}


def test_rules_are_stored_and_removed(any_store: Store) -> None:
    with any_store.transaction() as session:
        rule_id = add_rule(session, WatchRuleSpec("graphite", "mailto:a@example.com", event_type="export_control"))
    with any_store.transaction() as session:
        (rule,) = list_rules(session)
        assert rule.id == rule_id and rule.spec.event_type == "export_control"
        remove_rule(session, rule_id)
        with pytest.raises(WatchStoreError):
            remove_rule(session, rule_id)
