"""Journeys in a real browser (Debian's chromium, driven by Playwright; no browser download).

Screenshots of every page go to tests/web/screenshots/ (git-ignored). Under CI=true a missing
chromium fails; elsewhere the test is skipped with the reason."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = None
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is not installed"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, viewport={"width": 1360, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_every_page_renders_and_is_saved(page, screenshots: Path, facts_doc_id: int) -> None:  # type: ignore[no-untyped-def]
    for name, path in [
        ("dashboard", "/"), ("news", "/news"), ("document", f"/documents/{facts_doc_id}"),
        ("commodity", "/commodities/graphite"), ("prices", "/prices"), ("price", "/prices/neodymium?form=oxide"),
        ("facts", "/facts"), ("events", "/events"), ("search", "/search?q=rare+earth+production+2023"),
        ("api-docs", "/docs"), ("not-found", "/documents/987654"),
    ]:  # fmt: skip
        page.goto(path)
        assert page.locator("nav.nav").is_visible()
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def test_search_in_english_and_chinese_and_open_a_result(page, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/search")
    page.fill("form.search-big input[name=q]", "graphite exports")
    page.press("form.search-big input[name=q]", "Enter")
    page.wait_for_selector(".doc-item")
    page.locator(".doc-item a.doc-title").first.click()
    page.wait_for_selector("article.doc-text")
    page.goto("/search")
    page.fill("form.search-big input[name=q]", "稀土")
    page.press("form.search-big input[name=q]", "Enter")
    page.wait_for_selector(".doc-item")
    page.screenshot(path=str(screenshots / "search-zh.png"), full_page=True)
    page.locator(".doc-item a.doc-title").first.click()
    assert "稀土" in page.locator("article.doc-text").inner_text()


def test_select_a_highlighted_fact(page, facts_doc_id: int, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/documents/{facts_doc_id}")
    mark = page.locator("mark[data-fact-id]").first
    fact_id = mark.get_attribute("data-fact-id")
    mark.click()
    card = page.locator(f"#fact-{fact_id}")
    assert "selected" in (card.get_attribute("class") or "")
    assert card.locator(".fact-value").inner_text().strip()
    assert "@" in card.inner_text()
    page.screenshot(path=str(screenshots / "document-fact-selected.png"))


def test_commodity_charts_are_drawn(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/commodities/graphite")
    charts = page.locator("svg.chart")
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    assert page.locator("svg.chart rect.bar").count() >= 2


def test_switch_the_language(page, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/prices")
    page.click("#lang-switch")
    page.wait_for_url("**/prices")
    assert "价格" in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshots / "prices-zh.png"), full_page=True)
    page.goto("/")
    page.screenshot(path=str(screenshots / "dashboard-zh.png"), full_page=True)
    page.click("#lang-switch")
    assert "Dashboard" in page.locator("h1").inner_text()


def test_export_the_facts_to_csv_and_read_it(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/facts?commodity=graphite")
    with page.expect_download() as info:
        page.click("#export-csv")
    saved = tmp_path / "facts.csv"
    info.value.save_as(saved)
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert rows and all("graphite" in r["commodity"] for r in rows)
    shown = page.locator(".list-head span").first.inner_text()
    assert str(len(rows)) in shown.replace(",", "")


def test_a_script_in_an_article_does_not_run(page, hostile_id: int) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/documents/{hostile_id}")
    assert page.evaluate("typeof window.hacked") == "undefined"
    assert "<script>window.hacked=1</script>" in page.locator("article.doc-text").inner_text()


# Accounts and editorial work (issue 11), on a copy of the sample store with users rita, ana and boss.


@pytest.fixture
def fresh_page(browser, accounts_server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A page on a server of its own store, with the screenshots of this journey in mind."""
    context = browser.new_context(base_url=accounts_server, viewport={"width": 1360, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def log_in_as(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from web_accounts import PASSWORD

    page.goto("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-button")
    page.wait_for_selector("#account-link")


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("#logout-button")
    page.wait_for_selector("#login-link")


def test_analyst_publishes_an_article_then_corrects_a_fact_it_cites(  # type: ignore[no-untyped-def]
    fresh_page, accounts_db: str, screenshots: Path
) -> None:
    from assay.store.db import open_store
    from assay.store.facts import FactFilter, query_facts

    with open_store(accounts_db) as store, store.session() as session:
        cited = [f for f in query_facts(session, FactFilter(commodity="magnesium", unit="t")) if f.document_id][:2]
    page = fresh_page
    log_in_as(page, "ana")
    page.screenshot(path=str(screenshots / "logged-in.png"))
    page.click("#editor-link")
    page.click("#new-article")
    page.fill("input[name=title]", "Magnesium ingot: what customs says")
    body = f"Exports reached [[fact:{cited[0].id}]], against [[fact:{cited[1].id}]] elsewhere.\n\n"
    page.fill("textarea[name=body]", body + "The trend: [[series:magnesium/exports/CN]]")
    page.fill("input[name=commodities]", "magnesium")
    page.click("#preview-button")
    assert page.locator("#preview .cite-fact").count() == 2 and page.locator("#preview .cite-error").count() == 0
    page.click("#save-button")
    page.wait_for_selector("#publish-button")
    page.screenshot(path=str(screenshots / "editor.png"), full_page=True)
    page.click("#publish-button")
    page.wait_for_selector("article.article")
    article_url = page.url
    page.screenshot(path=str(screenshots / "article.png"), full_page=True)
    # the article is in the news and the feed
    page.goto("/news")
    assert "Magnesium ingot: what customs says" in page.locator("#news-articles").inner_text()
    feed = page.request.get("/news.atom").text()
    assert "<title>Magnesium ingot: what customs says</title>" in feed
    # correct the first cited fact on its document page
    fact = cited[0]
    page.goto(f"/documents/{fact.document_id}#fact-{fact.id}")
    card = page.locator(f"#fact-{fact.id}")
    card.locator("details.correct-fact summary").click()
    new_value = fact.fact.value + 1000
    form = card.locator("form[action$='/correct']")
    form.locator("input[name=value]").fill(str(new_value))
    form.locator("input[name=reason]").fill("the customs table says otherwise")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#fact-{fact.id} .badge-corrected")
    page.screenshot(path=str(screenshots / "document-corrected.png"), full_page=True)
    x = fact.fact
    series = page.request.get(f"/api/v1/series?commodity={x.commodity}&metric={x.metric}&geo={x.geo}").json()
    assert new_value in [row["value"] for row in series]
    page.goto(f"/series?commodity={x.commodity}&metric={x.metric}&geo={x.geo}")
    page.screenshot(path=str(screenshots / "series-corrected.png"), full_page=True)
    page.goto(article_url)
    assert page.locator(f".cite-fact[data-fact-id='{fact.id}'] .badge-corrected").count() == 1
    log_out(page)
    # the admin sees it in the audit log
    log_in_as(page, "boss")
    page.click("#admin-link")
    page.screenshot(path=str(screenshots / "admin-users.png"), full_page=True)
    page.goto("/admin/audit")
    audit = page.locator("#audit").inner_text()
    assert "fact.correct" in audit and "the customs table says otherwise" in audit and "article.published" in audit
    page.screenshot(path=str(screenshots / "audit.png"), full_page=True)


def test_a_reader_cannot_reach_the_editor_and_keys_work_when_reading_is_closed(  # type: ignore[no-untyped-def]
    fresh_page, screenshots: Path
) -> None:
    page = fresh_page
    log_in_as(page, "rita")
    assert page.locator("#editor-link").count() == 0
    reply = page.goto("/editor")
    assert reply is not None and reply.status == 403
    page.screenshot(path=str(screenshots / "reader-forbidden.png"))
    page.goto("/account")
    page.fill("input[name=name]", "nightly export")
    page.click("form[action='/account/keys'] button")
    secret = page.locator("#new-key").inner_text().strip()
    page.screenshot(path=str(screenshots / "account-keys.png"), full_page=True)
    log_out(page)
    log_in_as(page, "boss")
    page.goto("/admin/users")
    page.select_option("select[name=public_read]", "off")
    page.click("form[action='/admin/settings'] button")
    log_out(page)
    anonymous = page.request.get("/api/v1/facts")
    assert anonymous.status == 401 and anonymous.headers["content-type"] == "application/problem+json"
    with_key = page.request.get("/api/v1/facts", headers={"Authorization": f"Bearer {secret}"})
    assert with_key.status == 200 and with_key.json()["items"]
    page.goto("/news")
    assert "/login" in page.url
