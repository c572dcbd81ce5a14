"""The Typer application and the options every command shares (`--db`, `ASSAY_DATABASE_URL`).

Command modules (`docs.py`, `extract.py`, `knowledge.py`, `events.py`) add their commands to
`app`; they stay thin: parse arguments, call a stage, print with Rich.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assay.terminal import SafeConsole, visible

if TYPE_CHECKING:
    from assay.store.db import Store

app = typer.Typer(
    name="assay",
    help="Sourced facts and policy events on China's strategic minerals.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# document text reaches the terminal only through these (controls made visible, no emoji codes)
console = SafeConsole()
err_console = SafeConsole(stderr=True)


@dataclass
class Settings:
    """What the global options resolved to; read by commands through `settings()`."""

    database_url: str = "sqlite:///assay.db"


_settings = Settings()


def settings() -> Settings:
    return _settings


def database_url_for(db_path: Path | None) -> str:
    """`ASSAY_DATABASE_URL` wins when set; else the SQLite file `--db` names (default ./assay.db)."""
    env = os.environ.get("ASSAY_DATABASE_URL", "").strip()
    if env:
        return env
    return f"sqlite:///{(db_path or Path('assay.db'))}"


@app.callback()
def main_options(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite file to use (default ./assay.db); ASSAY_DATABASE_URL wins when set."),
    ] = None,
) -> None:
    _settings.database_url = database_url_for(db)


EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


def print_error(message: str) -> None:
    """One line on standard error, prefixed `error:`, never wrapped, never read as markup; a reason
    quoting the input (a file name, a page title) has its control characters made visible."""
    err_console.print(f"error: {visible(message, single_line=True)}", markup=False, highlight=False, soft_wrap=True)


def usage_exit(message: str) -> typer.Exit:
    """Report a usage error; the caller raises what this returns (exit status 2)."""
    print_error(message)
    return typer.Exit(EXIT_USAGE)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def configured_store(url: str | None = None, writer: bool = False) -> Iterator[Store]:
    """The store `--db`/`ASSAY_DATABASE_URL` names; one that cannot be opened is a one-line error, exit 1.

    `writer`: the command writes (ingest, import), so it also refreshes planner statistics; a
    reader never writes and never waits for a writer.
    """
    from assay.store.db import StoreError, open_store

    try:
        store = open_store(url or settings().database_url, gather_statistics=writer)
    except StoreError as exc:
        print_error(str(exc))
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    try:
        yield store
    finally:
        store.close()
