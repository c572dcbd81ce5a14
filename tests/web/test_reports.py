"""Report and digest pages, downloads and API routes on the sample store (tests/web/conftest.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fastapi.testclient import TestClient


def test_the_reports_index_links_every_top_commodity(client: TestClient) -> None:
    page = client.get("/reports")
    assert page.status_code == 200
    for commodity in ("magnesium", "graphite", "rare_earths"):
        assert f'href="/reports/{commodity}"' in page.text


def test_a_report_page_has_the_report_with_charts_as_images_and_downloads(client: TestClient) -> None:
    page = client.get("/reports/magnesium?hl=en")  # the session client may hold a zh cookie
    assert page.status_code == 200
    text = page.text
    assert "Primary magnesium metal: market report" in text and "China produced" in text
    assert 'src="data:image/svg+xml;base64,' in text and "<svg" not in text  # the CSP forbids inline styles
    assert "/reports/magnesium/download?hl=en&amp;format=pdf" in text
    assert "<script>window.hacked" not in text


def test_a_report_page_in_chinese(client: TestClient) -> None:
    page = client.get("/reports/rare_earths?hl=zh")
    assert page.status_code == 200 and "稀土市场报告" in page.text and "摘要" in page.text


def test_downloads_are_files(client: TestClient, tmp_path: Path) -> None:
    pdf = client.get("/reports/graphite/download?format=pdf&hl=en")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and "attachment" in pdf.headers["content-disposition"]
    (tmp_path / "g.pdf").write_bytes(pdf.content)
    words = subprocess.run(["pdftotext", str(tmp_path / "g.pdf"), "-"], capture_output=True, check=True).stdout
    assert b"Natural graphite: market report" in words
    md = client.get("/reports/graphite/download?format=md&hl=en")
    assert md.status_code == 200 and md.text.startswith("# Natural graphite: market report")


def test_bad_report_requests_are_clear_errors(client: TestClient) -> None:
    assert client.get("/reports/unobtainium").status_code == 404
    assert client.get("/reports/magnesium?since=last-year").status_code == 400
    assert client.get("/api/v1/reports/unobtainium").status_code == 404
    bad = client.get("/api/v1/reports/magnesium?since=soon")
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/digest?since=whenever").status_code == 400


def test_the_report_api_gives_json_with_numbered_sources(client: TestClient) -> None:
    found = client.get("/api/v1/reports/rare_earths?lang=en")
    assert found.status_code == 200
    report = found.json()
    assert report["title"] == "Rare earths in aggregate: market report" and report["summary"]
    numbers = {s["number"] for s in report["sources"]}
    assert {n for f in report["key_figures"] for n in f["cites"]} <= numbers
    pdf = client.get("/api/v1/reports/rare_earths?format=pdf&lang=zh")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_the_digest_page_and_api(client: TestClient) -> None:
    page = client.get("/digest?since=3650d&commodity=graphite&hl=en")
    assert page.status_code == 200 and "New documents" in page.text
    digest = client.get("/api/v1/digest?since=3650d")
    assert digest.status_code == 200 and digest.json()["new_facts"] > 0
    md = client.get("/api/v1/digest?since=3650d&format=md")
    assert md.status_code == 200 and md.text.startswith("# assay digest")
