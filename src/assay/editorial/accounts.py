"""Accounts: adding users, logging in with failed-login limits, login sessions, API keys, and
the `public_read` setting. Every change an admin makes is written to the audit log.

Messages never tell whether an account exists: a wrong name and a wrong password read the same,
and the failure limits count names that do not exist as well."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assay.editorial.passwords import hash_password, new_api_key, new_token, token_sha256, verify_password
from assay.editorial.roles import Role, parse_role
from assay.store import accounts as repo
from assay.store import audit
from assay.store.accounts import Account, AccountError, ApiKey

LOGIN_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
KEY_WINDOW = dt.timedelta(hours=1)
MAX_KEYS_PER_WINDOW = 10
SESSION_LIFETIME = dt.timedelta(days=14)
PUBLIC_READ = "public_read"
NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789._-"

__all__ = ["Account", "AccountError", "ApiKey", "LoginRefused"]


class LoginRefused(AccountError):
    """A login that did not succeed; the message is the same whatever the reason, bar the limit."""


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    secret: str  # shown once, never stored


def add_user(session: Session, name: str, password: str, role: str, by: str) -> Account:
    name = name.strip().lower()
    if not name or len(name) > 80 or any(c not in NAME_CHARACTERS for c in name):
        raise AccountError(f"a user name is 1 to 80 of {NAME_CHARACTERS!r}, not {name!r}")
    account = repo.add_user(session, name, hash_password(password), parse_role(role).value)
    audit.record(session, by, "user.add", f"user:{name}", {"role": account.role})
    return account


def set_role(session: Session, name: str, role: str, by: str) -> Account:
    new_role = parse_role(role).value
    _keep_an_admin(session, name, losing=new_role != Role.ADMIN)
    account = repo.update_user(session, name, role=new_role)
    audit.record(session, by, "user.role", f"user:{name}", {"role": new_role})
    return account


def set_disabled(session: Session, name: str, disabled: bool, by: str) -> Account:
    if disabled:
        _keep_an_admin(session, name, losing=True)
    account = repo.update_user(session, name, disabled=disabled)
    audit.record(session, by, "user.disable" if disabled else "user.enable", f"user:{name}", {})
    return account


def set_password(session: Session, name: str, password: str, by: str) -> Account:
    account = repo.update_user(session, name, password_hash=hash_password(password))
    audit.record(session, by, "user.password", f"user:{name}", {})
    return account


def log_in(session: Session, name: str, password: str, address: str) -> tuple[Account, str]:
    """The account and a new session token, or LoginRefused. The caller commits either way
    (a failure is recorded)."""
    name = name.strip().lower()
    since = repo.utcnow() - LOGIN_WINDOW
    if (
        repo.login_failures_since(session, since, account=name) >= MAX_FAILURES_PER_ACCOUNT
        or repo.login_failures_since(session, since, address=address) >= MAX_FAILURES_PER_ADDRESS
    ):
        raise LoginRefused(f"too many failed logins; try again in {LOGIN_WINDOW.seconds // 60} minutes")
    account = repo.get_user(session, name)
    ok = verify_password(account.password_hash if account else None, password)
    if account is None or not ok or account.disabled:
        repo.record_login_failure(session, name, address)
        raise LoginRefused("the name or the password is wrong")
    repo.clear_login_failures(session, name)
    token = new_token()
    repo.open_session(session, account.id, token_sha256(token), SESSION_LIFETIME)
    return account, token


def session_account(session: Session, token: str) -> Account | None:
    return repo.session_user(session, token_sha256(token))


def log_out(session: Session, token: str) -> None:
    repo.close_session(session, token_sha256(token))


def create_api_key(session: Session, account: Account, name: str) -> NewKey:
    name = name.strip() or "key"
    if len(name) > 80:
        raise AccountError("a key name has at most 80 characters")
    if repo.keys_created_since(session, account.id, repo.utcnow() - KEY_WINDOW) >= MAX_KEYS_PER_WINDOW:
        raise AccountError(f"at most {MAX_KEYS_PER_WINDOW} keys an hour; try again later")
    secret = new_api_key()
    key = repo.add_api_key(session, account.id, name, secret[:14], token_sha256(secret))
    audit.record(session, account.name, "key.create", f"key:{key.id}", {"name": name})
    return NewKey(key, secret)


def revoke_api_key(session: Session, account: Account, key_id: int) -> ApiKey:
    owner_only = None if account.role == Role.ADMIN else account.id
    key = repo.revoke_api_key(session, key_id, owner_only)
    audit.record(session, account.name, "key.revoke", f"key:{key_id}", {"owner": key.user})
    return key


def api_key_account(session: Session, secret: str) -> Account | None:
    return repo.api_key_user(session, token_sha256(secret.strip()))


def public_read(session: Session) -> bool:
    """Whether reading needs no account: the stored setting, else ASSAY_PUBLIC_READ, else on."""
    stored = repo.get_setting(session, PUBLIC_READ)
    if stored is None:
        stored = os.environ.get("ASSAY_PUBLIC_READ", "on")
    return stored.strip().lower() in ("1", "on", "true", "yes")


def set_public_read(session: Session, on: bool, by: str) -> None:
    repo.set_setting(session, PUBLIC_READ, "on" if on else "off")
    audit.record(session, by, "setting.public_read", PUBLIC_READ, {"value": "on" if on else "off"})


def _keep_an_admin(session: Session, name: str, *, losing: bool) -> None:
    account = repo.get_user(session, name)
    if account is None:
        raise AccountError(f"no user {name!r}")
    if losing and account.role == Role.ADMIN and not account.disabled and repo.count_admins(session) <= 1:
        raise AccountError(f"{name!r} is the last admin; make another admin first")
