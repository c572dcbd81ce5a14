"""REST API under /api/v1: the same JSON as the CLI's --json, pages with a `next` link, ETags,
and errors as application/problem+json."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from assay.analyze.ask import answer_question
from assay.analyze.impact import CAVEAT, ImpactOptions, event_impacts
from assay.analyze.money import CURRENCIES, PER_TONNE
from assay.analyze.prices import PriceQuery, PriceQueryError, assess_prices, parse_window
from assay.analyze.series import SERIES_PAGE_STATEMENTS, SeriesQuery, build_series, series_budget_page
from assay.store.browse import query_documents
from assay.store.documents import document_fields, get_document, search
from assay.store.events import EventFilter, get_event, query_events
from assay.store.facts import FactFilter, count_facts, list_count_cap, query_facts, stored_fact_json
from assay.web import filters
from assay.web.deps import SessionDep
from assay.web.errors import PROBLEM, BadFilter, NotFound
from assay.web.routes.markets import fact_filter
from assay.web.routes.portal import news_query

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A bad parameter; the detail says which and why.", "content": {PROBLEM: {}}},
    404: {"description": "No such item.", "content": {PROBLEM: {}}},
}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
MAX_PER_PAGE = 200
SERIES_PER_PAGE = 10  # whole series per page of /series when only `page` is given
Page = Annotated[int, Query(ge=1, le=filters.MAX_PAGE, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page.")]
Id = Annotated[int, Query(ge=1, le=2**53)]


def _text(description: str) -> Any:
    return Query(None, description=description, max_length=300)


def json_response(request: Request, payload: Any, headers: dict[str, str] | None = None) -> Response:
    """JSON with a strong ETag over its bytes; 304 without a body when the client has the same."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    sent = request.headers.get("if-none-match", "")
    all_headers = {"ETag": etag, "Cache-Control": "no-cache", **(headers or {})}
    if etag in [tag.strip().removeprefix("W/") for tag in sent.split(",")] or sent.strip() == "*":
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type="application/json", headers=all_headers)


def paged(
    request: Request,
    items: list[Any],
    total: int,
    page: int,
    per_page: int,
    more: bool | None = None,
    *,
    counted_to: int | None = None,
) -> Response:
    """`{"items", "total", "page", "per_page", "next"}`; `next` (and a Link header) when more remain
    (`more`: when the pages are not `per_page` items each). With `counted_to` (a count that stopped
    before the end) `total` is that bound and `"total_exact": false` says there are more; a list
    counted to its end has `"total_exact": true`."""
    more = page * per_page < total if more is None else more
    next_url = str(request.url.include_query_params(page=page + 1, per_page=per_page)) if more else None
    payload: dict[str, Any] = {"items": items, "total": total, "page": page, "per_page": per_page, "next": next_url}
    if counted_to is not None:
        payload |= {"total": min(total, counted_to), "total_exact": total <= counted_to}
    return json_response(request, payload, {"Link": f'<{next_url}>; rel="next"'} if next_url else None)


@router.get("/documents")
def list_documents(
    request: Request,
    session: SessionDep,
    commodity: str | None = _text("Commodity id; documents of its family."),
    lang: str | None = _text("en, zh or mixed."),
    source: str | None = _text("Publisher name, exactly."),
    kind: str | None = _text("Content type: html, pdf, txt, md, docx, pptx."),
    since: str | None = _text("Published on or after: 2024, 2024-05 or 2024-05-31."),
    until: str | None = _text("Published on or before."),
    q: str | None = _text("Words in the title or text (English or Chinese)."),
    page: Page = 1,
    per_page: PerPage = 25,
) -> Response:
    """Documents, newest first (best match first with q), as `assay docs list --json`."""
    query = news_query(commodity, lang, source, kind, since, until, q, (page - 1) * per_page, per_page)
    found = query_documents(session, query)
    items = [
        {**d.as_json(), **({"snippet": found.snippets[d.id]} if d.id in found.snippets else {})}
        for d in found.documents
    ]
    return paged(request, items, found.total, page, per_page)


@router.get("/documents/{document_id}")
def show_document(request: Request, session: SessionDep, document_id: int) -> Response:
    """One document with its clean text, as `assay docs show --json`."""
    doc = get_document(session, document_id) if 0 < document_id < 2**53 else None
    if doc is None:
        raise NotFound(f"no document with id {document_id}")
    payload = {**document_fields(session, doc), "clean_text": doc.clean_text}
    return json_response(request, payload)


@router.get("/facts")
def list_facts(
    request: Request,
    session: SessionDep,
    commodity: str | None = _text("Commodity id (includes the commodities under it)."),
    metric: str | None = _text("Metric id: production, exports, price..."),
    geo: str | None = _text("Geo code, exactly: CN, WORLD..."),
    period: str | None = _text("Period or its prefix: 2024 matches 2024-05."),
    partner: str | None = _text("Trade partner code."),
    unit: str | None = _text("Unit id: t, CNY/t..."),
    doc: str | None = _text("Document or dataset name."),
    sort: str | None = _text("series (default), newest or value."),
    q: str | None = _text("Words in the quote."),
    page: Page = 1,
    per_page: PerPage = 50,
) -> Response:
    """Stored facts in FactSpec field names, as `assay facts --json`. `total` is exact up to 10,000
    (or to the page's end, if further: `total_exact` true); beyond, `total` is that bound,
    `total_exact` false, and there are more facts than it."""
    flt = fact_filter(commodity, metric, geo, period, partner, unit, doc, sort, q, (page - 1) * per_page, per_page)
    items = [stored_fact_json(item) for item in query_facts(session, flt)]
    cap = list_count_cap(flt)
    return paged(request, items, count_facts(session, flt, cap), page, per_page, counted_to=cap - 1)


@router.get("/facts/{fact_id}")
def show_fact(request: Request, session: SessionDep, fact_id: int) -> Response:
    """One stored fact."""
    found = query_facts(session, FactFilter(fact_id=fact_id)) if 0 < fact_id < 2**53 else []
    if not found:
        raise NotFound(f"no fact with id {fact_id}")
    return json_response(request, stored_fact_json(found[0]))


@router.get("/series")
def series(
    request: Request,
    session: SessionDep,
    commodity: Annotated[str, Query(max_length=60, description="Commodity id.")],
    metric: Annotated[str, Query(max_length=60, description="Metric id.")],
    geo: str | None = _text("Where: CN, WORLD..."),
    partner: str | None = _text("Trade partner."),
    form: str | None = _text("oxide, metal, ingot..."),
    unit: str | None = _text("Unit id."),
    since: str | None = _text("First period."),
    until: str | None = _text("Last period."),
    page: Annotated[int | None, Query(ge=1, le=filters.MAX_PAGE, description="Page of series, from 1.")] = None,
    per_page: Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE, description="Series per page.")] = None,
) -> Response:
    """Observations per period with their sources, as `assay series --json`. With `page` or
    `per_page`, a page of whole series (longest first, as the list) in `items`, `total` series:
    at most `per_page` series and 5,000 statements (one longer series alone), `next` the page after."""
    query = SeriesQuery(
        filters.commodity(commodity) or "",
        filters.metric(metric) or "",
        filters.text(geo, 120),
        filters.text(partner, 120),
        filters.text(form, 20),
        filters.unit(unit),
        None,
        filters.period("since", since),
        filters.period("until", until),
    )
    if not query.commodity or not query.metric:
        raise BadFilter("commodity and metric must not be blank")
    if page is None and per_page is None:
        return json_response(request, [row for s in build_series(session, query) for row in s.rows_json()])
    page, per_page = page or 1, per_page or SERIES_PER_PAGE
    shown = series_budget_page(session, query, page, per_page, SERIES_PAGE_STATEMENTS)
    rows = [row for s in shown.series for row in s.rows_json()]
    return paged(request, rows, shown.total, page, per_page, shown.more)


@router.get("/events")
def list_events(
    request: Request,
    session: SessionDep,
    commodity: str | None = _text("Commodity id (or one under it)."),
    type: str | None = _text("Event type, e.g. export_control."),
    actor: str | None = _text("Actor and the bodies under it."),
    since: str | None = _text("Dated on or after."),
    until: str | None = _text("Dated on or before."),
    page: Page = 1,
    per_page: PerPage = 50,
) -> Response:
    """The event timeline, oldest first, as `assay events --json`."""
    flt = EventFilter(
        commodity=filters.commodity(commodity),
        type=filters.event_type(type),
        actor=filters.text(actor, 120),
        since=filters.period("since", since),
        until=filters.period("until", until),
    )
    found = query_events(session, flt)
    start = (page - 1) * per_page
    return paged(request, [e.as_json() for e in found[start : start + per_page]], len(found), page, per_page)


@router.get("/events/{event_id}")
def show_event(request: Request, session: SessionDep, event_id: int) -> Response:
    """One event, its sources and the series before and after it, as `assay events show --json`."""
    event = get_event(session, event_id) if 0 < event_id < 2**53 else None
    if event is None:
        raise NotFound(f"no event with id {event_id}")
    payload: dict[str, Any] = event.as_json()
    payload["impact"] = [i.as_json() for i in event_impacts(session, event, ImpactOptions())]
    payload["caveat"] = CAVEAT
    return json_response(request, payload)


@router.get("/prices")
def prices(
    request: Request,
    session: SessionDep,
    commodity: Annotated[str, Query(max_length=60, description="Commodity id.")],
    form: str | None = _text("oxide, metal..."),
    window: Annotated[str, Query(max_length=20, description="30d, 4w, 3m, 1y.")] = "30d",
    as_of: str | None = _text("Last day, YYYY-MM-DD (default: the latest quote)."),
    currency: Annotated[str, Query(max_length=8, description="CNY, USD or EUR.")] = "CNY",
    per: Annotated[str, Query(max_length=4, description="t, kg or lb.")] = "t",
) -> Response:
    """A price assessment with its quotes, as `assay prices --json`."""
    from datetime import date

    checked = filters.commodity(commodity)
    if checked is None:
        raise BadFilter("commodity must not be blank")
    if currency.upper() not in CURRENCIES:
        raise BadFilter(f"currency {currency!r}: use one of {', '.join(CURRENCIES)}")
    if per not in PER_TONNE:
        raise BadFilter(f"per {per!r}: use one of {', '.join(PER_TONNE)}")
    try:
        days = parse_window(window)
        day = date.fromisoformat(as_of) if as_of else None
        result = assess_prices(session, PriceQuery(checked, filters.text(form, 20), days, day, currency.upper(), per))
    except (PriceQueryError, ValueError) as exc:
        raise BadFilter(f"window/as_of: {exc}") from exc
    return json_response(request, result.as_json())


@router.get("/search")
def search_documents(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=300, description="Words to find, English or Chinese.")],
    limit: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> Response:
    """Full-text search over titles and texts, as `assay docs search --json`."""
    words = filters.text(q)
    hits = search(session, words, limit=limit) if words else []
    return json_response(request, [hit.as_json() for hit in hits])


@router.get("/ask")
def ask(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=300, description="A question in English or Chinese.")],
) -> Response:
    """An answer from stored facts with its citations, as `assay ask --json`."""
    words = filters.text(q)
    if words is None:
        raise BadFilter("q: the question is empty")
    return json_response(request, answer_question(session, words).as_json())
