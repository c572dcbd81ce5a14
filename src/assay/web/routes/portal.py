"""Pages: the dashboard, news (and its Atom feed), a document with its facts marked, search,
the language switch and the API's documentation."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from assay.analyze.ask import answer_question
from assay.analyze.checks import CheckOptions, run_checks
from assay.analyze.portal import fact_context, key_figures, price_board
from assay.editorial.markdown import plain_text
from assay.editorial.roles import Permission, can
from assay.pipeline import families_of
from assay.store.articles import Article, ArticleQuery, list_articles, search_articles
from assay.store.browse import DocumentQuery, document_choices, duplicates_of, query_documents, store_fingerprint
from assay.store.corrections import standing_for_document
from assay.store.documents import get_document, get_families, list_documents
from assay.store.events import EventFilter, query_events
from assay.store.facts import FactFilter, query_facts
from assay.vocab import commodities
from assay.web import filters
from assay.web.deps import LANGUAGE_COOKIE, SessionDep, current_user
from assay.web.errors import NotFound
from assay.web.i18n import LANGUAGES
from assay.web.rendering import highlight, render

router = APIRouter(include_in_schema=False)
OptText = Annotated[str | None, Query()]
FAMILIES = tuple(c.id for c in commodities().values() if c.parent is None)


def _dashboard(session: Session) -> dict[str, Any]:
    figures = []
    for family in FAMILIES:
        found = key_figures(session, family, limit=1)
        if found:
            figures.append((family, found[0]))
    # newest by when they were reported: a plan dated 2030 is not news for years
    events = sorted(
        query_events(session, EventFilter()),
        key=lambda e: (max((m.published or "" for m in e.mentions), default=""), e.id),
        reverse=True,
    )
    return {
        "board": price_board(session),
        "figures": figures,
        "events": events[:8],
        "contradictions": run_checks(session, CheckOptions(kinds=("contradiction",), limit=8)),
    }


@router.get("/")
def dashboard(request: Request, session: SessionDep) -> Response:
    documents, _, last_fact, *_ = store_fingerprint(session)
    if documents == 0 and last_fact == 0:
        return render(request, "empty.html", {})
    views = request.app.state.views.get(session, "dashboard", lambda: _dashboard(session))
    latest = list_documents(session, limit=8, include_duplicates=False)
    newest_articles, _ = list_articles(session, ArticleQuery(limit=4))
    return render(request, "dashboard.html", {**views, "latest": latest, "articles": newest_articles})


@router.get("/language")
def switch_language(hl: str = "en", next: str = "/") -> Response:
    """Set the language cookie and go back; only paths of this site are followed."""
    parts = urlsplit(next)
    target = next if not parts.scheme and not parts.netloc and next.startswith("/") and "\\" not in next else "/"
    response = RedirectResponse(target, status_code=303)
    if hl in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, hl, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def news_query(
    commodity: str | None,
    lang: str | None,
    source: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    q: str | None,
    offset: int = 0,
    limit: int = 25,
) -> DocumentQuery:
    """The document filters of /news, /news.atom and /api/v1/documents, checked."""
    return DocumentQuery(
        family=filters.family(commodity),
        lang=filters.lang(lang),
        source=filters.text(source, 300),
        kind=filters.text(kind, 16),
        since=filters.period("since", since),
        until=filters.period("until", until),
        text=filters.text(q),
        offset=offset,
        limit=limit,
    )


def news_articles(session: Session, query: DocumentQuery, limit: int = 10) -> list[Article]:
    """Published articles that pass the news filters (kind and source are documents' alone)."""
    if query.source or query.kind:
        return []
    wanted = ArticleQuery(lang=query.lang, text=query.text, since=query.since, until=query.until, limit=1000)
    found = list_articles(session, wanted)[0]
    if query.family:  # the news filter names a family (magnesia, magnets...); an article names commodities
        found = [a for a in found if query.family in families_of(a.fields.commodities)]
    return found[:limit]


@router.get("/news")
def news(
    request: Request,
    session: SessionDep,
    commodity: OptText = None,
    lang: OptText = None,
    source: OptText = None,
    kind: OptText = None,
    since: OptText = None,
    until: OptText = None,
    q: OptText = None,
    page: int = 1,
) -> Response:
    size = request.app.state.settings.page_size
    query = news_query(commodity, lang, source, kind, since, until, q, filters.page_offset(page, size), size)
    found = query_documents(session, query)
    context = {
        "found": found,
        "articles": news_articles(session, query) if page == 1 else [],
        "query": query,
        "page": page,
        "size": size,
        "choices": request.app.state.views.get(session, "choices", lambda: document_choices(session)),
    }
    return render(request, "news.html", context)


@router.get("/news.atom")
def news_feed(
    request: Request,
    session: SessionDep,
    commodity: OptText = None,
    lang: OptText = None,
    source: OptText = None,
    kind: OptText = None,
    since: OptText = None,
    until: OptText = None,
    q: OptText = None,
) -> Response:
    query = news_query(commodity, lang, source, kind, since, until, q, 0, 50)
    found = query_documents(session, query)
    base = str(request.base_url).rstrip("/")
    atom = "http://www.w3.org/2005/Atom"
    ElementTree.register_namespace("", atom)
    feed = ElementTree.Element(f"{{{atom}}}feed")
    ElementTree.SubElement(feed, f"{{{atom}}}title").text = "assay news"
    ElementTree.SubElement(feed, f"{{{atom}}}id").text = base + str(request.url.path) + "?" + request.url.query
    newest = max((d.published or d.fetched_at.date().isoformat() for d in found.documents), default="1970-01-01")
    ElementTree.SubElement(feed, f"{{{atom}}}updated").text = f"{newest}T00:00:00Z"
    ElementTree.SubElement(feed, f"{{{atom}}}link", href=base + "/news", rel="alternate")
    for article in news_articles(session, query):
        entry = ElementTree.SubElement(feed, f"{{{atom}}}entry")
        link = f"{base}/articles/{article.slug}"
        ElementTree.SubElement(entry, f"{{{atom}}}title").text = article.fields.title
        ElementTree.SubElement(entry, f"{{{atom}}}id").text = link
        ElementTree.SubElement(entry, f"{{{atom}}}link", href=link)
        stamp = article.published_at or article.updated_at
        ElementTree.SubElement(entry, f"{{{atom}}}updated").text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        author = ElementTree.SubElement(entry, f"{{{atom}}}author")
        ElementTree.SubElement(author, f"{{{atom}}}name").text = article.author
        ElementTree.SubElement(entry, f"{{{atom}}}category", term=article.fields.kind)
        ElementTree.SubElement(entry, f"{{{atom}}}summary").text = plain_text(article.fields.body)
    for doc in found.documents:
        entry = ElementTree.SubElement(feed, f"{{{atom}}}entry")
        link = f"{base}/documents/{doc.id}"
        ElementTree.SubElement(entry, f"{{{atom}}}title").text = doc.title or doc.name
        ElementTree.SubElement(entry, f"{{{atom}}}id").text = link
        ElementTree.SubElement(entry, f"{{{atom}}}link", href=link)
        day = doc.published or doc.fetched_at.date().isoformat()
        ElementTree.SubElement(entry, f"{{{atom}}}updated").text = f"{day}T00:00:00Z"
        author = ElementTree.SubElement(entry, f"{{{atom}}}author")
        ElementTree.SubElement(author, f"{{{atom}}}name").text = doc.source_name or doc.source
        if doc.id in found.snippets:
            ElementTree.SubElement(entry, f"{{{atom}}}summary").text = found.snippets[doc.id]
    body = ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/documents/{document_id}")
def document_page(request: Request, session: SessionDep, document_id: int) -> Response:
    doc = get_document(session, document_id) if 0 < document_id < 2**62 else None
    if doc is None:
        raise NotFound(f"no document with id {document_id}")

    def around() -> dict[str, Any]:
        """What the page shows beside the text: facts with their series points, events, copies."""
        facts = query_facts(session, FactFilter(document_id=document_id))
        return {
            "facts": facts,
            "contexts": {f.id: fact_context(session, f) for f in facts},
            "events": query_events(session, EventFilter(document_id=document_id)),
            "duplicates": duplicates_of(session, document_id),
            "families": get_families(session, document_id),
        }

    beside = request.app.state.views.get(session, ("document", document_id), around)
    original = get_document(session, doc.duplicate_of) if doc.duplicate_of else None
    context = {"doc": doc, "pieces": highlight(doc.clean_text, beside["facts"]), "original": original, **beside}
    context["can_correct"] = can(current_user(request).role, Permission.CORRECT_FACTS)
    standing = standing_for_document(session, document_id)
    context["corrected"] = {c.fact_id: c for c in standing if c.action == "correct" and c.fact_id is not None}
    context["rejected"] = [c for c in standing if c.action == "reject"]
    return render(request, "document.html", context)


@router.get("/search")
def search_page(request: Request, session: SessionDep, q: OptText = None) -> Response:
    words = filters.text(q)
    context: dict[str, Any] = {"q": words or "", "documents": None, "facts": [], "answer": None, "articles": []}
    if words:
        context["articles"] = search_articles(session, words, limit=5)
        context["documents"] = query_documents(session, DocumentQuery(text=words, limit=10))
        context["facts"] = query_facts(session, FactFilter(text=words, limit=10, order="newest"))
        context["answer"] = answer_question(session, words)
    return render(request, "search.html", context)


@router.get("/docs")
def api_docs(request: Request) -> Response:
    """The API described from its own OpenAPI document, rendered here (no CDN script)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            params = [
                (p["name"], p.get("in", ""), p.get("required", False), p.get("description", ""))
                for p in operation.get("parameters", [])
            ]
            operations.append(
                (method.upper(), path, operation.get("summary", ""), operation.get("description", ""), params)
            )
    return render(request, "api_docs.html", {"operations": operations})
