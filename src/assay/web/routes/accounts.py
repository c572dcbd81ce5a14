"""Pages: log in and out, one's own API keys, and for admins the users, the settings and the audit log."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from assay.editorial import accounts
from assay.editorial.roles import Role
from assay.store import audit
from assay.store.accounts import AccountError, get_user, list_api_keys, list_users
from assay.store.db import Store
from assay.web import filters
from assay.web.auth import SESSION_COOKIE, Forbidden, forget_public_read, session_token, signer
from assay.web.deps import SessionDep, UserDep, get_store
from assay.web.errors import BadFilter
from assay.web.rendering import render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
AUDIT_PAGE = 50


def _safe_next(target: str | None) -> str:
    """Only paths of this site are followed after login."""
    parts = urlsplit(target or "/")
    ok = target and not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target
    return str(target) if ok and not str(target).startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def log_in(request: Request, name: FormText, password: FormText, next: Annotated[str, Form()] = "/") -> Response:
    store: Store = get_store(request)
    address = request.client.host if request.client else "unknown"
    with store.session() as session, session.begin():
        try:
            _, token = accounts.log_in(session, name, password, address)
        except accounts.LoginRefused as exc:
            failure = str(exc)
        else:
            failure = ""
    if failure:  # the failure was recorded (committed) above, for the limits
        return render(request, "login.html", {"next": _safe_next(next), "error": failure}, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    response.set_cookie(
        SESSION_COOKIE,
        signer(request).dumps(token),
        max_age=lifetime,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def log_out(request: Request) -> Response:
    token = session_token(request)
    if token is not None:
        with get_store(request).transaction() as session:
            accounts.log_out(session, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _account(session: Session, name: str | None) -> accounts.Account:
    found = get_user(session, name or "")
    if found is None:
        raise Forbidden("log in first")
    return found


@router.get("/account")
def account_page(request: Request, session: SessionDep, user: UserDep) -> Response:
    account = _account(session, user.name)
    context = {"keys": list_api_keys(session, account.id), "new_key": None, "error": None}
    return render(request, "account.html", context)


@router.post("/account/keys")
def create_key(request: Request, user: UserDep, name: Annotated[str, Form()] = "key") -> Response:
    with get_store(request).session() as session, session.begin():
        account = _account(session, user.name)
        try:
            made: accounts.NewKey | None = accounts.create_api_key(session, account, name)
            error = None
        except AccountError as exc:
            made, error = None, str(exc)
    with get_store(request).session() as session:
        keys = list_api_keys(session, account.id)
    status = 200 if error is None else 429
    return render(request, "account.html", {"keys": keys, "new_key": made, "error": error}, status_code=status)


@router.post("/account/keys/{key_id}/revoke")
def revoke_key(request: Request, user: UserDep, key_id: Annotated[int, Path(ge=1, le=2**53)]) -> Response:
    with get_store(request).transaction() as session:
        try:
            accounts.revoke_api_key(session, _account(session, user.name), key_id)
        except AccountError as exc:
            raise BadFilter(str(exc)) from exc
    return RedirectResponse("/account", status_code=303)


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep) -> Response:
    return _users(request, session, None)


def _users(request: Request, session: Session, error: str | None, status: int = 200) -> Response:
    context = {
        "users": list_users(session),
        "roles": [r.value for r in Role],
        "public_read": accounts.public_read(session),
        "error": error,
    }
    return render(request, "admin_users.html", context, status_code=status)


@router.post("/admin/users")
def add_user(request: Request, user: UserDep, name: FormText, password: FormText, role: FormText) -> Response:
    try:
        with get_store(request).transaction() as session:
            accounts.add_user(session, name, password, role, user.name or "")
    except (AccountError, ValueError) as exc:
        with get_store(request).session() as session:
            return _users(request, session, str(exc), 400)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}")
def change_user(request: Request, user: UserDep, name: str, action: FormText, role: FormText = "") -> Response:
    by = user.name or ""
    try:
        with get_store(request).transaction() as session:
            if action == "role":
                accounts.set_role(session, name, role, by)
            elif action in ("disable", "enable"):
                accounts.set_disabled(session, name, action == "disable", by)
            else:
                raise AccountError(f"unknown action {action!r}")
    except (AccountError, ValueError) as exc:
        with get_store(request).session() as session:
            return _users(request, session, str(exc), 400)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/settings")
def change_settings(request: Request, user: UserDep, public_read: FormText) -> Response:
    with get_store(request).transaction() as session:
        accounts.set_public_read(session, public_read == "on", user.name or "")
    forget_public_read(request)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/audit")
def audit_page(
    request: Request, session: SessionDep, user: str | None = None, action: str | None = None, page: int = 1
) -> Response:
    wanted_user, wanted_action = filters.text(user, 80), filters.text(action, 40)
    found, total = audit.entries(
        session, user=wanted_user, action=wanted_action, limit=AUDIT_PAGE, offset=filters.page_offset(page, AUDIT_PAGE)
    )
    context = {"entries": found, "total": total, "page": page, "size": AUDIT_PAGE, "filter_user": wanted_user or ""}
    context["filter_action"] = wanted_action or ""
    return render(request, "admin_audit.html", context)


@router.get("/admin/audit.csv")
def audit_csv(session: SessionDep) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "user", "action", "target", "detail"])
    for entry in audit.iter_all(session):
        row = entry.as_json()
        detail = json.dumps(row["detail"], ensure_ascii=False)
        writer.writerow([row["id"], row["at"], row["user"], row["action"], row["target"], detail])
    headers = {"Content-Disposition": 'attachment; filename="assay-audit.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/admin/audit.jsonl")
def audit_jsonl(session: SessionDep) -> Response:
    body = "".join(json.dumps(e.as_json(), ensure_ascii=False) + "\n" for e in audit.iter_all(session))
    headers = {"Content-Disposition": 'attachment; filename="assay-audit.jsonl"'}
    return Response(body, media_type="application/x-ndjson; charset=utf-8", headers=headers)
