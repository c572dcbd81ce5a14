"""Opening a store: an engine, sessions, and the schema brought to head by Alembic.

SQLite is the default (one file, WAL journal, foreign keys, FTS5 over clean text); PostgreSQL
works through the same code. `open_store` reads the schema's revision without any lock and runs
`alembic upgrade head` only when it is behind (under the write lock, so concurrent openers migrate
once): a file made by an older assay is migrated in place, a new file gets the whole schema, and
a reader of an up-to-date store never takes the write lock.

Writers on SQLite take the write lock when their transaction begins (BEGIN IMMEDIATE); one that
finds it busy waits (busy timeout) and tries again, up to WRITER_PATIENCE_S, instead of failing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from assay.store.schema import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# how long a writer keeps trying to begin (each try waits up to the busy timeout), and the pause between tries
WRITER_PATIENCE_S = 1800.0
WRITER_RETRY_PAUSE_S = 0.05
SQLITE_CACHE_KIB = 64 * 1024  # page cache per connection; the default 2 MB thrashes on the FTS and facts indexes
# Planner statistics: a table is analysed when it has at least this many rows and none were
# gathered, or it grew or shrank by STALE_RATIO since; ANALYZE reads at most ANALYSIS_LIMIT rows per index.
ANALYZE_MIN_ROWS = 500
STALE_RATIO = 2.0
ANALYSIS_LIMIT = 1000
ANALYSED_TABLES = ("documents", "facts", "events", "event_mentions", "event_commodities")
# Objects that live beside schema.py's tables on purpose (full-text search); schema
# comparisons leave them out.
FULL_TEXT_OBJECTS = ("documents_fts", "ix_documents_fts")


class StoreError(Exception):
    """The database named by a URL cannot be opened or brought up to date."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Store:
    """An open database: `session()` hands out sessions; the caller commits."""

    url: str
    engine: Engine
    dialect: str  # "sqlite" or "postgresql"
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    def write_session(self) -> Session:
        """A session for a writer that reads before it writes: on SQLite its transactions take the
        write lock when they begin (BEGIN IMMEDIATE, waiting up to the busy timeout), so a read
        never leaves a snapshot that another process's commit makes too stale to write from."""
        return Session(self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE"), expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str, gather_statistics: bool = True) -> Store:
    """Connect to `url` (any SQLAlchemy URL; a bare path means a SQLite file), migrated to head.

    `gather_statistics=False` for readers: nothing is written unless the schema is behind.
    """
    url = normalise_url(url)
    engine = _create_engine(url)
    try:
        if current_revision(engine) != head_revision():
            upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise StoreError(display_url(url), describe_error(exc)) from exc
    store = Store(url=url, engine=engine, dialect=engine.dialect.name)
    if gather_statistics:
        with suppress(SQLAlchemyError):  # a read-only or busy database still opens; statistics can wait
            refresh_statistics(store)
    return store


def head_revision() -> str | None:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty one), read without taking any lock."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def refresh_statistics(store: Store, min_rows: int = ANALYZE_MIN_ROWS) -> list[str]:
    """Gather planner statistics for tables that have none or whose size changed a lot; returns their names.

    An unanalysed SQLite store lets the planner guess, and it guesses wrong on facts (the
    metric/period index instead of the covering series index). Cheap when nothing is stale:
    one lookup of the statistics and of each table's largest id.
    """
    with store.engine.begin() as connection:
        if store.dialect == "sqlite":
            stale = _stale_sqlite_tables(connection, min_rows)
            if stale:
                connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                for table in stale:
                    connection.exec_driver_sql(f"ANALYZE {table}")
        elif store.dialect == "postgresql":
            stale = _stale_postgresql_tables(connection, min_rows)
            for table in stale:
                connection.exec_driver_sql(f"ANALYZE {table}")
        else:
            stale = []
    return stale


def _stale_sqlite_tables(connection: Connection, min_rows: int) -> list[str]:
    known: dict[str, int] = {}
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        for table, stat in connection.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1"):
            if stat and str(stat).split()[0].isdigit():
                known[table] = max(known.get(table, 0), int(str(stat).split()[0]))
    stale = []
    for table in ANALYSED_TABLES:
        # max(id) is one index probe; ids only grow, so it bounds the row count from above
        rows = (
            connection.exec_driver_sql(f"SELECT max(rowid) FROM {table}").scalar() or 0
        )  # table names are our constants
        analysed = known.get(table)
        if analysed is None:
            if rows >= min_rows:
                stale.append(table)
        elif max(rows, 1) > STALE_RATIO * max(analysed, 1) and rows >= min_rows:
            stale.append(table)
    return stale


def _stale_postgresql_tables(connection: Connection, min_rows: int) -> list[str]:
    query = (
        "SELECT relname, n_live_tup, n_mod_since_analyze, last_analyze, last_autoanalyze "
        "FROM pg_stat_user_tables WHERE relname = ANY(%(tables)s)"
    )
    stale = []
    for name, live, modified, manual, automatic in connection.exec_driver_sql(query, {"tables": list(ANALYSED_TABLES)}):
        never = manual is None and automatic is None
        if modified >= min_rows and (never or modified * STALE_RATIO > max(live, 1)):
            stale.append(str(name))
    return sorted(stale)


def normalise_url(url: str) -> str:
    """Accept a plain file path for SQLite, and `postgresql://` for the psycopg 3 driver we ship."""
    url = url.strip()
    if not url:
        raise StoreError("(empty)", "no database URL given")
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations on `engine` up to `revision`."""
    config = alembic_config()
    # On SQLite the migration takes the write lock first, so two processes opening a new file
    # at once run it one after the other instead of one failing on a stale read.
    # One wait of the busy timeout, no more: a reader that must migrate first fails with one line
    # rather than waiting out a long ingest.
    options = {"sqlite_begin": "BEGIN IMMEDIATE", "writer_patience_s": 0.0}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def alembic_config() -> Config:
    """An Alembic configuration built in code, so no alembic.ini is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def schema_differences(store: Store) -> list[Any]:
    """What differs between the migrated database and schema.py (empty when they match)."""
    with store.engine.connect() as connection:
        options = {
            "include_name": include_name,
            "include_object": objects_of_dialect(store.dialect),
            "compare_type": True,
        }
        context = MigrationContext.configure(connection, opts=options)
        return list(compare_metadata(context, Base.metadata))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Leave out the full-text search objects, which the migrations make and schema.py does not describe."""
    return not (name and name.startswith(FULL_TEXT_OBJECTS))


def objects_of_dialect(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """An Alembic `include_object` hook that leaves out schema.py's indexes meant for another dialect
    (`Index(...).ddl_if(dialect=...)`), which autogenerate would otherwise expect everywhere."""

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if reflected or type_ != "index":
            return True
        wanted = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return not wanted or wanted == dialect

    return include_object


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(url, f"not a database URL ({exc})") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, parsed.database)
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(display_url(url), f"no driver for this database ({exc})") from exc


def _sqlite_engine(url: str, database: str | None) -> Engine:
    in_memory = not database or database == ":memory:"
    if not in_memory:
        assert database is not None
        folder = Path(database).expanduser().resolve().parent
        try:
            if not folder.is_dir():
                raise StoreError(url, f"folder {folder} does not exist")
            if Path(database).expanduser().is_dir():
                raise StoreError(url, "is a folder, not a database file")
        except OSError as exc:  # a folder on the way that we may not read (permission denied, ...)
            raise StoreError(url, f"cannot use folder {folder}: {(exc.strerror or str(exc)).lower()}") from None
    extra: dict[str, Any] = {"poolclass": StaticPool} if in_memory else {}
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **extra)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # The sqlite3 module's own transaction handling breaks SAVEPOINTs; SQLAlchemy emits BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL makes NORMAL durable against process crashes; only a power cut can lose the last commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute("PRAGMA temp_store=MEMORY")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    statement = connection.get_execution_options().get("sqlite_begin", "BEGIN")
    if statement == "BEGIN":  # a reader: in WAL mode it never waits for a writer
        connection.exec_driver_sql(statement)
        return
    give_up = time.monotonic() + connection.get_execution_options().get("writer_patience_s", WRITER_PATIENCE_S)
    while True:
        try:
            connection.exec_driver_sql(statement)
            return
        except OperationalError as exc:
            # another writer kept the lock past the busy timeout: wait our turn again, up to our patience
            if not _is_busy(exc) or time.monotonic() >= give_up:
                raise
            time.sleep(WRITER_RETRY_PAUSE_S)


def _is_busy(exc: OperationalError) -> bool:
    original = exc.orig
    if isinstance(original, sqlite3.OperationalError):
        text = str(original).lower()
        return "locked" in text or "busy" in text
    return False


def describe_error(exc: BaseException) -> str:
    """A database error as one short line (the driver's first line, without SQL or parameters)."""
    text = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else str(exc)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if "file is not a database" in first:
        return "not a SQLite database file"
    return first
