"""Editorial articles with their editing history. Every save names the version it was based on;
a save based on an older version is refused (`StaleVersion`) and changes nothing, so two
analysts editing one article never overwrite each other silently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from assay.store.facts import commodity_and_descendants
from assay.store.schema import ArticleRow, ArticleVersionRow

ARTICLE_KINDS = ("news", "blog", "interview", "analysis", "report")
ARTICLE_STATES = ("draft", "published", "withdrawn")


class ArticleError(ValueError):
    """An article operation that cannot be done; str() says why."""


class StaleVersion(ArticleError):
    """A save based on a version that is no longer the latest."""

    def __init__(self, slug: str, based_on: int, current: int, by: str) -> None:
        super().__init__(
            f"article {slug!r} was changed by {by} (version {current}) after you opened version {based_on}; "
            "your text was not saved over theirs: reload, merge your changes and save again"
        )
        self.current = current


@dataclass(frozen=True)
class ArticleFields:
    """What an editor sets."""

    title: str
    body: str
    kind: str = "analysis"
    lang: str = "en"
    commodities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    id: int
    slug: str
    fields: ArticleFields
    state: str
    version: int
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    last_editor: str = field(default="")


@dataclass(frozen=True)
class ArticleVersion:
    version: int
    title: str
    body: str
    state: str
    user: str
    saved_at: dt.datetime


@dataclass(frozen=True)
class ArticleQuery:
    state: str | None = "published"
    commodity: str | None = None
    kind: str | None = None
    lang: str | None = None
    text: str | None = None
    since: str | None = None  # a date or its prefix (2024, 2024-05), on the publication date
    until: str | None = None
    limit: int = 50
    offset: int = 0


def create_article(session: Session, slug: str, fields: ArticleFields, author: str) -> Article:
    if session.scalar(select(ArticleRow.id).where(ArticleRow.slug == slug)) is not None:
        raise ArticleError(f"an article {slug!r} exists already")
    now = _now()
    row = ArticleRow(
        slug=slug, state="draft", version=1, author=author, created_at=now, updated_at=now, **_columns(fields)
    )
    session.add(row)
    session.flush()
    _keep_version(session, row, author)
    return _article(row, author)


def save_article(session: Session, slug: str, fields: ArticleFields, based_on: int, user: str) -> Article:
    """Save new text over version `based_on`; StaleVersion when someone saved meanwhile."""
    return _change(session, slug, based_on, user, _columns(fields))


def set_state(session: Session, slug: str, state: str, based_on: int, user: str) -> Article:
    if state not in ARTICLE_STATES:
        raise ArticleError(f"unknown state {state!r}; one of {', '.join(ARTICLE_STATES)}")
    values: dict[str, Any] = {"state": state}
    if state == "published":
        values["published_at"] = _now()
    return _change(session, slug, based_on, user, values)


def get_article(session: Session, slug: str) -> Article | None:
    row = session.scalars(select(ArticleRow).where(ArticleRow.slug == slug)).first()
    return _article(row, _last_editor(session, row)) if row is not None else None


def versions(session: Session, slug: str) -> list[ArticleVersion]:
    stmt = (
        select(ArticleVersionRow)
        .join(ArticleRow, ArticleRow.id == ArticleVersionRow.article_id)
        .where(ArticleRow.slug == slug)
        .order_by(ArticleVersionRow.version)
    )
    return [ArticleVersion(r.version, r.title, r.body, r.state, r.user_name, r.saved_at) for r in session.scalars(stmt)]


def list_articles(session: Session, query: ArticleQuery) -> tuple[list[Article], int]:
    """One page of articles, newest first (published date, else last change), and the total."""
    stmt = select(ArticleRow)
    if query.state is not None:
        stmt = stmt.where(ArticleRow.state == query.state)
    for column, wanted in ((ArticleRow.kind, query.kind), (ArticleRow.lang, query.lang)):
        if wanted:
            stmt = stmt.where(column == wanted)
    rows = session.scalars(
        stmt.order_by(func.coalesce(ArticleRow.published_at, ArticleRow.updated_at).desc(), ArticleRow.id.desc())
    ).all()
    if query.commodity:  # the commodity or one under it: `rare_earths` finds an article about `prnd`
        family = set(commodity_and_descendants(query.commodity))
        rows = [row for row in rows if family & set(row.commodities or [])]
    if query.since or query.until:
        rows = [row for row in rows if _within(row.published_at, query.since, query.until)]
    if query.text:
        words = query.text.lower().split()
        rows = [row for row in rows if all(w in f"{row.title}\n{row.body}".lower() for w in words)]
    page = rows[query.offset : query.offset + query.limit]
    return [_article(row, row.author) for row in page], len(rows)


def search_articles(session: Session, text: str, limit: int = 20) -> list[Article]:
    """Published articles whose title or body contain every word (substring match, so Chinese works)."""
    words = [w for w in text.split() if w]
    if not words:
        return []
    stmt = select(ArticleRow).where(ArticleRow.state == "published")
    for word in words:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(ArticleRow.title.ilike(pattern), ArticleRow.body.ilike(pattern)))
    rows = session.scalars(stmt.order_by(ArticleRow.published_at.desc()).limit(limit)).all()
    return [_article(row, row.author) for row in rows]


def _change(session: Session, slug: str, based_on: int, user: str, values: dict[str, Any]) -> Article:
    row = session.scalars(select(ArticleRow).where(ArticleRow.slug == slug)).first()
    if row is None:
        raise ArticleError(f"no article {slug!r}")
    # compare-and-set in one statement, so two concurrent saves cannot both pass the check
    done = session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == row.id, ArticleRow.version == based_on)
        .values(**values, version=based_on + 1, updated_at=_now())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE has rowcount
        session.refresh(row)
        raise StaleVersion(slug, based_on, row.version, _last_editor(session, row))
    session.refresh(row)
    _keep_version(session, row, user)
    return _article(row, user)


def _keep_version(session: Session, row: ArticleRow, user: str) -> None:
    session.add(
        ArticleVersionRow(
            article_id=row.id,
            version=row.version,
            title=row.title,
            body=row.body,
            state=row.state,
            user_name=user,
            saved_at=row.updated_at,
        )
    )
    session.flush()


def _last_editor(session: Session, row: ArticleRow) -> str:
    stmt = select(ArticleVersionRow.user_name).where(
        ArticleVersionRow.article_id == row.id, ArticleVersionRow.version == row.version
    )
    return str(session.scalar(stmt) or row.author)


def _columns(fields: ArticleFields) -> dict[str, Any]:
    if fields.kind not in ARTICLE_KINDS:
        raise ArticleError(f"unknown kind {fields.kind!r}; one of {', '.join(ARTICLE_KINDS)}")
    if not fields.title.strip():
        raise ArticleError("an article needs a title")
    return {
        "title": fields.title.strip(),
        "body": fields.body,
        "kind": fields.kind,
        "lang": fields.lang,
        "commodities": list(fields.commodities),
        "tags": list(fields.tags),
    }


def _article(row: ArticleRow, last_editor: str) -> Article:
    fields = ArticleFields(row.title, row.body, row.kind, row.lang, tuple(row.commodities or ()), tuple(row.tags or ()))
    return Article(
        row.id, row.slug, fields, row.state, row.version, row.author, row.created_at, row.updated_at, row.published_at,
        last_editor,
    )  # fmt: skip


def _within(published: dt.datetime | None, since: str | None, until: str | None) -> bool:
    if published is None:
        return False
    day = published.date().isoformat()
    return (since is None or day >= since) and (until is None or day[: len(until)] <= until)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
