"""Pages: commodities, prices, facts (with CSV, XLSX and FactSpec JSONL exports), series and events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from assay.analyze.impact import CAVEAT, ImpactOptions, event_impacts
from assay.analyze.portal import (
    PricePoint,
    Product,
    assess,
    chart_points,
    charted_price_history,
    exports_by_destination,
    exports_by_month,
    key_figures,
    latest_assessment,
    price_board,
    price_history,
    production_by_country,
    products,
)
from assay.analyze.series import SERIES_PAGE_STATEMENTS, SeriesQuery, series_budget_page
from assay.extract.events.lexicon import EVENT_TYPES
from assay.store.browse import documents_about, fact_counts_by_commodity
from assay.store.events import EventFilter, get_event, query_events
from assay.store.facts import FactFilter, commodity_and_descendants, count_facts, list_count_cap, query_facts
from assay.vocab import commodities, metrics
from assay.web import exports, filters
from assay.web.charts import LinePoint, bar_chart, line_chart
from assay.web.deps import SessionDep, get_locale
from assay.web.errors import BadFilter, NotFound
from assay.web.i18n import Locale
from assay.web.rendering import render

router = APIRouter(include_in_schema=False)
OptText = Annotated[str | None, Query()]
EXPORT_LIMIT = 100_000


def _commodity_overview(session: Session, commodity: str, loc: Locale) -> dict[str, Any]:
    production = production_by_country(session, commodity)
    monthly = exports_by_month(session, commodity)
    destinations = exports_by_destination(session, commodity)
    charts: dict[str, Any] = {}
    if production:
        title = f"{loc.t('commodity.production')} {production.title_period}"
        bars = [(loc.place(b.label), b.value, loc.amount(b.value, production.unit)) for b in production.bars]
        charts["production"] = bar_chart(bars, title)
    if monthly:
        points = [
            LinePoint(loc.period(o.period), o.value, tip=f"{loc.period(o.period)}: {loc.amount(o.value, o.unit)}")
            for o in monthly.observations
        ]
        charts["exports_month"] = line_chart(
            points, loc.unit(str(monthly.fields["unit"])), loc.t("commodity.exports_month")
        )
    if destinations:
        title = f"{loc.t('commodity.exports_dest')} {destinations.title_period}"
        bars = [(loc.place(b.label), b.value, loc.amount(b.value, destinations.unit)) for b in destinations.bars]
        charts["exports_dest"] = bar_chart(bars, title)
    priced = [p for p in products(session) if p.commodity in _family(commodity)]
    if priced:
        product, history = charted_price_history(session, priced)
        drawn = chart_points(history)  # a reduced line when the history has more periods than fit
        charts["price"] = (product, _price_chart(product, drawn, loc), len(drawn) < len(history))
    return {
        "figures": key_figures(session, commodity),
        "charts": charts,
        "events": query_events(session, EventFilter(commodity=commodity))[-12:],
        "documents": documents_about(session, commodity),
    }


def _family(commodity: str) -> set[str]:
    return set(commodity_and_descendants(commodity))


def _price_chart(product: Product, history: tuple[PricePoint, ...], loc: Locale) -> Any:
    unit = f"{product.currency}/{product.mass}"
    points = [
        LinePoint(
            loc.period(p.period),
            p.mid,
            p.low,
            p.high,
            f"{loc.period(p.period)}: {loc.amount(p.mid, unit)} ({loc.amount(p.low, None, p.high)})",
        )
        for p in history
    ]
    title = f"{loc.commodity(product.commodity)} {loc.form(product.form)} {loc.t('commodity.price')}"
    return line_chart(points, loc.unit(unit), title)


@router.get("/commodities")
def commodities_page(request: Request, session: SessionDep) -> Response:
    counts = fact_counts_by_commodity(session)
    return render(request, "commodities.html", {"counts": counts, "known": commodities()})


@router.get("/commodities/{commodity_id}")
def commodity_page(request: Request, session: SessionDep, commodity_id: str) -> Response:
    if commodity_id not in commodities():
        raise NotFound(f"no commodity with id {commodity_id!r}")
    loc = get_locale(request)
    overview = request.app.state.views.get(
        session, ("commodity", commodity_id, loc.lang), lambda: _commodity_overview(session, commodity_id, loc)
    )
    return render(request, "commodity.html", {"commodity": commodity_id, **overview})


@router.get("/prices")
def prices_page(request: Request, session: SessionDep) -> Response:
    board = request.app.state.views.get(session, "board", lambda: price_board(session))
    return render(request, "prices.html", {"board": board})


@router.get("/prices/{commodity_id}")
def price_page(
    request: Request,
    session: SessionDep,
    commodity_id: str,
    form: OptText = None,
    window: OptText = None,
) -> Response:
    from assay.analyze.prices import PriceQueryError, parse_window

    if commodity_id not in commodities():
        raise NotFound(f"no commodity with id {commodity_id!r}")
    chosen = filters.text(window, 20)
    try:
        days = parse_window(chosen) if chosen else None
    except PriceQueryError as exc:
        raise BadFilter(f"window {window!r}: {exc}") from exc
    wanted = filters.text(form, 20)
    found = [p for p in products(session) if p.commodity == commodity_id and p.form == wanted]
    if not found:
        raise NotFound(f"no prices stored for {commodity_id} {wanted or ''}".strip())
    product = found[0]
    assessment = assess(session, product, days) if days else latest_assessment(session, product)
    loc = get_locale(request)
    context = {
        "product": product,
        "assessment": assessment,
        "chart": _price_chart(product, price_history(session, product), loc),
        "window": chosen or "",
    }
    return render(request, "price.html", context)


def fact_filter(
    commodity: str | None,
    metric: str | None,
    geo: str | None,
    period: str | None,
    partner: str | None,
    unit: str | None,
    doc: str | None,
    sort: str | None,
    q: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> FactFilter:
    """The fact filters of /facts, its exports and /api/v1/facts, checked."""
    return FactFilter(
        commodity=filters.commodity(commodity),
        metric=filters.metric(metric),
        geo=filters.text(geo, 120),
        period=filters.period("period", period),
        partner=filters.text(partner, 120),
        unit=filters.unit(unit),
        doc=filters.text(doc, 300),
        order=filters.order(sort),
        text=filters.text(q),
        offset=offset,
        limit=limit,
    )


@router.get("/facts")
def facts_page(
    request: Request,
    session: SessionDep,
    commodity: OptText = None,
    metric: OptText = None,
    geo: OptText = None,
    period: OptText = None,
    partner: OptText = None,
    unit: OptText = None,
    doc: OptText = None,
    sort: OptText = None,
    q: OptText = None,
    page: int = 1,
) -> Response:
    size = request.app.state.settings.page_size
    flt = fact_filter(
        commodity, metric, geo, period, partner, unit, doc, sort, q, filters.page_offset(page, size), size
    )
    cap = list_count_cap(flt)
    total = count_facts(session, flt, cap)  # exact below the cap; at it, "more than cap - 1"
    context = {
        "facts": query_facts(session, flt),
        "total": total,
        "counted_to": cap - 1 if total >= cap else None,
        "flt": flt,
        "page": page,
        "size": size,
        "known": sorted(commodities()),
        "metrics": sorted(metrics()),
    }
    return render(request, "facts.html", context)


@router.get("/facts.{fmt}")
def facts_export(
    session: SessionDep,
    fmt: str,
    commodity: OptText = None,
    metric: OptText = None,
    geo: OptText = None,
    period: OptText = None,
    partner: OptText = None,
    unit: OptText = None,
    doc: OptText = None,
    sort: OptText = None,
    q: OptText = None,
) -> Response:
    if fmt not in exports.FORMATS:
        raise NotFound(f"no export format {fmt!r} (use {', '.join(exports.FORMATS)})")
    flt = fact_filter(commodity, metric, geo, period, partner, unit, doc, sort, q, 0, EXPORT_LIMIT)
    return exports.facts_response(query_facts(session, flt), fmt)


# charts on a page of the series page (fewer when they hold more than SERIES_PAGE_STATEMENTS
# statements: every statement is cited in the page's tables); the rest of a query on the next pages
SERIES_PER_PAGE = 6


@router.get("/series")
def series_page(
    request: Request,
    session: SessionDep,
    commodity: str | None = None,
    metric: str | None = None,
    geo: OptText = None,
    partner: OptText = None,
    form: OptText = None,
    unit: OptText = None,
    page: int = 1,
) -> Response:
    checked_commodity, checked_metric = filters.commodity(commodity), filters.metric(metric)
    if checked_commodity is None or checked_metric is None:
        raise BadFilter("commodity and metric are both needed for a series")
    query = SeriesQuery(
        checked_commodity,
        checked_metric,
        geo=filters.text(geo, 120),
        partner=filters.text(partner, 120),
        form=filters.text(form, 20),
        unit=filters.unit(unit),
    )
    shown = series_budget_page(session, query, max(1, page), SERIES_PER_PAGE, SERIES_PAGE_STATEMENTS)
    found = shown.series
    loc = get_locale(request)
    charts = [
        line_chart(
            [
                LinePoint(
                    loc.period(o.period),
                    o.value,
                    tip=f"{loc.period(o.period)}: {loc.amount(o.value, o.unit, o.value_high)}",
                )
                for o in s.observations
            ],
            loc.unit(str(s.fields["unit"])),
            s.label(),
        )
        for s in found
    ]
    context = {
        "series": list(zip(found, charts, strict=True)),
        "query": query,
        "page": max(1, page),
        "more": shown.more,
    }
    return render(request, "series.html", context)


@router.get("/events")
def events_page(
    request: Request,
    session: SessionDep,
    commodity: OptText = None,
    type: OptText = None,
    actor: OptText = None,
    since: OptText = None,
    until: OptText = None,
    page: int = 1,
) -> Response:
    size = request.app.state.settings.page_size
    offset = filters.page_offset(page, size)
    flt = EventFilter(
        commodity=filters.commodity(commodity),
        type=filters.event_type(type),
        actor=filters.text(actor, 120),
        since=filters.period("since", since),
        until=filters.period("until", until),
    )
    found = query_events(session, flt)
    context = {
        "events": found[offset : offset + size],
        "total": len(found),
        "flt": flt,
        "page": page,
        "size": size,
        "known": sorted(commodities()),
        "types": EVENT_TYPES,
    }
    return render(request, "events.html", context)


@router.get("/events/{event_id}")
def event_page(request: Request, session: SessionDep, event_id: int) -> Response:
    event = get_event(session, event_id) if 0 < event_id < 2**62 else None
    if event is None:
        raise NotFound(f"no event with id {event_id}")
    impacts = event_impacts(session, event, ImpactOptions())
    return render(request, "event.html", {"event": event, "impacts": impacts, "caveat": CAVEAT})
