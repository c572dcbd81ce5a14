"""`assay facts correct|reject|history`, `assay articles ...` and `assay audit` (`assay reextract`: cli/cluster.py).

Corrections and articles are made in the name of `--user`, who must be an active analyst or admin."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from assay.cli.app import EXIT_INPUT_FAILED, app, console, print_json
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.extract import facts_app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from assay.editorial.roles import Permission

articles_app = typer.Typer(
    help="Editorial articles in Markdown: new, edit, publish, withdraw, list, show.", no_args_is_help=True
)
app.add_typer(articles_app, name="articles")

UserOption = Annotated[str, typer.Option("--user", help="The analyst or admin making the change.")]
Reason = Annotated[str, typer.Option("--reason", help="Why: kept in the audit trail.")]


def _fail(message: str) -> typer.Exit:
    _error(message)
    return typer.Exit(EXIT_INPUT_FAILED)


def _require(session: Session, user: str, permission: Permission) -> None:
    from assay.editorial.roles import can
    from assay.store.accounts import get_user

    account = get_user(session, user)
    if account is None or account.disabled or not can(account.role, permission):
        raise _fail(f"--user {user}: not an active user allowed to {permission.value.replace('_', ' ')}")


@facts_app.command("correct")
def correct_command(
    fact_id: Annotated[int, typer.Argument(help="The fact's id (`assay facts` lists them).")],
    reason: Reason,
    user: UserOption,
    value: Annotated[str | None, typer.Option("--value", help="The right value.")] = None,
    value_high: Annotated[str | None, typer.Option("--value-high", help="The top of a range.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit id: t, CNY/t, pct_yoy, ...")] = None,
    period: Annotated[str | None, typer.Option("--period", help="2024, 2024-05, 2024-Q3, ...")] = None,
    commodity: Annotated[str | None, typer.Option("--commodity", help="Commodity id.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Metric id.")] = None,
    geo: Annotated[str | None, typer.Option("--geo", help="Geo code: CN, CN-LN, WORLD, company:<slug>.")] = None,
    partner: Annotated[str | None, typer.Option("--partner", help="Trade partner code; `none` removes it.")] = None,
) -> None:
    """Correct a fact; every analysis uses the corrected fact from now on, re-extraction included."""
    from assay.editorial import corrections
    from assay.editorial.roles import Permission

    raw = {"value": value, "value_high": value_high, "unit": unit, "period": period, "commodity": commodity}
    raw.update(metric=metric, geo=geo, partner=partner)
    with _open() as store, store.transaction() as session:
        _require(session, user, Permission.CORRECT_FACTS)
        try:
            done = corrections.correct(session, fact_id, corrections.parse_changes(raw), reason, user)
        except corrections.CorrectionError as exc:
            raise _fail(f"fact {fact_id}: {exc}") from exc
    changed = ", ".join(f"{k} {b!r} → {a!r}" for k, (b, a) in done.changes().items())
    console.print(f"fact {fact_id} corrected: {changed}", markup=False)


@facts_app.command("reject")
def reject_command(fact_id: int, reason: Reason, user: UserOption) -> None:
    """Reject a fact the extractor misread: it leaves every analysis, and stays in its history."""
    from assay.editorial import corrections
    from assay.editorial.roles import Permission

    with _open() as store, store.transaction() as session:
        _require(session, user, Permission.CORRECT_FACTS)
        try:
            corrections.reject(session, fact_id, reason, user)
        except corrections.CorrectionError as exc:
            raise _fail(f"fact {fact_id}: {exc}") from exc
    console.print(f"fact {fact_id} rejected", markup=False)


@facts_app.command("history")
def history_command(
    fact_id: int, as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False
) -> None:
    """Every correction of a fact: who, when, why, before and after."""
    from assay.editorial.corrections import history

    with _open() as store, store.session() as session:
        found = history(session, fact_id)
    if as_json:
        print_json([c.fields() for c in found])
        return
    if not found:
        console.print(f"fact {fact_id}: no corrections", markup=False)
        return
    table = Table("when", "who", "action", "changes", "reason", "state")
    for c in found:
        changes = "; ".join(f"{k}: {b} → {a}" for k, (b, a) in c.changes().items()) if c.after else "rejected"
        state = "superseded" if c.superseded else "in force"
        table.add_row(c.at.strftime("%Y-%m-%d %H:%M"), c.user, c.action, changes, c.reason, state)
    console.print(table)


def _read_body(path: Path | None) -> str:
    if path is None:
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: {exc}") from exc


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@articles_app.command("new")
def article_new_command(
    title: Annotated[str, typer.Option("--title", help="The headline.")],
    user: UserOption,
    body: Annotated[Path | None, typer.Option("--body", help="Markdown file (default: standard input).")] = None,
    kind: Annotated[str, typer.Option("--kind", help="news, blog, interview, analysis or report.")] = "analysis",
    lang: Annotated[str, typer.Option("--lang", help="en or zh.")] = "en",
    commodities: Annotated[str | None, typer.Option("--commodities", help="Commodity ids, comma separated.")] = None,
    tags: Annotated[str | None, typer.Option("--tags", help="Tags, comma separated.")] = None,
) -> None:
    """Write a new draft; prints its slug and version."""
    from assay.editorial import articles
    from assay.editorial.roles import Permission

    fields = articles.ArticleFields(title, _read_body(body), kind, lang, _split(commodities), _split(tags))
    with _open() as store, store.transaction() as session:
        _require(session, user, Permission.WRITE_ARTICLES)
        try:
            article = articles.create(session, fields, user)
        except articles.ArticleError as exc:
            raise _fail(f"article: {exc}") from exc
        problems = articles.render(session, fields.body).errors
    console.print(f"draft {article.slug} version {article.version}", markup=False)
    for problem in problems:
        _error(f"citation: {problem}")


@articles_app.command("edit")
def article_edit_command(
    slug: str,
    user: UserOption,
    based_on: Annotated[int, typer.Option("--version", help="The version your text is based on.")],
    body: Annotated[Path | None, typer.Option("--body", help="Markdown file (default: standard input).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="A new headline.")] = None,
) -> None:
    """Save new text; refused when someone saved a newer version since `--version`."""
    from assay.editorial import articles
    from assay.store.articles import get_article

    text = _read_body(body)
    with _open() as store, store.transaction() as session:
        _require_writer(session, user)
        current = get_article(session, slug)
        if current is None:
            raise _fail(f"no article {slug!r}")
        f = current.fields
        fields = articles.ArticleFields(title or f.title, text, f.kind, f.lang, f.commodities, f.tags)
        try:
            article = articles.save(session, slug, fields, based_on, user)
        except articles.ArticleError as exc:
            raise _fail(str(exc)) from exc
    console.print(f"saved {article.slug} version {article.version}", markup=False)


def _require_writer(session: Session, user: str) -> None:
    from assay.editorial.roles import Permission

    _require(session, user, Permission.WRITE_ARTICLES)


def _transition(slug: str, user: str, based_on: int | None, action: str) -> None:
    from assay.editorial import articles
    from assay.store.articles import get_article

    with _open() as store, store.transaction() as session:
        _require_writer(session, user)
        current = get_article(session, slug)
        if current is None:
            raise _fail(f"no article {slug!r}")
        step = {"publish": articles.publish, "withdraw": articles.withdraw, "draft": articles.unpublish_to_draft}[
            action
        ]
        try:
            article = step(session, slug, based_on if based_on is not None else current.version, user)
        except articles.ArticleError as exc:
            raise _fail(f"{slug}: {exc}") from exc
    console.print(f"{article.slug}: {article.state} (version {article.version})", markup=False)


VersionOption = Annotated[
    int | None, typer.Option("--version", help="Refuse if the article changed after this version.")
]


@articles_app.command("publish")
def article_publish_command(slug: str, user: UserOption, based_on: VersionOption = None) -> None:
    """Publish a draft; refused while a citation names nothing stored."""
    _transition(slug, user, based_on, "publish")


@articles_app.command("withdraw")
def article_withdraw_command(slug: str, user: UserOption, based_on: VersionOption = None) -> None:
    """Withdraw a published article (it stays, marked withdrawn, out of news and feeds)."""
    _transition(slug, user, based_on, "withdraw")


@articles_app.command("list")
def article_list_command(
    state: Annotated[str | None, typer.Option("--state", help="draft, published or withdrawn (default: all).")] = None,
) -> None:
    """Articles, newest first."""
    from assay.store.articles import ArticleQuery, list_articles

    with _open() as store, store.session() as session:
        found, _ = list_articles(session, ArticleQuery(state=state, limit=1000))
    table = Table("slug", "title", "kind", "lang", "state", "version", "author", "updated")
    for a in found:
        f = a.fields
        table.add_row(
            a.slug, f.title, f.kind, f.lang, a.state, str(a.version), a.author, a.updated_at.strftime("%Y-%m-%d")
        )
    console.print(table)


@articles_app.command("show")
def article_show_command(
    slug: str, html: Annotated[bool, typer.Option("--html", help="Print the rendered HTML.")] = False
) -> None:
    """An article's Markdown (or HTML), with its citations resolved and checked."""
    from assay.editorial.articles import render
    from assay.store.articles import get_article, versions

    with _open() as store, store.session() as session:
        article = get_article(session, slug)
        if article is None:
            raise _fail(f"no article {slug!r}")
        rendered = render(session, article.fields.body)
        history = versions(session, slug)
    console.print(f"{article.fields.title} [{article.state}, version {article.version}]", markup=False)
    sys.stdout.write((rendered.html if html else article.fields.body) + "\n")
    for token, citation in rendered.citations.items():
        if citation.error:
            _error(f"citation {token}: {citation.error}")
    console.print(f"history: {', '.join(f'v{v.version} {v.state} by {v.user}' for v in history)}", markup=False)


@app.command("audit")
def audit_command(
    user: Annotated[str | None, typer.Option("--user", help="Only what this user did.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many entries (newest first).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Every entry as JSON Lines, oldest first.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Every entry as CSV, oldest first.")] = False,
) -> None:
    """The audit log: what analysts and admins did."""
    from assay.store import audit

    with _open() as store, store.session() as session:
        if as_json or as_csv:
            writer = csv.writer(sys.stdout)
            if as_csv:
                writer.writerow(["id", "at", "user", "action", "target", "detail"])
            for entry in audit.iter_all(session):
                if user and entry.user != user:
                    continue
                if as_json:
                    sys.stdout.write(json.dumps(entry.as_json(), ensure_ascii=False) + "\n")
                else:
                    row = entry.as_json()
                    writer.writerow(
                        [
                            row["id"],
                            row["at"],
                            row["user"],
                            row["action"],
                            row["target"],
                            json.dumps(row["detail"], ensure_ascii=False),
                        ]
                    )
            return
        entries, total = audit.entries(session, user=user, limit=limit)
    table = Table("at", "user", "action", "target", "detail")
    for e in entries:
        table.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.user,
            e.action,
            e.target,
            json.dumps(e.detail, ensure_ascii=False)[:80],
        )
    console.print(table)
    console.print(f"{len(entries)} of {total} entries", markup=False)
