"""Accounts: passwords hashed, logins limited per account and per address without telling which
accounts exist, API keys shown once and stored hashed, the last admin kept, every change audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assay.editorial import accounts
from assay.editorial.roles import PERMISSIONS, Permission, Role, can
from assay.store import audit
from assay.store.db import Store
from assay.store.schema import ApiKeyRow, UserRow

PASSWORD = "correct horse battery"


@pytest.fixture
def with_users(store: Store) -> Store:
    with store.transaction() as session:
        accounts.add_user(session, "Ana", PASSWORD, "analyst", "cli")
        accounts.add_user(session, "boss", PASSWORD, "admin", "cli")
    return store


def log_in(store: Store, name: str, password: str, address: str = "127.0.0.1") -> str:
    """The token, or the refusal's message."""
    with store.session() as session, session.begin():
        try:
            return accounts.log_in(session, name, password, address)[1]
        except accounts.LoginRefused as exc:
            return f"refused: {exc}"


def test_passwords_are_stored_as_argon2_hashes(with_users: Store) -> None:
    with with_users.session() as session:
        hashes = session.scalars(select(UserRow.password_hash)).all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_names_are_folded_and_checked(store: Store) -> None:
    with pytest.raises(accounts.AccountError, match="user name"), store.transaction() as session:
        accounts.add_user(session, "ana smith", PASSWORD, "reader", "cli")
    with pytest.raises(ValueError, match="at least 10"), store.transaction() as session:
        accounts.add_user(session, "cy", "short", "reader", "cli")
    with pytest.raises(ValueError, match="unknown role"), store.transaction() as session:
        accounts.add_user(session, "cy", PASSWORD, "editor", "cli")


def test_login_gives_a_session_that_logout_closes(with_users: Store) -> None:
    token = log_in(with_users, "ANA", PASSWORD)
    with with_users.transaction() as session:
        account = accounts.session_account(session, token)
        assert account is not None and (account.name, account.role) == ("ana", "analyst")
        accounts.log_out(session, token)
    with with_users.session() as session:
        assert accounts.session_account(session, token) is None


def test_a_wrong_name_and_a_wrong_password_read_the_same(with_users: Store) -> None:
    assert log_in(with_users, "ana", "wrong password") == log_in(with_users, "nobody", "wrong password")
    assert log_in(with_users, "ana", "wrong password").startswith("refused: the name or the password is wrong")


def test_failed_logins_lock_the_account_for_a_while_even_with_the_right_password(with_users: Store) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        log_in(with_users, "ana", "guess", address="10.1.1.1")
    assert "too many failed logins" in log_in(with_users, "ana", PASSWORD, address="10.9.9.9")
    assert not log_in(with_users, "boss", PASSWORD).startswith("refused")  # others are not locked out
    # an account that does not exist is limited the same way, so the limit reveals nothing
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        log_in(with_users, "ghost", "guess", address="10.2.2.2")
    assert "too many failed logins" in log_in(with_users, "ghost", "guess", address="10.3.3.3")


def test_failed_logins_from_one_address_lock_that_address(with_users: Store) -> None:
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):
        log_in(with_users, f"name{n}", "guess", address="10.6.6.6")
    assert "too many failed logins" in log_in(with_users, "ana", PASSWORD, address="10.6.6.6")
    assert not log_in(with_users, "ana", PASSWORD, address="10.7.7.7").startswith("refused")


def test_a_disabled_account_cannot_log_in(with_users: Store) -> None:
    with with_users.transaction() as session:
        accounts.set_disabled(session, "ana", True, "boss")
    assert log_in(with_users, "ana", PASSWORD).startswith("refused: the name or the password is wrong")


def test_api_keys_are_shown_once_stored_hashed_limited_and_revocable(with_users: Store) -> None:
    with with_users.transaction() as session:
        ana = accounts.repo.get_user(session, "ana")
        assert ana is not None
        made = accounts.create_api_key(session, ana, "nightly export")
    with with_users.transaction() as session:
        stored = session.scalars(select(ApiKeyRow.key_sha256)).all()
        assert made.secret not in stored and made.secret.startswith("assay_")
        found = accounts.api_key_account(session, made.secret)
        assert found is not None and found.name == "ana"
        for n in range(accounts.MAX_KEYS_PER_WINDOW - 1):
            accounts.create_api_key(session, ana, f"k{n}")
        with pytest.raises(accounts.AccountError, match="at most 10 keys an hour"):
            accounts.create_api_key(session, ana, "one too many")
    with with_users.transaction() as session:
        boss = accounts.repo.get_user(session, "boss")
        assert boss is not None
        with pytest.raises(accounts.AccountError, match="no API key"):
            accounts.revoke_api_key(session, ana, 999)
        accounts.revoke_api_key(session, boss, made.key.id)  # an admin may revoke anyone's key
    with with_users.session() as session:
        assert accounts.api_key_account(session, made.secret) is None


def test_the_last_admin_cannot_be_demoted_or_disabled(with_users: Store) -> None:
    with pytest.raises(accounts.AccountError, match="last admin"), with_users.transaction() as session:
        accounts.set_role(session, "boss", "reader", "boss")
    with pytest.raises(accounts.AccountError, match="last admin"), with_users.transaction() as session:
        accounts.set_disabled(session, "boss", True, "boss")
    with with_users.transaction() as session:
        accounts.set_role(session, "ana", "admin", "boss")
        accounts.set_role(session, "boss", "reader", "ana")


def test_admin_changes_are_in_the_audit_log(with_users: Store) -> None:
    with with_users.transaction() as session:
        accounts.set_role(session, "ana", "reader", "boss")
        accounts.set_public_read(session, False, "boss")
    with with_users.session() as session:
        entries, _ = audit.entries(session)
        assert not accounts.public_read(session)
    assert [(e.user, e.action, e.target) for e in entries][:2] == [
        ("boss", "setting.public_read", "public_read"),
        ("boss", "user.role", "user:ana"),
    ]


def test_public_read_defaults_to_the_environment(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.session() as session:
        monkeypatch.setenv("ASSAY_PUBLIC_READ", "off")
        assert not accounts.public_read(session)
        monkeypatch.delenv("ASSAY_PUBLIC_READ")
        assert accounts.public_read(session)


def test_the_permission_table() -> None:
    assert can("reader", Permission.READ) and not can("reader", Permission.CORRECT_FACTS)
    assert can("analyst", Permission.WRITE_ARTICLES) and not can("analyst", Permission.MANAGE_USERS)
    assert all(can("admin", p) for p in Permission)
    assert not can(None, Permission.READ) and not can("superuser", Permission.READ)
    assert PERMISSIONS[Role.READER] < PERMISSIONS[Role.ANALYST] < PERMISSIONS[Role.ADMIN]
