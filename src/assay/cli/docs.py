"""`assay ingest`, `assay docs list|show|search` and `assay demo`.

The pipeline and the store load inside the commands, so `assay --help` stays fast.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from assay.cli.app import EXIT_INPUT_FAILED, app, console, database_url_for, settings
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.app import print_json as _print_json
from assay.cli.cluster import CLUSTER_HELP, WORKERS_HELP, guarded, print_failures, run_stages

if TYPE_CHECKING:
    from assay.pipeline import IngestReport
    from assay.store.documents import StoreCounts


docs_app = typer.Typer(help="List, show and search stored documents.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")


@app.command("ingest")
def ingest_command(
    inputs: Annotated[list[str], typer.Argument(metavar="PATH|URL...", help="Files, folders (recursive) or URLs.")],
    feed: Annotated[
        bool, typer.Option("--feed", help="Treat each URL as an RSS/Atom feed; ingest its entries.")
    ] = False,
    allow_private_urls: Annotated[
        bool, typer.Option("--allow-private-urls", help="Allow URLs that resolve to private or loopback addresses.")
    ] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse inputs larger than this many bytes.")
    ] = 100 * 1024 * 1024,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="Do not show a progress bar.")] = False,
    no_extract: Annotated[bool, typer.Option("--no-extract", help="Store documents without extracting facts.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help=WORKERS_HELP)] = 1,
    cluster: Annotated[str | None, typer.Option("--cluster", metavar="tcp://HOST:8786", help=CLUSTER_HELP)] = None,
) -> None:
    """Read documents, clean them, drop duplicates, extract facts and events, and store them."""
    from assay.pipeline import IngestOptions, ingest
    from assay.sources import SourceOptions

    options = IngestOptions(
        sources=SourceOptions(max_bytes=max_bytes, allow_private_urls=allow_private_urls, feed=feed),
        extract=not no_extract,
        show_progress=not no_progress and sys.stderr.isatty(),
        workers=workers,
    )
    report = run_stages(options, cluster, lambda opts, store: ingest(inputs, opts, store))
    print_failures(report)
    console.print(_summary_line(report), soft_wrap=True, highlight=False)
    if report.failures:
        raise typer.Exit(EXIT_INPUT_FAILED)


@docs_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many documents.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language: zh, en or mixed.")] = None,
) -> None:
    """Stored documents, newest first."""
    from assay.store.documents import list_documents

    with _open() as store, store.session() as session:
        found = list_documents(session, limit=limit, lang=lang)
    if as_json:
        _print_json([d.as_json() for d in found])
        return
    table = Table("id", "published", "lang", "title", "source", "duplicate of")
    for d in found:
        table.add_row(
            *map(Text, (str(d.id), d.published or "", d.lang or "", d.title or d.name, d.source_name or d.source)),
            str(d.duplicate_of or ""),
        )
    console.print(table)
    console.print(f"{len(found)} documents", highlight=False)


@docs_app.command("show")
def show_command(
    document_id: Annotated[int, typer.Argument(metavar="ID", help="The document id (see `assay docs list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """One document: its metadata, the cleaning steps applied, and its clean text."""
    from assay.store.documents import get_document, get_families

    with _open() as store, store.session() as session:
        doc = get_document(session, document_id)
        families = get_families(session, document_id) if doc else ()
    if doc is None:
        _error(f"no document with id {document_id}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    fields: dict[str, Any] = {
        "id": doc.id,
        "name": doc.name,
        "title": doc.title,
        "lang": doc.lang,
        "published": doc.published,
        "url": doc.url,
        "source": doc.source,
        "source_name": doc.source_name,
        "content_type": doc.content_type,
        "fetched_at": doc.fetched_at.isoformat() if doc.fetched_at else None,
        "duplicate_of": doc.duplicate_of,
        "raw_sha256": doc.raw_sha256,
        "commodity_families": list(families),
        "cleaning_steps": list(doc.cleaning_steps),
    }
    if as_json:
        _print_json({**fields, "clean_text": doc.clean_text})
        return
    for key, value in fields.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"[bold]{key}[/bold]: ", end="")
        console.print("" if shown is None else str(shown), markup=False, highlight=False, soft_wrap=True)
    console.rule("clean text")
    console.print(doc.clean_text, markup=False, highlight=False, soft_wrap=True)


@docs_app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="Words to find (all of them), English or Chinese.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many documents.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Full-text search over titles and clean texts."""
    from assay.store.documents import search

    with _open() as store, store.session() as session:
        hits = search(session, text, limit=limit)
    if as_json:
        _print_json([{**h.document.as_json(), "snippet": h.snippet} for h in hits])
        return
    table = Table("id", "published", "title", "snippet")
    for hit in hits:
        document = hit.document
        table.add_row(*map(Text, (str(document.id), document.published or "", document.title or "", hit.snippet)))
    console.print(table)
    console.print(f"{len(hits)} documents", highlight=False)


@app.command("demo")
def demo_command(
    db: Annotated[
        Path | None, typer.Option("--db", help="SQLite file to fill (default ./assay.db); ASSAY_DATABASE_URL wins.")
    ] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="Do not show a progress bar.")] = False,
) -> None:
    """Ingest the bundled sample corpus and summarise what the store now holds."""
    from assay.pipeline import IngestOptions, ingest
    from assay.store.documents import duplicate_pairs, store_counts

    corpus = sample_corpus_dir()
    if corpus is None:
        _error("the bundled sample corpus is missing from this installation (assay.sample)")
        raise typer.Exit(EXIT_INPUT_FAILED)
    url = database_url_for(db) if db is not None else settings().database_url
    options = IngestOptions(show_progress=not no_progress and sys.stderr.isatty())
    with _open(url) as store:
        report = guarded(store, lambda: ingest([str(corpus)], options, store))
        with store.session() as session:
            counts = store_counts(session)
            duplicates = [(copy.name, original.name) for copy, original in duplicate_pairs(session)]
    console.print(f"sample corpus: {corpus}", highlight=False, soft_wrap=True)
    console.print(_summary_line(report), highlight=False, soft_wrap=True)
    console.print(_summary_table(counts, duplicates, report))
    if counts.documents == 0:
        raise typer.Exit(EXIT_INPUT_FAILED)


def sample_corpus_dir() -> Path | None:
    """The folder of the bundled sample corpus, when it is installed as files."""
    try:
        root = resources.files("assay.sample")
    except ModuleNotFoundError:
        return None
    path = Path(str(root))
    return path if path.is_dir() else None


def _summary_table(counts: StoreCounts, duplicates: list[tuple[str, str]], report: IngestReport) -> Table:
    table = Table("in the store", "", title="assay demo")
    table.columns[1].overflow = "fold"  # paths and reasons are shown whole
    table.add_row("documents", f"{counts.documents - counts.duplicates} (+{counts.duplicates} duplicates)")
    for title, counter in (
        ("by language", counts.by_lang),
        ("by source", counts.by_source),
        ("by commodity family", counts.by_family),
    ):
        table.add_row(title, Text(", ".join(f"{key} {n}" for key, n in counter.most_common())))
    table.add_row("duplicates found", str(len(duplicates)))
    for copy, original in duplicates:
        table.add_row("", Text(f"{copy} → {original}"))
    table.add_row("facts extracted", str(counts.facts))
    table.add_row("events extracted", f"{counts.events} ({counts.event_mentions} mentions)")
    table.add_row("failures this run", str(len(report.failures)))
    for source, reason in report.failures:
        table.add_row("", Text(f"{source}: {reason}"))
    return table


def _summary_line(report: IngestReport) -> str:
    parts = [f"ingested {report.added} documents", f"{report.duplicates} duplicates"]
    parts.append(f"{report.skipped_unchanged} already stored")
    if report.reextracted:
        parts.append(f"{report.reextracted} re-extracted")
    parts.append(f"{len(report.failures)} failed")
    return ", ".join(parts) + f"; {report.facts} facts, {report.events} events extracted"
