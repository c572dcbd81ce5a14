"""`assay report`, `digest`, `watch ...`, `sources ...` and `crawl` through the real Typer app and, for
`crawl --forever` and signals, a real subprocess."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assay.cli.crawl
import assay.cli.docs
import assay.cli.report
import assay.cli.watch  # noqa: F401  # these register the commands on the app
from assay.cli.app import app
from receivers import Received, smtp_server

PAGE = (
    b"<html><head><title>Magnesium exports climb</title></head><body><article><h1>Magnesium exports climb</h1>"
    b"<p>China exported 24,500 tonnes of magnesium ingot in March 2024, customs data showed on Friday.</p>"
    b"<p>Primary magnesium production in China reached 900,000 tonnes in 2023.</p></article></body></html>"
)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("ASSAY_DATABASE_URL", raising=False)
    return CliRunner()


@pytest.fixture
def site() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, body = (200, PAGE) if self.path == "/news/mg.html" else (404, b"not found")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def filled(runner: CliRunner, tmp_path: Path) -> Path:
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "mg.html").write_bytes(PAGE)
    db = tmp_path / "filled.db"
    result = runner.invoke(app, ["--db", str(db), "ingest", "--no-progress", str(folder)])
    assert result.exit_code == 0, result.output
    return db


def test_report_as_markdown_and_pdf(runner: CliRunner, filled: Path, tmp_path: Path) -> None:
    md = runner.invoke(app, ["--db", str(filled), "report", "magnesium", "--format", "md"])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Primary magnesium metal: market report") and "## Sources" in md.stdout
    out = tmp_path / "mg.pdf"
    pdf = runner.invoke(app, ["--db", str(filled), "report", "magnesium", "--out", str(out), "--lang", "zh"])
    assert pdf.exit_code == 0, pdf.output
    assert out.read_bytes().startswith(b"%PDF-") and "wrote" in pdf.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["report", "unobtainium"],
        ["report", "magnesium", "--format", "docx"],
        ["report", "magnesium", "--lang", "fr"],
        ["report", "magnesium", "--since", "last year"],
        ["digest", "--since", "soon"],
        ["digest", "--format", "pdf"],
        ["watch", "add", "--commodity", "magnesium", "--notify", "pager:123"],
        [
            "watch",
            "add",
            "--commodity",
            "magnesium",
            "--metric",
            "exports",
            "--event-type",
            "export_control",
            "--notify",
            "mailto:a@example.com",
        ],
        ["sources", "add", "ftp://example.com/x"],
        ["sources", "add", "https://example.com/x", "--kind", "blog"],
        ["sources", "add", "https://example.com/x", "--every", "often"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "c.db"), *args])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")


def test_digest_prints_and_mails_once_a_day(runner: CliRunner, filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = runner.invoke(app, ["--db", str(filled), "digest", "--since", "1d"])
    assert shown.exit_code == 0 and "## New documents (1)" in shown.stdout
    received = Received()
    with smtp_server(received) as port:
        monkeypatch.setenv("ASSAY_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ASSAY_SMTP_PORT", str(port))
        monkeypatch.setenv("ASSAY_CONFIG", str(filled.parent / "no-config.toml"))
        sent = runner.invoke(app, ["--db", str(filled), "digest", "--send-to", "mailto:desk@example.com"])
        again = runner.invoke(app, ["--db", str(filled), "digest", "--send-to", "mailto:desk@example.com"])
    assert sent.exit_code == 0 and "sent: assay digest" in sent.stdout
    assert again.exit_code == 0 and "sent:" not in again.stdout
    assert len(received.items) == 1


def test_watch_rules_are_added_listed_tested_and_removed(runner: CliRunner, filled: Path) -> None:
    db = ["--db", str(filled)]
    added = runner.invoke(
        app,
        [
            *db,
            "watch",
            "add",
            "--commodity",
            "magnesium",
            "--metric",
            "exports",
            "--notify",
            "https://hooks.example.com/x",
        ],
    )
    assert added.exit_code == 0 and "added watch rule #1" in added.stdout
    listed = json.loads(runner.invoke(app, [*db, "watch", "list", "--json"]).stdout)
    assert listed["rules"][0]["metric"] == "exports" and listed["outbox"] == {}
    tested = runner.invoke(app, [*db, "watch", "test", "1"])
    assert tested.exit_code == 0 and "24,500 t" in tested.stdout and "1 matches in the store" in tested.stdout
    ran = runner.invoke(app, [*db, "watch", "run"])
    assert ran.exit_code == 0 and "rule #1" in ran.stdout and "0 new matches" in ran.stdout
    assert runner.invoke(app, [*db, "watch", "remove", "1"]).exit_code == 0
    missing = runner.invoke(app, [*db, "watch", "remove", "1"])
    assert missing.exit_code == 1 and missing.stderr.strip() == "error: 1: no watch rule 1"


def test_sources_and_one_crawl(runner: CliRunner, tmp_path: Path, site: str) -> None:
    db = ["--db", str(tmp_path / "crawl.db")]
    url = f"{site}/news/mg.html"
    assert runner.invoke(app, [*db, "sources", "add", url, "--every", "1h"]).exit_code == 0
    again = runner.invoke(app, [*db, "sources", "add", url])
    assert again.exit_code == 1 and "already a source" in again.stderr
    refused = runner.invoke(app, [*db, "crawl", "--retries", "0"])
    assert refused.exit_code == 1 and "refused: 127.0.0.1 is a loopback address" in refused.stderr
    runner.invoke(app, [*db, "sources", "remove", url])
    assert runner.invoke(app, [*db, "sources", "add", url, "--every", "1h"]).exit_code == 0
    crawled = runner.invoke(app, [*db, "crawl", "--allow-private-urls", "--host-interval", "0"])
    assert crawled.exit_code == 0, crawled.output
    assert "1 documents added" in crawled.stdout
    listed = json.loads(runner.invoke(app, [*db, "sources", "list", "--json"]).stdout)
    assert listed[0]["failures"] == 0 and listed[0]["every_s"] == 3600
    log = runner.invoke(app, [*db, "sources", "log"])
    assert "ok" in log.stdout and "1 added" in log.stdout


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_crawl_forever_stops_cleanly_on_a_signal(tmp_path: Path, site: str, signum: int) -> None:
    db = tmp_path / "forever.db"
    command = [sys.executable, "-c", "from assay.cli import main; main()", "--db", str(db)]
    env = {k: v for k, v in os.environ.items() if k != "ASSAY_DATABASE_URL"}
    subprocess.run(
        [*command, "sources", "add", f"{site}/news/mg.html", "--every", "1s"],
        check=True,
        env=env,
        capture_output=True,
        timeout=60,
    )
    process = subprocess.Popen(
        [*command, "crawl", "--forever", "--allow-private-urls", "--host-interval", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _crawl_log_lines(db) < 2:  # at least two rounds crawled
            assert process.poll() is None, process.communicate()
            time.sleep(0.2)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert b"stopped by a signal" in stdout and b"documents added" in stdout
    assert b"Traceback" not in stderr
    with sqlite3.connect(db) as connection:  # the store is whole and readable after the stop
        assert connection.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def _crawl_log_lines(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM crawl_log").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_digest_that_cannot_be_mailed_waits_in_the_outbox(
    runner: CliRunner, filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSAY_SMTP_HOST", raising=False)
    monkeypatch.setenv("ASSAY_CONFIG", str(filled.parent / "no-config.toml"))
    result = runner.invoke(app, ["--db", str(filled), "digest", "--send-to", "mailto:desk@example.com"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: mailto:desk@example.com: no SMTP server configured")
    listed = json.loads(runner.invoke(app, ["--db", str(filled), "watch", "list", "--json"]).stdout)
    assert listed["outbox"] == {"pending": 1}
