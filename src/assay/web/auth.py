"""Who is asking and whether they may: sessions in signed cookies, API keys as `Authorization:
Bearer`, CSRF tokens on every form, and one access table (`ACCESS`) that every route of the app
is checked against by `authorize`, a dependency of the whole application.

A route missing from the table is refused (fail closed); tests walk every route with each role."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.routing import BaseRoute

from assay.editorial import accounts
from assay.editorial.roles import Permission, can
from assay.store.db import Store
from assay.web.csrf import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, csrf_token
from assay.web.deps import ANONYMOUS, User
from assay.web.errors import PortalError

SESSION_COOKIE = "assay_session"
PUBLIC_READ_SECONDS = 2.0  # how long a process trusts what it read of the `public_read` setting
PUBLIC = "public"
READ = Permission.READ

# (method, route path) -> what it needs: PUBLIC, or a Permission (READ is open to all while public_read is on).
ACCESS: dict[tuple[str, str], str] = {
    **{
        ("GET", path): READ
        for path in (
            "/", "/news", "/news.atom", "/documents/{document_id}", "/search", "/docs", "/commodities",
            "/commodities/{commodity_id}", "/prices", "/prices/{commodity_id}", "/facts", "/facts.{fmt}",
            "/series", "/events", "/events/{event_id}", "/articles", "/articles/{slug}",
            "/reports", "/reports/{commodity}", "/reports/{commodity}/download", "/digest",
        )
    },
    **{
        ("GET", f"/api/v1{path}"): READ
        for path in (
            "/documents", "/documents/{document_id}", "/facts", "/facts/{fact_id}", "/facts/{fact_id}/history",
            "/series", "/events", "/events/{event_id}", "/prices", "/search", "/ask", "/articles", "/articles/{slug}",
            "/reports/{commodity}", "/digest",
        )
    },
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/language"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/account"): Permission.OWN_KEYS,
    ("POST", "/account/keys"): Permission.OWN_KEYS,
    ("POST", "/account/keys/{key_id}/revoke"): Permission.OWN_KEYS,
    ("POST", "/facts/{fact_id}/correct"): Permission.CORRECT_FACTS,
    ("POST", "/facts/{fact_id}/reject"): Permission.CORRECT_FACTS,
    ("POST", "/api/v1/facts/{fact_id}/correction"): Permission.CORRECT_FACTS,
    ("POST", "/api/v1/facts/{fact_id}/rejection"): Permission.CORRECT_FACTS,
    ("GET", "/editor"): Permission.WRITE_ARTICLES,
    ("GET", "/editor/new"): Permission.WRITE_ARTICLES,
    ("POST", "/editor/new"): Permission.WRITE_ARTICLES,
    ("GET", "/editor/{slug}"): Permission.WRITE_ARTICLES,
    ("POST", "/editor/{slug}"): Permission.WRITE_ARTICLES,
    ("POST", "/editor/{slug}/state"): Permission.WRITE_ARTICLES,
    ("GET", "/admin/users"): Permission.MANAGE_USERS,
    ("POST", "/admin/users"): Permission.MANAGE_USERS,
    ("POST", "/admin/users/{name}"): Permission.MANAGE_USERS,
    ("POST", "/admin/settings"): Permission.CHANGE_SETTINGS,
    ("GET", "/admin/audit"): Permission.READ_AUDIT,
    ("GET", "/admin/audit.csv"): Permission.READ_AUDIT,
    ("GET", "/admin/audit.jsonl"): Permission.READ_AUDIT,
}  # fmt: skip


class LoginRequired(PortalError):
    status = 401


class Forbidden(PortalError):
    status = 403


def signer(request: Request) -> URLSafeTimedSerializer:
    found: URLSafeTimedSerializer = request.app.state.signer
    return found


def session_token(request: Request) -> str | None:
    """The login token the signed session cookie carries, if it is genuine and not too old."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        token = signer(request).loads(cookie, max_age=int(accounts.SESSION_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def public_read(request: Request, store: Store) -> bool:
    cached: tuple[float, bool] | None = getattr(request.app.state, "public_read", None)
    now = time.monotonic()
    if cached is None or now - cached[0] > PUBLIC_READ_SECONDS:
        with store.session() as session:
            cached = (now, accounts.public_read(session))
        request.app.state.public_read = cached
    return cached[1]


def forget_public_read(request: Request) -> None:
    request.app.state.public_read = None


def _identify(request: Request, store: Store) -> User:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise LoginRequired("use Authorization: Bearer KEY")
        with store.session() as session, session.begin():
            account = accounts.api_key_account(session, secret)
        if account is None:
            raise LoginRequired("this API key is not valid (revoked, or its user disabled)")
        return User(account.name, account.role, via="key")
    token = session_token(request)
    if token is None:
        return ANONYMOUS
    with store.session() as session:
        account = accounts.session_account(session, token)
    return User(account.name, account.role, via="session") if account is not None else ANONYMOUS


def _decide(user: User, need: str, open_reading: bool) -> None:
    if need == PUBLIC or (need == READ and open_reading):
        return
    if user.anonymous:
        raise LoginRequired("log in, or send an API key as Authorization: Bearer KEY")
    if not can(user.role, Permission(need)):
        raise Forbidden(f"your role ({user.role}) may not do this")


async def authorize(request: Request) -> None:
    """The app-wide dependency: identify the user, check the access table, check CSRF on writes."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    method = "GET" if request.method == "HEAD" else request.method
    need = ACCESS.get((method, path))
    store: Store = request.app.state.store
    user = await run_in_threadpool(_identify, request, store)
    request.state.user = user
    if need is None:  # a route nobody listed: refuse, and the route-walking test names it
        raise Forbidden(f"{method} {path} is not in the access table")
    open_reading = need == READ and await run_in_threadpool(public_read, request, store)
    _decide(user, need, open_reading)
    if method not in ("GET", "OPTIONS") and user.via != "key":
        await _check_csrf(request)


async def _check_csrf(request: Request) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not request.cookies.get(CSRF_COOKIE) or not sent or not hmac.compare_digest(sent, csrf_token(request)):
        raise Forbidden("the form has expired or came from another site; reload the page and try again")


def all_routes(routes: Iterable[BaseRoute]) -> list[tuple[str, str]]:
    """(method, path) of every route, including those in included routers (HEAD left out)."""
    out: list[tuple[str, str]] = []
    for route in routes:
        inner: Any = getattr(route, "original_router", None)
        if inner is not None:
            out.extend(all_routes(inner.routes))
            continue
        path = getattr(route, "path", None)
        for method in sorted(getattr(route, "methods", None) or ()):
            if path is not None and method != "HEAD":
                out.append((method, str(path)))
    return out
