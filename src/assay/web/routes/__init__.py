"""The one place where the portal's routes are registered (roles and accounts will plug in here)."""

from __future__ import annotations

from fastapi import FastAPI

from assay.web.routes import api, markets, portal


def register_routes(app: FastAPI) -> None:
    app.include_router(portal.router)
    app.include_router(markets.router)
    app.include_router(api.router)
