"""Web fetching against a real HTTP server on 127.0.0.1 (reached with allow_private_urls=True)."""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assay.clean import clean_document
from assay.sources import RawDocument, SourceError, SourceOptions, iter_sources
from assay.sources.transport import Request
from assay.sources.web import WebFetcher, non_public_kind, url_slug

GBK_PAGE = (
    "<html><head><title>镁价周报</title></head><body><article><h1>镁价周报</h1>"
    "<p>本周府谷地区镁锭主流成交价格为每吨一万六千八百元，较上周上涨二百元，市场成交氛围有所好转。</p>"
    "<p>出口方面，九月镁锭出口量为两万三千吨，同比增长百分之十二，主要流向荷兰、土耳其和加拿大。</p>"
    "</article></body></html>"
).encode("gbk")
UTF8_PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Graphite exports rise</title>"
    b"<meta property='article:published_time' content='2024-03-05T08:00:00+08:00'></head><body>"
    b"<article><h1>Graphite exports rise</h1><p>China exported 9,423 tonnes of flake graphite in February, "
    b"a 39% rise year on year, according to customs data published on Tuesday.</p></article></body></html>"
)
FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Minerals news</title><link>http://localhost/</link>
<item><title>Magnesium prices firm</title><link>/article/1</link><pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate></item>
<item><title>Rare earth quotas</title><link>/article/2</link><pubDate>Wed, 20 Mar 2024 08:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>/missing</link></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str | None = None, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up first (the timeout test)
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/page.html":
            self._send(200, UTF8_PAGE, "text/html; charset=utf-8")
        elif path == "/gbk":
            self._send(200, GBK_PAGE, "text/html")
        elif path.startswith("/article/"):
            number = path.rsplit("/", 1)[1]
            body = (
                f"<html><body><article><p>Article {number} reports that magnesium ingot prices in Fugu "
                "held firm at 16,800 yuan per tonne this week.</p></article></body></html>"
            )
            self._send(200, body.encode(), "text/html; charset=utf-8")
        elif path == "/feed.xml":
            self._send(200, FEED, "application/rss+xml")
        elif path == "/loop-a":
            self._send(302, Location="/loop-b")
        elif path == "/loop-b":
            self._send(302, Location="/loop-a")
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            self._send(302, Location=f"/chain/{left - 1}") if left > 0 else self._send(200, UTF8_PAGE, "text/html")
        elif path == "/zipped":
            self._send(200, gzip.compress(UTF8_PAGE), "text/html; charset=utf-8", Content_Encoding="gzip")
        elif path == "/bomb":
            self._send(200, gzip.compress(b" " * 200_000), "text/html", Content_Encoding="gzip")
        elif path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif path == "/report":
            self._send(200, b"%PDF-1.4\n% not really a pdf body", "application/octet-stream")
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png")
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, UTF8_PAGE, "text/html")
        elif path.startswith("/private/"):
            self._send(200, UTF8_PAGE, "text/html")
        elif path == "/cut":  # announces a whole page, sends half of it and closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(UTF8_PAGE)))
            self.end_headers()
            self.wfile.write(UTF8_PAGE[: len(UTF8_PAGE) // 2])
            self.close_connection = True
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = SourceOptions(allow_private_urls=True, timeout_s=5.0)


def _one(url: str, options: SourceOptions = LOCAL) -> RawDocument | SourceError:
    items = list(iter_sources([url], options))
    assert len(items) == 1, items
    return items[0]


def test_page_is_fetched_with_type_charset_and_slug(server: str) -> None:
    doc = _one(f"{server}/page.html")
    assert isinstance(doc, RawDocument)
    assert doc.content_type == "html"
    assert doc.charset == "utf-8"
    assert doc.name == "page"
    assert doc.source_name == "127.0.0.1"
    assert doc.url == f"{server}/page.html"
    assert b"9,423 tonnes" in doc.data


def test_gbk_page_without_charset_is_passed_through_and_decoded_by_cleaning(server: str) -> None:
    doc = _one(f"{server}/gbk")
    assert isinstance(doc, RawDocument)
    assert doc.charset is None
    assert doc.data == GBK_PAGE
    cleaned = clean_document(doc)
    assert "本周府谷地区镁锭主流成交价格" in cleaned.clean_text
    assert cleaned.lang == "zh"


def test_http_errors_name_the_status(server: str) -> None:
    missing = _one(f"{server}/nothing-here")
    broken = _one(f"{server}/broken")
    assert isinstance(missing, SourceError) and "HTTP 404" in missing.reason
    assert isinstance(broken, SourceError) and "HTTP 500" in broken.reason
    assert str(missing) == f"{server}/nothing-here: {missing.reason}"


def test_redirect_loop_is_an_error(server: str) -> None:
    error = _one(f"{server}/loop-a")
    assert isinstance(error, SourceError)
    assert "redirect loop" in error.reason


def test_redirects_are_followed_up_to_the_limit(server: str) -> None:
    followed = _one(f"{server}/chain/3")
    assert isinstance(followed, RawDocument)
    assert followed.url == f"{server}/chain/0"
    too_many = _one(f"{server}/chain/7", SourceOptions(allow_private_urls=True, max_redirects=5))
    assert isinstance(too_many, SourceError)
    assert "more than 5 redirects" in too_many.reason


def test_size_cap_applies_to_the_body(server: str) -> None:
    error = _one(f"{server}/big", SourceOptions(allow_private_urls=True, max_bytes=1000))
    assert isinstance(error, SourceError)
    assert "size cap" in error.reason


def test_gzip_bodies_are_decoded_within_the_cap(server: str) -> None:
    page = _one(f"{server}/zipped")
    assert isinstance(page, RawDocument) and page.data == UTF8_PAGE
    bomb = _one(f"{server}/bomb", SourceOptions(allow_private_urls=True, max_bytes=50_000))
    assert isinstance(bomb, SourceError) and "size cap" in bomb.reason


def test_content_type_is_sniffed_and_unsupported_types_refused(server: str) -> None:
    pdf = _one(f"{server}/report")
    assert isinstance(pdf, RawDocument) and pdf.content_type == "pdf"
    image = _one(f"{server}/image.png")
    assert isinstance(image, SourceError) and "image/png" in image.reason


def test_robots_txt_is_respected(server: str) -> None:
    error = _one(f"{server}/private/report.html")
    assert isinstance(error, SourceError)
    assert "robots.txt" in error.reason


def test_timeout_is_an_error(server: str) -> None:
    error = _one(f"{server}/slow", SourceOptions(allow_private_urls=True, timeout_s=0.3))
    assert isinstance(error, SourceError)
    assert "timed out" in error.reason


def test_a_response_cut_short_is_an_error_not_half_a_page(server: str) -> None:
    result = _one(f"{server}/cut")
    assert isinstance(result, SourceError)
    assert f"of its {len(UTF8_PAGE)} bytes" in result.reason


def test_unreachable_host_is_an_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    error = _one(f"http://127.0.0.1:{closed_port}/x")
    assert isinstance(error, SourceError)
    assert "refused" in error.reason or "cannot reach" in error.reason


def test_unresolvable_host_is_an_error() -> None:
    error = _one("http://no-such-host.invalid/page")
    assert isinstance(error, SourceError)
    assert "cannot resolve host no-such-host.invalid" in error.reason


def test_private_address_is_refused_without_the_flag(server: str) -> None:
    error = _one(f"{server}/page.html", SourceOptions())
    assert isinstance(error, SourceError)
    assert "loopback" in error.reason and "--allow-private-urls" in error.reason


def test_schemes_other_than_http_are_refused() -> None:
    for url in ("ftp://127.0.0.1/file.txt", "file:///etc/passwd"):
        error = _one(url)
        assert isinstance(error, SourceError)
        assert "only http and https" in error.reason


def test_feed_entries_are_fetched_with_their_metadata(server: str) -> None:
    options = SourceOptions(allow_private_urls=True, feed=True)
    items = list(iter_sources([f"{server}/feed.xml"], options))
    docs = [item for item in items if isinstance(item, RawDocument)]
    errors = [item for item in items if isinstance(item, SourceError)]
    assert [(d.title, d.published) for d in docs] == [
        ("Magnesium prices firm", "2024-03-05"),
        ("Rare earth quotas", "2024-03-20"),
    ]
    assert docs[0].url == f"{server}/article/1"
    assert len(errors) == 1 and "HTTP 404" in errors[0].reason


def test_a_page_is_not_a_feed(server: str) -> None:
    error = _one(f"{server}/big", SourceOptions(allow_private_urls=True, feed=True))
    assert isinstance(error, SourceError)
    assert "feed" in error.reason


@dataclass
class _CannedResponse:
    status: int
    reason: str
    location: str | None = None
    body: bytes = b""

    def header(self, name: str) -> str | None:
        if name == "Location":
            return self.location
        return "text/html" if name == "Content-Type" else None

    def chunks(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        pass


class _CannedTransport:
    """Answers as two hosts would: a public news site that redirects into an intranet."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []

    def send(self, request: Request) -> _CannedResponse:
        self.requests.append((request.url.hostname or "", request.address))
        if request.url.path == "/robots.txt":
            return _CannedResponse(404, "Not Found")
        return _CannedResponse(302, "Found", location="http://intranet.example/admin")


def test_every_redirect_hop_is_vetted(monkeypatch: pytest.MonkeyPatch) -> None:
    addresses = {"news.example": "93.184.216.34", "intranet.example": "10.0.0.5"}

    def fake_getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addresses[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    transport = _CannedTransport()
    fetcher = WebFetcher(SourceOptions(), transport=transport)
    items = list(fetcher.iter_url("http://news.example/story"))
    assert len(items) == 1 and isinstance(items[0], SourceError)
    assert "intranet.example resolves to private address 10.0.0.5" in items[0].reason
    assert ("intranet.example", "10.0.0.5") not in transport.requests
    assert ("news.example", "93.184.216.34") in transport.requests


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fe80::1", "link-local"),
        ("240.0.0.1", "private"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_non_public_addresses_are_named(address: str, kind: str | None) -> None:
    assert non_public_kind(address) == kind


def test_url_slug() -> None:
    assert url_slug("https://news.metal.com/newscontent/102012793/china-magnesium-ingot") == (
        "newscontent-102012793-china-magnesium-ingot"
    )
    assert url_slug("https://highrisemetal.com/?p=1437") == "p-1437"
    assert url_slug("https://www.100ppi.com/news/detail-20231020-2888416.html") == "news-detail-20231020-2888416"
    assert url_slug("https://example.com/") == "example-com"
