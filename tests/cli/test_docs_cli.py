"""`assay ingest`, `assay docs ...` and `assay demo` through the real Typer app."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assay.cli.docs  # noqa: F401  # registers the commands on the app
from assay.cli.app import app
from assay.store.db import Store

GRAPHITE = (
    "Graphite export licences take effect\n\n"
    "China began requiring export licences for spherical graphite on 1 December 2023. "
    "Natural graphite exports fell 20% in December from November.\n"
)
MAGNESIUM = (
    "Fugu magnesium ingot output slips\n\n"
    "Primary magnesium production in Fugu county reached 32,000 t in July 2025. "
    "Magnesium ingot 99.9% sold at 17,800 CNY/t.\n"
)
ZH = "辽宁菱镁矿开采总量控制\n发布时间：2025年8月25日\n\n辽宁省下达菱镁矿开采总量控制指标，电熔镁砂价格上涨。\n"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("ASSAY_DATABASE_URL", raising=False)
    return CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "graphite.txt").write_text(GRAPHITE, encoding="utf-8")
    (folder / "magnesium.md").write_text(MAGNESIUM, encoding="utf-8")
    (folder / "zh.txt").write_text(ZH, encoding="utf-8")
    return folder


@pytest.fixture
def filled(runner: CliRunner, corpus: Path, tmp_path: Path) -> Path:
    db = tmp_path / "filled.db"
    result = runner.invoke(app, ["--db", str(db), "ingest", "--no-progress", str(corpus)])
    assert result.exit_code == 0, result.output
    return db


def test_ingest_prints_a_summary_and_exits_0(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "ingest", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "ingested 3 documents" in result.stdout
    again = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "ingest", str(corpus)])
    assert again.exit_code == 0 and "ingested 0 documents" in again.stdout and "3 already stored" in again.stdout


def test_a_failed_input_is_one_line_and_exit_1(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 20)
    missing = tmp_path / "missing.pdf"
    db = tmp_path / "b.db"
    result = runner.invoke(app, ["--db", str(db), "ingest", str(junk), str(corpus), str(missing)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {junk}: ")
    assert errors[1].startswith(f"error: {missing}: ")
    listed = runner.invoke(app, ["--db", str(db), "docs", "list", "--json"])
    assert len(json.loads(listed.stdout)) == 3


@pytest.mark.parametrize(
    "args",
    [["ingest"], ["ingest", "--max-bytes", "0", "x"], ["ingest", "--no-such-option", "x"], ["docs", "show", "abc"]],
)
def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "c.db"), *args])
    assert result.exit_code == 2


def test_docs_list_json_shape(runner: CliRunner, filled: Path) -> None:
    result = runner.invoke(app, ["--db", str(filled), "docs", "list", "--json"])
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert isinstance(items, list) and len(items) == 3
    for item in items:
        for key in ("id", "title", "lang", "published", "url", "duplicate_of", "source", "name", "content_type"):
            assert key in item
        assert "fetched_at" in item
    assert items[0]["published"] == "2025-08-25" and items[0]["lang"] == "zh"  # newest first
    limited = json.loads(runner.invoke(app, ["--db", str(filled), "docs", "list", "--json", "--limit", "1"]).stdout)
    assert len(limited) == 1
    english = json.loads(runner.invoke(app, ["--db", str(filled), "docs", "list", "--json", "--lang", "en"]).stdout)
    assert {item["lang"] for item in english} == {"en"} and len(english) == 2


def test_docs_list_table(runner: CliRunner, filled: Path) -> None:
    result = runner.invoke(app, ["--db", str(filled), "docs", "list"])
    assert result.exit_code == 0 and "3 documents" in result.stdout


def test_docs_show(runner: CliRunner, filled: Path) -> None:
    items = json.loads(runner.invoke(app, ["--db", str(filled), "docs", "list", "--json", "--lang", "zh"]).stdout)
    doc_id = str(items[0]["id"])
    shown = runner.invoke(app, ["--db", str(filled), "docs", "show", doc_id])
    assert shown.exit_code == 0
    assert "辽宁省下达菱镁矿开采总量控制指标" in shown.stdout
    assert "cleaning_steps" in shown.stdout
    as_json = json.loads(runner.invoke(app, ["--db", str(filled), "docs", "show", doc_id, "--json"]).stdout)
    assert as_json["id"] == int(doc_id) and as_json["published"] == "2025-08-25"
    assert "辽宁省下达" in as_json["clean_text"] and isinstance(as_json["cleaning_steps"], list)


def test_docs_show_unknown_id_is_one_line_and_exit_1(runner: CliRunner, filled: Path) -> None:
    result = runner.invoke(app, ["--db", str(filled), "docs", "show", "999"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no document with id 999"


def test_docs_search(runner: CliRunner, filled: Path) -> None:
    result = runner.invoke(app, ["--db", str(filled), "docs", "search", "spherical graphite", "--json"])
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert [hit["name"] for hit in hits] == ["graphite"]
    assert "spherical graphite" in hits[0]["snippet"]
    chinese = json.loads(runner.invoke(app, ["--db", str(filled), "docs", "search", "菱镁矿", "--json"]).stdout)
    assert [hit["name"] for hit in chinese] == ["zh"]


def test_the_environment_url_wins_over_db(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db, flag_db = tmp_path / "env.db", tmp_path / "flag.db"
    monkeypatch.setenv("ASSAY_DATABASE_URL", f"sqlite:///{env_db}")
    result = runner.invoke(app, ["--db", str(flag_db), "ingest", str(corpus)])
    assert result.exit_code == 0
    assert env_db.exists() and not flag_db.exists()


def test_a_database_that_cannot_be_opened_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("plain notes\n" * 50)
    result = runner.invoke(app, ["--db", str(not_a_db), "docs", "list"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: sqlite:///{not_a_db}: not a SQLite database file"
    assert not_a_db.read_text() == "plain notes\n" * 50


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            host = f"http://{self.headers['Host']}"
            feed = (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>Metals wire</title>'
                f"<item><title>Fugu magnesium</title><link>{host}/news/magnesium</link>"
                "<pubDate>Tue, 05 Aug 2025 08:00:00 GMT</pubDate></item></channel></rss>"
            )
            payload = feed.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif self.path == "/news/magnesium":
            head = "<head><title>Fugu magnesium</title></head>"
            body = f"<html>{head}<body><article><p>{MAGNESIUM}</p></article></body></html>"
            payload = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_from_a_local_server(runner: CliRunner, server: str, tmp_path: Path) -> None:
    db = str(tmp_path / "web.db")
    page, missing = f"{server}/news/magnesium", f"{server}/gone"
    refused = runner.invoke(app, ["--db", db, "ingest", page])
    assert refused.exit_code == 1 and refused.stderr.startswith(f"error: {page}: ")
    result = runner.invoke(app, ["--db", db, "ingest", "--allow-private-urls", page, missing])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: {missing}: ") and "404" in errors[0]
    items = json.loads(runner.invoke(app, ["--db", db, "docs", "list", "--json"]).stdout)
    assert [item["url"] for item in items] == [page]


def test_a_feed_is_followed_to_its_pages(runner: CliRunner, server: str, tmp_path: Path) -> None:
    db = str(tmp_path / "feed.db")
    result = runner.invoke(app, ["--db", db, "ingest", "--feed", "--allow-private-urls", f"{server}/feed.xml"])
    assert result.exit_code == 0, result.output
    items = json.loads(runner.invoke(app, ["--db", db, "docs", "list", "--json"]).stdout)
    assert [item["url"] for item in items] == [f"{server}/news/magnesium"]


def test_the_size_cap_is_configurable(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    big = corpus / "graphite.txt"
    result = runner.invoke(app, ["--db", str(tmp_path / "cap.db"), "ingest", "--max-bytes", "100", str(big)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {big}: ")


def test_demo_ingests_the_bundled_sample(runner: CliRunner, tmp_path: Path) -> None:
    from assay.cli.docs import sample_corpus_dir

    if sample_corpus_dir() is None:
        pytest.fail("the bundled sample corpus (assay.sample) is missing")
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--no-serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    for heading in ("by language", "by source", "by commodity family", "facts", "events"):
        assert heading in result.stdout
    items = json.loads(runner.invoke(app, ["--db", str(db), "docs", "list", "--json"]).stdout)
    assert len(items) >= 5
    assert {"en", "zh"} <= {item["lang"] for item in items}
    again = runner.invoke(app, ["demo", "--no-serve", "--db", str(db)])
    assert again.exit_code == 0 and "ingested 0 documents" in again.stdout


def test_a_database_failure_mid_run_is_one_line_and_keeps_what_was_stored(
    runner: CliRunner, filled: Path, tmp_path: Path
) -> None:
    import sqlite3

    with sqlite3.connect(filled) as conn:  # the database starts refusing new documents, as a full disk would
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    extra = tmp_path / "extra.txt"
    extra.write_text(MAGNESIUM.replace("Fugu", "Yulin"), encoding="utf-8")
    result = runner.invoke(app, ["--db", str(filled), "ingest", str(extra)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: sqlite:///{filled}: ") and "disk full" in lines[0]
    assert len(json.loads(runner.invoke(app, ["--db", str(filled), "docs", "list", "--json"]).stdout)) == 3


def test_markup_in_a_title_is_printed_as_text(runner: CliRunner, tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text("Magnesium [/bold] prices [red] rise in Fugu\n\n" + MAGNESIUM, encoding="utf-8")
    db = str(tmp_path / "odd.db")
    assert runner.invoke(app, ["--db", db, "ingest", str(odd)]).exit_code == 0
    listed = runner.invoke(app, ["--db", db, "docs", "list"])
    assert listed.exit_code == 0 and "[/bold]" in listed.stdout
    found = runner.invoke(app, ["--db", db, "docs", "search", "Fugu"])
    assert found.exit_code == 0 and "[red]" in found.stdout
    shown = runner.invoke(app, ["--db", db, "docs", "show", "1"])
    assert shown.exit_code == 0 and "[/bold]" in shown.stdout


def test_the_commands_work_on_postgresql(
    runner: CliRunner, corpus: Path, pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_DATABASE_URL", pg_store.url)
    assert runner.invoke(app, ["ingest", str(corpus)]).exit_code == 0
    items = json.loads(runner.invoke(app, ["docs", "list", "--json"]).stdout)
    assert len(items) == 3 and items[0]["lang"] == "zh"
    hits = json.loads(runner.invoke(app, ["docs", "search", "spherical graphite", "--json"]).stdout)
    assert [hit["name"] for hit in hits] == ["graphite"]
    chinese = json.loads(runner.invoke(app, ["docs", "search", "菱镁矿", "--json"]).stdout)
    assert [hit["name"] for hit in chinese] == ["zh"]
    shown = runner.invoke(app, ["docs", "show", str(items[0]["id"])])
    assert shown.exit_code == 0 and "辽宁省下达" in shown.stdout


def test_reextract_runs_the_current_extractor_on_stored_documents(runner: CliRunner, filled: Path) -> None:
    import assay.cli.cluster  # noqa: F401  # registers `reextract`

    nothing = runner.invoke(app, ["--db", str(filled), "reextract", "--no-progress"])
    assert nothing.exit_code == 0 and "re-extracted 0 documents" in nothing.stdout
    again = runner.invoke(app, ["--db", str(filled), "reextract", "--all", "--workers", "2"])
    assert again.exit_code == 0, again.output
    assert "re-extracted 3 documents, 0 failed" in again.stdout
    one = runner.invoke(app, ["--db", str(filled), "reextract", "--doc", "1"])
    assert one.exit_code == 0 and "re-extracted 1 documents" in one.stdout
    missing = runner.invoke(app, ["--db", str(filled), "reextract", "--doc", "999"])
    assert missing.exit_code == 1
    assert "error: --doc: no document 999" in missing.output


def test_an_unreachable_cluster_is_one_line_and_exit_1(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setenv("ASSAY_DASK_SCHEDULER", "tcp://127.0.0.1:9")
    result = runner.invoke(app, ["--db", str(tmp_path / "c.db"), "ingest", str(corpus)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: tcp://127.0.0.1:9: cannot reach the Dask scheduler")
