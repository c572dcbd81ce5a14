"""Who may do what: every route of the app, walked with no account and with each role, compared
with the table below; API keys as `Authorization: Bearer`; the `public_read` setting."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_accounts import csrf_of

from assay.editorial import accounts, articles
from assay.store.articles import ArticleFields
from assay.store.db import open_store
from assay.store.facts import FactFilter, query_facts
from assay.web.auth import ACCESS, all_routes

# Who may use each route. anyone: even without an account when public reading is off; read: anyone
# while public reading is on, else any account; account: any logged-in user; analyst; admin.
WHO_MAY: dict[tuple[str, str], str] = {
    **{("GET", p): "anyone" for p in ("/openapi.json", "/language", "/login")},
    **{("POST", p): "anyone" for p in ("/login", "/logout")},
    **{
        ("GET", p): "read"
        for p in (
            "/", "/news", "/news.atom", "/documents/{document_id}", "/search", "/docs", "/commodities",
            "/commodities/{commodity_id}", "/prices", "/prices/{commodity_id}", "/facts", "/facts.{fmt}", "/series",
            "/events", "/events/{event_id}", "/articles", "/articles/{slug}", "/api/v1/documents",
            "/api/v1/documents/{document_id}", "/api/v1/facts", "/api/v1/facts/{fact_id}",
            "/api/v1/facts/{fact_id}/history", "/api/v1/series", "/api/v1/events", "/api/v1/events/{event_id}",
            "/api/v1/prices", "/api/v1/search", "/api/v1/ask", "/api/v1/articles", "/api/v1/articles/{slug}",
            "/reports", "/reports/{commodity}", "/reports/{commodity}/download", "/digest",
            "/api/v1/reports/{commodity}", "/api/v1/digest",
        )
    },
    ("GET", "/account"): "account",
    ("POST", "/account/keys"): "account",
    ("POST", "/account/keys/{key_id}/revoke"): "account",
    **{
        (m, p): "analyst"
        for m, p in (
            ("POST", "/facts/{fact_id}/correct"), ("POST", "/facts/{fact_id}/reject"),
            ("POST", "/api/v1/facts/{fact_id}/correction"), ("POST", "/api/v1/facts/{fact_id}/rejection"),
            ("GET", "/editor"), ("GET", "/editor/new"), ("POST", "/editor/new"), ("GET", "/editor/{slug}"),
            ("POST", "/editor/{slug}"), ("POST", "/editor/{slug}/state"),
        )
    },
    **{
        (m, p): "admin"
        for m, p in (
            ("GET", "/admin/users"), ("POST", "/admin/users"), ("POST", "/admin/users/{name}"),
            ("POST", "/admin/settings"), ("GET", "/admin/audit"), ("GET", "/admin/audit.csv"),
            ("GET", "/admin/audit.jsonl"),
        )
    },
}  # fmt: skip
RANK = {None: 0, "reader": 1, "analyst": 2, "admin": 3}


def expected(who: str, role: str | None, public_read: bool) -> str:
    if who == "anyone" or (who == "read" and (public_read or role is not None)):
        return "allowed"
    if role is None:
        return "login"
    needed = {"read": 1, "account": 1, "analyst": 2, "admin": 3}[who]
    return "allowed" if RANK[role] >= needed else "forbidden"


def outcome(status: int, location: str | None) -> str:
    assert status != 500
    if status == 401 or (status == 303 and (location or "").startswith("/login")):
        return "login"
    return "forbidden" if status == 403 else "allowed"


@pytest.fixture
def samples(accounts_db: str) -> dict[str, str]:
    """A real value for each path parameter (an article is published for /articles/{slug})."""
    with open_store(accounts_db) as store, store.transaction() as session:
        fact = query_facts(session, FactFilter(commodity="magnesium", limit=1))[0]
        draft = articles.create(session, ArticleFields("Walk", f"[[fact:{fact.id}]]"), "ana")
        articles.publish(session, draft.slug, draft.version, "ana")
    return {
        "document_id": str(fact.document_id), "fact_id": str(fact.id), "slug": draft.slug, "event_id": "1",
        "commodity_id": "magnesium", "commodity": "magnesium", "fmt": "csv", "key_id": "1", "name": "rita",
    }  # fmt: skip


def call(client: TestClient, method: str, path: str, samples: dict[str, str], csrf: str) -> tuple[int, str | None]:
    url = re.sub(r"\{(\w+)\}", lambda m: samples[m.group(1)], path)
    if method == "GET":
        response = client.get(url, follow_redirects=False)
    elif url.startswith("/api/"):
        response = client.post(url, json={}, headers={"x-csrf-token": csrf}, follow_redirects=False)
    else:  # an empty form: an allowed user gets a validation error, so the walk changes nothing
        response = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    return response.status_code, response.headers.get("location")


def set_public_read(client: TestClient, accounts_db: str, on: bool) -> None:
    with open_store(accounts_db) as store, store.transaction() as session:
        accounts.set_public_read(session, on, "test")
    client.app.state.public_read = None  # type: ignore[attr-defined]  # the app's cache of the setting


def test_the_table_names_every_route_of_the_app_and_nothing_else(clients: dict[str | None, TestClient]) -> None:
    routes = set(all_routes(clients[None].app.routes))  # type: ignore[attr-defined]
    assert routes == set(WHO_MAY) == set(ACCESS)


@pytest.mark.parametrize("public_read", [True, False])
def test_every_route_with_each_role_does_what_the_table_says(
    clients: dict[str | None, TestClient], samples: dict[str, str], accounts_db: str, public_read: bool
) -> None:
    set_public_read(clients[None], accounts_db, public_read)
    ordered = sorted(WHO_MAY, key=lambda route: route == ("POST", "/logout"))  # logging out last
    wrong = []
    for role, client in clients.items():
        csrf = csrf_of(client)
        for method, path in ordered:
            got = outcome(*call(client, method, path, samples, csrf))
            want = expected(WHO_MAY[(method, path)], role, public_read)
            if got != want:
                wrong.append(f"{role or 'no account'}: {method} {path}: {got}, expected {want}")
    assert wrong == []


@pytest.fixture
def keys(accounts_db: str) -> Iterator[dict[str, str]]:
    made = {}
    with open_store(accounts_db) as store, store.transaction() as session:
        for role, name in (("reader", "rita"), ("analyst", "ana")):
            account = accounts.repo.get_user(session, name)
            assert account is not None
            made[role] = accounts.create_api_key(session, account, f"{role} script").secret
    yield made


def test_api_keys_as_bearer_with_public_reading_off(
    clients: dict[str | None, TestClient], keys: dict[str, str], accounts_db: str, samples: dict[str, str]
) -> None:
    client = TestClient(clients[None].app, raise_server_exceptions=False)  # type: ignore[arg-type]
    set_public_read(client, accounts_db, False)
    refused = client.get("/api/v1/facts")
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"] == 'Bearer realm="assay"'
    assert client.get("/news", follow_redirects=False).headers["location"] == "/login?next=%2Fnews"
    for role, secret in keys.items():
        headers = {"Authorization": f"Bearer {secret}"}
        assert client.get("/api/v1/facts", headers=headers).status_code == 200
        # writing needs the role, and a key needs no CSRF token (it is not sent by a browser on its own)
        fact_id = samples["fact_id"]
        reply = client.post(f"/api/v1/facts/{fact_id}/rejection", json={}, headers=headers)
        assert reply.status_code == (400 if role == "analyst" else 403), reply.text
    assert client.get("/api/v1/facts", headers={"Authorization": "Bearer assay_wrong"}).status_code == 401
    assert client.get("/api/v1/facts", headers={"Authorization": f"Basic {keys['reader']}"}).status_code == 401


def test_a_revoked_key_is_refused_at_once(clients: dict[str | None, TestClient], keys: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {keys['reader']}"}
    reader = clients["reader"]
    assert reader.get("/api/v1/facts", headers=headers).status_code == 200
    page = reader.get("/account").text
    key_id = re.search(r'action="/account/keys/(\d+)/revoke"', page)
    assert key_id is not None
    revoked = reader.post(f"/account/keys/{key_id.group(1)}/revoke", data={"csrf": csrf_of(reader)})
    assert revoked.status_code == 200 and "revoked" in revoked.text
    with TestClient(reader.app) as fresh:  # type: ignore[arg-type]
        # refused even where no account is needed: a dead credential is an error, not a quiet downgrade
        assert fresh.get("/api/v1/facts", headers=headers).status_code == 401
        assert fresh.get("/api/v1/facts").status_code == 200
