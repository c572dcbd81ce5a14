"""The portal's pages through the app, against the sample store: each page, filters, errors, safety."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from assay.store import facts as facts_store
from assay.web import WebSettings, create_app
from assay.web.app import CONTENT_SECURITY_POLICY

PAGES = ["/", "/news", "/commodities", "/commodities/rare_earths", "/prices", "/facts", "/events", "/search?q=graphite"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_navigation_bar_and_a_csp_without_inline_script(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert '<nav class="nav">' in response.text
    for href in ("/news", "/commodities", "/prices", "/facts", "/events", "/search"):
        assert f'href="{href}"' in response.text
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert "<script>" not in response.text  # only <script src=...>, never an inline one


def test_a_script_in_an_article_shows_as_text(client: TestClient, hostile_id: int) -> None:
    page = client.get(f"/documents/{hostile_id}").text
    assert "<script>window.hacked" not in page
    assert "&lt;script&gt;window.hacked=1&lt;/script&gt;" in page
    assert "<img src=x" not in page
    news = client.get("/news", params={"q": "hacked"}).text
    assert "&lt;script&gt;" in news and "<script>window" not in news


def test_document_page_marks_each_fact_and_shows_its_sources(client: TestClient, facts_doc_id: int) -> None:
    page = client.get(f"/documents/{facts_doc_id}").text
    assert "<mark data-fact-id=" in page
    assert 'class="fact-card" id="fact-' in page
    assert "@" in page and "/series?commodity=" in page  # rule@version and the link to the series


def test_unknown_ids_give_a_404_page(client: TestClient) -> None:
    for path in ("/documents/987654", "/events/987654", "/commodities/unobtainium", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]
        assert "Traceback" not in response.text and '<nav class="nav">' in response.text


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/news?since=yesterday", "since 'yesterday': not a period"),
        ("/facts?commodity=unobtainium", "commodity 'unobtainium': unknown commodity"),
        ("/facts?page=0", "page 0"),
        ("/events?type=party", "type 'party': unknown type"),
        ("/news?page=abc", "page: "),
    ],
)
def test_bad_filters_give_a_400_with_the_reason(client: TestClient, path: str, reason: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert reason in response.text.replace("&#39;", "'")


def test_news_filters_and_chinese_full_text_search(client: TestClient) -> None:
    zh = client.get("/news", params={"q": "稀土"}).text
    assert "documents" in zh and 'class="doc-item"' in zh
    only_zh = client.get("/news", params={"lang": "zh"}).text
    assert 'class="pill">en<' not in only_zh and 'class="pill">zh<' in only_zh
    graphite = client.get("/news", params={"commodity": "graphite", "since": "2024"}).text
    assert 'class="doc-item"' in graphite
    magnets = client.get("/news", params={"commodity": "magnets"}).text  # a family, as the filter offers
    same = client.get("/news", params={"commodity": "ndfeb_magnets"}).text  # or any commodity of it
    assert 'class="doc-item"' in magnets and magnets.count("doc-item") == same.count("doc-item")
    assert client.get("/news", params={"commodity": "bogus"}).status_code == 400


def test_atom_feed_lists_the_same_documents(client: TestClient) -> None:
    response = client.get("/news.atom", params={"lang": "zh"})
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    page = client.get("/news", params={"lang": "zh"}).text
    assert entries and all(f'href="/documents/{e.find("a:id", ns).text.rsplit("/", 1)[1]}"' in page for e in entries)  # type: ignore[union-attr]


def test_facts_list_counts_exactly_below_the_cap_and_says_more_than_above(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = client.get("/api/v1/facts", params={"per_page": 1}).json()["total"]
    assert n > 60
    assert f">{n} facts<" in client.get("/facts").text
    monkeypatch.setattr(facts_store, "COUNT_CAP", 5)  # the page (25) counts to its end + 1
    first = client.get("/facts").text
    assert ">More than 25 facts<" in first and "1–25 of more than 25" in first and 'rel="next"' in first
    assert f">{n} facts<" not in first
    second = client.get("/facts", params={"page": 2}).text  # counted to 50 + 1
    assert ">More than 50 facts<" in second and "26–50 of more than 50" in second
    last_page = (n + 24) // 25
    last = client.get("/facts", params={"page": last_page}).text  # its end is past every fact: exact
    assert f">{n} facts<" in last and f"of {n}<" in last and 'rel="next"' not in last


def test_facts_export_in_three_formats_matches_the_filter(client: TestClient) -> None:
    params = {"commodity": "graphite", "metric": "production"}
    rows = list(csv.DictReader(io.StringIO(client.get("/facts.csv", params=params).text)))
    assert rows and {r["commodity"] for r in rows} <= {
        "graphite",
        "flake_graphite",
        "synthetic_graphite",
        "amorphous_graphite",
        "spherical_graphite",
    }
    assert {r["metric"] for r in rows} == {"production"}
    book = load_workbook(io.BytesIO(client.get("/facts.xlsx", params=params).content))
    assert book.active is not None and book.active.max_row == len(rows) + 1
    lines = client.get("/facts.jsonl", params=params).text.splitlines()
    assert len(lines) == len(rows) and json.loads(lines[0])["quote"]
    assert client.get("/facts.pdf").status_code == 404


def test_language_switch_sets_a_cookie_and_pages_speak_chinese(client: TestClient) -> None:
    response = client.get("/language", params={"hl": "zh", "next": "/prices"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/prices"
    assert "assay_lang=zh" in response.headers["set-cookie"]
    page = client.get("/commodities/graphite", params={"hl": "zh"}).text
    assert "关键数据" in page and "吨" in page
    outside = client.get("/language", params={"hl": "zh", "next": "https://evil.example/"}, follow_redirects=False)
    assert outside.headers["location"] == "/"


def test_commodity_page_draws_its_charts(client: TestClient) -> None:
    page = client.get("/commodities/graphite").text
    assert page.count('<svg class="chart') >= 2
    assert 'class="bar"' in page and "China" in page


def test_price_page_cites_each_quote(client: TestClient) -> None:
    page = client.get("/prices/neodymium", params={"form": "oxide"}).text
    assert 'class="line"' in page and "/documents/" in page
    assert client.get("/prices/neodymium", params={"form": "oxide", "window": "fortnight"}).status_code == 400


def test_search_answers_from_facts_in_either_language(client: TestClient) -> None:
    english = client.get("/search", params={"q": "China rare earth production 2023"}).text
    assert 'class="card answer"' in english
    chinese = client.get("/search", params={"q": "稀土"}).text
    assert 'class="doc-item"' in chinese


def test_an_empty_store_shows_how_to_ingest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(WebSettings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(app) as empty:
        home = empty.get("/")
        assert home.status_code == 200 and "assay ingest" in home.text
        for path in ("/news", "/facts", "/events", "/prices", "/commodities", "/commodities/graphite", "/search?q=x"):
            assert empty.get(path).status_code == 200, path


def test_the_portal_answers_on_postgresql(pg_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same pages and API on PostgreSQL: full-text search, filters and analyses, no 500."""
    from assay.cli.docs import sample_corpus_dir
    from assay.pipeline import IngestOptions, ingest

    corpus = sample_corpus_dir()
    assert corpus is not None
    ingest([str(corpus)], IngestOptions(), pg_store)
    with TestClient(create_app(WebSettings(database_url=pg_store.url))) as pg:
        for path in [
            *PAGES, "/news?q=graphite&lang=en&since=2023", "/news?q=稀土", "/news?commodity=magnesium",
            "/news.atom?q=graphite", "/documents/1", "/prices/neodymium?form=oxide", "/commodities/magnesium",
            "/facts?commodity=rare_earths&sort=newest&page=2", "/facts.xlsx?commodity=graphite",
            "/events?commodity=graphite",
            "/search?q=稀土", "/api/v1/facts?q=graphite", "/api/v1/documents?q=export+controls",
            "/api/v1/ask?q=中国2023年稀土产量",
        ]:  # fmt: skip
            response = pg.get(path)
            assert response.status_code == 200, (path, response.text[:300])
        assert "doc-item" in pg.get("/news", params={"q": "稀土"}).text


def test_every_route_depends_on_the_current_user(sample_db: str) -> None:
    """Accounts plug in by replacing one dependency: here a reader who may see nothing."""
    from fastapi import HTTPException

    from assay.web.deps import current_user

    app = create_app(WebSettings(database_url=sample_db))

    def nobody() -> None:
        raise HTTPException(403, "not allowed")

    app.dependency_overrides[current_user] = nobody
    with TestClient(app) as guarded:
        for path in [*PAGES, "/documents/1", "/facts.csv", "/news.atom", "/api/v1/facts", "/api/v1/ask?q=x"]:
            assert guarded.get(path).status_code == 403, path
        assert guarded.get("/static/style.css").status_code == 200
