"""Hostile web servers on 127.0.0.1: drip-feeding headers or body a byte at a time, never ending,
and URLs carrying credentials. Each must cost bounded time and give one clear reason."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from assay.sources import InputBudget, RawDocument, SourceError, SourceOptions, iter_sources

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
PAGE = b"<html><body><article><p>China exported 9,423 tonnes of flake graphite in February.</p></article></body></html>"


def _drip_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(HEAD + f"Content-Length: {len(PAGE)}\r\n\r\n".encode())
    for byte in PAGE:
        if stop.wait(1.0):  # one byte a second: each wait is short, the whole is not
            return
        conn.sendall(bytes([byte]))


def _drip_headers(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    number = 0
    while not stop.wait(0.5):
        conn.sendall(f"X-Filler-{number}: a\r\n".encode())  # headers that never end
        number += 1


def _endless(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(HEAD + b"\r\n<html><body>")  # no length, no end: a stream that never stops
    chunk = b"<p>magnesium</p>" * 4096
    while not stop.is_set():
        conn.sendall(chunk)


def _normal(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(HEAD + f"Content-Length: {len(PAGE)}\r\nConnection: close\r\n\r\n".encode() + PAGE)


Behaviour = Callable[[socket.socket, threading.Event], None]


@contextlib.contextmanager
def _server(behaviour: Behaviour) -> Iterator[str]:
    """A raw TCP server answering every connection with `behaviour` (robots.txt included)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=_answer, args=(conn,), daemon=True).start()

    def _answer(conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            request = conn.recv(65536)
            if b"/robots.txt" in request.split(b"\r\n", 1)[0]:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            behaviour(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


def _fetch(url: str, seconds: float = 2.0, timeout_s: float = 5.0) -> tuple[RawDocument | SourceError, float]:
    options = SourceOptions(allow_private_urls=True, timeout_s=timeout_s, budget=InputBudget(max_seconds=seconds))
    started = time.monotonic()
    items = list(iter_sources([url], options))
    assert len(items) == 1, items
    return items[0], time.monotonic() - started


def test_a_body_dripped_a_byte_a_second_times_out_on_the_whole_response_deadline() -> None:
    with _server(_drip_body) as base:
        result, elapsed = _fetch(f"{base}/drip", seconds=2.0)
    assert isinstance(result, SourceError)
    assert "time budget of 2s" in result.reason and "--max-seconds" in result.reason
    assert elapsed < 5.0  # the 2 s budget and a little, not the 100 s the page would take


def test_headers_dripped_forever_time_out_too() -> None:
    with _server(_drip_headers) as base:
        result, elapsed = _fetch(f"{base}/headers", seconds=2.0)
    assert isinstance(result, SourceError)
    assert "timed out" in result.reason
    assert elapsed < 5.0


def test_a_never_ending_body_stops_at_the_size_cap() -> None:
    options = SourceOptions(allow_private_urls=True, max_bytes=2_000_000, budget=InputBudget(max_seconds=20))
    with _server(_endless) as base:
        started = time.monotonic()
        items = list(iter_sources([f"{base}/endless"], options))
    assert len(items) == 1 and isinstance(items[0], SourceError)
    assert "size cap" in items[0].reason
    assert time.monotonic() - started < 10


def test_credentials_in_a_url_are_never_kept_or_shown() -> None:
    with _server(_normal) as base:
        url = base.replace("http://", "http://reader:s3cret@") + "/story"
        result, _ = _fetch(url)
    assert isinstance(result, RawDocument)
    assert "s3cret" not in result.source and "reader" not in result.source
    assert result.url is not None and "s3cret" not in result.url


def test_credentials_do_not_appear_in_an_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result, _ = _fetch(f"http://user:hunter2@127.0.0.1:{port}/x")
    assert isinstance(result, SourceError)
    assert "hunter2" not in str(result) and "user:" not in str(result)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("https://u:p@example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://token@example.com:8080/", "http://example.com:8080/"),
        ("https://example.com/a@b", "https://example.com/a@b"),
    ],
)
def test_userinfo_is_redacted(given: str, shown: str) -> None:
    from assay.sources.web import redact_userinfo

    assert redact_userinfo(given) == shown
