"""The `assay` command line: one module per area, all registered on one Typer app."""

from __future__ import annotations

import importlib

from assay.cli.app import app

# Each module adds its commands to `app` on import; a missing module is a packaging bug.
COMMAND_MODULES = (
    *("docs", "extract", "quantities", "knowledge", "events", "serve"),
    *("accounts", "editorial", "report", "watch", "crawl", "cluster"),
)


def main() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"assay.cli.{name}")
    app()
