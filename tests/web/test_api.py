"""The REST API: the CLI's JSON shapes, pages with next links, ETags and problem+json errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assay.cli import COMMAND_MODULES
from assay.cli.app import app as cli_app
from assay.store import facts as facts_store


@pytest.fixture(scope="module")
def cli(sample_db: str) -> CliRunner:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"assay.cli.{name}")
    return CliRunner(env={"ASSAY_DATABASE_URL": sample_db})


def test_facts_have_the_shape_of_assay_facts_json(client: TestClient, cli: CliRunner) -> None:
    result = cli.invoke(cli_app, ["facts", "--commodity", "graphite", "--metric", "production", "--json"])
    expected = [json.loads(line) for line in result.stdout.splitlines()]
    body = client.get("/api/v1/facts", params={"commodity": "graphite", "metric": "production", "per_page": 200}).json()
    assert body["items"] == expected and body["total"] == len(expected)


def test_facts_total_is_exact_below_the_cap_and_a_bound_above_it(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = {"commodity": "graphite", "per_page": 2}
    every = client.get("/api/v1/facts", params={**params, "per_page": 200}).json()
    n = len(every["items"])
    exact = client.get("/api/v1/facts", params=params).json()
    assert exact["total"] == every["total"] == n > 6 and n < 200 and exact["total_exact"] is True
    monkeypatch.setattr(facts_store, "COUNT_CAP", 5)  # counted up to 5 + 1: "more than 5"
    capped = client.get("/api/v1/facts", params=params).json()
    assert capped["total"] == 5 and capped["total_exact"] is False and capped["next"]
    assert capped["items"] == exact["items"]
    # a page past the cap counts to its own end: the next link is there exactly while facts remain
    seen, url = [], "/api/v1/facts?commodity=graphite&per_page=2"
    while url:
        body = client.get(url).json()
        seen += body["items"]
        url = body["next"]
    assert seen == every["items"] and body["total_exact"] is True and body["total"] == n


def test_events_and_series_have_the_cli_shapes(client: TestClient, cli: CliRunner) -> None:
    events = json.loads(cli.invoke(cli_app, ["events", "--commodity", "graphite", "--json"]).stdout)
    assert client.get("/api/v1/events", params={"commodity": "graphite", "per_page": 200}).json()["items"] == events
    args = ["series", "-c", "graphite", "-m", "production", "--geo", "CN", "--json"]
    series = json.loads(cli.invoke(cli_app, args).stdout)
    api = client.get("/api/v1/series", params={"commodity": "graphite", "metric": "production", "geo": "CN"}).json()
    assert api == series
    asked = json.loads(cli.invoke(cli_app, ["ask", "China rare earth production 2023", "--json"]).stdout)
    assert client.get("/api/v1/ask", params={"q": "China rare earth production 2023"}).json() == asked


def series_key(row: dict[str, object]) -> tuple[object, ...]:
    return tuple(row[name] for name in ("commodity", "form", "metric", "geo", "partner", "share_of", "unit"))


def test_series_pages_hold_whole_series_and_link_to_the_next(client: TestClient) -> None:
    params = {"commodity": "graphite", "metric": "production"}
    everything = client.get("/api/v1/series", params=params).json()
    keys = {series_key(r) for r in everything}
    assert len(keys) >= 2
    rows: list[dict[str, object]] = []
    url: str | None = "/api/v1/series?commodity=graphite&metric=production&per_page=1"
    pages = 0
    while url:
        body = client.get(url).json()
        assert (
            body["total"] == len(keys)
            and len({(r["commodity"], r["geo"], r["form"], r["partner"], r["unit"]) for r in body["items"]}) == 1
        )
        rows += body["items"]
        url, pages = body["next"], pages + 1
    assert rows == everything and pages == len(keys)
    assert client.get("/api/v1/series", params={**params, "page": 1}).json()["items"] == everything
    assert client.get("/api/v1/series", params={**params, "per_page": 0}).status_code == 400


def test_series_pages_are_bounded_by_statements_too(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from assay.web.routes import api

    params = {"commodity": "graphite", "metric": "production"}
    everything = client.get("/api/v1/series", params=params).json()
    held: dict[tuple[object, ...], int] = {}  # statements per series
    for row in everything:
        held[series_key(row)] = held.get(series_key(row), 0) + int(row["n_statements"])
    budget = sorted(held.values())[-1]  # the longest series fills a page; others share one up to it
    monkeypatch.setattr(api, "SERIES_PAGE_STATEMENTS", budget)
    rows: list[dict[str, object]] = []
    url: str | None = "/api/v1/series?commodity=graphite&metric=production&page=1"
    pages = 0
    while url:
        body = client.get(url).json()
        keys = list(dict.fromkeys(series_key(r) for r in body["items"]))
        assert body["total"] == len(held) and keys and (len(keys) == 1 or sum(held[k] for k in keys) <= budget)
        rows += body["items"]
        url, pages = body["next"], pages + 1
    assert rows == everything and 1 < pages < len(held)
    monkeypatch.setattr(api, "SERIES_PAGE_STATEMENTS", 10**9)  # no bound: ten whole series a page, as before
    assert client.get("/api/v1/series", params={**params, "page": 1}).json()["items"] == everything


def test_a_document_has_the_shape_of_docs_show_json(client: TestClient, cli: CliRunner) -> None:
    shown = json.loads(cli.invoke(cli_app, ["docs", "show", "1", "--json"]).stdout)
    assert client.get("/api/v1/documents/1").json() == shown
    assert shown["versions"] == [1] and shown["superseded_by"] is None


def test_pages_link_to_the_next_one_until_the_end(client: TestClient) -> None:
    seen: list[int] = []
    url: str | None = "/api/v1/documents?per_page=10"
    while url:
        response = client.get(url)
        body = response.json()
        seen += [d["id"] for d in body["items"]]
        url = body["next"]
        if url:
            assert 'rel="next"' in response.headers["link"]
    assert len(seen) == len(set(seen)) == body["total"] > 10


def test_etag_gives_304_when_unchanged(client: TestClient) -> None:
    first = client.get("/api/v1/documents/1")
    tag = first.headers["etag"]
    again = client.get("/api/v1/documents/1", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/documents/1", headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/v1/documents/987654", 404, "no document with id 987654"),
        ("/api/v1/facts?period=soon", 400, "period 'soon'"),
        ("/api/v1/facts?per_page=0", 400, "per_page"),
        ("/api/v1/prices?commodity=neodymium&currency=XYZ", 400, "currency 'XYZ'"),
        ("/api/v1/series?commodity=graphite", 400, "metric"),
        ("/api/v1/nothing", 404, "nothing at /api/v1/nothing"),
    ],
)
def test_errors_are_problem_json_with_the_reason(client: TestClient, path: str, status: int, detail: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and detail in body["detail"]


def test_openapi_describes_every_endpoint_and_docs_render_offline(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("documents", "documents/{document_id}", "facts", "series", "events", "prices", "search", "ask"):
        assert f"/api/v1/{path}" in paths
    docs = client.get("/docs").text
    assert "/api/v1/facts" in docs and "cdn" not in docs.lower()
