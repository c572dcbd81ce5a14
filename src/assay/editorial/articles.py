"""Writing articles: drafts, saves that refuse to overwrite a newer version, publishing only
when every citation resolves, withdrawing; rendering with citations read from the store now."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assay.editorial.citations import Citation, CitationStyle, errors, render_citation, resolve
from assay.editorial.markdown import render_markdown
from assay.store import articles as repo
from assay.store import audit
from assay.store.articles import Article, ArticleError, ArticleFields, StaleVersion
from assay.vocab import commodities

LANGUAGES = ("en", "zh")

__all__ = ["Article", "ArticleError", "ArticleFields", "Rendered", "StaleVersion"]


@dataclass(frozen=True)
class Rendered:
    html: str
    citations: dict[str, Citation]

    @property
    def errors(self) -> list[str]:
        return errors(self.citations)


def slugify(title: str) -> str:
    """A URL name from a title: ASCII words joined by `-`; Chinese titles keep their characters."""
    text = unicodedata.normalize("NFKC", title).lower()
    words = re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]+", text)
    return "-".join(words)[:80].strip("-") or "article"


def validate(fields: ArticleFields) -> ArticleFields:
    if fields.lang not in LANGUAGES:
        raise ArticleError(f"language {fields.lang!r}: one of {', '.join(LANGUAGES)}")
    unknown = [c for c in fields.commodities if c not in commodities()]
    if unknown:
        raise ArticleError(f"unknown commodity {', '.join(unknown)} (see vocab/data/commodities.csv)")
    tags = tuple(dict.fromkeys(t.strip() for t in fields.tags if t.strip()))
    return ArticleFields(fields.title, fields.body, fields.kind, fields.lang, tuple(fields.commodities), tags)


def create(session: Session, fields: ArticleFields, user: str, slug: str | None = None) -> Article:
    fields = validate(fields)
    base = slug or slugify(fields.title)
    candidate, n = base, 1
    while slug is None and repo.get_article(session, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    article = repo.create_article(session, candidate, fields, user)
    audit.record(session, user, "article.create", f"article:{article.slug}", {"title": fields.title})
    return article


def save(session: Session, slug: str, fields: ArticleFields, based_on: int, user: str) -> Article:
    article = repo.save_article(session, slug, validate(fields), based_on, user)
    audit.record(session, user, "article.save", f"article:{slug}", {"version": article.version})
    return article


def publish(session: Session, slug: str, based_on: int, user: str) -> Article:
    """Publish; refused while a citation names nothing stored."""
    current = _get(session, slug)
    problems = errors(resolve(session, current.fields.body))
    if problems:
        raise ArticleError("cannot publish while citations are broken: " + "; ".join(problems))
    return _set_state(session, slug, "published", based_on, user)


def withdraw(session: Session, slug: str, based_on: int, user: str) -> Article:
    if _get(session, slug).state != "published":
        raise ArticleError(f"article {slug!r} is not published")
    return _set_state(session, slug, "withdrawn", based_on, user)


def unpublish_to_draft(session: Session, slug: str, based_on: int, user: str) -> Article:
    return _set_state(session, slug, "draft", based_on, user)


def render(session: Session, body: str, style: CitationStyle | None = None) -> Rendered:
    citations = resolve(session, body)
    chosen = style or CitationStyle()
    html = render_markdown(body, lambda token: render_citation(citations[token], chosen))
    return Rendered(html, citations)


def _get(session: Session, slug: str) -> Article:
    article = repo.get_article(session, slug)
    if article is None:
        raise ArticleError(f"no article {slug!r}")
    return article


def _set_state(session: Session, slug: str, state: str, based_on: int, user: str) -> Article:
    article = repo.set_state(session, slug, state, based_on, user)
    audit.record(session, user, f"article.{state}", f"article:{slug}", {"version": article.version})
    return article
