"""Accounts, API keys, settings, articles and the audit log on SQLite and PostgreSQL, and the
migration from the previous schema (0001) on a store that already holds data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from assay.pipeline import IngestOptions, ingest
from assay.store import accounts, articles, audit
from assay.store.articles import ArticleFields, StaleVersion
from assay.store.corrections import correct_fact
from assay.store.db import Store, alembic_config, schema_differences, upgrade
from assay.store.schema import DocumentRow, EventRow, FactRow


def test_users_sessions_and_keys(any_store: Store) -> None:
    with any_store.transaction() as session:
        ana = accounts.add_user(session, "ana", "hash-a", "analyst")
        accounts.open_session(session, ana.id, "s" * 64, dt.timedelta(hours=1))
        accounts.add_api_key(session, ana.id, "script", "assay_abc", "k" * 64)
    with any_store.transaction() as session:
        assert accounts.session_user(session, "s" * 64) == ana
        assert accounts.api_key_user(session, "k" * 64) == ana
        assert accounts.api_key_user(session, "x" * 64) is None
        with pytest.raises(accounts.AccountError, match="exists already"):
            accounts.add_user(session, "ana", "hash-b", "reader")
        accounts.update_user(session, "ana", disabled=True)
    with any_store.session() as session:
        assert accounts.session_user(session, "s" * 64) is None  # disabling closed the session
        assert accounts.api_key_user(session, "k" * 64) is None
        (key,) = accounts.list_api_keys(session)
        assert (key.user, key.name, key.prefix, key.last_used_at is not None) == ("ana", "script", "assay_abc", True)


def test_expired_sessions_open_nothing(any_store: Store) -> None:
    with any_store.transaction() as session:
        bo = accounts.add_user(session, "bo", "hash", "reader")
        accounts.open_session(session, bo.id, "e" * 64, dt.timedelta(seconds=-1))
    with any_store.session() as session:
        assert accounts.session_user(session, "e" * 64) is None


def test_login_failures_are_counted_per_account_and_address(any_store: Store) -> None:
    since = accounts.utcnow() - dt.timedelta(minutes=1)
    with any_store.transaction() as session:
        for address in ("10.0.0.1", "10.0.0.2"):
            accounts.record_login_failure(session, "ana", address)
        accounts.record_login_failure(session, "bo", "10.0.0.1")
    with any_store.transaction() as session:
        assert accounts.login_failures_since(session, since, account="ana") == 2
        assert accounts.login_failures_since(session, since, address="10.0.0.1") == 2
        accounts.clear_login_failures(session, "ana")
        assert accounts.login_failures_since(session, since, account="ana") == 0


def test_settings_round_trip(any_store: Store) -> None:
    with any_store.transaction() as session:
        assert accounts.get_setting(session, "public_read") is None
        accounts.set_setting(session, "public_read", "off")
        accounts.set_setting(session, "public_read", "on")
    with any_store.session() as session:
        assert accounts.get_setting(session, "public_read") == "on"


def test_audit_log_keeps_who_when_what_newest_first(any_store: Store) -> None:
    with any_store.transaction() as session:
        audit.record(session, "ana", "fact.correct", "fact:7", {"changes": {"value": [1, 2]}, "reason": "typo"})
        audit.record(session, "boss", "user.add", "user:cy", {"role": "reader"})
    with any_store.session() as session:
        newest, total = audit.entries(session, limit=1)
        mine, _ = audit.entries(session, user="ana")
        every = list(audit.iter_all(session))
    assert total == 2 and newest[0].action == "user.add"
    assert [(e.user, e.target, e.detail["reason"]) for e in mine] == [("ana", "fact:7", "typo")]
    assert [e.action for e in every] == ["fact.correct", "user.add"]
    assert every[0].as_json()["at"].endswith("Z")


def test_article_saves_refuse_an_old_version_and_keep_history(any_store: Store) -> None:
    with any_store.transaction() as session:
        made = articles.create_article(session, "mg-outlook", ArticleFields("Mg outlook", "v1 text"), "ana")
    with any_store.transaction() as session:
        articles.save_article(session, "mg-outlook", ArticleFields("Mg outlook", "ana's v2"), made.version, "ana")
    with pytest.raises(StaleVersion, match="changed by ana") as refused, any_store.transaction() as session:
        articles.save_article(session, "mg-outlook", ArticleFields("Mg outlook", "bo's text"), made.version, "bo")
    assert refused.value.current == 2
    with any_store.transaction() as session:
        articles.set_state(session, "mg-outlook", "published", 2, "ana")
    with any_store.session() as session:
        current = articles.get_article(session, "mg-outlook")
        history = articles.versions(session, "mg-outlook")
        published, total = articles.list_articles(session, articles.ArticleQuery())
    assert current is not None and (current.fields.body, current.state, current.version) == ("ana's v2", "published", 3)
    assert [(v.version, v.state, v.user) for v in history] == [
        (1, "draft", "ana"),
        (2, "draft", "ana"),
        (3, "published", "ana"),
    ]
    assert total == 1 and published[0].slug == "mg-outlook"


def test_article_search_finds_chinese_words(any_store: Store) -> None:
    with any_store.transaction() as session:
        articles.create_article(session, "zh", ArticleFields("菱镁矿市场", "辽宁菱镁矿开采总量控制", lang="zh"), "ana")
        articles.set_state(session, "zh", "published", 1, "ana")
    with any_store.session() as session:
        assert [a.slug for a in articles.search_articles(session, "开采")] == ["zh"]
        assert articles.search_articles(session, "graphite") == []


MAGNESIUM = (
    "Magnesium ingot exports\n\n"
    "China exported 229,570 tonnes of magnesium ingot in January-October 2022, customs data showed. "
    "Primary magnesium production in Fugu county reached 32,000 t in July 2025.\n"
)


def test_upgrade_from_0001_keeps_the_data_and_matches_schema_py(any_store: Store, tmp_path: Path) -> None:
    """A store filled by the pipeline, taken back to 0001 (as the previous release left it), then
    opened by this release: every document, fact and event is still there, and corrections work."""
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "mg.txt").write_text(MAGNESIUM, encoding="utf-8")
    report = ingest([str(folder)], IngestOptions(show_progress=False), any_store)
    assert report.added == 1 and report.facts >= 2
    before = counts(any_store)
    with any_store.engine.connect() as connection, connection.begin():
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert "fact_corrections" not in inspect(any_store.engine).get_table_names()
    assert counts(any_store) == before
    upgrade(any_store.engine)
    assert schema_differences(any_store) == []
    assert counts(any_store) == before
    with any_store.transaction() as session:
        fact_id = session.scalars(select(FactRow.id).order_by(FactRow.id)).first()
        assert fact_id is not None
        done = correct_fact(session, fact_id, {"value": 2.0}, "upgrade works", "ana")
        audit.record(session, "ana", "fact.correct", f"fact:{fact_id}", {})
    assert done.after is not None and done.after["value"] == 2.0


def counts(store: Store) -> tuple[int, ...]:
    with store.session() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (DocumentRow, FactRow, EventRow)
        )
