"""`assay serve`: the portal and its API on the configured store (FastAPI under uvicorn)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from assay.cli.app import EXIT_INPUT_FAILED, app, console, settings
from assay.cli.app import print_error as _error

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]


def run_portal(database_url: str, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted; a store that cannot be opened is one line and exit 1.

    uvicorn imports the app by name (`assay.web:app_from_environment`), so the CLI and the web
    package stay independent of each other; the store's URL travels in ASSAY_DATABASE_URL."""
    import uvicorn

    from assay.store.db import StoreError, open_store

    try:
        open_store(database_url).close()  # migrated now, and a bad URL is reported before serving
    except StoreError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    os.environ["ASSAY_DATABASE_URL"] = database_url
    shown = f"[{host}]" if ":" in host else host
    console.print(f"assay portal: http://{shown}:{port}/  (Ctrl-C stops it)", highlight=False, soft_wrap=True)
    uvicorn.run(
        "assay.web:app_from_environment", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )


@app.command("serve")
def serve_command(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes (one per core).")] = 1,
) -> None:
    """Run the portal (pages and the REST API under /api/v1) on the store `--db` names."""
    run_portal(settings().database_url, host, port, workers)
