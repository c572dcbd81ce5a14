"""Local receivers for notification tests: an HTTP server that records webhook POSTs and a real SMTP
server (aiosmtpd), both on 127.0.0.1, each told by a plan how to answer the next requests."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """What a local receiver got: each request's headers and body (webhooks) or each message (mail)."""

    items: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    # what to do with the next requests, in order: "ok", "500", or "slow" (answer after SLOW_S); then "ok"
    plan: list[str] = field(default_factory=list)

    def next_step(self) -> str:
        return self.plan.pop(0) if self.plan else "ok"


SLOW_S = 2.0


@contextmanager
def webhook_receiver(received: Received) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that records POSTs; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            step = received.next_step()
            received.items.append(({k: v for k, v in self.headers.items()}, body))
            if step == "slow":
                time.sleep(SLOW_S)
            status = 500 if step == "500" else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(b"ok")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


class RecordingSMTPHandler:
    """An aiosmtpd handler that keeps accepted messages and refuses the ones `received.plan` says to."""

    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        if self.received.next_step() == "500":
            return "451 4.3.0 try again later"
        self.received.items.append(({"rcpt": ",".join(envelope.rcpt_tos)}, envelope.content))
        return "250 OK"


@contextmanager
def smtp_server(received: Received) -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; yields its port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # aiosmtpd needs the port before it starts
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(RecordingSMTPHandler(received), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
