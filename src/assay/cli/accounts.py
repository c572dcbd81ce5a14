"""`assay users`, `assay keys` and `assay settings`: accounts, API keys and the `public_read` setting.

Whoever can run the CLI on the store's machine administers it, so these commands ask for no
login; changes are written to the audit log under `--by` (default: `cli`)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from assay.cli.app import EXIT_INPUT_FAILED, app, console, print_json
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error

users_app = typer.Typer(help="Portal accounts: add, list, disable, enable, set role or password.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (for `Authorization: Bearer KEY`): create, list, revoke.", no_args_is_help=True)
settings_app = typer.Typer(help="Portal settings: public-read on|off.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(settings_app, name="settings")

By = Annotated[str, typer.Option("--by", help="Who makes the change, for the audit log.")]


def read_password(prompt: str = "Password") -> str:
    """From the terminal (asked twice, hidden), or the first line of standard input when piped."""
    if sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[str, typer.Option("--role", help="reader, analyst or admin.")] = "reader",
    by: By = "cli",
) -> None:
    """Add a user; the password is asked for (or read from standard input)."""
    from assay.editorial.accounts import AccountError, add_user

    password = read_password()
    with _open() as store, store.transaction() as session:
        try:
            account = add_user(session, name, password, role, by)
        except (AccountError, ValueError) as exc:
            _error(f"{name}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"added {account.name} ({account.role})", markup=False)


@users_app.command("list")
def list_command(as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False) -> None:
    """Every user with role and state."""
    from assay.store.accounts import list_users

    with _open() as store, store.session() as session:
        users = list_users(session)
    if as_json:
        print_json(
            [
                {"name": u.name, "role": u.role, "disabled": u.disabled, "created": u.created_at.isoformat()}
                for u in users
            ]
        )
        return
    table = Table("name", "role", "state", "created")
    for u in users:
        table.add_row(u.name, u.role, "disabled" if u.disabled else "active", u.created_at.strftime("%Y-%m-%d"))
    console.print(table)


def _change(name: str, action: str, by: str, value: str | None = None) -> None:
    from assay.editorial import accounts

    with _open() as store, store.transaction() as session:
        try:
            if action == "role":
                assert value is not None
                account = accounts.set_role(session, name, value, by)
            elif action == "password":
                account = accounts.set_password(session, name, read_password("New password"), by)
            else:
                account = accounts.set_disabled(session, name, action == "disable", by)
        except ValueError as exc:
            _error(f"{name}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    state = "disabled" if account.disabled else "active"
    console.print(f"{account.name}: {account.role}, {state}", markup=False)


@users_app.command("disable")
def disable_command(name: str, by: By = "cli") -> None:
    """Disable a user: no login, no API key, open sessions closed."""
    _change(name, "disable", by)


@users_app.command("enable")
def enable_command(name: str, by: By = "cli") -> None:
    """Enable a disabled user again."""
    _change(name, "enable", by)


@users_app.command("role")
def role_command(
    name: str, role: Annotated[str, typer.Argument(help="reader, analyst or admin.")], by: By = "cli"
) -> None:
    """Change a user's role."""
    _change(name, "role", by, role)


@users_app.command("password")
def password_command(name: str, by: By = "cli") -> None:
    """Set a user's password (asked for, or read from standard input)."""
    _change(name, "password", by)


@keys_app.command("create")
def key_create_command(
    user: Annotated[str, typer.Argument(help="The user the key acts as.")],
    name: Annotated[str, typer.Option("--name", help="What the key is for.")] = "key",
) -> None:
    """Create a key; it is printed once and stored only hashed."""
    from assay.editorial.accounts import AccountError, create_api_key
    from assay.store.accounts import get_user

    with _open() as store, store.transaction() as session:
        account = get_user(session, user)
        try:
            if account is None or account.disabled:
                raise AccountError(f"no active user {user!r}")
            made = create_api_key(session, account, name)
        except AccountError as exc:
            _error(f"{user}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"key {made.key.id} ({made.key.name}) for {user}; shown once, keep it now:", markup=False)
    sys.stdout.write(made.secret + "\n")


@keys_app.command("list")
def key_list_command(user: Annotated[str | None, typer.Argument(help="Only this user's keys.")] = None) -> None:
    """Keys with their owner, prefix and state (never the key itself)."""
    from assay.store.accounts import get_user, list_api_keys

    with _open() as store, store.session() as session:
        owner = get_user(session, user) if user else None
        if user and owner is None:
            _error(f"{user}: no such user")
            raise typer.Exit(EXIT_INPUT_FAILED)
        keys = list_api_keys(session, owner.id if owner else None)
    table = Table("id", "user", "name", "prefix", "created", "last used", "state")
    for k in keys:
        used = k.last_used_at.strftime("%Y-%m-%d %H:%M") if k.last_used_at else ""
        state = "revoked" if k.revoked_at else "active"
        table.add_row(str(k.id), k.user, k.name, k.prefix + "…", k.created_at.strftime("%Y-%m-%d"), used, state)
    console.print(table)


@keys_app.command("revoke")
def key_revoke_command(key_id: int, by: By = "cli") -> None:
    """Revoke a key at once."""
    from assay.store import audit
    from assay.store.accounts import AccountError, revoke_api_key

    with _open() as store, store.transaction() as session:
        try:
            key = revoke_api_key(session, key_id, None)
        except AccountError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
        audit.record(session, by, "key.revoke", f"key:{key_id}", {"owner": key.user})
    console.print(f"revoked key {key_id} ({key.name}) of {key.user}", markup=False)


@settings_app.command("public-read")
def public_read_command(
    value: Annotated[str | None, typer.Argument(help="on or off; without it, print the setting.")] = None,
    by: By = "cli",
) -> None:
    """Whether reading the portal and the API needs an account (writing always does)."""
    from assay.editorial.accounts import public_read, set_public_read

    with _open() as store, store.transaction() as session:
        if value is not None:
            if value not in ("on", "off"):
                _error(f"public-read: {value!r}: say on or off")
                raise typer.Exit(EXIT_INPUT_FAILED)
            set_public_read(session, value == "on", by)
        console.print(f"public-read: {'on' if public_read(session) else 'off'}", markup=False)
