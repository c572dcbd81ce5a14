"""`create_app(settings)`: the FastAPI application of the portal and the API on one store."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from assay.store.db import open_store
from assay.web.deps import ViewCache
from assay.web.errors import install_error_handlers
from assay.web.routes import register_routes

# Scripts and styles from our own origin only: no inline script, no inline style, no plugins, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True)
class WebSettings:
    """How the portal runs: which store, how many rows a page lists, how long computed views are kept."""

    database_url: str = "sqlite:///assay.db"
    page_size: int = 25
    cache_seconds: float = 300.0  # also recomputed at once when documents or facts are added


def create_app(settings: WebSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.store.close()

    app = FastAPI(
        title="assay API",
        version="1",
        description="Sourced facts, series, prices and policy events on China's strategic minerals.",
        docs_url=None,  # the default pages load their scripts from a CDN; /docs is ours, rendered offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = open_store(settings.database_url)
    app.state.views = ViewCache(settings.cache_seconds)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    static_dir = Path(str(resources.files("assay.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    install_error_handlers(app)
    register_routes(app)
    return app


def app_from_environment() -> FastAPI:
    """The app on the store ASSAY_DATABASE_URL names (default ./assay.db): what `assay serve` runs,
    and `uvicorn --factory assay.web:app_from_environment` too."""
    url = os.environ.get("ASSAY_DATABASE_URL", "").strip() or WebSettings.database_url
    return create_app(WebSettings(database_url=url))
