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
