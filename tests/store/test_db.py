"""Opening stores: migrations to head, SQLite settings, schema matching schema.py, bad URLs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, text

from assay.store.db import (
    ANALYZE_MIN_ROWS,
    SQLITE_CACHE_KIB,
    Store,
    StoreError,
    alembic_config,
    normalise_url,
    open_store,
    refresh_statistics,
    schema_differences,
)
from assay.store.schema import Base, DocumentRow, FactRow


def test_migrated_schema_matches_schema_py(any_store: Store) -> None:
    assert schema_differences(any_store) == []


def test_every_table_of_schema_py_exists(any_store: Store) -> None:
    tables = set(inspect(any_store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_a_column_missing_from_the_migration_is_reported(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE ingest_failures DROP COLUMN reason"))
    differences = schema_differences(store)
    assert any(diff[0] == "add_column" and diff[3].name == "reason" for diff in differences)


def test_a_missing_index_is_reported(any_store: Store) -> None:
    with any_store.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_facts_metric_period"))
    differences = schema_differences(any_store)
    assert [(diff[0], diff[1].name) for diff in differences] == [("add_index", "ix_facts_metric_period")]


def test_sqlite_runs_in_wal_with_foreign_keys(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_sqlite_has_the_full_text_table(store: Store) -> None:
    with store.engine.connect() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'")).scalar()
    assert sql is not None and "fts5" in sql.lower()


def test_postgresql_has_the_full_text_index(pg_store: Store) -> None:
    names = {index["name"] for index in inspect(pg_store.engine).get_indexes("documents")}
    assert "ix_documents_fts" in names


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with open_store(url) as first, first.transaction() as session:
        session.execute(text("INSERT INTO ingest_failures (source, reason, at) VALUES ('x', 'y', '2025-01-01')"))
    with open_store(url) as second, second.session() as session:
        assert session.execute(text("SELECT count(*) FROM ingest_failures")).scalar() == 1
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head


def test_a_plain_path_means_a_sqlite_file(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "plain.db")) as opened:
        assert opened.dialect == "sqlite"
    assert (tmp_path / "plain.db").exists()
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database\n" * 100)
    before = notes.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(f"sqlite:///{notes}")
    assert notes.read_bytes() == before


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'nowhere' / 'a.db'}")


def test_an_unknown_driver_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="no driver"):
        open_store("nosuchdb://host/db")


def test_an_unreachable_postgres_is_a_clear_error_without_the_password() -> None:
    port = _closed_port()
    with pytest.raises(StoreError) as caught:
        open_store(f"postgresql://user:secret@127.0.0.1:{port}/db")
    assert "secret" not in str(caught.value)
    assert "\n" not in str(caught.value)


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_processes_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'race.db'}"
    script = "import sys; from assay.store.db import open_store; open_store(sys.argv[1]).close()"
    children = [subprocess.Popen([sys.executable, "-c", script, url], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [child.communicate()[1].decode() for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0], errors
    with open_store(url) as opened:
        assert schema_differences(opened) == []


def _add_facts(store: Store, how_many: int, first_id: int = 1) -> None:
    with store.transaction() as session:
        if session.get(DocumentRow, 1) is None:
            session.execute(
                insert(DocumentRow).values(
                    id=1,
                    name="d",
                    source="/d.txt",
                    raw_sha256="a" * 64,
                    text_sha256="b" * 64,
                    fetched_at=datetime(2025, 1, 1),
                    raw_text="",
                    clean_text="",
                    cleaning_steps=[],
                    commodity_families=[],
                )
            )
        rows = [
            {
                "id": first_id + i,
                "document_id": 1,
                "commodity": ("magnesium", "graphite", "prnd")[i % 3],
                "metric": ("exports", "production")[i % 2],
                "geo": f"G{i % 40}",
                "period": str(2000 + i % 25),
                "period_start": date(2000 + i % 25, 1, 1),
                "value": float(i),
                "unit": "t",
                "basis": "actual",
                "quote": "q",
                "rule": "r",
                "rule_version": "1",
            }
            for i in range(how_many)
        ]
        session.execute(insert(FactRow), rows)


def test_statistics_are_gathered_for_large_tables_and_again_after_they_grow(store: Store) -> None:
    _add_facts(store, 600)
    assert "facts" in refresh_statistics(store, min_rows=500)
    assert refresh_statistics(store, min_rows=500) == []  # fresh statistics are left alone
    _add_facts(store, 2000, first_id=601)
    assert "facts" in refresh_statistics(store, min_rows=500)
    with store.engine.connect() as conn:
        analysed = {row[0] for row in conn.execute(text("SELECT tbl FROM sqlite_stat1"))}
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT value, quote FROM facts WHERE commodity = 'magnesium' "
                    "AND metric = 'exports' AND geo = 'G3' AND partner IS NULL ORDER BY period_start"
                )
            )
        )
    assert "facts" in analysed
    assert "ix_facts_series_covering" in plan


def test_small_tables_are_not_analysed(store: Store) -> None:
    _add_facts(store, 10)
    assert refresh_statistics(store, min_rows=500) == []


def test_opening_a_store_gathers_missing_statistics(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'grown.db'}"
    with open_store(url) as first:
        _add_facts(first, ANALYZE_MIN_ROWS + 10)
    with open_store(url) as second, second.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'facts'")).scalar_one() > 0


def test_refreshing_statistics_works_on_postgresql(pg_store: Store) -> None:
    _add_facts(pg_store, 50)
    assert refresh_statistics(pg_store, min_rows=500) == []  # too few changes to be worth an ANALYZE


def test_sqlite_connections_use_a_large_cache_and_memory_temp_store(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB
        assert conn.execute(text("PRAGMA temp_store")).scalar() == 2  # MEMORY
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL, durable under WAL
