"""Helpers of the accounts tests: users per role, copying a store, CSRF tokens and logging in."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

PASSWORD = "a long enough password"
USER_OF_ROLE = {"reader": "rita", "analyst": "ana", "admin": "boss"}


def copy_store(url: str, target: Path) -> str:
    """A copy of a SQLite store (through SQLite's backup, so the WAL is included); its URL."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def csrf_of(client: TestClient, path: str = "/login") -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', client.get(path).text)
    assert found is not None, f"no CSRF token on {path}"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    return client.post(
        "/login", data={"name": name, "password": password, "csrf": csrf_of(client)}, follow_redirects=False
    )
