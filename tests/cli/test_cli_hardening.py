"""The CLI facing hostile documents: escape sequences never reach the terminal raw (JSON stays
exact), budgets come from flags, a changed document is a new version, and `--db` in a folder
that cannot be read is one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assay.cli.docs  # registers the commands on the app
import assay.cli.events
import assay.cli.extract
import assay.cli.knowledge  # noqa: F401
from assay.cli.app import app
from hostile import escape_text

RAW_CONTROLS = ("\x1b", "\x9b", "\u202e", "\x07")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("ASSAY_DATABASE_URL", raising=False)
    return CliRunner()


@pytest.fixture
def hostile_db(runner: CliRunner, tmp_path: Path) -> Path:
    title, body = escape_text()
    front = "---\ntitle: " + title.replace("\n", " ") + "\n---\n"
    (tmp_path / "escapes.md").write_text(front + body, encoding="utf-8")
    db = tmp_path / "hostile.db"
    result = runner.invoke(app, ["--db", str(db), "ingest", "--no-progress", str(tmp_path / "escapes.md")])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize(
    "command",
    [
        ["docs", "list"],
        ["docs", "show", "1"],
        ["docs", "search", "magnesium"],
        ["facts", "--commodity", "magnesium"],
        ["events"],
        ["series", "-c", "magnesium", "-m", "exports"],
    ],
)
def test_document_text_reaches_the_terminal_with_controls_made_visible(
    runner: CliRunner, hostile_db: Path, command: list[str]
) -> None:
    result = runner.invoke(app, ["--db", str(hostile_db), *command])
    assert result.exit_code == 0, result.output
    for raw in RAW_CONTROLS:
        assert raw not in result.stdout, (command, raw)
    assert "\u26a0" not in result.stdout  # :warning: is never an emoji


def test_docs_show_prints_the_stand_ins_and_the_markup_as_written(runner: CliRunner, hostile_db: Path) -> None:
    shown = runner.invoke(app, ["--db", str(hostile_db), "docs", "show", "1"]).stdout
    assert "␛[2J" in shown and "<U+202E>" in shown and "<U+009B>" in shown
    assert "[bold red]markup[/bold red]" in shown and ":warning:" in shown


def test_json_output_stays_exact(runner: CliRunner, hostile_db: Path) -> None:
    title, _ = escape_text()
    shown = json.loads(runner.invoke(app, ["--db", str(hostile_db), "docs", "show", "1", "--json"]).stdout)
    listed = json.loads(runner.invoke(app, ["--db", str(hostile_db), "docs", "list", "--json"]).stdout)
    assert shown["title"] == listed[0]["title"] == title
    assert "\x1b[2J" in shown["clean_text"] and "\u202e" in shown["clean_text"]


def test_budget_flags_reach_the_readers(runner: CliRunner, tmp_path: Path) -> None:
    text = "".join(f"Magnesium exports rose {n}% in May 2024.\n" for n in range(40))
    (tmp_path / "deck.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "b.db"
    refused = runner.invoke(
        app, ["--db", str(db), "ingest", "--no-progress", "--max-inflated-bytes", "100", str(tmp_path / "deck.txt")]
    )
    assert refused.exit_code == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "--max-inflated-bytes" in lines[0]
    assert "ingested 0 documents" in refused.stdout
    accepted = runner.invoke(app, ["--db", str(db), "ingest", "--no-progress", str(tmp_path / "deck.txt")])
    assert accepted.exit_code == 0 and "ingested 1 documents" in accepted.stdout


def test_a_changed_document_is_a_new_version_and_listed_so(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "output.txt"
    db = tmp_path / "v.db"
    text = "Magnesium output\n\nChina's primary magnesium output reached {} t in May 2024, the association said.\n"
    report.write_text(text.format("1,238"), encoding="utf-8")
    assert runner.invoke(app, ["--db", str(db), "ingest", "--no-progress", str(report)]).exit_code == 0
    report.write_text(text.format("1,338"), encoding="utf-8")
    second = runner.invoke(app, ["--db", str(db), "ingest", "--no-progress", str(report)])
    assert second.exit_code == 0, second.output
    assert "1 new versions" in second.stdout
    listed = json.loads(runner.invoke(app, ["--db", str(db), "docs", "list", "--json"]).stdout)
    by_id = {d["id"]: d for d in listed}
    assert by_id[1]["superseded_by"] == 2 and by_id[2]["superseded_by"] is None
    table = runner.invoke(app, ["--db", str(db), "docs", "list"]).stdout
    assert "1 superseded" in table
    shown = runner.invoke(app, ["--db", str(db), "docs", "show", "1"]).stdout
    assert "superseded" in shown and "document 2 is the current version" in shown
    lines = runner.invoke(app, ["--db", str(db), "facts", "--commodity", "magnesium", "--json"]).stdout.splitlines()
    assert [json.loads(line)["value"] for line in lines if line.strip()] == [1338]


def test_a_folder_the_store_may_not_enter_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the operating system says for a folder without search permission, as a user sees it."""
    locked = tmp_path / "locked"
    real_is_dir = Path.is_dir

    def is_dir(path: Path) -> bool:
        if str(path).startswith(str(locked)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_is_dir(path)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    result = runner.invoke(app, ["--db", str(locked / "inner" / "a.db"), "docs", "list"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "permission denied" in lines[0]


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_database_in_a_folder_that_cannot_be_read_is_one_line() -> None:
    """The same with real permissions, as an unprivileged user (root reads every folder)."""
    base = Path(tempfile.mkdtemp(prefix="assay-perm-"))
    base.chmod(0o755)
    locked = base / "locked"
    (locked / "inner").mkdir(parents=True)
    locked.chmod(0o000)
    command = [sys.executable, "-c", "from assay.cli import main; main()", "--db", str(locked / "inner" / "a.db")]
    command += ["docs", "list"]
    try:
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                pytest.skip("running as root without runuser to become an unprivileged user")
            probe = subprocess.run(
                ["runuser", "-u", "nobody", "--", sys.executable, "-c", "import assay"],
                capture_output=True,
                env=_env(),
                check=False,
            )
            if probe.returncode != 0:
                pytest.skip("this Python cannot run as user nobody (it lives in a private folder)")
            command = ["runuser", "-u", "nobody", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=_env(), check=False)
    finally:
        locked.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and "permission denied" in lines[0]


def _env() -> dict[str, str]:
    source = str(Path(__file__).resolve().parents[2] / "src")
    return {**os.environ, "PYTHONPATH": source, "HOME": "/tmp"}
