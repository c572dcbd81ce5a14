"""The HTTP transport behind web fetching: one request to one checked address, no redirects followed.

The fetcher resolves and vets the host itself, then asks the transport to connect to exactly that
address, so a DNS answer cannot change between the safety check and the connection.
"""

from __future__ import annotations

import http.client
import ssl
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
        import socket

        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        import socket

        sock = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class _HttpClientResponse:
    connection: http.client.HTTPConnection
    raw: http.client.HTTPResponse

    @property
    def status(self) -> int:
        return self.raw.status

    @property
    def reason(self) -> str:
        return self.raw.reason

    def header(self, name: str) -> str | None:
        return self.raw.getheader(name)

    def chunks(self) -> Iterator[bytes]:
        while True:
            # read1: whatever has arrived (up to CHUNK), so a server that drips bytes cannot hold one call
            # for long and the reader's deadline is checked as the bytes come in
            chunk = self.raw.read1(CHUNK)
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
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
        except BaseException:
            connection.close()
            raise
        return _HttpClientResponse(connection, raw)
