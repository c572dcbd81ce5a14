"""Fixtures shared by the whole test suite.

- `store`: a fresh SQLite store in a temporary file, migrated to head.
- `pg_store`: a fresh PostgreSQL database, migrated to head. The server is the one
  ASSAY_TEST_POSTGRES_URL names, or a throwaway cluster the session starts on a free local
  port when PostgreSQL's binaries are installed; otherwise the test is skipped with the
  reason (and fails instead under CI=true, where PostgreSQL is required).
- `any_store`: parametrized over both, for tests that must hold on SQLite and PostgreSQL.
- `shared_dir`: ../shared beside the repository, or a skip when it is absent.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.store.db import Store, open_store

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT / ".." / "shared"


def _unavailable(reason: str) -> None:
    """Skip locally; under CI a missing dependency is a failure, not a silent skip."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI requires this: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'assay-test.db'}")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "corpus").is_dir():
        pytest.skip(f"../shared is absent (looked in {SHARED_DIR.resolve()}); these tests read third-party material")
    return SHARED_DIR.resolve()


class _Cluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.data_dir = Path(tempfile.mkdtemp(prefix="assay-pg-"))
        self.port = _free_port()
        self.log = self.data_dir / "server.log"
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()} {log}")

    def start(self) -> str:
        if self.as_postgres:
            shutil.chown(self.data_dir, user="postgres", group="postgres")
        pgdata = str(self.data_dir / "data")
        self._run("initdb", "-D", pgdata, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.data_dir} -F "
            "-c shared_buffers=16MB -c max_connections=40 -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run("pg_ctl", "-D", pgdata, "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        # the folder goes anyway; a server left behind dies with its data
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data_dir / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _postgres_bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    """An admin URL for a PostgreSQL server, or None with the reason recorded for the skip."""
    try:
        import psycopg  # noqa: F401  # only checking the driver is installed
    except ImportError:
        _unavailable('psycopg is not installed (pip install -e ".[test]")')
    url = os.environ.get("ASSAY_TEST_POSTGRES_URL", "").strip()
    if url:
        yield url
        return
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        _unavailable("PostgreSQL is not installed (no initdb found) and ASSAY_TEST_POSTGRES_URL is not set")
    assert bin_dir is not None
    cluster = _Cluster(bin_dir)
    try:
        admin_url = cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        cluster.stop()
        _unavailable(f"could not start a PostgreSQL cluster: {exc}")
        return
    yield admin_url
    cluster.stop()


@pytest.fixture
def pg_store(postgres_server: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh database on the test server for each test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    request.node.add_marker(pytest.mark.postgres)
    admin_url = make_url(postgres_server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"assay_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure here means the server is unusable for tests
        admin.dispose()
        _unavailable(f"cannot create a test database on {admin_url.render_as_string()}: {exc}")
    opened = open_store(admin_url.set(database=name).render_as_string(hide_password=False))
    yield opened
    opened.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> Store:
    """The test runs once on SQLite and once on PostgreSQL."""
    fixture = "store" if request.param == "sqlite" else "pg_store"
    opened: Store = request.getfixturevalue(fixture)
    return opened
