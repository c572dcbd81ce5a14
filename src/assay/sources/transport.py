"""The HTTP transport behind web fetching: one request to one checked address, no redirects followed.

The fetcher resolves and vets the host itself, then asks the transport to connect to exactly that
address, so a DNS answer cannot change between the safety check and the connection.

Time is bounded twice: the socket timeout bounds each wait for bytes, and a watchdog shuts the
socket when the request's deadline passes, so a server that drips its headers or body a byte at
a time cannot hold a run (the body is read as bytes arrive, never waiting for a full chunk).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import SplitResult

USER_AGENT = "assay/0.1 (market-intelligence research; respects robots.txt)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Request:
    url: SplitResult
    address: str  # the vetted IP address to connect to
    port: int
    timeout_s: float
    deadline: float | None = None  # time.monotonic() reading by which the whole response must be read
    headers: tuple[tuple[str, str], ...] = ()  # extra request headers (conditional GET)


class Response(Protocol):
    @property
    def status(self) -> int: ...

    @property
    def reason(self) -> str: ...

    def header(self, name: str) -> str | None: ...

    def chunks(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


class Transport(Protocol):
    def send(self, request: Request) -> Response: ...


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a given address while sending the URL's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


class _Watchdog:
    """Shuts a connection's socket when its deadline passes; whatever read was waiting then ends."""

    def __init__(self, connection: http.client.HTTPConnection, deadline: float | None) -> None:
        self.connection = connection
        self.expired = False
        self._timer: threading.Timer | None = None
        if deadline is not None:
            self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
            self._timer.daemon = True
            self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to wait on
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


@dataclass
class _HttpClientResponse:
    connection: http.client.HTTPConnection
    raw: http.client.HTTPResponse
    watchdog: _Watchdog

    @property
    def status(self) -> int:
        return self.raw.status

    @property
    def reason(self) -> str:
        return self.raw.reason

    def header(self, name: str) -> str | None:
        return self.raw.getheader(name)

    def chunks(self) -> Iterator[bytes]:
        """The body as it arrives (read1: whatever one receive brings, up to CHUNK bytes)."""
        while True:
            try:
                chunk = self.raw.read1(CHUNK)
            except Exception:
                if self.watchdog.expired:
                    raise TimeoutError("response deadline passed") from None
                raise
            if self.watchdog.expired:
                raise TimeoutError("response deadline passed")
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        self.watchdog.cancel()
        self.connection.close()


class HttpClientTransport:
    """The standard library's http.client, pinned to the vetted address."""

    def send(self, request: Request) -> Response:
        host = request.url.hostname or ""
        connection: http.client.HTTPConnection
        if request.url.scheme == "https":
            connection = _PinnedHTTPSConnection(host, request.port, request.address, request.timeout_s)
        else:
            connection = _PinnedHTTPConnection(host, request.port, request.address, request.timeout_s)
        path = request.url.path or "/"
        if request.url.query:
            path = f"{path}?{request.url.query}"
        watchdog = _Watchdog(connection, request.deadline)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                    "Accept-Encoding": "gzip, deflate",
                    "Connection": "close",
                    **dict(request.headers),
                },
            )
            raw = connection.getresponse()
        except BaseException as exc:
            watchdog.cancel()
            connection.close()
            if watchdog.expired and isinstance(exc, Exception):
                raise TimeoutError("response deadline passed") from None
            raise
        return _HttpClientResponse(connection, raw, watchdog)
