"""Pages and API for analysts' work: articles (reading, the editor, publishing) and corrections of facts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from assay.editorial import articles, corrections
from assay.editorial.citations import CitationStyle
from assay.editorial.markdown import plain_text
from assay.editorial.roles import Permission, can
from assay.store import articles as articles_repo
from assay.store.articles import ARTICLE_KINDS, ArticleFields, ArticleQuery
from assay.store.corrections import CORRECTABLE, CorrectionError
from assay.store.facts import get_facts, stored_fact_json
from assay.vocab import commodities
from assay.web import charts, filters
from assay.web.deps import SessionDep, User, UserDep, get_locale, get_store
from assay.web.errors import BadFilter, NotFound
from assay.web.rendering import render
from assay.web.routes.api import Page, json_response, paged

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"])
FormText = Annotated[str, Form()]
FactId = Annotated[int, Path(ge=1, le=2**53, description="A fact's id.")]
OptForm = Annotated[str, Form()]
ARTICLES_PAGE = 20


def citation_style(request: Request) -> CitationStyle:
    locale = get_locale(request)
    return CitationStyle(
        amount=lambda value, unit: locale.amount(value, unit), chart=lambda v: str(charts.sparkline(v))
    )


def _writer(user: User) -> bool:
    return can(user.role, Permission.WRITE_ARTICLES)


def article_query(commodity: str | None, kind: str | None, lang: str | None, q: str | None, page: int) -> ArticleQuery:
    if kind is not None and kind not in ARTICLE_KINDS:
        raise BadFilter(f"kind: one of {', '.join(ARTICLE_KINDS)}")
    return ArticleQuery(
        commodity=filters.commodity(commodity),
        kind=kind,
        lang=filters.lang(lang),
        text=filters.text(q),
        limit=ARTICLES_PAGE,
        offset=filters.page_offset(page, ARTICLES_PAGE),
    )


@router.get("/articles")
def articles_page(
    request: Request,
    session: SessionDep,
    commodity: str | None = None,
    kind: str | None = None,
    lang: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> Response:
    query = article_query(commodity, kind, lang, q, page)
    found, total = articles_repo.list_articles(session, query)
    context = {"articles": found, "total": total, "page": page, "size": ARTICLES_PAGE, "kinds": ARTICLE_KINDS}
    context.update(query=query, summary=plain_text)
    return render(request, "articles.html", context)


@router.get("/articles/{slug}")
def article_page(request: Request, session: SessionDep, user: UserDep, slug: str) -> Response:
    article = articles_repo.get_article(session, slug)
    if article is None or (article.state == "draft" and not _writer(user)):
        raise NotFound(f"no article {slug!r}")
    rendered = articles.render(session, article.fields.body, citation_style(request))
    return render(request, "article.html", {"article": article, "rendered": rendered, "writer": _writer(user)})


@router.get("/editor")
def editor_list(request: Request, session: SessionDep) -> Response:
    found, _ = articles_repo.list_articles(session, ArticleQuery(state=None, limit=500))
    return render(request, "editor_list.html", {"articles": found})


def _fields(title: str, body: str, kind: str, lang: str, commodity_ids: str, tags: str) -> ArticleFields:
    return ArticleFields(title, body.replace("\r\n", "\n"), kind, lang, _split(commodity_ids), _split(tags))


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _editor(
    request: Request,
    session: Session,
    fields: ArticleFields,
    *,
    article: articles_repo.Article | None,
    based_on: int,
    message: str | None = None,
    theirs: articles_repo.Article | None = None,
    status: int = 200,
) -> Response:
    rendered = articles.render(session, fields.body, citation_style(request))
    context: dict[str, Any] = {
        "article": article,
        "fields": fields,
        "based_on": based_on,
        "rendered": rendered,
        "message": message,
        "theirs": theirs,
        "kinds": ARTICLE_KINDS,
        "commodity_ids": sorted(commodities()),
        "history": articles_repo.versions(session, article.slug) if article else [],
    }
    return render(request, "editor.html", context, status_code=status)


@router.get("/editor/new")
def editor_new(request: Request, session: SessionDep) -> Response:
    return _editor(request, session, ArticleFields("", ""), article=None, based_on=0)


@router.post("/editor/new")
def editor_create(
    request: Request,
    user: UserDep,
    title: FormText = "",
    body: OptForm = "",
    kind: OptForm = "analysis",
    lang: OptForm = "en",
    commodity_ids: Annotated[str, Form(alias="commodities")] = "",
    tags: OptForm = "",
    action: OptForm = "save",
) -> Response:
    fields = _fields(title, body, kind, lang, commodity_ids, tags)
    store = get_store(request)
    if action == "preview":
        with store.session() as session:
            return _editor(request, session, fields, article=None, based_on=0)
    try:
        with store.transaction() as session:
            article = articles.create(session, fields, user.name or "")
    except articles.ArticleError as exc:
        with store.session() as session:
            return _editor(request, session, fields, article=None, based_on=0, message=str(exc), status=400)
    return RedirectResponse(f"/editor/{article.slug}", status_code=303)


@router.get("/editor/{slug}")
def editor_page(request: Request, session: SessionDep, slug: str) -> Response:
    article = articles_repo.get_article(session, slug)
    if article is None:
        raise NotFound(f"no article {slug!r}")
    return _editor(request, session, article.fields, article=article, based_on=article.version)


@router.post("/editor/{slug}")
def editor_save(
    request: Request,
    user: UserDep,
    slug: str,
    based_on: Annotated[int, Form()],
    title: FormText = "",
    body: OptForm = "",
    kind: OptForm = "analysis",
    lang: OptForm = "en",
    commodity_ids: Annotated[str, Form(alias="commodities")] = "",
    tags: OptForm = "",
    action: OptForm = "save",
) -> Response:
    fields = _fields(title, body, kind, lang, commodity_ids, tags)
    store = get_store(request)
    with store.session() as session:
        article = articles_repo.get_article(session, slug)
        if article is None:
            raise NotFound(f"no article {slug!r}")
        if action == "preview":
            return _editor(request, session, fields, article=article, based_on=based_on)
    try:
        with store.transaction() as session:
            saved = articles.save(session, slug, fields, based_on, user.name or "")
    except articles.StaleVersion as exc:  # the user's text goes back into the form: nothing is lost
        with store.session() as session:
            theirs = articles_repo.get_article(session, slug)
            return _editor(
                request, session, fields, article=theirs, based_on=based_on, message=str(exc), theirs=theirs, status=409
            )
    except articles.ArticleError as exc:
        with store.session() as session:
            return _editor(request, session, fields, article=article, based_on=based_on, message=str(exc), status=400)
    return RedirectResponse(f"/editor/{saved.slug}?saved={saved.version}", status_code=303)


@router.post("/editor/{slug}/state")
def editor_state(
    request: Request, user: UserDep, slug: str, based_on: Annotated[int, Form()], action: FormText
) -> Response:
    steps = {"publish": articles.publish, "withdraw": articles.withdraw, "draft": articles.unpublish_to_draft}
    if action not in steps:
        raise BadFilter(f"action: one of {', '.join(steps)}")
    store = get_store(request)
    try:
        with store.transaction() as session:
            article = steps[action](session, slug, based_on, user.name or "")
    except articles.ArticleError as exc:
        with store.session() as session:
            current = articles_repo.get_article(session, slug)
            if current is None:
                raise NotFound(f"no article {slug!r}") from exc
            status = 409 if isinstance(exc, articles.StaleVersion) else 400
            return _editor(
                request, session, current.fields, article=current, based_on=current.version, message=str(exc),
                status=status,
            )  # fmt: skip
    target = f"/articles/{article.slug}" if article.state == "published" else f"/editor/{article.slug}"
    return RedirectResponse(target, status_code=303)


def _document_of(session: Session, fact_id: int) -> int:
    found = get_facts(session, [fact_id]).get(fact_id)
    if found is None:
        raise NotFound(f"no fact {fact_id}")
    if found.document_id is None:
        raise BadFilter(f"fact {fact_id} comes from a reference dataset; correct the dataset and re-import it")
    return found.document_id


@router.post("/facts/{fact_id}/correct")
def correct_fact_form(
    request: Request,
    user: UserDep,
    fact_id: FactId,
    reason: FormText,
    value: OptForm = "",
    value_high: OptForm = "",
    unit: OptForm = "",
    period: OptForm = "",
    commodity: OptForm = "",
    metric: OptForm = "",
    geo: OptForm = "",
    partner: OptForm = "",
) -> Response:
    raw = {"value": value, "value_high": value_high, "unit": unit, "period": period, "commodity": commodity}
    raw.update(metric=metric, geo=geo, partner=partner)
    with get_store(request).transaction() as session:
        document_id = _document_of(session, fact_id)
        try:
            done = corrections.correct(session, fact_id, corrections.parse_changes(raw), reason, user.name or "")
        except CorrectionError as exc:
            raise BadFilter(f"fact {fact_id}: {exc}") from exc
    return RedirectResponse(f"/documents/{document_id}#fact-{done.fact_id}", status_code=303)


@router.post("/facts/{fact_id}/reject")
def reject_fact_form(request: Request, user: UserDep, fact_id: FactId, reason: FormText) -> Response:
    with get_store(request).transaction() as session:
        document_id = _document_of(session, fact_id)
        try:
            corrections.reject(session, fact_id, reason, user.name or "")
        except CorrectionError as exc:
            raise BadFilter(f"fact {fact_id}: {exc}") from exc
    return RedirectResponse(f"/documents/{document_id}#rejected", status_code=303)


def article_json(article: articles_repo.Article, html: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "slug": article.slug,
        "title": article.fields.title,
        "kind": article.fields.kind,
        "lang": article.fields.lang,
        "commodities": list(article.fields.commodities),
        "tags": list(article.fields.tags),
        "state": article.state,
        "version": article.version,
        "author": article.author,
        "published_at": article.published_at.isoformat() + "Z" if article.published_at else None,
        "updated_at": article.updated_at.isoformat() + "Z",
        "summary": plain_text(article.fields.body),
    }
    if html is not None:
        out["body_markdown"] = article.fields.body
        out["body_html"] = html
    return out


@api.get("/articles")
def api_articles(
    request: Request,
    session: SessionDep,
    commodity: str | None = None,
    kind: str | None = None,
    lang: str | None = None,
    q: str | None = None,
    page: Page = 1,
) -> Response:
    """Published articles, newest first, as {"items", "total", "page", "per_page", "next"}."""
    query = article_query(commodity, kind, lang, q, page)
    found, total = articles_repo.list_articles(session, query)
    return paged(request, [article_json(a) for a in found], total, page, ARTICLES_PAGE)


@api.get("/articles/{slug}")
def api_article(request: Request, session: SessionDep, slug: str) -> Response:
    """One published article with its Markdown, its HTML (citations resolved now) and its citations."""
    article = articles_repo.get_article(session, slug)
    if article is None or article.state != "published":
        raise NotFound(f"no published article {slug!r}")
    rendered = articles.render(session, article.fields.body, CitationStyle())
    out = article_json(article, rendered.html)
    out["citations"] = [
        {"token": c.token, "fact": stored_fact_json(c.fact) if c.fact else None, "link": c.link, "error": c.error}
        for c in rendered.citations.values()
    ]
    return json_response(request, out)


@api.get("/facts/{fact_id}/history")
def api_fact_history(request: Request, session: SessionDep, fact_id: FactId) -> Response:
    """Every correction of a fact: who, when, why, before and after."""
    return json_response(request, [c.fields() for c in corrections.history(session, fact_id)])


@api.post("/facts/{fact_id}/correction", status_code=201)
def api_correct(
    request: Request, user: UserDep, fact_id: FactId, payload: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Correct a fact: {"reason": "...", "value": ..., "unit": ..., ...} (any of the correctable fields)."""
    reason = str(payload.get("reason") or "")
    raw = {k: (None if payload.get(k) is None else str(payload[k])) for k in CORRECTABLE if k in payload}
    unknown = sorted(set(payload) - set(CORRECTABLE) - {"reason"})
    if unknown:
        raise BadFilter(f"not correctable: {', '.join(unknown)}")
    with get_store(request).transaction() as session:
        _document_of(session, fact_id)
        try:
            done = corrections.correct(session, fact_id, corrections.parse_changes(raw), reason, user.name or "")
        except CorrectionError as exc:
            raise BadFilter(str(exc)) from exc
    return done.fields()


@api.post("/facts/{fact_id}/rejection", status_code=201)
def api_reject(
    request: Request, user: UserDep, fact_id: FactId, payload: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Reject a fact: {"reason": "..."}."""
    with get_store(request).transaction() as session:
        _document_of(session, fact_id)
        try:
            done = corrections.reject(session, fact_id, str(payload.get("reason") or ""), user.name or "")
        except CorrectionError as exc:
            raise BadFilter(str(exc)) from exc
    return done.fields()
