"""`assay sources add|list|remove|log` and `assay crawl [--forever]`: sources fetched on a schedule."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.table import Table

from assay.cli.app import EXIT_INPUT_FAILED, app, console, usage_exit
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.app import print_json as _print_json

sources_app = typer.Typer(
    help="The feeds, sitemaps and pages `assay crawl` fetches on a schedule.", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")


@sources_app.command("add")
def add_command(
    url: Annotated[str, typer.Argument(help="An http(s) URL.")],
    kind: Annotated[str, typer.Option("--kind", help="feed, sitemap or page.")] = "page",
    every: Annotated[str, typer.Option("--every", help="How often: 30m, 6h, 1d.")] = "6h",
) -> None:
    """Add a source; it is due at once."""
    from assay.publish.timing import parse_duration
    from assay.sources.web import looks_like_url
    from assay.store.crawl import SOURCE_KINDS, CrawlStoreError, add_source
    from assay.store.watch import utc_now

    if not looks_like_url(url) or not url.lower().startswith(("http://", "https://")):
        raise usage_exit(f"{url}: give an http(s) URL")
    if kind not in SOURCE_KINDS:
        raise usage_exit(f"--kind {kind}: one of {', '.join(SOURCE_KINDS)}")
    try:
        period = parse_duration(every)
    except ValueError as exc:
        raise usage_exit(f"--every {exc}") from exc
    with _open() as store, store.transaction() as session:
        try:
            source_id = add_source(session, url, kind, max(int(period.total_seconds()), 1), utc_now())
        except CrawlStoreError as exc:
            _error(f"{url}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"added source #{source_id} ({kind}, every {every})", highlight=False)


@sources_app.command("list")
def list_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The sources, when each is next due, and how many times in a row each has failed."""
    from assay.store.crawl import list_sources

    with _open() as store, store.session() as session:
        found = list_sources(session)
    if as_json:
        _print_json([s.as_json() for s in found])
        return
    if not found:
        console.print("No sources.")
        return
    table = Table("id", "kind", "url", "every", "next due (UTC)", "failures")
    for s in found:
        table.add_row(str(s.id), s.kind, s.url, f"{s.every_s}s", f"{s.next_due:%Y-%m-%d %H:%M}", str(s.failures))
    console.print(table)


@sources_app.command("remove")
def remove_command(source: Annotated[str, typer.Argument(help="The source's id or URL.")]) -> None:
    """Remove a source (documents already ingested from it stay)."""
    from assay.store.crawl import CrawlStoreError, remove_source

    with _open() as store, store.transaction() as session:
        try:
            remove_source(session, source)
        except CrawlStoreError as exc:
            _error(f"{source}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"removed source {source}", highlight=False)


@sources_app.command("log")
def log_command(
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many lines, newest first.")] = 50,
) -> None:
    """The crawl log: one line per fetch outcome."""
    from assay.store.crawl import recent_log

    with _open() as store, store.session() as session:
        lines = recent_log(session, limit)
    for line in lines:
        console.print(
            f"{line.at:%Y-%m-%d %H:%M:%S} {line.outcome:<12} {line.url}: {line.message}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@app.command("crawl")
def crawl_command(
    forever: Annotated[
        bool, typer.Option("--forever", help="Keep crawling as sources fall due; stop on SIGTERM/SIGINT.")
    ] = False,
    allow_private_urls: Annotated[
        bool, typer.Option("--allow-private-urls", help="Fetch URLs on private or loopback addresses too.")
    ] = False,
    rate: Annotated[float, typer.Option("--host-interval", min=0, help="Seconds between requests to one host.")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")] = 15.0,
    retries: Annotated[
        int, typer.Option("--retries", min=0, help="Retries of a fetch that may pass (5xx, timeouts).")
    ] = 2,
    retry_wait: Annotated[float, typer.Option("--retry-wait", min=0, help="Seconds before the first retry.")] = 2.0,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Size cap per response.")] = 20 * 1024 * 1024,
    no_watch: Annotated[bool, typer.Option("--no-watch", help="Do not run the watch rules after crawling.")] = False,
    digest_to: Annotated[
        list[str] | None,
        typer.Option("--digest-to", help="Send the last day's digest here (mailto: or URL) once a day; repeatable."),
    ] = None,
) -> None:
    """Fetch the sources that are due, ingest what changed, run the watch rules; print a summary."""
    from assay.crawl import Crawler, CrawlOptions
    from assay.publish.notify import check_target
    from assay.sources import SourceOptions

    for target in digest_to or []:
        problem = check_target(target)
        if problem:
            raise usage_exit(f"--digest-to {target}: {problem}")

    options = CrawlOptions(
        sources=SourceOptions(max_bytes=max_bytes, allow_private_urls=allow_private_urls, timeout_s=timeout),
        host_interval_s=rate,
        retries=retries,
        retry_base_s=retry_wait,
        run_watch=not no_watch,
        digest_to=tuple(digest_to or ()),
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with _open() as store:
            crawler = Crawler(store, options, stop)
            summary = crawler.forever() if forever else crawler.run_once()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    for line in summary.errors:
        _error(line)
    for line in summary.lines():
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    if summary.errors and not forever:
        raise typer.Exit(EXIT_INPUT_FAILED)
