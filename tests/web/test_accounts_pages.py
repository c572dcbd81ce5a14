"""Accounts and editorial work in the portal: login and its limits, cookies, CSRF, the editor with
its refused stale saves, corrections seen on every page, the admin pages and the audit export."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_accounts import PASSWORD, csrf_of, log_in

from assay.editorial.accounts import MAX_FAILURES_PER_ACCOUNT
from assay.store.db import open_store
from assay.store.facts import FactFilter, query_facts
from assay.web import WebSettings, create_app
from assay.web.secret_key import load_secret_key


def test_login_sets_a_signed_httponly_samesite_cookie_and_logout_ends_the_session(accounts_db: str) -> None:
    with TestClient(create_app(WebSettings(database_url=accounts_db))) as client:
        response = log_in(client, "ana")
        assert response.status_code == 303 and response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("assay_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert client.get("/editor").status_code == 200
        stolen = client.cookies.get("assay_session")
        assert client.post("/logout", data={"csrf": csrf_of(client, "/")}, follow_redirects=False).status_code == 303
        client.cookies.set("assay_session", stolen)  # the old cookie, replayed: the session is gone
        assert client.get("/editor", follow_redirects=False).headers["location"] == "/login?next=%2Feditor"
        client.cookies.set("assay_session", stolen[:-3] + "abc")  # and a forged one opens nothing either
        assert client.get("/editor", follow_redirects=False).status_code == 303


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(accounts_db: str) -> None:
    with TestClient(create_app(WebSettings(database_url=accounts_db))) as client:
        for target, lands in (
            ("/admin/audit", "/admin/audit"),
            ("https://evil.example/", "/"),
            ("//evil.example", "/"),
        ):
            client.cookies.clear()
            token = csrf_of(client)
            form = {"name": "boss", "password": PASSWORD, "csrf": token, "next": target}
            assert client.post("/login", data=form, follow_redirects=False).headers["location"] == lands


def test_failed_logins_say_the_same_for_any_name_and_then_lock(accounts_db: str) -> None:
    with TestClient(create_app(WebSettings(database_url=accounts_db))) as client:
        wrong = log_in(client, "ana", "not the password")
        unknown = log_in(client, "nobody", "not the password")
        assert wrong.status_code == unknown.status_code == 401
        message = re.compile(r'role="alert">([^<]+)<')
        assert message.findall(wrong.text) == message.findall(unknown.text) == ["the name or the password is wrong"]
        for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
            log_in(client, "ana", "not the password")
        locked = log_in(client, "ana")
        assert locked.status_code == 401 and "too many failed logins" in locked.text


def test_forms_without_a_valid_csrf_token_are_refused(clients: dict[str | None, TestClient]) -> None:
    analyst = clients["analyst"]
    form = {"title": "x", "body": "y", "action": "save"}
    assert analyst.post("/editor/new", data=form).status_code == 403
    assert analyst.post("/editor/new", data={**form, "csrf": "0" * 64}).status_code == 403
    other = csrf_of(clients["reader"])  # a token valid for another visitor's cookie
    assert analyst.post("/editor/new", data={**form, "csrf": other}).status_code == 403
    assert analyst.post("/editor/new", data={**form, "csrf": csrf_of(analyst, "/editor/new")}).status_code == 200


def test_the_secret_key_file_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "session-key"
    first = load_secret_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) >= 32
    assert load_secret_key(path) == first
    path.chmod(0o644)
    with pytest.raises(ValueError, match="readable by others"):
        load_secret_key(path)


def save(client: TestClient, slug: str, based_on: int, body: str) -> object:
    form = {"csrf": csrf_of(client, f"/editor/{slug}"), "based_on": str(based_on), "title": "Magnesium note"}
    form.update(body=body, kind="analysis", lang="en", commodities="magnesium", action="save")
    return client.post(f"/editor/{slug}", data=form, follow_redirects=False)


def test_two_analysts_editing_one_article_lose_nothing(clients: dict[str | None, TestClient], accounts_db: str) -> None:
    ana, boss = clients["analyst"], clients["admin"]
    form = {"csrf": csrf_of(ana, "/editor/new"), "title": "Magnesium note", "body": "first", "action": "save"}
    created = ana.post("/editor/new", data=form, follow_redirects=False)
    slug = created.headers["location"].rsplit("/", 1)[1]
    assert save(ana, slug, 1, "ana's paragraph").status_code == 303  # type: ignore[attr-defined]
    stale = save(boss, slug, 1, "boss's paragraph, written from version 1")
    assert stale.status_code == 409  # type: ignore[attr-defined]
    text = stale.text  # type: ignore[attr-defined]
    assert "was changed by ana (version 2)" in text
    assert "boss&#39;s paragraph, written from version 1</textarea>" in text  # still in the editor
    assert "ana&#39;s paragraph</pre>" in text  # beside the current text, to merge
    history = boss.get(f"/editor/{slug}").text
    assert "v2 · draft · ana" in history and "v1 · draft · ana" in history


def test_drafts_are_for_writers_only(clients: dict[str | None, TestClient]) -> None:
    ana = clients["analyst"]
    form = {"csrf": csrf_of(ana, "/editor/new"), "title": "Secret draft", "body": "soon", "action": "save"}
    slug = ana.post("/editor/new", data=form, follow_redirects=False).headers["location"].rsplit("/", 1)[1]
    assert ana.get(f"/articles/{slug}").status_code == 200
    assert clients["reader"].get(f"/articles/{slug}").status_code == 404
    assert clients[None].get(f"/api/v1/articles/{slug}").status_code == 404
    assert "Secret draft" not in clients[None].get("/articles").text


def test_a_correction_shows_on_the_document_the_series_the_article_and_the_audit_log(
    clients: dict[str | None, TestClient], accounts_db: str
) -> None:
    with open_store(accounts_db) as store, store.session() as session:
        level = next(f for f in query_facts(session, FactFilter(commodity="magnesium", unit="t")) if f.document_id)
        other = next(f for f in query_facts(session, FactFilter(doc=level.fact.doc)) if f.id != level.id)
    ana = clients["analyst"]
    form = {"csrf": csrf_of(ana, "/editor/new"), "title": "Cited", "body": f"[[fact:{level.id}]]", "action": "save"}
    slug = ana.post("/editor/new", data=form, follow_redirects=False).headers["location"].rsplit("/", 1)[1]
    publish = {"csrf": csrf_of(ana, f"/editor/{slug}"), "based_on": "1", "action": "publish"}
    assert ana.post(f"/editor/{slug}/state", data=publish, follow_redirects=False).status_code == 303
    new_value = level.fact.value + 1111
    token = csrf_of(ana, f"/documents/{level.document_id}")
    corrected = ana.post(
        f"/facts/{level.id}/correct", data={"csrf": token, "value": str(new_value), "reason": "misprint"}
    )
    assert corrected.status_code == 200 and 'class="badge badge-corrected"' in corrected.text
    assert "misprint" in corrected.text
    rejected = ana.post(f"/facts/{other.id}/reject", data={"csrf": token, "reason": "not a figure"})
    assert 'id="rejected"' in rejected.text and "not a figure" in rejected.text
    shown = f"{int(new_value):,}"
    x = level.fact
    series = clients[None].get("/api/v1/series", params={"commodity": x.commodity, "metric": x.metric, "geo": x.geo})
    assert new_value in [row["value"] for row in series.json()]
    article = clients[None].get(f"/articles/{slug}").text
    assert "badge-corrected" in article and (shown in article or f"{new_value / 1000:.4g}" in article)
    listed = clients[None].get("/facts", params={"commodity": x.commodity, "metric": x.metric, "geo": x.geo}).text
    assert "badge-corrected" in listed
    audit = clients["admin"].get("/admin/audit").text
    assert "fact.correct" in audit and "fact.reject" in audit and "misprint" in audit
    exported = list(csv.DictReader(io.StringIO(clients["admin"].get("/admin/audit.csv").text)))
    correction = next(row for row in exported if row["action"] == "fact.correct")
    assert correction["user"] == "ana" and json.loads(correction["detail"])["changes"]["value"][1] == new_value
    jsonl = [json.loads(line) for line in clients["admin"].get("/admin/audit.jsonl").text.splitlines()]
    assert {e["action"] for e in jsonl} >= {"fact.correct", "fact.reject", "article.published", "user.add"}


def test_bad_correction_input_is_a_400_with_the_reason(clients: dict[str | None, TestClient], accounts_db: str) -> None:
    with open_store(accounts_db) as store, store.session() as session:
        level = next(f for f in query_facts(session, FactFilter(commodity="magnesium")) if f.document_id)
    ana = clients["analyst"]
    token = csrf_of(ana, f"/documents/{level.document_id}")
    reply = ana.post(f"/facts/{level.id}/correct", data={"csrf": token, "unit": "furlongs", "reason": "x"})
    assert reply.status_code == 400 and "unit: unknown unit" in reply.text
    api = ana.post(
        f"/api/v1/facts/{level.id}/correction", json={"period": "soon", "reason": "x"}, headers={"x-csrf-token": token}
    )
    assert api.status_code == 400 and "not a FactSpec period" in api.json()["detail"]


def test_admins_add_and_disable_users_from_the_portal(clients: dict[str | None, TestClient], accounts_db: str) -> None:
    boss = clients["admin"]
    token = csrf_of(boss, "/admin/users")
    added = boss.post("/admin/users", data={"csrf": token, "name": "cy", "password": PASSWORD, "role": "analyst"})
    assert added.status_code == 200 and "<td>cy</td><td>analyst</td>" in added.text
    short = boss.post("/admin/users", data={"csrf": token, "name": "dee", "password": "short", "role": "reader"})
    assert short.status_code == 400 and "at least 10 characters" in short.text
    boss.post("/admin/users/cy", data={"csrf": token, "action": "disable"})
    with TestClient(boss.app) as cy:  # type: ignore[arg-type]
        assert log_in(cy, "cy").status_code == 401
