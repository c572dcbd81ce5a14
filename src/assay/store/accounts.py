"""Users, login sessions, API keys, failed logins and settings. Secrets never reach this module in
the clear: passwords arrive hashed (assay.editorial.passwords) and tokens as their SHA-256."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.store.schema import ApiKeyRow, LoginFailureRow, LoginSessionRow, SettingRow, UserRow


class AccountError(ValueError):
    """An account operation that cannot be done as asked; str() says why."""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime
    password_hash: str


@dataclass(frozen=True)
class ApiKey:
    id: int
    user: str
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def utcnow() -> dt.datetime:
    """Now in naive UTC, as every time column of the store holds it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def add_user(session: Session, name: str, password_hash: str, role: str) -> Account:
    row = UserRow(name=name, password_hash=password_hash, role=role, disabled=False, created_at=utcnow())
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise AccountError(f"user {name!r} exists already") from None
    return _account(row)


def get_user(session: Session, name: str) -> Account | None:
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    return _account(row) if row is not None else None


def list_users(session: Session) -> list[Account]:
    return [_account(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]


def update_user(
    session: Session,
    name: str,
    *,
    role: str | None = None,
    disabled: bool | None = None,
    password_hash: str | None = None,
) -> Account:
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    if row is None:
        raise AccountError(f"no user {name!r}")
    if role is not None:
        row.role = role
    if disabled is not None:
        row.disabled = disabled
        if disabled:  # a disabled account keeps no open door
            session.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == row.id))
    if password_hash is not None:
        row.password_hash = password_hash
    session.flush()
    return _account(row)


def count_admins(session: Session) -> int:
    stmt = select(func.count()).select_from(UserRow).where(UserRow.role == "admin", UserRow.disabled.is_(False))
    return int(session.scalar(stmt) or 0)


def open_session(session: Session, user_id: int, token_sha256: str, lifetime: dt.timedelta) -> None:
    now = utcnow()
    session.add(LoginSessionRow(token_sha256=token_sha256, user_id=user_id, created_at=now, expires_at=now + lifetime))
    session.flush()


def session_user(session: Session, token_sha256: str) -> Account | None:
    """The enabled user of an unexpired login session, else None."""
    row = session.execute(
        select(UserRow)
        .join(LoginSessionRow, LoginSessionRow.user_id == UserRow.id)
        .where(LoginSessionRow.token_sha256 == token_sha256, LoginSessionRow.expires_at > utcnow())
    ).scalar_one_or_none()
    if row is None or row.disabled:
        return None
    return _account(row)


def close_session(session: Session, token_sha256: str) -> None:
    session.execute(delete(LoginSessionRow).where(LoginSessionRow.token_sha256 == token_sha256))


def add_api_key(session: Session, user_id: int, name: str, prefix: str, key_sha256: str) -> ApiKey:
    row = ApiKeyRow(user_id=user_id, name=name, prefix=prefix, key_sha256=key_sha256, created_at=utcnow())
    session.add(row)
    session.flush()
    return _key(row, _user_name(session, user_id))


def list_api_keys(session: Session, user_id: int | None = None) -> list[ApiKey]:
    stmt = select(ApiKeyRow, UserRow.name).join(UserRow, UserRow.id == ApiKeyRow.user_id).order_by(ApiKeyRow.id)
    if user_id is not None:
        stmt = stmt.where(ApiKeyRow.user_id == user_id)
    return [_key(row, user) for row, user in session.execute(stmt)]


def keys_created_since(session: Session, user_id: int, since: dt.datetime) -> int:
    stmt = (
        select(func.count()).select_from(ApiKeyRow).where(ApiKeyRow.user_id == user_id, ApiKeyRow.created_at >= since)
    )
    return int(session.scalar(stmt) or 0)


def revoke_api_key(session: Session, key_id: int, user_id: int | None) -> ApiKey:
    """Revoke key `key_id`; with `user_id`, only if it is that user's (else it is not found)."""
    row = session.get(ApiKeyRow, key_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise AccountError(f"no API key {key_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return _key(row, _user_name(session, row.user_id))


def api_key_user(session: Session, key_sha256: str) -> Account | None:
    """The enabled user owning an unrevoked key with this hash; records its use."""
    found = session.execute(
        select(ApiKeyRow, UserRow)
        .join(UserRow, UserRow.id == ApiKeyRow.user_id)
        .where(ApiKeyRow.key_sha256 == key_sha256)
    ).first()
    if found is None:
        return None
    key, user = found
    if key.revoked_at is not None or user.disabled:
        return None
    session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key.id).values(last_used_at=utcnow()))
    return _account(user)


def record_login_failure(session: Session, account: str, address: str) -> None:
    session.add(LoginFailureRow(account=account[:80], address=address[:64], at=utcnow()))
    session.flush()


def login_failures_since(
    session: Session, since: dt.datetime, *, account: str | None = None, address: str | None = None
) -> int:
    stmt = select(func.count()).select_from(LoginFailureRow).where(LoginFailureRow.at >= since)
    if account is not None:
        stmt = stmt.where(LoginFailureRow.account == account[:80])
    if address is not None:
        stmt = stmt.where(LoginFailureRow.address == address[:64])
    return int(session.scalar(stmt) or 0)


def clear_login_failures(session: Session, account: str) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.account == account[:80]))


def get_setting(session: Session, name: str) -> str | None:
    row = session.get(SettingRow, name)
    return row.value if row is not None else None


def set_setting(session: Session, name: str, value: str) -> None:
    row = session.get(SettingRow, name)
    if row is None:
        session.add(SettingRow(name=name, value=value))
    else:
        row.value = value
    session.flush()


def _user_name(session: Session, user_id: int) -> str:
    return str(session.scalar(select(UserRow.name).where(UserRow.id == user_id)) or "")


def _account(row: UserRow) -> Account:
    return Account(row.id, row.name, row.role, bool(row.disabled), row.created_at, row.password_hash)


def _key(row: ApiKeyRow, user: str) -> ApiKey:
    return ApiKey(row.id, user, row.name, row.prefix, row.created_at, row.last_used_at, row.revoked_at)
