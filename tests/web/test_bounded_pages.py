"""The commodity page draws a long price history as one point per month, the price page every period; the
series page pages its series by statements."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from assay.store.db import Store
from assay.web import WebSettings, create_app
from knowledge_base import KnowledgeBase, make_fact

FIRST_DAY = date(2024, 1, 1)


def price_chart(page: str) -> str:
    """The SVG of the page's price line (the only chart on these pages with a band)."""
    start = page.index('<svg class="chart line-chart"')
    return page[start : page.index("</svg>", start)]


def test_a_long_history_is_drawn_by_month_on_the_commodity_page_and_whole_on_its_price_page(store: Store) -> None:
    days = [FIRST_DAY + timedelta(days=i) for i in range(450)]  # more periods than a line draws (400)
    with store.session() as session:
        kb = KnowledgeBase(store, session)
        for i in range(0, len(days), 50):
            facts = [
                make_fact(
                    20_000 + (d - FIRST_DAY).days,
                    f"ingot {d}",
                    metric="price",
                    period=d.isoformat(),
                    unit="CNY/t",
                    form="ingot",
                )
                for d in days[i : i + 50]
            ]
            kb.doc(f"prices-{i}", *facts, published=days[min(i + 49, len(days) - 1)].isoformat())
    months = {(d.year, d.month) for d in days}
    with TestClient(create_app(WebSettings(database_url=store.url))) as client:
        overview = client.get("/commodities/magnesium").text
        drawn = price_chart(overview)
        assert drawn.count('class="dot"') == len(months) == 15
        assert "One point per month" in overview and 'href="/prices/magnesium?form=ingot"' in overview
        # the last point of the last month: its last day's price, its band the month's lowest to highest
        assert "<title>Mar 2025: " in drawn and "<title>Jan 2024: " in drawn
        whole = client.get("/prices/magnesium", params={"form": "ingot"}).text
        assert price_chart(whole).count('class="dot"') == len(days)
        assert "One point per month" not in whole


def test_the_series_page_pages_its_series_by_statements_and_links_to_the_next(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay.web.routes import markets

    params = {"commodity": "graphite", "metric": "production"}
    everything = client.get("/api/v1/series", params=params).json()
    held: dict[tuple[object, ...], int] = {}
    for row in everything:
        key = tuple(row[n] for n in ("commodity", "form", "metric", "geo", "partner", "share_of", "unit"))
        held[key] = held.get(key, 0) + int(row["n_statements"])
    assert len(held) >= 2
    whole = client.get("/series", params=params).text
    assert whole.count("<h2>") == min(len(held), markets.SERIES_PER_PAGE) and 'rel="next"' not in whole
    monkeypatch.setattr(markets, "SERIES_PAGE_STATEMENTS", 1)  # one series a page
    url: str | None = "/series?commodity=graphite&metric=production"
    headings: list[str] = []
    while url:
        page = client.get(url).text
        headings += [part.split("</h2>")[0] for part in page.split("<h2>")[1:]]
        found = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = html.unescape(found.group(1)) if found else None
    assert len(headings) == len(held) and headings == [part.split("</h2>")[0] for part in whole.split("<h2>")[1:]]
