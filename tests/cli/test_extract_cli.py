"""`assay extract` (files and corpus folders to FactSpec, EventSpec or a table; no database) and
`assay facts` (stored facts, filtered), run through the real Typer app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import assay.cli.extract  # noqa: F401  # registers `extract` and `facts` on the app
from assay.cli.app import app
from assay.model import Basis, Fact
from assay.store.db import Store, open_store
from assay.store.facts import replace_facts
from assay.store.schema import DocumentRow

# Our own sentences, in the shapes industry reports use.
MAGNESIUM = (
    "Magnesium market weekly\n\n"
    "China exported 21,350 tonnes of magnesium ingot in May, according to customs data.\n\n"
    "Prices held steady through the week."
)
GRAPHITE = "中国石墨出口\n\n2024年1-9月，中国天然石墨出口量为15.3万吨。"


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "mg-weekly.txt").write_text(MAGNESIUM, encoding="utf-8")
    (folder / "graphite-zh.txt").write_text(GRAPHITE, encoding="utf-8")
    index = [
        {"doc": "mg-weekly", "url": "https://example.org/mg", "title": "Magnesium weekly", "published": "2024-06-20"},
        {"doc": "graphite-zh", "url": None, "title": "石墨出口", "published": "2024-10-20", "lang": "zh"},
    ]
    (folder / "index.jsonl").write_text("".join(json.dumps(row) + "\n" for row in index), encoding="utf-8")
    return folder


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_extract_prints_factspec_for_a_corpus_folder(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    result = run("extract", str(corpus), "--format", "factspec")
    assert result.exit_code == 0, result.stderr
    facts = json_lines(result.stdout)
    texts = {"mg-weekly": MAGNESIUM, "graphite-zh": GRAPHITE}
    for fact in facts:
        assert {"doc", "commodity", "metric", "geo", "period", "value", "unit", "basis", "quote"} <= set(fact)
        assert str(fact["quote"]) in texts[str(fact["doc"])]
    exports = [
        (f["doc"], f["commodity"], f["value"], f["unit"], f["period"]) for f in facts if f["metric"] == "exports"
    ]
    # "in May" is read against the publication date that index.jsonl gives
    assert ("mg-weekly", "magnesium", 21350, "t", "2024-05") in exports
    assert ("graphite-zh", "graphite", 153000, "t", "2024-01/2024-09") in exports


def test_extract_table_and_output_file(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    table = run("extract", str(corpus / "mg-weekly.txt"), "--format", "table")
    assert table.exit_code == 0, table.stderr
    for heading in ("doc", "commodity", "metric", "geo", "period", "value", "unit", "quote"):
        assert heading in table.stdout
    assert "21,350" in table.stdout and "mg-weekly" in table.stdout

    out = tmp_path / "facts.jsonl"
    written = run("extract", str(corpus), "--output", str(out))
    assert written.exit_code == 0, written.stderr
    assert written.stdout == ""
    assert json_lines(out.read_text(encoding="utf-8")) == json_lines(run("extract", str(corpus)).stdout)
    assert "facts from 2 documents" in written.stderr


def test_a_failing_input_is_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    missing = tmp_path / "no-such-file.txt"
    result = run("extract", str(missing), str(corpus / "mg-weekly.txt"))
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert str(missing) in error
    assert any(f["value"] == 21350 for f in json_lines(result.stdout))


def test_an_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    result = run("extract", str(corpus), "--output", str(tmp_path / "no-such-folder" / "out.jsonl"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "no-such-folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_extract_eventspec_prints_eventspec_lines(tmp_path: Path) -> None:
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "notice.txt").write_text(
        "China's Ministry of Commerce announced on 9 October 2025 export controls on rare earth "
        "technologies, effective immediately.",
        encoding="utf-8",
    )
    result = run("extract", str(folder), "--format", "eventspec")
    assert result.exit_code == 0, result.stderr
    for event in json_lines(result.stdout):
        assert {"doc", "type", "actor", "date", "commodities", "stance", "quote"} <= set(event)
        assert event["doc"] == "notice"


def test_extract_never_touches_the_database(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    database = tmp_path / "must-not-exist.db"
    code = (
        "import sys\n"
        "from assay.cli.app import app\n"
        "import assay.cli.extract\n"
        f"try:\n    app(['--db', {str(database)!r}, 'extract', {str(corpus)!r}])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('assay.store', 'sqlalchemy', 'alembic')))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    env = {**os.environ, "ASSAY_DATABASE_URL": ""}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stderr
    assert not database.exists()


def stored_corpus(store: Store) -> None:
    """Three documents' facts, stored the way `assay ingest` stores them."""
    rows = {
        "re-report": [
            fact("re-report", commodity="rare_earths", metric="production", value=240000, period="2023"),
            fact("re-report", commodity="prnd", metric="price", value=405000, unit="CNY/t", period="2024-09-12"),
        ],
        "mg-weekly": [fact("mg-weekly", partner="NL", value=4120, period="2024-05")],
    }
    with store.transaction() as session:
        for name, facts in rows.items():
            document = DocumentRow(
                name=name,
                source=f"{name}.txt",
                url=f"https://example.org/{name}",
                raw_sha256=name.ljust(64, "0"),
                text_sha256=name.ljust(64, "1"),
                fetched_at=datetime(2025, 1, 1),
                published="2024-10-01",
                raw_text="",
                clean_text="",
                cleaning_steps=[],
            )
            session.add(document)
            session.flush()
            replace_facts(session, document.id, facts)


def fact(doc: str, **fields: object) -> Fact:
    base: dict[str, object] = {
        "commodity": "magnesium",
        "metric": "exports",
        "geo": "CN",
        "unit": "t",
        "basis": Basis.ACTUAL,
        "quote": f"a sentence of {doc}",
        "start": 0,
        "end": 12,
        "rule": "test-rule",
        "rule_version": "1",
    }
    base.update(fields)
    return Fact(doc=doc, **base)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    path = tmp_path / "facts.db"
    with open_store(f"sqlite:///{path}") as store:
        stored_corpus(store)
    return path


def test_facts_lists_and_filters_stored_facts(sqlite_db: Path) -> None:
    env = {"ASSAY_DATABASE_URL": ""}
    listed = run("--db", str(sqlite_db), "facts", "--commodity", "rare_earths", "--json", env=env)
    assert listed.exit_code == 0, listed.stderr
    rows = json_lines(listed.stdout)
    assert [(r["commodity"], r["metric"]) for r in rows] == [("prnd", "price"), ("rare_earths", "production")]
    first = rows[0]
    assert first["doc"] == "re-report" and first["url"] == "https://example.org/re-report"
    assert first["published"] == "2024-10-01" and first["span"] == [0, 12] and first["rule"] == "test-rule@1"
    assert isinstance(first["id"], int) and isinstance(first["document_id"], int)

    by_partner = json_lines(run("--db", str(sqlite_db), "facts", "--partner", "NL", "--json", env=env).stdout)
    assert [r["doc"] for r in by_partner] == ["mg-weekly"]
    by_period = json_lines(run("--db", str(sqlite_db), "facts", "--period", "2024-09", "--json", env=env).stdout)
    assert [r["value"] for r in by_period] == [405000]
    limited = json_lines(run("--db", str(sqlite_db), "facts", "--limit", "1", "--json", env=env).stdout)
    assert len(limited) == 1

    table = run("--db", str(sqlite_db), "facts", "--doc", "mg-weekly", env=env)
    assert table.exit_code == 0
    assert "4,120" in table.stdout and "NL" in table.stdout
    assert "1 facts" in table.stderr


def test_facts_refuses_unknown_ids_with_close_ones(sqlite_db: Path) -> None:
    env = {"ASSAY_DATABASE_URL": ""}
    wrong = run("--db", str(sqlite_db), "facts", "--commodity", "rare_earth", env=env)
    assert wrong.exit_code == 2
    assert wrong.stderr.count("\n") == 1 and "rare_earths" in wrong.stderr and "'rare_earth'" in wrong.stderr
    assert run("--db", str(sqlite_db), "facts", "--metric", "export", env=env).exit_code == 2
    bad_period = run("--db", str(sqlite_db), "facts", "--period", "2024-1", env=env)
    assert bad_period.exit_code == 2 and "not a period" in bad_period.stderr


def test_facts_on_a_missing_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = run("--db", str(missing), "facts", env={"ASSAY_DATABASE_URL": ""})
    assert result.exit_code == 1
    assert "no such database" in result.stderr
    assert not missing.exists()


def test_facts_reads_postgresql_too(pg_store: Store) -> None:
    stored_corpus(pg_store)
    result = run("facts", "--commodity", "magnesium", "--json", env={"ASSAY_DATABASE_URL": pg_store.url})
    assert result.exit_code == 0, result.stderr
    assert [(r["doc"], r["partner"]) for r in json_lines(result.stdout)] == [("mg-weekly", "NL")]
