"""`assay report COMMODITY`: a market report (pdf, html, md); `assay digest`: what changed lately."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from assay.cli.app import EXIT_INPUT_FAILED, app, console, usage_exit
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error


@app.command("report")
def report_command(
    commodity: Annotated[str, typer.Argument(help="A commodity id: magnesium, graphite, rare_earths, ...")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf, html or md.")] = "pdf",
    lang: Annotated[str, typer.Option("--lang", help="en or zh.")] = "en",
    since: Annotated[str | None, typer.Option("--since", help="Facts from this period on: 2023, 2024-06.")] = None,
) -> None:
    """Write the market report on COMMODITY: summary, key figures, charts, events, contradictions, sources."""
    from assay.model import Period
    from assay.publish.i18n import LANGS
    from assay.publish.report import FORMATS, render_report
    from assay.publish.report_data import ReportOptions
    from assay.vocab import commodities

    if commodity not in commodities():
        raise usage_exit(f"{commodity}: not a commodity id (see vocab/data/commodities.csv)")
    if fmt not in FORMATS:
        raise usage_exit(f"--format {fmt}: one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise usage_exit(f"--lang {lang}: one of {', '.join(LANGS)}")
    if since is not None:
        try:
            Period.parse(since)
        except ValueError as exc:
            raise usage_exit(f"--since {since}: {exc}") from exc
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise usage_exit("a PDF report needs --out FILE (or redirect standard output)")
    with _open() as store:
        rendered = render_report(store, commodity, ReportOptions(since=since, lang=lang, format=fmt))
    data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        _error(f"{out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"wrote {out} ({len(data):,} bytes, {fmt}, {lang})", highlight=False)


@app.command("digest")
def digest_command(
    since: Annotated[str, typer.Option("--since", help="A window back from now (7d, 24h) or a date.")] = "7d",
    commodity: Annotated[str | None, typer.Option("--commodity", help="Only what concerns this commodity.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    send_to: Annotated[
        str | None, typer.Option("--send-to", help="Also send it: mailto:ADDRESS or an http(s) webhook URL.")
    ] = None,
) -> None:
    """New documents, new and changed facts, the biggest moves, new events and contradictions."""
    from assay.publish.digest import FORMATS, DigestOptions, gather_digest, render_digest
    from assay.publish.notify import check_target, deliver_due, digest_message
    from assay.publish.timing import parse_since
    from assay.store.watch import enqueue, utc_now
    from assay.vocab import commodities

    if fmt not in FORMATS:
        raise usage_exit(f"--format {fmt}: one of {', '.join(FORMATS)}")
    if commodity is not None and commodity not in commodities():
        raise usage_exit(f"--commodity {commodity}: not a commodity id (see vocab/data/commodities.csv)")
    now = utc_now()
    try:
        moment = parse_since(since, now)
    except ValueError as exc:
        raise usage_exit(f"--since {exc}") from exc
    if send_to is not None:
        problem = check_target(send_to)
        if problem:
            raise usage_exit(f"--send-to {send_to}: {problem}")
    with _open() as store:
        with store.session() as session:
            digest = gather_digest(session, DigestOptions(since=moment, commodity=commodity, format=fmt))
        sys.stdout.write(render_digest(digest))
        if send_to is None:
            return
        with store.transaction() as session:
            enqueue(session, digest_message(digest, send_to, now))
        report = deliver_due(store)
    for line in report.sent_lines():
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    for line in report.error_lines():
        _error(line)
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)
