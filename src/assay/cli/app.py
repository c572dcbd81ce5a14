"""The Typer application and the options every command shares (`--db`, `ASSAY_DATABASE_URL`).

Command modules (`docs.py`, `extract.py`, `knowledge.py`, `events.py`) add their commands to
`app`; they stay thin: parse arguments, call a stage, print with Rich.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    name="assay",
    help="Sourced facts and policy events on China's strategic minerals.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


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
