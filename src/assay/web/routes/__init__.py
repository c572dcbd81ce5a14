"""The one place where the portal's routes are registered (roles and accounts will plug in here)."""

from __future__ import annotations

from fastapi import FastAPI

from assay.web.routes import accounts, api, editorial, markets, portal


def register_routes(app: FastAPI) -> None:
    app.include_router(portal.router)
    app.include_router(markets.router)
    app.include_router(api.router)
    app.include_router(accounts.router)
    app.include_router(editorial.router)
    app.include_router(editorial.api)
