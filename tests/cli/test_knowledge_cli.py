"""The knowledge commands end to end: import, series, check, prices, concentration, ask, hs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assay.cli import COMMAND_MODULES
from assay.cli.app import app

for _module in COMMAND_MODULES:
    __import__(f"assay.cli.{_module}")

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args], env={"ASSAY_DATABASE_URL": "", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mcs(shared_dir: Path) -> Path:
    return shared_dir / "data" / "usgs-mcs-data-release"


@pytest.mark.shared
def test_import_then_query(tmp_path: Path, mcs: Path, shared_dir: Path) -> None:
    db = tmp_path / "kb.db"
    files = [str(mcs / "mcs2023" / "mcs2023-mgmet_world.csv"), str(mcs / "mcs2024" / "mcs2024-mgmet_world.csv")]
    code, out, _ = run(db, "import", "usgs-mcs", *files)
    assert code == 0 and "usgs-mcs2024-mgmet_world: 18 facts imported" in out
    code, out, _ = run(db, "import", "usgs-mcs", files[1])
    assert code == 0 and "nothing added" in out
    code, out, _ = run(db, "import", "list", "--json")
    listed = {d["name"]: (d["facts"], d["official"]) for d in json.loads(out)}
    assert listed == {"usgs-mcs2023-mgmet_world": (16, True), "usgs-mcs2024-mgmet_world": (18, True)}

    code, out, _ = run(db, "series", "--commodity", "magnesium", "--metric", "production", "--geo", "CN", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["period"], r["value"]) for r in rows] == [
        ("2021", 930000),
        ("2022", 933000),
        ("2023", 830000),
    ]
    assert rows[0]["sources"][0]["dataset"] == "usgs-mcs2023-mgmet_world" and rows[0]["n_sources"] == 1
    code, out, _ = run(db, "series", "-c", "magnesium", "-m", "production", "--geo", "CN", "--csv")
    assert out.splitlines()[0].startswith("commodity,form,metric") and len(out.splitlines()) == 4
    code, out, _ = run(db, "series", "-c", "magnesium", "-m", "production", "--geo", "CN")
    assert code == 0 and "933,000" in out and "magnesium production CN [t]" in out

    code, out, _ = run(db, "ask", "What was China's magnesium production in 2023?", "--json")
    body = json.loads(out)
    assert body["answer"]["value"] == 830000 and body["sources"][0]["doc"] == "usgs-mcs2024-mgmet_world"

    code, out, _ = run(db, "concentration", "-c", "magnesium", "--year", "2023", "--json")
    body = json.loads(out)
    assert code == 0 and body["shares"][0]["geo"] == "CN" and body["hhi"] > 7000

    code, out, _ = run(db, "check", "--json")
    assert code == 0 and json.loads(out) == []

    prices = shared_dir / "data" / "china-rare-earth-oxide-prices-daily" / "rare_earth_oxide_prices_cny.csv"
    code, out, _ = run(db, "import", "prices", str(prices))
    assert code == 0 and "11504 facts imported" in out
    code, out, _ = run(db, "prices", "-c", "neodymium", "--form", "oxide", "--window", "30d", "--json")
    body = json.loads(out)
    assert code == 0 and body["window"] == ["2024-06-06", "2024-07-05"] and body["n_sources"] == 1
    assert 360000 < body["mid"] < 380000 and "gives 15 of 15 quotes" in body["warnings"][0]


def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    code, _, err = run(db, "series", "-c", "unobtainium", "-m", "production")
    assert code == 2 and "unknown commodity" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(db, "series", "-c", "magnesium", "-m", "production", "--since", "last year")
    assert code == 2 and "not a period" in err
    code, _, err = run(db, "prices", "-c", "prnd", "--window", "soon")
    assert code == 2 and "window" in err
    code, _, err = run(db, "check", "--kind", "vibes")
    assert code == 2 and "--kind 'vibes'" in err


def test_bad_input_files_fail_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(db, "import", "usgs-mcs", str(bad), str(tmp_path / "missing.csv"))
    assert code == 1 and f"{bad}: not a USGS MCS world table" in err and "cannot read the file" in err
    code, out, _ = run(db, "ask", "What was China's magnesium production in 2024?")
    assert code == 0 and out.startswith("unknown:")


def test_hs_codes(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path / "kb.db", "hs", "8104.11.00", "2846")
    assert code == 0 and "81041100: magnesium ingot" in out and "2846: rare_earths" in out
    code, _, err = run(tmp_path / "kb.db", "hs", "01012100")
    assert code == 1 and "not a code of our commodities" in err


@pytest.mark.shared
def test_end_to_end_from_a_document(tmp_path: Path, shared_dir: Path) -> None:
    db = tmp_path / "kb.db"
    doc = shared_dir / "corpus" / "dev" / "smm-2022-10-mg-ingot-exports.txt"
    code, _, err = run(db, "ingest", str(doc))
    assert code == 0, err
    code, out, _ = run(db, "ask", "2022年10月中国镁锭出口量是多少？", "--json")
    body = json.loads(out)
    assert body["answer"]["value"] == 22966 and body["answer"]["period"] == "2022-10"
    assert body["sources"][0]["doc"] == "smm-2022-10-mg-ingot-exports" and "22,966" in body["sources"][0]["quote"]


@pytest.mark.shared
def test_end_to_end_from_a_seed_with_usgs_beside(tmp_path: Path, shared_dir: Path, mcs: Path) -> None:
    db = tmp_path / "kb.db"
    code, _, err = run(db, "ingest", str(shared_dir / "corpus" / "seeds" / "000_d8dc8bb9d7365873.txt"))
    assert code == 0, err
    code, _, err = run(db, "import", "usgs-mcs", str(mcs / "mcs2023" / "mcs2023-mgcomp_world.csv"))
    assert code == 0, err
    code, out, _ = run(db, "ask", "How much magnesite did China produce in 2020?", "--json")
    body = json.loads(out)
    assert body["answer"]["value"] == 18_000_000 and body["sources"][0]["doc"] == "000_d8dc8bb9d7365873"
    code, out, _ = run(db, "series", "-c", "magnesite", "-m", "production", "--geo", "CN", "--json")
    periods = {r["period"]: r["sources"][0].get("dataset") or r["sources"][0]["doc"] for r in json.loads(out)}
    assert periods == {
        "2020": "000_d8dc8bb9d7365873",
        "2021": "usgs-mcs2023-mgcomp_world",
        "2022": "usgs-mcs2023-mgcomp_world",
    }


def test_check_json_with_a_limit_gives_the_first_findings(tmp_path: Path) -> None:
    from assay.store.db import open_store
    from knowledge_base import KnowledgeBase, make_fact

    db = tmp_path / "kb.db"
    store = open_store(f"sqlite:///{db}")
    with store.session() as session:
        kb = KnowledgeBase(store, session)
        kb.doc("output", make_fact(9e12, "graphite output of 9e12 t", commodity="graphite", metric="production"))
        kb.doc("low", make_fact(100.0, "exports were 100 t"))
        kb.doc("high", make_fact(10000.0, "exports were 10,000 t"))
    store.close()
    code, out, _ = run(db, "check", "--json")
    everything = json.loads(out)
    assert code == 0 and [f["kind"] for f in everything] == ["contradiction", "implausible"]
    code, out, _ = run(db, "check", "--json", "--limit", "1")
    assert code == 0 and json.loads(out) == everything[:1]
    code, out, _ = run(db, "check", "--limit", "1")
    assert code == 0 and "2 findings (showing 1" in out
    code, _, err = run(db, "check", "--json", "--limit", "-1")
    assert code == 2 and "--limit -1" in err
