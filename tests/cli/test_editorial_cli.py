"""`assay users`, `assay keys`, `assay settings`, `assay facts correct|reject|history`, `assay reextract`,
`assay articles` and `assay audit` through the real Typer app, on a store the real pipeline filled."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assay.cli.accounts
import assay.cli.docs
import assay.cli.editorial
import assay.cli.knowledge  # noqa: F401  # the imports register the commands on the app
from assay.cli.app import app
from assay.extract import EXTRACTOR_VERSION

MAGNESIUM = (
    "Magnesium ingot exports\n\n"
    "China exported 229,570 tonnes of magnesium ingot in January-October 2022, customs data showed. "
    "Exports to the Netherlands reached 31,400 t in 2022.\n"
)
PASSWORD = "a long enough password\n"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("ASSAY_DATABASE_URL", raising=False)
    return CliRunner()


@pytest.fixture
def db(runner: CliRunner, tmp_path: Path) -> Path:
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "mg-exports.txt").write_text(MAGNESIUM, encoding="utf-8")
    path = tmp_path / "assay.db"
    assert runner.invoke(app, ["--db", str(path), "ingest", "--no-progress", str(folder)]).exit_code == 0
    for name, role in (("ana", "analyst"), ("rita", "reader"), ("boss", "admin")):
        added = runner.invoke(app, ["--db", str(path), "users", "add", name, "--role", role], input=PASSWORD)
        assert added.exit_code == 0, added.output
    return path


def run(runner: CliRunner, db: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def facts(runner: CliRunner, db: Path) -> list[dict[str, object]]:
    code, out, _ = run(runner, db, "facts", "--json")
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


def level_fact(runner: CliRunner, db: Path) -> dict[str, object]:
    return next(f for f in facts(runner, db) if f["unit"] == "t" and f.get("partner") is None)


def test_users_are_listed_without_secrets(runner: CliRunner, db: Path) -> None:
    code, out, _ = run(runner, db, "users", "list", "--json")
    assert code == 0 and [(u["name"], u["role"]) for u in json.loads(out)] == [
        ("ana", "analyst"),
        ("boss", "admin"),
        ("rita", "reader"),
    ]
    assert "password" not in out and "argon2" not in out


def test_bad_account_input_is_one_error_line_and_exit_1(runner: CliRunner, db: Path) -> None:
    for args, stdin, message in (
        (("users", "add", "ana"), PASSWORD, "error: ana: user 'ana' exists already"),
        (("users", "add", "cy", "--role", "boss"), PASSWORD, "error: cy: unknown role 'boss'"),
        (("users", "add", "cy"), "short\n", "error: cy: a password needs at least 10 characters"),
        (("users", "disable", "boss"), None, "error: boss: 'boss' is the last admin"),
        (("users", "disable", "nobody"), None, "error: nobody: no user 'nobody'"),
    ):
        code, _, err = run(runner, db, *args, stdin=stdin)
        assert code == 1 and err.strip().startswith(message), (args, err)


def test_keys_are_printed_once_and_listed_by_prefix(runner: CliRunner, db: Path) -> None:
    code, out, _ = run(runner, db, "keys", "create", "rita", "--name", "nightly")
    secret = out.strip().splitlines()[-1]
    assert code == 0 and secret.startswith("assay_")
    code, listed, _ = run(runner, db, "keys", "list")
    assert code == 0 and "nightly" in listed and secret not in listed and secret[:14] in listed
    assert run(runner, db, "keys", "revoke", "1")[0] == 0
    assert "revoked" in run(runner, db, "keys", "list", "rita")[1]


def test_public_read_setting(runner: CliRunner, db: Path) -> None:
    assert run(runner, db, "settings", "public-read")[1].strip() == "public-read: on"
    assert run(runner, db, "settings", "public-read", "off")[1].strip() == "public-read: off"
    code, _, err = run(runner, db, "settings", "public-read", "maybe")
    assert code == 1 and "say on or off" in err


def test_correct_reject_history_and_the_series_sees_it(runner: CliRunner, db: Path) -> None:
    fact = level_fact(runner, db)
    code, out, err = run(
        runner,
        db,
        "facts",
        "correct",
        str(fact["id"]),
        "--value",
        "229750",
        "--reason",
        "customs table",
        "--user",
        "ana",
    )
    assert code == 0, err
    assert "value 229570.0 → 229750.0" in out
    corrected = next(f for f in facts(runner, db) if f["id"] == fact["id"])
    assert corrected["value"] == 229750 and corrected["status"] == "corrected"
    code, out, _ = run(runner, db, "series", "--commodity", "magnesium", "--metric", "exports", "--geo", "CN", "--json")
    assert code == 0
    values = [(row["period"], row["value"]) for row in json.loads(out) if row["unit"] == "t"]
    assert ("2022-01/2022-10", 229750) in values and ("2022-01/2022-10", 229570) not in values
    code, out, _ = run(runner, db, "facts", "history", str(fact["id"]), "--json")
    (entry,) = json.loads(out)
    assert (entry["user"], entry["reason"], entry["before"]["value"], entry["after"]["value"]) == (
        "ana",
        "customs table",
        229570.0,
        229750.0,
    )
    other = next(f for f in facts(runner, db) if f["id"] != fact["id"])
    assert run(runner, db, "facts", "reject", str(other["id"]), "--reason", "misread", "--user", "boss")[0] == 0
    assert other["id"] not in [f["id"] for f in facts(runner, db)]


def test_only_analysts_and_admins_may_correct(runner: CliRunner, db: Path) -> None:
    fact = level_fact(runner, db)
    for user in ("rita", "nobody"):
        code, _, err = run(runner, db, "facts", "reject", str(fact["id"]), "--reason", "x", "--user", user)
        assert code == 1 and err.startswith(f"error: --user {user}: not an active user allowed to correct facts")
    code, _, err = run(
        runner, db, "facts", "correct", str(fact["id"]), "--unit", "furlongs", "--reason", "x", "--user", "ana"
    )
    assert (
        code == 1
        and err.strip() == f"error: fact {fact['id']}: unit: unknown unit 'furlongs' (see vocab/data/units.csv)"
    )
    assert level_fact(runner, db)["value"] == 229570  # nothing changed


def test_reextract_keeps_corrections(runner: CliRunner, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fact = level_fact(runner, db)
    run(runner, db, "facts", "correct", str(fact["id"]), "--value", "229750", "--reason", "typo", "--user", "ana")
    code, out, _ = run(runner, db, "reextract", "--all", "--quiet")
    assert code == 0 and out.startswith("re-extracted 1 documents")
    assert level_fact(runner, db)["value"] == 229750
    code, _, err = run(runner, db, "reextract", "--doc", "999")
    assert code == 1 and err.strip() == "error: --doc: no document 999"
    # a new extractor version at ingest: the same input is extracted again, the correction stays
    monkeypatch.setattr("assay.pipeline.EXTRACTOR_VERSION", EXTRACTOR_VERSION + "-next")
    folder = db.parent / "wire"
    code, out, _ = run(runner, db, "ingest", "--no-progress", str(folder))
    assert code == 0 and "1 re-extracted" in out
    assert level_fact(runner, db)["value"] == 229750


def test_articles_from_draft_to_published_and_the_audit_export(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    fact = level_fact(runner, db)
    body = tmp_path / "body.md"
    body.write_text(f"Exports: [[fact:{fact['id']}]]. Missing: [[fact:424242]].", encoding="utf-8")
    code, out, err = run(
        runner, db, "articles", "new", "--title", "Mg exports", "--body", str(body), "--user", "ana",
        "--kind", "news", "--commodities", "magnesium",
    )  # fmt: skip
    assert code == 0 and out.strip() == "draft mg-exports version 1"
    assert "citation: no fact 424242" in err
    code, _, err = run(runner, db, "articles", "publish", "mg-exports", "--user", "ana")
    assert code == 1 and "cannot publish while citations are broken: no fact 424242" in err
    code, out, _ = run(
        runner,
        db,
        "articles",
        "edit",
        "mg-exports",
        "--version",
        "1",
        "--user",
        "ana",
        stdin=f"Fixed [[fact:{fact['id']}]]",
    )
    assert code == 0 and out.strip() == "saved mg-exports version 2"
    code, _, err = run(runner, db, "articles", "edit", "mg-exports", "--version", "1", "--user", "boss", stdin="stale")
    assert code == 1 and "was changed by ana (version 2)" in err
    assert run(runner, db, "articles", "publish", "mg-exports", "--user", "rita")[0] == 1
    code, out, _ = run(runner, db, "articles", "publish", "mg-exports", "--user", "ana")
    assert code == 0 and out.strip() == "mg-exports: published (version 3)"
    code, out, _ = run(runner, db, "articles", "show", "mg-exports", "--html")
    assert code == 0 and "229,570 t" in out and "v3 published by ana" in out
    code, out, _ = run(runner, db, "audit", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    actions = [(r["user"], r["action"]) for r in rows]
    assert ("ana", "article.create") in actions and ("ana", "article.published") in actions
    assert actions[0] == ("cli", "user.add")
