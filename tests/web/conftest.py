"""One store filled with the bundled sample corpus (plus an article carrying <script>) for the whole
web test session, an in-process client on it, and a real `assay serve` on a free localhost port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from assay.cli.docs import sample_corpus_dir
from assay.pipeline import IngestOptions, ingest
from assay.store.db import open_store
from assay.web import WebSettings, create_app

HOSTILE_TITLE = "Magnesium <script>window.hacked=1</script> note"
HOSTILE_TEXT = (
    f"{HOSTILE_TITLE}\n\nChina exported 4,500 t of magnesium ingot in 2024. "
    "<script>window.hacked=1</script> <img src=x onerror=alert(1)>\n"
)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store of the sample corpus and one hostile article; its URL."""
    root = tmp_path_factory.mktemp("web-store")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "hostile-note.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    corpus = sample_corpus_dir()
    assert corpus is not None
    url = f"sqlite:///{root / 'portal.db'}"
    with open_store(url) as store:
        report = ingest([str(corpus), str(hostile)], IngestOptions(), store)
    assert not report.failures
    return url


@pytest.fixture(scope="session")
def client(sample_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebSettings(database_url=sample_db)), raise_server_exceptions=False) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(sample_db: str) -> Iterator[str]:
    """`assay serve` in a subprocess on the sample store; its base URL."""
    port = free_port()
    env = {**os.environ, "ASSAY_DATABASE_URL": sample_db}
    command = [sys.executable, "-c", "from assay.cli import main; main()", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"assay serve exited early: {process.stdout.read() if process.stdout else ''}")
            try:
                if httpx.get(base + "/static/style.css", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("assay serve did not answer within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def hostile_id(sample_db: str) -> int:
    """The id of the stored article that carries <script>."""
    from assay.store.documents import list_documents

    with open_store(sample_db) as store, store.session() as session:
        return next(d.id for d in list_documents(session) if d.name.startswith("hostile-note"))


@pytest.fixture(scope="session")
def facts_doc_id(sample_db: str) -> int:
    """A document with rare-earth facts."""
    from assay.store.facts import FactFilter, query_facts

    with open_store(sample_db) as store, store.session() as session:
        facts = query_facts(session, FactFilter(commodity="rare_earths", metric="production", limit=1))
        assert facts and facts[0].document_id is not None
        return facts[0].document_id


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests save their screenshots (git-ignored); printed so a person can look."""
    folder = Path(__file__).parent / "screenshots"
    folder.mkdir(exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder
