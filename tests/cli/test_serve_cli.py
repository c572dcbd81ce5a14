"""`assay serve` and `assay demo` (which ends serving the portal unless --no-serve), as processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ASSAY = [sys.executable, "-c", "from assay.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "ASSAY_DATABASE_URL"}


def test_demo_ingests_then_serves_the_portal_and_prints_its_url(tmp_path: Path) -> None:
    port = _free_port()
    command = [*ASSAY, "--db", str(tmp_path / "demo.db"), "demo", "--no-progress", "--port", str(port)]
    process = subprocess.Popen(command, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert page is not None, "the portal did not answer"
        assert page.status_code == 200 and "Dashboard" in page.text
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "ingested" in output and f"http://127.0.0.1:{port}/" in output


def test_serve_reports_a_store_it_cannot_open_in_one_line(tmp_path: Path) -> None:
    env = {**_environment(), "ASSAY_DATABASE_URL": "nosuchdriver://x/y"}
    result = subprocess.run([*ASSAY, "serve", "--port", str(_free_port())], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
