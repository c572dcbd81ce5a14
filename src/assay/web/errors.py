"""Errors the portal shows: a page for a person, application/problem+json for the API; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from assay.web.rendering import render

log = logging.getLogger("assay.web")
PROBLEM = "application/problem+json"
_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    500: "Server error",
}


class PortalError(Exception):
    """An error with a status and a reason a reader can act on."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(PortalError):
    status = 404


class BadFilter(PortalError):
    status = 400


def problem(status: int, detail: str) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status}
    body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _respond(request: Request, status: int, detail: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path.endswith((".atom", ".csv", ".jsonl", ".xlsx")):
        return problem(status, detail)
    return render(request, "error.html", {"status": status, "detail": detail}, status_code=status)


def _validation_reason(exc: RequestValidationError) -> str:
    reasons = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path"))
        reasons.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(reasons) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    async def portal_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PortalError)
        return _respond(request, exc.status, exc.detail)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _respond(request, 400, _validation_reason(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = str(exc.detail) if exc.status_code != 404 else f"nothing at {request.url.path}"
        response = _respond(request, exc.status_code, detail)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _respond(request, 500, "the server failed to answer this request; it has been logged")

    app.add_exception_handler(PortalError, portal_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
