"""The one place where the portal's routes are registered. Every route depends on `current_user`
(the anonymous reader until accounts exist), so roles can be required here, per router."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from assay.web.deps import current_user
from assay.web.routes import accounts, api, editorial, markets, portal, reports


def register_routes(app: FastAPI) -> None:
    reader = [Depends(current_user)]
    app.include_router(portal.router, dependencies=reader)
    app.include_router(markets.router, dependencies=reader)
    app.include_router(api.router, dependencies=reader)
    app.include_router(accounts.router, dependencies=reader)
    app.include_router(editorial.router, dependencies=reader)
    app.include_router(editorial.api, dependencies=reader)
    app.include_router(reports.pages, dependencies=reader)
    app.include_router(reports.api, dependencies=reader)
