"""Crawling a small news site served on 127.0.0.1: a feed, a sitemap (with a loop), robots.txt, a page
that changes between crawls, one that answers 500, one that redirects forever, one that drips slowly."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from assay.crawl import Crawler, CrawlOptions
from assay.sources import InputBudget, SourceOptions
from assay.store import crawl as repo
from assay.store.db import Store
from assay.store.schema import DocumentRow
from assay.store.watch import utc_now
from receivers import Received, webhook_receiver

STORY = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>{body}</p><p>Traders in Fugu said the market would watch export figures closely next month.</p>"
    "</article></body></html>"
)
DRIP_SECONDS = 6.0


@dataclass
class Site:
    """What the site serves; tests change `version` and read `hits`."""

    version: int = 1
    hits: dict[str, int] = field(default_factory=dict)
    conditional: dict[str, int] = field(default_factory=dict)  # path -> 304 answers given


def feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate></item>"
        for title, path in (
            ("Steady", "/news/steady.html"),
            ("Changing", "/news/changing.html"),
            ("Broken", "/news/broken.html"),
            ("Loop", "/news/loop/0"),
            ("Slow", "/news/slow.html"),
            ("Private", "/private/secret.html"),
        )
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Minerals wire</title>{items}</channel></rss>'.encode()
    )


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send(
            self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def with_etag(self, path: str, etag: str, body: bytes, content_type: str) -> None:
            if self.headers.get("If-None-Match") == etag:
                site.conditional[path] = site.conditional.get(path, 0) + 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send(200, body, content_type, ETag=etag)

        def do_GET(self) -> None:
            path = self.path
            site.hits[path] = site.hits.get(path, 0) + 1
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if path == "/robots.txt":
                self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path == "/feed.xml":
                self.with_etag(path, '"feed-1"', feed(base), "application/rss+xml")
            elif path == "/notxml.xml":
                self.send(200, b"this is { not a feed", "application/rss+xml")
            elif path == "/sitemap.xml":  # an index that lists itself: a loop
                body = (
                    f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{base}'
                    f"/sitemap-news.xml</loc></sitemap><sitemap><loc>{base}/sitemap.xml</loc></sitemap>"
                    "</sitemapindex>"
                )
                self.send(200, body.encode(), "application/xml")
            elif path == "/sitemap-news.xml":
                body = (
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}/news/steady.html'
                    f"</loc></url><url><loc>{base}/news/only-in-sitemap.html</loc><lastmod>2024-03-09</lastmod>"
                    "</url></urlset>"
                )
                self.send(200, body.encode(), "application/xml")
            elif path == "/news/steady.html":
                body = STORY.format(
                    title="Magnesium ingot holds steady",
                    body="Magnesium ingot in Fugu held at 16,800 yuan per tonne this week.",
                )
                self.with_etag(path, '"steady-1"', body.encode(), "text/html; charset=utf-8")
            elif path == "/news/only-in-sitemap.html":
                body = STORY.format(
                    title="Graphite anode exports",
                    body="China exported 9,400 tonnes of graphite "
                    "anode material in February, up 12% from a year earlier.",
                )
                self.send(200, body.encode())
            elif path == "/news/changing.html":
                price = 17_000 + 500 * site.version
                body = STORY.format(
                    title=f"Magnesium price update {site.version}",
                    body=f"Magnesium ingot in Fugu rose to {price:,} yuan per tonne this week.",
                )
                self.send(200, body.encode())
            elif path == "/news/broken.html":
                self.send(500, b"internal error", "text/plain")
            elif path.startswith("/news/loop/"):
                step = int(path.rsplit("/", 1)[1])
                self.send(302, Location=f"/news/loop/{step + 1}")
            elif path == "/news/slow.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                deadline = time.monotonic() + DRIP_SECONDS  # bounded: the server gives up too
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    while time.monotonic() < deadline:
                        self.wfile.write(b"<")
                        self.wfile.flush()
                        time.sleep(0.05)
            elif path == "/down":
                self.send(503, b"down", "text/plain")
            else:
                self.send(404, b"not found", "text/plain")

    return Handler


@pytest.fixture
def site() -> Iterator[tuple[str, Site]]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()


OPTIONS = CrawlOptions(
    # the dripping page sends a byte every 0.05 s, inside the 0.3 s read timeout: only the whole-response
    # time budget stops it
    sources=SourceOptions(allow_private_urls=True, timeout_s=0.3, budget=InputBudget(max_seconds=2.0)),
    host_interval_s=0.0,
    retries=1,
    retry_base_s=0.01,
    show_progress=False,
)


def add(store: Store, url: str, kind: str, every: timedelta = timedelta(hours=6)) -> int:
    with store.transaction() as session:
        return repo.add_source(session, url, kind, int(every.total_seconds()), utc_now())


def documents(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(DocumentRow)) or 0)


def log_lines(store: Store) -> list[repo.LogLine]:
    with store.session() as session:
        return list(reversed(repo.recent_log(session, 200)))


def test_a_feed_is_crawled_politely_and_each_bad_page_is_one_log_line(site: tuple[str, Site], store: Store) -> None:
    base, state = site
    add(store, f"{base}/feed.xml", "feed")
    started = time.monotonic()
    summary = Crawler(store, OPTIONS).run_once()
    assert time.monotonic() - started < 15
    assert summary.added == 2  # steady and changing; the rest fail, each in its own way
    errors = {line.url.rsplit("/", 1)[-1]: line.message for line in log_lines(store) if line.outcome == "error"}
    assert "HTTP 500" in errors["broken.html"]
    assert "redirects" in errors["0"]
    assert "timed out" in errors["slow.html"]
    assert "robots.txt" in errors["secret.html"]
    assert state.hits.get("/private/secret.html") is None  # never asked for
    assert state.hits["/news/broken.html"] == 2  # one retry for a 5xx
    (ok,) = [line for line in log_lines(store) if line.outcome == "ok"]
    assert "6 pages listed" in ok.message and "2 added" in ok.message and "4 failed" in ok.message
    with store.session() as session:
        (source,) = repo.list_sources(session)
    assert source.failures == 0 and source.etag == '"feed-1"'
    assert source.next_due > utc_now() + timedelta(hours=5)


def test_a_second_crawl_asks_only_for_changes(site: tuple[str, Site], store: Store) -> None:
    base, state = site
    add(store, f"{base}/news/changing.html", "page")
    add(store, f"{base}/news/steady.html", "page")
    Crawler(store, OPTIONS).run_once()
    assert documents(store) == 2
    state.version = 2
    later = utc_now() + timedelta(hours=7)
    summary = Crawler(store, OPTIONS).run_once(now=later)
    assert summary.added == 1 and summary.not_modified == 1  # the changed page is new; the steady one 304s
    assert state.conditional == {"/news/steady.html": 1}
    assert documents(store) == 3
    with store.session() as session:
        titles = set(session.scalars(select(DocumentRow.title)))
    assert {"Magnesium price update 1", "Magnesium price update 2"} <= titles
    unchanged = Crawler(store, OPTIONS).run_once(now=later + timedelta(hours=7))
    assert unchanged.added == 0 and unchanged.unchanged == 1 and unchanged.not_modified == 1


def test_a_sitemap_loop_is_reported_and_its_pages_are_read(site: tuple[str, Site], store: Store) -> None:
    base, _ = site
    add(store, f"{base}/sitemap.xml", "sitemap")
    summary = Crawler(store, OPTIONS).run_once()
    assert summary.added == 2
    assert any("sitemap loop" in line.message for line in log_lines(store))


def test_a_failing_source_backs_off_and_nothing_stored_changes(site: tuple[str, Site], store: Store) -> None:
    base, _ = site
    add(store, f"{base}/feed.xml", "feed")
    Crawler(store, OPTIONS).run_once()
    before = documents(store)
    every = timedelta(hours=1)
    add(store, f"{base}/notxml.xml", "feed", every)
    add(store, f"{base}/down", "page", every)
    now = utc_now()
    Crawler(store, OPTIONS).run_once(now=now + timedelta(hours=7))
    with store.session() as session:
        sources = {s.url.rsplit("/", 1)[-1]: s for s in repo.list_sources(session)}
    assert sources["notxml.xml"].failures == 1 and sources["down"].failures == 1
    first_wait = sources["down"].next_due - utc_now()
    assert first_wait > every  # backed off beyond its period
    Crawler(store, OPTIONS).run_once(now=sources["down"].next_due + timedelta(seconds=1))
    with store.session() as session:
        down = next(s for s in repo.list_sources(session) if s.url.endswith("/down"))
    assert down.failures == 2 and down.next_due - utc_now() > first_wait
    messages = [line.message for line in log_lines(store) if line.outcome == "error"]
    assert any("not an RSS/Atom feed" in m for m in messages) and any("HTTP 503" in m for m in messages)
    assert documents(store) == before


def test_a_stop_request_ends_forever_between_fetches(site: tuple[str, Site], store: Store) -> None:
    base, _ = site
    add(store, f"{base}/news/steady.html", "page", timedelta(seconds=1))
    stop = threading.Event()
    crawler = Crawler(store, OPTIONS, stop)
    worker = threading.Thread(target=crawler.forever)
    worker.start()
    time.sleep(2.5)
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert crawler.summary.rounds >= 2 and crawler.summary.stopped


def test_the_daily_digest_goes_out_once_a_day_after_crawls(site: tuple[str, Site], store: Store) -> None:
    base, _ = site
    add(store, f"{base}/news/steady.html", "page", timedelta(seconds=1))
    received = Received()
    with webhook_receiver(received) as url:
        options = replace(OPTIONS, digest_to=(url,))
        Crawler(store, options).run_once()
        Crawler(store, options).run_once(now=utc_now() + timedelta(seconds=5))
    (only,) = received.items
    payload = json.loads(only[1])
    assert payload["kind"] == "digest" and "Magnesium ingot holds steady" in payload["markdown"]
