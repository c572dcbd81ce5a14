"""`assay quantities`: text, --file and standard input; JSON lines or a table; never a database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import assay.cli.quantities  # noqa: F401  # registers the command on the app
from assay.cli.app import app

runner = CliRunner()


def test_text_argument_as_json() -> None:
    result = runner.invoke(app, ["quantities", "Exports were 20,836 mt, up 26.2% YoY.", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [(i["text"], i["value"], i["unit"]) for i in items] == [("20,836 mt", 20836, "t"), ("26.2%", 26.2, "%")]


def test_file_gives_one_json_array_per_line(tmp_path: Path) -> None:
    source = tmp_path / "lines.txt"
    source.write_text("价格为66.75万元/吨\n\nYuan 42,000-42,500 a tonne\n", encoding="utf-8")
    result = runner.invoke(app, ["quantities", "--file", str(source), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0][0]["value"] == 667500 and lines[0][0]["unit"] == "CNY/t"
    assert lines[1] == []
    assert (lines[2][0]["value"], lines[2][0]["value_high"], lines[2][0]["unit"]) == (42000, 42500, "CNY/t")


def test_standard_input_when_no_text_or_file() -> None:
    result = runner.invoke(app, ["quantities", "--json"], input="about 5 t\n超过300万吨\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x[0]["value"], x[0]["approx"]) for x in lines] == [(5, "~"), (3_000_000, ">")]


def test_table_for_people() -> None:
    result = runner.invoke(app, ["quantities", "US$2.51 trillion"])
    assert result.exit_code == 0, result.output
    assert "2510000000000" in result.stdout and "USD" in result.stdout and "money" in result.stdout


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["quantities", "--file", str(missing)])
    assert result.exit_code == 1
    assert str(missing) in result.output and len(result.output.strip().splitlines()) == 1


def test_text_and_file_together_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("1\n", encoding="utf-8")
    result = runner.invoke(app, ["quantities", "5 t", "--file", str(source)])
    assert result.exit_code == 2


def test_never_touches_the_database(tmp_path: Path) -> None:
    database = tmp_path / "assay.db"
    code = "from assay.cli.app import app; import assay.cli.quantities; app()"
    run = subprocess.run(
        [sys.executable, "-c", code, "--db", str(database), "quantities", "1.1万吨", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["value"] == 11000
    assert not database.exists() and not (tmp_path / "assay.db").exists()
