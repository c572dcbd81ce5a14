"""Roles and what each may do: one table that the CLI, the pages and the API all consult."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    READER = "reader"
    ANALYST = "analyst"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"  # pages and API reads (anyone, when the `public_read` setting is on)
    OWN_KEYS = "own_keys"  # create, list and revoke one's own API keys
    CORRECT_FACTS = "correct_facts"
    WRITE_ARTICLES = "write_articles"  # draft, edit, publish, withdraw
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    CHANGE_SETTINGS = "change_settings"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.READER: frozenset({Permission.READ, Permission.OWN_KEYS}),
    Role.ANALYST: frozenset(
        {Permission.READ, Permission.OWN_KEYS, Permission.CORRECT_FACTS, Permission.WRITE_ARTICLES}
    ),
    Role.ADMIN: frozenset(Permission),
}


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise ValueError(f"unknown role {text!r}; one of {', '.join(r.value for r in Role)}") from None


def can(role: str | None, permission: Permission) -> bool:
    """Whether a user of `role` may do it; None (no account) may do nothing (public reading is a setting)."""
    if role is None:
        return False
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
