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

from assay.cli.app import EXIT_INPUT_FAILED, app, console, database_url_for, settings
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.app import print_json as _print_json
from assay.cli.cluster import CLUSTER_HELP, WORKERS_HELP, guarded, print_failures, run_stages
from assay.terminal import safe_text

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
    max_inflated_bytes: Annotated[
        int | None,
        typer.Option("--max-inflated-bytes", min=1, help="Budget: bytes of a document after decompression."),
    ] = None,
    max_elements: Annotated[
        int | None, typer.Option("--max-elements", min=1, help="Budget: XML elements of an Office file.")
    ] = None,
    max_paragraphs: Annotated[
        int | None, typer.Option("--max-paragraphs", min=1, help="Budget: paragraphs of an Office file.")
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, help="Budget: pages of a PDF, slides of a deck.")
    ] = None,
    max_cells: Annotated[int | None, typer.Option("--max-cells", min=1, help="Budget: table cells.")] = None,
    max_depth: Annotated[int | None, typer.Option("--max-depth", min=1, help="Budget: XML or HTML nesting.")] = None,
    max_width: Annotated[
        int | None, typer.Option("--max-width", min=1, help="Budget: children of one XML or HTML element.")
    ] = None,
    max_seconds: Annotated[
        float | None,
        typer.Option("--max-seconds", min=0.1, help="Budget: seconds to fetch, and to clean and extract, a document."),
    ] = None,
) -> None:
    """Read documents, clean them, drop duplicates, extract facts and events, and store them.

    Each document is held to a budget (see docs/hardening.md); one over it fails with one line
    and nothing of it is stored. The --max-* options raise (or lower) the budget's defaults.
    """
    from dataclasses import replace

    from assay.pipeline import IngestOptions, ingest
    from assay.sources import InputBudget, SourceOptions

    given: dict[str, Any] = {
        "max_inflated_bytes": max_inflated_bytes,
        "max_elements": max_elements,
        "max_paragraphs": max_paragraphs,
        "max_pages": max_pages,
        "max_cells": max_cells,
        "max_depth": max_depth,
        "max_width": max_width,
        "max_seconds": max_seconds,
    }
    budget = replace(InputBudget(), **{name: value for name, value in given.items() if value is not None})
    options = IngestOptions(
        sources=SourceOptions(max_bytes=max_bytes, allow_private_urls=allow_private_urls, feed=feed, budget=budget),
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
    table = Table("id", "published", "lang", "title", "source", "duplicate of", "superseded by")
    for d in found:
        table.add_row(
            *(safe_text(cell, single_line=True) for cell in (d.id, d.published, d.lang, d.title or d.name)),
            safe_text(d.source_name or d.source, single_line=True),
            str(d.duplicate_of or ""),
            str(d.superseded_by or ""),
        )
    console.print(table)
    superseded = sum(1 for d in found if d.superseded_by is not None)
    note = f" ({superseded} superseded by a newer version of their source)" if superseded else ""
    console.print(f"{len(found)} documents{note}", highlight=False)


@docs_app.command("show")
def show_command(
    document_id: Annotated[int, typer.Argument(metavar="ID", help="The document id (see `assay docs list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """One document: its metadata, the cleaning steps applied, and its clean text."""
    from assay.store.documents import document_fields, get_document

    with _open() as store, store.session() as session:
        doc = get_document(session, document_id)
        fields = document_fields(session, doc) if doc else {}
    if doc is None:
        _error(f"no document with id {document_id}")
        raise typer.Exit(EXIT_INPUT_FAILED)
    if as_json:
        _print_json({**fields, "clean_text": doc.clean_text})
        return
    for key, value in fields.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        console.print(f"[bold]{key}[/bold]: ", end="")
        console.print(safe_text("" if shown is None else shown, single_line=True), highlight=False, soft_wrap=True)
    if fields["superseded_by"] is not None:
        console.print(
            f"superseded: its source changed; document {fields['superseded_by']} is the current version, "
            "and this one's facts and events are kept as history only",
            markup=False,
            highlight=False,
        )
    console.rule("clean text")
    console.print(safe_text(doc.clean_text), highlight=False, soft_wrap=True)


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
        _print_json([h.as_json() for h in hits])
        return
    table = Table("id", "published", "title", "snippet")
    for hit in hits:
        document = hit.document
        cells = (document.id, document.published, document.title, hit.snippet)
        table.add_row(*(safe_text(cell, single_line=True) for cell in cells))
    console.print(table)
    console.print(f"{len(hits)} documents", highlight=False)


@app.command("demo")
def demo_command(
    db: Annotated[
        Path | None, typer.Option("--db", help="SQLite file to fill (default ./assay.db); ASSAY_DATABASE_URL wins.")
    ] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="Do not show a progress bar.")] = False,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Do not start the portal afterwards.")] = False,
    host: Annotated[str, typer.Option("--host", help="Address the portal listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port the portal listens on.")] = 8000,
) -> None:
    """Ingest the bundled sample corpus, summarise what the store now holds, then serve the portal on it."""
    from assay.pipeline import IngestOptions, ingest
    from assay.store.documents import duplicate_pairs, store_counts

    corpus = sample_corpus_dir()
    if corpus is None:
        _error("the bundled sample corpus is missing from this installation (assay.sample)")
        raise typer.Exit(EXIT_INPUT_FAILED)
    url = database_url_for(db) if db is not None else settings().database_url
    options = IngestOptions(show_progress=not no_progress and sys.stderr.isatty())
    with _open(url, writer=True) as store:
        report = guarded(store, lambda: ingest([str(corpus)], options, store))
        with store.session() as session:
            counts = store_counts(session)
            duplicates = [(copy.name, original.name) for copy, original in duplicate_pairs(session)]
    console.print(f"sample corpus: {corpus}", highlight=False, soft_wrap=True)
    console.print(_summary_line(report), highlight=False, soft_wrap=True)
    console.print(_summary_table(counts, duplicates, report))
    if counts.documents == 0:
        raise typer.Exit(EXIT_INPUT_FAILED)
    if not no_serve:
        from assay.cli.serve import run_portal

        run_portal(url, host, port)


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
        table.add_row(title, safe_text(", ".join(f"{key} {n}" for key, n in counter.most_common()), single_line=True))
    table.add_row("duplicates found", str(len(duplicates)))
    for copy, original in duplicates:
        table.add_row("", safe_text(f"{copy} → {original}", single_line=True))
    table.add_row("facts extracted", str(counts.facts))
    table.add_row("events extracted", f"{counts.events} ({counts.event_mentions} mentions)")
    table.add_row("failures this run", str(len(report.failures)))
    for source, reason in report.failures:
        table.add_row("", safe_text(f"{source}: {reason}", single_line=True))
    return table


def _summary_line(report: IngestReport) -> str:
    parts = [f"ingested {report.added} documents", f"{report.duplicates} duplicates"]
    parts.append(f"{report.skipped_unchanged} already stored")
    if report.reextracted:
        parts.append(f"{report.reextracted} re-extracted")
    if report.new_versions:
        parts.append(f"{report.new_versions} new versions of stored documents (the earlier ones superseded)")
    parts.append(f"{len(report.failures)} failed")
    return ", ".join(parts) + f"; {report.facts} facts, {report.events} events extracted"
