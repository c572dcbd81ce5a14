"""Stores and servers the publishing tests share."""

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

from knowledge_base import KnowledgeBase, make_fact


def magnesium_market(kb: KnowledgeBase) -> dict[str, int]:
    """A small magnesium market with figures a test can check exactly; returns the document ids."""
    ids = {}
    ids["usgs"] = kb.doc(
        "usgs-note",
        make_fact(900_000, "China produced 900,000 tonnes in 2023", metric="production", period="2023"),
        make_fact(
            1_000_000, "World output was 1,000,000 tonnes in 2023", metric="production", geo="WORLD", period="2023"
        ),
        make_fact(60_000, "Kazakhstan made 60,000 tonnes", metric="production", geo="KZ", period="2023"),
        make_fact(40_000, "Israel made 40,000 tonnes", metric="production", geo="IL", period="2023"),
        published="2024-01-31",
        url="https://pubs.example.gov/mcs2024/magnesium.pdf",
    )
    ids["customs"] = kb.doc(
        "customs-2024",
        make_fact(20_000, "January exports were 20,000 t", period="2024-01"),
        make_fact(25_000, "February exports were 25,000 t", period="2024-02"),
        make_fact(30_000, "March exports were 30,000 t", period="2024-03"),
        make_fact(12_000, "12,000 t went to the Netherlands", period="2024-03", partner="NL"),
        make_fact(8_000, "8,000 t went to Turkey", period="2024-03", partner="TR"),
        published="2024-04-20",
        url="https://customs.example.com/2024-03",
    )
    ids["prices"] = kb.doc(
        "price-wire",
        make_fact(
            17_000,
            "Ingot traded at 17,000 yuan/t in January",
            metric="price",
            period="2024-01",
            unit="CNY/t",
            form="ingot",
        ),
        make_fact(
            18_000,
            "Ingot traded at 18,000 yuan/t in February",
            metric="price",
            period="2024-02",
            unit="CNY/t",
            form="ingot",
        ),
        make_fact(
            19_000,
            "Ingot traded at 19,000 yuan/t in March",
            metric="price",
            period="2024-03",
            unit="CNY/t",
            form="ingot",
        ),
        published="2024-04-01",
        url="https://prices.example.com/mg",
    )
    ids["blog"] = kb.doc(
        "blog-post",
        make_fact(40_000, "a blog says January exports were 40,000 t", period="2024-01"),
        published="2024-03-01",
        url="https://blog.example.com/mg",
    )
    return ids


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
