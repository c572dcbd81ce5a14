"""Reports and digests: pages (`/reports`, `/reports/{commodity}`, `/digest`), downloads, and API routes
(`/api/v1/reports/{commodity}`, `/api/v1/digest`), all written by `assay.publish` as the CLI writes them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from assay.model import Period
from assay.publish.digest import (
    DigestOptions,
    digest_body_html,
    digest_html,
    digest_json,
    digest_markdown,
    gather_digest,
)
from assay.publish.report import report_body_html, report_html, report_json, report_markdown, report_pdf
from assay.publish.report_data import ReportData, ReportOptions, gather_report
from assay.publish.timing import parse_since
from assay.store.watch import utc_now
from assay.vocab import commodities
from assay.web.deps import SessionDep, ViewCache, get_locale
from assay.web.errors import PROBLEM, BadFilter, NotFound
from assay.web.rendering import render
from assay.web.routes.api import json_response

pages = APIRouter(include_in_schema=False)
api = APIRouter(
    prefix="/api/v1",
    tags=["api"],
    responses={
        400: {"description": "A bad parameter; the detail says which and why.", "content": {PROBLEM: {}}},
        404: {"description": "No such commodity.", "content": {PROBLEM: {}}},
    },
)
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}
SUFFIX = {"pdf": "pdf", "html": "html", "md": "md"}
REPORT_MEDIA: dict[str, dict[str, str]] = {"application/json": {}, **{media: {} for media in MEDIA.values()}}
ReportFormat = Literal["json", "pdf", "html", "md"]
DigestFormat = Literal["json", "md", "html"]
Lang = Literal["en", "zh"]
Since = Annotated[str | None, Query(description="Facts from this period on: 2023, 2024-06.", max_length=30)]
Window = Annotated[str, Query(description="A window back from now (7d, 24h) or a date (2026-12-01).", max_length=30)]


def _commodity(commodity: str) -> str:
    if commodity not in commodities():
        raise NotFound(f"no commodity {commodity!r}")
    return commodity


def _since(since: str | None) -> str | None:
    if not since:
        return None
    try:
        Period.parse(since)
    except ValueError as exc:
        raise BadFilter(f"since: {exc}") from exc
    return since


def _window(since: str) -> datetime:
    try:
        return parse_since(since, utc_now())
    except ValueError as exc:
        raise BadFilter(f"since: {exc}") from exc


def _report(request: Request, session: SessionDep, commodity: str, lang: str, since: str | None) -> ReportData:
    """The report's content, kept in the view cache while the store does not change."""
    options = ReportOptions(since=since, lang=lang)
    views: ViewCache = request.app.state.views
    return views.get(session, ("report", commodity, lang, since), lambda: gather_report(session, commodity, options))


def _file(data: ReportData, fmt: str) -> Response:
    if fmt == "pdf":
        body: bytes = report_pdf(data)
    else:
        body = (report_html(data) if fmt == "html" else report_markdown(data)).encode("utf-8")
    name = f"assay-{data.commodity}-{data.options.lang}-{data.today.isoformat()}.{SUFFIX[fmt]}"
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ---- pages ----


@pages.get("/reports")
def reports_index(request: Request) -> Response:
    roots = [c for c in commodities().values() if c.parent is None]
    children = {c.id: [k for k in commodities().values() if k.parent == c.id] for c in roots}
    return render(request, "reports.html", {"roots": roots, "children": children})


@pages.get("/reports/{commodity}")
def report_page(request: Request, session: SessionDep, commodity: str, since: str | None = None) -> Response:
    commodity, since = _commodity(commodity), _since(since)
    lang = get_locale(request).lang
    data = _report(request, session, commodity, lang, since)
    query = {"hl": lang, **({"since": since} if since else {})}
    downloads = [
        (label, f"/reports/{commodity}/download?{urlencode({**query, 'format': fmt})}")
        for label, fmt in (("PDF", "pdf"), ("HTML", "html"), ("Markdown", "md"))
    ]
    context = {
        "commodity": commodity,
        "since": since or "",
        "downloads": downloads,
        "body": report_body_html(data, charts_as_images=True),  # escaped by assay.publish; charts as data: images
    }
    return render(request, "report.html", context)


@pages.get("/reports/{commodity}/download")
def report_download(
    request: Request,
    session: SessionDep,
    commodity: str,
    format: Literal["pdf", "html", "md"] = "pdf",
    since: str | None = None,
) -> Response:
    commodity, since = _commodity(commodity), _since(since)
    return _file(_report(request, session, commodity, get_locale(request).lang, since), format)


@pages.get("/digest")
def digest_page(request: Request, session: SessionDep, since: str = "7d", commodity: str | None = None) -> Response:
    moment = _window(since)
    if commodity:
        _commodity(commodity)
    digest = gather_digest(session, DigestOptions(since=moment, commodity=commodity or None))
    context = {
        "since": since,
        "commodity": commodity or "",
        "choices": sorted(commodities()),
        "body": digest_body_html(digest),  # escaped by assay.publish
    }
    return render(request, "digest.html", context)


# ---- API ----


@api.get(
    "/reports/{commodity}",
    responses={
        200: {"description": "The report.", "content": {"application/json": {}, **{m: {} for m in MEDIA.values()}}}
    },
)
def api_report(
    request: Request,
    session: SessionDep,
    commodity: str,
    format: ReportFormat = "json",
    lang: Lang = "en",
    since: Since = None,
) -> Response:
    """The market report on a commodity, as `assay report`: JSON (summary sentences with [n] marks, key
    figures, shares, exports, price assessment, timeline, contradictions, numbered sources), PDF, HTML or
    Markdown."""
    commodity, since = _commodity(commodity), _since(since)
    data = _report(request, session, commodity, lang, since)
    if format == "json":
        return json_response(request, report_json(data))
    return _file(data, format)


@api.get(
    "/digest",
    responses={
        200: {"description": "The digest.", "content": {"application/json": {}, MEDIA["md"]: {}, MEDIA["html"]: {}}}
    },
)
def api_digest(
    request: Request,
    session: SessionDep,
    since: Window = "7d",
    commodity: Annotated[str | None, Query(description="Only what concerns this commodity.", max_length=60)] = None,
    format: DigestFormat = "json",
) -> Response:
    """What changed since a moment, as `assay digest`: new documents, new and changed facts, the biggest
    moves, new events and contradictions."""
    moment = _window(since)
    if commodity:
        _commodity(commodity)
    digest = gather_digest(session, DigestOptions(since=moment, commodity=commodity or None))
    if format == "json":
        return json_response(request, json.loads(json.dumps(digest_json(digest))))
    if format == "md":
        return Response(digest_markdown(digest), media_type=MEDIA["md"])
    return Response(digest_html(digest), media_type=MEDIA["html"])
