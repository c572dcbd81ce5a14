"""http(s) documents and RSS/Atom feeds, fetched safely: vetted addresses, bounded size, robots.txt.

Every hop of a redirect chain is resolved and checked against private, loopback, link-local,
reserved and multicast ranges (unless SourceOptions.allow_private_urls), and the connection goes
to the address that was checked.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import feedparser

from assay.sources.base import SUFFIX_TYPES, RawDocument, SourceError, SourceOptions
from assay.sources.transport import USER_AGENT, HttpClientTransport, Request, Response, Transport

ROBOTS_MAX_BYTES = 512 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
MIME_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def looks_like_url(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text))


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    mime: str | None
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a conditional GET answered 304: the copy we have is current


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    published: str | None


@dataclass
class WebFetcher:
    """Fetches pages and feeds under one SourceOptions; caches robots.txt per host for the run."""

    options: SourceOptions
    transport: Transport = field(default_factory=HttpClientTransport)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)

    def iter_url(self, url: str) -> Iterator[RawDocument | SourceError]:
        """The page (or feed entries) at `url`; credentials in it are dropped before anything else."""
        url = redact_userinfo(url)
        if self.options.feed:
            yield from self._iter_feed(url)
            return
        try:
            yield self.page(url)
        except SourceError as exc:
            yield exc

    def page(self, url: str, title: str | None = None, published: str | None = None) -> RawDocument:
        """One URL as a RawDocument, after checking robots.txt (credentials in the URL are dropped)."""
        url = redact_userinfo(url)
        self._check_robots(url)
        return raw_document(url, self.fetch(url), title, published)

    def check_robots(self, url: str) -> None:
        """Raises SourceError when the site's robots.txt disallows `url` for our user agent."""
        self._check_robots(url)

    def fetch(
        self, url: str, max_bytes: int | None = None, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET with redirects followed by hand, each hop vetted; raises SourceError naming `url`.

        With `etag` or `last_modified` the GET is conditional: a 304 answer gives `not_modified`."""
        conditional: list[tuple[str, str]] = []
        if etag:
            conditional.append(("If-None-Match", etag))
        if last_modified:
            conditional.append(("If-Modified-Since", last_modified))
        return self._fetch(url, max_bytes, tuple(conditional))

    def _fetch(self, url: str, max_bytes: int | None, conditional: tuple[tuple[str, str], ...]) -> Fetched:
        cap = self.options.max_bytes if max_bytes is None else max_bytes
        seconds = self.options.budget.max_seconds
        deadline = time.monotonic() + seconds
        seen: set[str] = set()
        current = url
        for _hop in range(self.options.max_redirects + 1):
            seen.add(current)
            response = self._send(url, current, deadline, conditional)
            try:
                if response.status == 304 and conditional:
                    return Fetched(current, b"", None, None, response.header("ETag"), response.header("Last-Modified"),
                                   not_modified=True)  # fmt: skip
                if response.status in REDIRECTS:
                    location = response.header("Location")
                    if not location:
                        raise SourceError(url, f"HTTP {response.status} redirect without a Location")
                    following = redact_userinfo(urljoin(current, location.strip()))
                    if following in seen:
                        raise SourceError(url, f"redirect loop at {following}")
                    current = following
                    continue
                if response.status >= 400:
                    raise SourceError(url, f"HTTP {response.status} {response.reason}".rstrip())
                if not 200 <= response.status < 300:
                    raise SourceError(url, f"unexpected HTTP status {response.status}")
                inflated_cap = min(cap, self.options.budget.max_inflated_bytes)
                body = _read_capped(url, response, _Caps(cap, inflated_cap, deadline, seconds))
                mime, charset = _parse_content_type(response.header("Content-Type"))
                return Fetched(url=current, body=body, mime=mime, charset=charset, etag=response.header("ETag"),
                               last_modified=response.header("Last-Modified"))  # fmt: skip
            finally:
                response.close()
        raise SourceError(url, f"more than {self.options.max_redirects} redirects")

    def _send(self, original: str, url: str, deadline: float, headers: tuple[tuple[str, str], ...] = ()) -> Response:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise SourceError(original, f"scheme {parts.scheme or '(none)'!r} refused; only http and https are fetched")
        host = parts.hostname
        if not host:
            raise SourceError(original, f"no host in {url}")
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            raise SourceError(original, f"bad port in {url}") from None
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise SourceError(original, f"bad host name in {url}") from None
            parts = parts._replace(netloc=f"{host}:{port}")
        address = self._vetted_address(original, host, port)
        timeout = min(self.options.timeout_s, max(0.001, deadline - time.monotonic()))
        request = Request(url=parts, address=address, port=port, timeout_s=timeout, deadline=deadline, headers=headers)
        try:
            return self.transport.send(request)
        except TimeoutError:
            if time.monotonic() >= deadline:
                raise SourceError(original, _deadline_reason(self.options.budget.max_seconds)) from None
            raise SourceError(original, f"timed out after {self.options.timeout_s:g}s waiting for {host}") from None
        except ConnectionRefusedError:
            raise SourceError(original, f"connection refused by {host}:{port}") from None
        except ssl.SSLError as exc:
            raise SourceError(original, f"TLS error with {host}: {exc.reason or exc}") from None
        except OSError as exc:
            raise SourceError(original, f"cannot reach {host}: {exc.strerror or exc}") from None
        except Exception as exc:  # http.client protocol errors (BadStatusLine, ...) carry no common base
            raise SourceError(original, f"bad HTTP response from {host}: {type(exc).__name__}") from None

    def _vetted_address(self, original: str, host: str, port: int) -> str:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, socket.gaierror) and exc.strerror else str(exc)
            raise SourceError(original, f"cannot resolve host {host} ({reason})") from None
        addresses = [str(info[4][0]) for info in infos]
        if not addresses:
            raise SourceError(original, f"cannot resolve host {host}")
        if not self.options.allow_private_urls:
            for address in addresses:
                kind = non_public_kind(address)
                if kind:
                    what = f"is a {kind} address" if host == address else f"resolves to {kind} address {address}"
                    raise SourceError(original, f"refused: {host} {what} (allow with --allow-private-urls)")
        return addresses[0]

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        parser = self._robots[origin]
        if parser is not None and not parser.can_fetch(USER_AGENT, url):
            raise SourceError(url, "disallowed by robots.txt")

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        """A robots.txt that cannot be fetched or read means everything is allowed."""
        try:
            fetched = self.fetch(f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
        except SourceError:
            return None
        parser = RobotFileParser()
        parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        return parser

    def _iter_feed(self, url: str) -> Iterator[RawDocument | SourceError]:
        try:
            self._check_robots(url)
            fetched = self.fetch(url)
        except SourceError as exc:
            yield exc
            return
        try:
            entries = feed_entries(url, fetched)
        except SourceError as exc:
            yield exc
            return
        for entry in entries:
            if isinstance(entry, SourceError):
                yield entry
                continue
            try:
                yield self.page(entry.url, title=entry.title, published=entry.published)
            except SourceError as exc:
                yield exc


def raw_document(url: str, fetched: Fetched, title: str | None = None, published: str | None = None) -> RawDocument:
    """A fetched page as a RawDocument (raises SourceError for a format we cannot read)."""
    content_type = _content_type(fetched)
    if content_type is None:
        raise SourceError(url, f"unsupported content type {fetched.mime or 'unknown'}")
    final = urlsplit(fetched.url)
    return RawDocument(
        name=url_slug(fetched.url),
        source=url,
        data=fetched.body,
        content_type=content_type,
        url=fetched.url,
        fetched_at=datetime.now(UTC),
        source_name=(final.hostname or "").removeprefix("www.") or None,
        title=title,
        published=published,
        charset=fetched.charset,
    )


def feed_entries(url: str, fetched: Fetched) -> list[FeedEntry | SourceError]:
    """The entries of an RSS/Atom feed, each with its absolute link; raises SourceError for a body that is not one."""
    parsed = feedparser.parse(fetched.body)
    entries = list(parsed.get("entries") or [])
    if not entries:
        reason = "not an RSS/Atom feed" if parsed.get("bozo") else "feed has no entries"
        raise SourceError(url, reason)
    out: list[FeedEntry | SourceError] = []
    for number, entry in enumerate(entries, start=1):
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            out.append(SourceError(f"{url}#entry-{number}", "feed entry has no link"))
            continue
        title = entry.get("title")
        out.append(
            FeedEntry(
                urljoin(fetched.url, link.strip()),
                title.strip() if isinstance(title, str) and title.strip() else None,
                _entry_date(entry),
            )
        )
    return out


def non_public_kind(address: str) -> str | None:
    """Why an address must not be fetched by default ("loopback", "private", ...), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return kind
    if not ip.is_global:
        return "non-global"
    return None


def url_slug(url: str) -> str:
    """A file-name-like id for a URL: its path and query, lower-case words joined by '-'."""
    parts = urlsplit(url)
    text = f"{parts.path} {parts.query}".lower()
    text = re.sub(r"\.(s?html?|php|aspx?|jsp)\b", " ", text)
    slug = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", text).strip("-")
    if not slug:
        slug = re.sub(r"[^0-9a-z]+", "-", (parts.hostname or "page").lower()).strip("-")
    return slug[:120].rstrip("-")


def redact_userinfo(url: str) -> str:
    """The URL without `user:password@`: credentials are never fetched with, printed or stored."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


@dataclass(frozen=True)
class _Caps:
    transfer: int  # bytes as sent
    inflated: int  # bytes after Content-Encoding is undone
    deadline: float  # time.monotonic() by which the whole body must be in
    seconds: float  # the budget the deadline came from, for the message


def _deadline_reason(seconds: float) -> str:
    return f"timed out: the response took longer than the time budget of {seconds:g}s (raise with --max-seconds)"


def _read_capped(url: str, response: Response, caps: _Caps) -> bytes:
    cap = caps.transfer
    declared = response.header("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > cap:
        raise SourceError(url, f"response is {int(declared)} bytes, over the size cap of {cap} bytes")
    encoding = (response.header("Content-Encoding") or "").strip().lower()
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "deflate", "x-gzip") else None
    parts: list[bytes] = []
    sent = size = 0
    try:
        # the socket timeout bounds each read; the deadline bounds a server that drips bytes forever
        for chunk in response.chunks():
            if time.monotonic() > caps.deadline:
                raise SourceError(url, _deadline_reason(caps.seconds))
            sent += len(chunk)
            if sent > cap:
                raise SourceError(url, f"response is over the size cap of {cap} bytes")
            if decoder is not None:
                chunk = decoder.decompress(chunk, caps.inflated + 1 - size)
                if size + len(chunk) > caps.inflated:
                    raise SourceError(url, f"response inflates to over {caps.inflated} bytes, over the size cap")
            size += len(chunk)
            parts.append(chunk)
        if decoder is not None:
            parts.append(decoder.flush())
        if declared and declared.strip().isdigit() and sent < int(declared):
            # the server closed early: half a page would be stored as if it were the page
            raise SourceError(url, f"response ended after {sent} of its {int(declared)} bytes")
    except TimeoutError:
        if time.monotonic() >= caps.deadline:
            raise SourceError(url, _deadline_reason(caps.seconds)) from None
        raise SourceError(url, "timed out reading the response") from None
    except zlib.error:
        raise SourceError(url, f"corrupt {encoding} response body") from None
    except OSError as exc:
        raise SourceError(url, f"connection lost while reading: {exc.strerror or exc}") from None
    return b"".join(parts)


def _parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    message = Message()
    message["Content-Type"] = header
    mime = message.get_content_type().lower()
    charset = message.get_param("charset")
    return mime, charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def _content_type(fetched: Fetched) -> str | None:
    if fetched.mime in MIME_TYPES and fetched.mime not in ("text/plain",):
        return MIME_TYPES[fetched.mime]
    sniffed = sniff_content_type(fetched.body)
    if sniffed:
        return sniffed
    suffix = re.search(r"(\.[A-Za-z]+)$", urlsplit(fetched.url).path)
    if suffix and suffix.group(1).lower() in SUFFIX_TYPES:
        return SUFFIX_TYPES[suffix.group(1).lower()]
    if fetched.mime in (None, "application/octet-stream", "text/plain") or (fetched.mime or "").startswith("text/"):
        return "txt"
    return None


def sniff_content_type(body: bytes) -> str | None:
    """The format from the first bytes: PDF, Office zip, or HTML markup."""
    head = body[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"ppt/" in body[:65536]:
            return "pptx"
        if b"word/" in body[:65536]:
            return "docx"
        return None
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered or b"<head" in lowered:
        return "html"
    return None


def _entry_date(entry: feedparser.FeedParserDict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None
