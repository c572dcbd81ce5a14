"""`assay events` and `assay events show` through the real Typer app, after a real `assay ingest`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assay.cli.docs
import assay.cli.events
from assay.cli.app import app

COMMAND_MODULES = (assay.cli.docs, assay.cli.events)  # importing them registers `ingest` and `events`

# Two wires report the same measure; a third reports another one. Written for this test.
WIRE_A = (
    "Magnet exporters face new licences\n\n"
    "On April 4, 2025 the Ministry of Commerce imposed export controls on seven heavy rare earths, "
    "including samarium and dysprosium.\n"
)
WIRE_B = (
    "Magnet makers wait for permits\n\n"
    "Since April, China's export controls on heavy rare earths have slowed shipments of rare earth magnets.\n"
)
WIRE_C = "Graphite rules\n\nChina began requiring export licences for spherical graphite on 1 December 2023.\n"
INDEX = [
    {"doc": "wire-a", "published": "2025-04-05", "url": "https://wire.example.org/a"},
    {"doc": "wire-b", "published": "2025-06-12", "url": "https://wire.example.org/b"},
    {"doc": "wire-c", "published": "2023-12-02", "url": "https://wire.example.org/c"},
]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ASSAY_DATABASE_URL", raising=False)
    folder = tmp_path / "wires"
    folder.mkdir()
    for name, text in (("wire-a", WIRE_A), ("wire-b", WIRE_B), ("wire-c", WIRE_C)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "index.jsonl").write_text("".join(json.dumps(row) + "\n" for row in INDEX), encoding="utf-8")
    path = tmp_path / "assay.db"
    result = CliRunner().invoke(app, ["--db", str(path), "ingest", str(folder), "--no-progress"])
    assert result.exit_code == 0, result.output
    return path


def events(db: Path, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["--db", str(db), "events", *args, "--json"])
    assert result.exit_code == 0, result.output
    out: list[dict[str, object]] = json.loads(result.stdout)
    return out


def test_timeline_merges_reports_and_lists_oldest_first(db: Path) -> None:
    found = events(db)
    assert [e["date"] for e in found] == ["2023-12-01", "2025-04-04"]
    graphite, rare_earths = found
    assert graphite["type"] == rare_earths["type"] == "export_control"
    sources = rare_earths["sources"]
    assert isinstance(sources, list)
    assert {s["doc"] for s in sources} == {"wire-a", "wire-b"}
    assert any(s["url"] == "https://wire.example.org/a" and "export controls" in s["quote"] for s in sources)


def test_filters(db: Path) -> None:
    assert [e["date"] for e in events(db, "--commodity", "graphite")] == ["2023-12-01"]
    assert [e["date"] for e in events(db, "--since", "2025")] == ["2025-04-04"]
    assert [e["date"] for e in events(db, "--until", "2024")] == ["2023-12-01"]
    assert len(events(db, "--actor", "CN")) == 2
    assert events(db, "--type", "subsidy") == []


def test_table_output_names_sources(db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "events", "--commodity", "rare_earths"])
    assert result.exit_code == 0, result.output
    assert "export_control" in result.stdout and "wire.example.org/a" in result.stdout


def test_show_prints_mentions_and_the_caveat(db: Path) -> None:
    [event] = events(db, "--commodity", "graphite")
    result = CliRunner().invoke(app, ["--db", str(db), "events", "show", str(event["id"]), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["id"] == event["id"]
    assert shown["sources"][0]["doc"] == "wire-c"
    assert "not cause" in shown["caveat"]
    assert isinstance(shown["impact"], list)
    text = CliRunner().invoke(app, ["--db", str(db), "events", "show", str(event["id"])])
    assert text.exit_code == 0 and "not cause" in text.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["events", "--type", "ban"], 2, "--type ban: not an event type"),
        (["events", "--commodity", "gold"], 2, "--commodity gold: not a commodity id"),
        (["events", "--since", "April"], 2, "not a date"),
        (["events", "show", "999"], 1, "event 999: no such event"),
    ],
)
def test_bad_input_is_a_one_line_error(db: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
