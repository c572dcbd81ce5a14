"""Portal latency: p50 and p95 per page at 50 concurrent clients on a store of 10,000 documents.

    python bench/web.py [--count 10000] [--clients 50] [--requests 300] [--workers 2] [--keep DIR]

Builds the store from bench/ingest.py's generated documents (the sample corpus's sentences),
starts `assay serve` in a subprocess on a free localhost port, and sends each page `--requests`
GETs from `--clients` concurrent clients (httpx, asyncio), after an untimed warm-up round. The
baseline is a static file served by the same server (/static/style.css). Prints one table.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from assay.pipeline import IngestOptions, ingest
from assay.store.db import open_store
from assay.store.facts import FactFilter, query_facts
from ingest import sentence_pools, write_documents

TARGET_P95_MS = 200.0


def build_store(folder: Path, count: int) -> str:
    url = f"sqlite:///{folder / 'web-bench.db'}"
    if (folder / "web-bench.db").exists():
        return url
    english, chinese = sentence_pools()
    (folder / "docs").mkdir(exist_ok=True)
    write_documents(folder / "docs", count, english, chinese)
    started = time.perf_counter()
    with open_store(url) as store:
        report = ingest([str(folder / "docs")], IngestOptions(workers=2), store)
    print(f"store: {report.added} documents, {report.facts} facts in {time.perf_counter() - started:.0f} s")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def measure(base: str, path: str, clients: int, requests: int) -> tuple[list[float], int]:
    """Latencies in ms of the answered requests, and how many failed (refused, reset, not 200)."""
    timings: list[float] = []
    failed = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def client(session: httpx.AsyncClient) -> None:
        nonlocal failed
        while True:
            try:
                queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                response = await session.get(base + path)
            except httpx.TransportError:
                failed += 1
                continue
            timings.append((time.perf_counter() - started) * 1000)
            failed += response.status_code != 200

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as session:
        # a warm-up round, one request per client, not timed: every server process fills its caches
        # (the dashboard, a commodity's overview) and the connections are open
        await asyncio.gather(*(session.get(base + path) for _ in range(clients)))
        await asyncio.gather(*(client(session) for _ in range(clients)))
    return timings, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="Server processes (assay serve --workers).")
    parser.add_argument("--keep", type=Path, help="Folder for the store (reused when it holds one).")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="assay-web-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = build_store(folder, args.count)
    with open_store(url) as store, store.session() as session:
        fact = query_facts(session, FactFilter(commodity="rare_earths", limit=1))[0]
    pages = [
        ("static file (baseline)", "/static/style.css"),
        ("dashboard", "/"),
        ("document page", f"/documents/{fact.document_id}"),
        ("commodity page", "/commodities/rare_earths"),
        ("/api/v1/facts", "/api/v1/facts?commodity=rare_earths"),
    ]
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from assay.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    server = subprocess.Popen(command, env={**os.environ, "ASSAY_DATABASE_URL": url}, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # the server is up when a page answers (a loaded machine takes a while)
            try:
                if httpx.get(base + "/", timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        print(
            f"{args.clients} concurrent clients, {args.requests} requests per page, {args.count} documents,"
            f" {args.workers} server processes; load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'failed':>7}")
        for name, path in pages:
            started = time.perf_counter()
            timings, failed = asyncio.run(measure(base, path, args.clients, args.requests))
            elapsed = time.perf_counter() - started
            p95 = statistics.quantiles(timings, n=20)[-1]
            rate = len(timings) / elapsed
            print(f"{name:<24} {statistics.median(timings):>8.1f} {p95:>8.1f} {rate:>8.1f} {failed:>7}")
        print(f"aim: p95 under {TARGET_P95_MS:.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
