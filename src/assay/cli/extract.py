"""`assay extract` (facts or events from files, no database) and `assay facts` (stored facts).

Heavy modules load inside the commands: `assay extract` must start fast, and never imports
the store; `assay facts` imports the store only when it runs.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console
from rich.table import Column, Table

from assay.cli.app import app, console, err_console, settings
from assay.model import Document, Event, Fact

if TYPE_CHECKING:
    from assay.store.facts import FactFilter, StoredFact

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
QUOTE_WIDTH = 90  # table cells; the JSON output always carries the whole quote
PIPED_WIDTH = 200


class ExtractFormat(StrEnum):
    FACTSPEC = "factspec"
    EVENTSPEC = "eventspec"
    TABLE = "table"


@dataclass
class ExtractRun:
    """What one `assay extract` run read, for the closing summary and the exit code."""

    documents: int = 0
    records: int = 0
    failures: int = 0


@app.command("extract")
def extract_command(
    paths: Annotated[list[str], typer.Argument(help="Files, corpus folders (with index.jsonl) or URLs.")],
    output_format: Annotated[
        ExtractFormat,
        typer.Option("--format", "-f", help="factspec or eventspec (JSON Lines), or table (for people)."),
    ] = ExtractFormat.FACTSPEC,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Read documents and print the facts (or events) they state. Touches no database."""
    try:
        out = output.open("w", encoding="utf-8") if output is not None else sys.stdout
    except OSError as exc:
        say(f"error: {output}: cannot write here: {exc.strerror or exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    try:
        run = _extract_all(paths, output_format, out)
    except BrokenPipeError:
        reader_went_away()
    except OSError as exc:  # the output filled a disk, or its device went away
        say(f"error: {output or 'standard output'}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    finally:
        if out is not sys.stdout:
            out.close()
    if output_format is ExtractFormat.TABLE or output is not None:
        noun = "events" if output_format is ExtractFormat.EVENTSPEC else "facts"
        say(
            f"{run.records} {noun} from {run.documents} documents"
            + (f", {run.failures} inputs failed" if run.failures else "")
        )
    if run.failures:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _extract_all(paths: Sequence[str], output_format: ExtractFormat, out: TextIO) -> ExtractRun:
    run = ExtractRun()
    table_rows: list[Fact] = []
    for item in iter_documents(paths):
        if isinstance(item, str):
            run.failures += 1
            say(f"error: {item}")
            continue
        try:
            records = _extract_records(item, output_format)
        except Exception as exc:  # the extractors promise not to raise; if one does, report it and go on
            run.failures += 1
            say(f"error: {item.source}: extraction failed: {type(exc).__name__}: {exc}")
            continue
        run.documents += 1
        run.records += len(records)
        if output_format is ExtractFormat.TABLE:
            table_rows.extend(record for record in records if isinstance(record, Fact))
        else:
            out.writelines(json.dumps(_as_json(record), ensure_ascii=False) + "\n" for record in records)
    if output_format is ExtractFormat.TABLE:
        table = facts_table([(None, fact) for fact in table_rows])
        table_console(out).print(table)
    return run


def iter_documents(paths: Sequence[str]) -> Iterator[Document | str]:
    """Clean documents read from `paths`, or a one-line error ("INPUT: reason") for an input that failed."""
    from assay.clean import CleaningContext, clean_document
    from assay.sources import SourceError, SourceOptions, iter_sources

    context = CleaningContext()
    for raw in iter_sources(paths, SourceOptions()):
        if isinstance(raw, SourceError):
            yield str(raw)
            continue
        try:
            yield clean_document(raw, context)
        except Exception as exc:  # CleanError, or a parser's own error on a broken file: report it and go on
            reason = getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"
            yield f"{raw.source}: {reason}"


def _extract_records(doc: Document, output_format: ExtractFormat) -> Sequence[Fact | Event]:
    if output_format is ExtractFormat.EVENTSPEC:
        from assay.extract.events import extract_events

        return extract_events(doc)
    from assay.extract.facts import extract_facts

    return extract_facts(doc)


def _as_json(record: Fact | Event) -> dict[str, Any]:
    return record.to_factspec() if isinstance(record, Fact) else record.to_eventspec()


def table_console(out: TextIO) -> Console:
    """The terminal's own width when printing to one; else wide lines, since a file or pipe has no width."""
    if out is sys.stdout and console.is_terminal:
        return console
    return Console(file=out, width=PIPED_WIDTH)


def facts_table(rows: Sequence[tuple[int | None, Fact]]) -> Table:
    """A Rich table of facts; the id column appears when the facts are stored ones."""
    with_ids = any(fact_id is not None for fact_id, _ in rows)
    columns = ["doc", "commodity", "metric", "geo", "partner", "period", "value", "unit", "quote"]
    # Headers never shrink below their own width; narrow terminals fold the quote instead.
    headers = ["id", *columns] if with_ids else columns
    table = Table(*(Column(h, min_width=len(h), overflow="fold") for h in headers))
    for fact_id, fact in rows:
        cells = [
            fact.doc,
            fact.commodity + (f" ({fact.form})" if fact.form else ""),
            fact.metric + (f" of {fact.share_of}" if fact.share_of else ""),
            fact.geo,
            fact.partner or "",
            fact.period or "",
            format_value(fact),
            fact.unit,
            _shorten(fact.quote),
        ]
        table.add_row(*([str(fact_id)] if with_ids else []), *cells)
    return table


def format_value(fact: Fact) -> str:
    """`~1,026,000`, `42,000–42,500`, `-7.5`: approx mark, thousands separators, range."""
    text = _number(fact.value)
    if fact.value_high is not None:
        text += f"–{_number(fact.value_high)}"
    return (fact.approx.value if fact.approx else "") + text


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1e15 else f"{value:,.10g}"


def _shorten(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= QUOTE_WIDTH else quote[: QUOTE_WIDTH - 1] + "…"


@app.command("facts")
def facts_command(
    commodity: Annotated[
        str | None, typer.Option(help="Commodity id (includes its children: rare_earths lists prnd).")
    ] = None,
    metric: Annotated[str | None, typer.Option(help="Metric id: production, exports, price, ...")] = None,
    geo: Annotated[str | None, typer.Option(help="Geo code, exactly: CN, CN-LN, WORLD, company:<slug>.")] = None,
    period: Annotated[str | None, typer.Option(help="Period or its prefix: 2024 matches 2024-05 and 2024-Q3.")] = None,
    partner: Annotated[str | None, typer.Option(help="Trade partner code, exactly: NL, JP, ...")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit id, exactly: t, CNY/t, pct_yoy, ...")] = None,
    doc: Annotated[str | None, typer.Option(help="Document name (or reference dataset name).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many facts.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines: FactSpec plus id, span, url, ...")] = False,
) -> None:
    """List stored facts, with the quote each number comes from."""
    from assay import vocab
    from assay.model import Period
    from assay.store.facts import FactFilter, stored_fact_json

    _check_id("commodity", commodity, sorted(vocab.commodities()))
    _check_id("metric", metric, sorted(vocab.metrics()))
    _check_id("unit", unit, sorted(vocab.units()))
    if period is not None:
        try:
            Period.parse(period)
        except ValueError:
            _usage_error(f"--period {period!r}: not a period (2024, 2024-05, 2024-Q3, 2024-H1, 2024-01/2024-09)")
    flt = FactFilter(
        commodity=commodity, metric=metric, geo=geo, period=period, partner=partner, unit=unit, doc=doc, limit=limit
    )
    stored = _query_store(flt)
    if as_json:
        try:
            sys.stdout.writelines(json.dumps(stored_fact_json(item), ensure_ascii=False) + "\n" for item in stored)
        except BrokenPipeError:
            reader_went_away()
        return
    if not stored:
        say("no stored facts match these filters")
        return
    table_console(sys.stdout).print(facts_table([(item.id, item.fact) for item in stored]))
    say(f"{len(stored)} facts")


def _query_store(flt: FactFilter) -> list[StoredFact]:
    from sqlalchemy.exc import SQLAlchemyError

    from assay.store.db import StoreError, display_url, open_store
    from assay.store.facts import query_facts

    url = settings().database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        say(f"error: {url}: no such database; `assay ingest PATH` creates it")
        raise typer.Exit(EXIT_INPUT_FAILED)
    try:
        with open_store(url) as store, store.session() as session:
            return query_facts(session, flt)
    except StoreError as exc:
        say(f"error: {exc}")
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    except SQLAlchemyError as exc:
        say(f"error: {display_url(url)}: {str(exc).strip().splitlines()[0]}")
        raise typer.Exit(EXIT_INPUT_FAILED) from exc


def _check_id(option: str, value: str | None, known: list[str]) -> None:
    if value is None or value in known:
        return
    close = difflib.get_close_matches(value, known, n=5, cutoff=0.5) or [k for k in known if value in k][:5]
    hint = f"; close ids: {', '.join(close)}" if close else f"; known ids: {', '.join(known[:12])}, ..."
    _usage_error(f"--{option} {value!r}: unknown {option} id{hint}")


def reader_went_away() -> NoReturn:
    """The reader stopped early (`| head`): not a failure. Standard output goes to /dev/null so that
    Python's final flush does not complain about the closed pipe."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(0)


def say(line: str) -> None:
    """One line on standard error, never wrapped (a terminal's width must not split an error)."""
    err_console.print(line, markup=False, highlight=False, soft_wrap=True)


def _usage_error(message: str) -> NoReturn:
    say(f"error: {message}")
    raise typer.Exit(EXIT_USAGE)
