"""Jinja2 templates (autoescaped, always) and the context every page shares: the reader's locale,
the navigation bar, the language switch and query-string helpers; and a document's text cut into
pieces, so that a template marks the quoted facts while escaping everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from assay.store.facts import StoredFact
from assay.web import charts
from assay.web.csrf import csrf_token
from assay.web.deps import current_user, get_locale

NAV = (
    ("/", "nav.dashboard"),
    ("/news", "nav.news"),
    ("/commodities", "nav.commodities"),
    ("/prices", "nav.prices"),
    ("/facts", "nav.facts"),
    ("/events", "nav.events"),
    ("/search", "nav.search"),
    ("/articles", "nav.articles"),
    ("/reports", "nav.reports"),
    ("/docs", "nav.api"),
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("assay.web", "templates"),
        autoescape=True,  # every template, whatever its name: document text is never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(nav=NAV, sparkline=charts.sparkline)
    return env


def with_query(request: Request, **changes: object) -> str:
    """The current path with its query changed: None removes a parameter; `page` resets unless given."""
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    locale = get_locale(request)
    path = request.url.path
    other = "en" if locale.lang == "zh" else "zh"
    next_url = path + (f"?{request.url.query}" if request.url.query else "")
    full = {
        "request": request,
        "loc": locale,
        "t": locale.t,
        "lang": locale.lang,
        "path": path,
        "user": current_user(request),
        "csrf": csrf_token(request),
        "switch_url": "/language?" + urlencode({"hl": other, "next": next_url}),
        "with_query": lambda **changes: with_query(request, **changes),
        **context,
    }
    html = environment().get_template(template).render(full)
    return HTMLResponse(html, status_code=status_code)


@dataclass(frozen=True)
class Piece:
    text: str
    fact_ids: tuple[int, ...] = ()  # the facts quoting this piece; empty for plain text


def highlight(text: str, facts: Sequence[StoredFact]) -> list[Piece]:
    """Pieces covering `text` in order. Facts quoting the same sentence share one piece; a fact whose
    span overlaps an earlier piece joins that piece; spans outside the text are left unmarked."""
    spans = sorted((f.fact.start, f.fact.end, f.id) for f in facts if 0 <= f.fact.start < f.fact.end <= len(text))
    pieces: list[Piece] = []
    at = 0
    for start, end, fact_id in spans:
        if start < at:
            last = pieces[-1]
            pieces[-1] = Piece(last.text, (*last.fact_ids, fact_id))
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], (fact_id,)))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces
