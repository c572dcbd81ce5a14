"""`assay series`, `check`, `prices`, `concentration`, `ask`, `hs` and `import usgs-mcs|prices`.

Thin: parse arguments, call `assay.analyze`, print with Rich (or JSON/CSV). The analysis
modules load inside the commands so that `assay --help` stays fast.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from assay.cli.app import EXIT_INPUT_FAILED, app, console, err_console
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.app import print_json as _print_json
from assay.cli.app import usage_exit as _usage

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from assay.analyze.reference import ParsedDataset
    from assay.store.reference import ImportResult


import_app = typer.Typer(help="Import reference data: USGS MCS world tables, daily price tables.", no_args_is_help=True)
app.add_typer(import_app, name="import")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CommodityOpt = Annotated[str, typer.Option("--commodity", "-c", help="Commodity id, e.g. magnesium, prnd, graphite.")]


@contextmanager
def _session(writer: bool = False) -> Iterator[Session]:
    """A session on the configured store; a store that cannot be opened is a one-line error, exit 1."""
    with _open(writer=writer) as store, store.session() as session:
        yield session


def _check_commodity(commodity: str | None) -> None:
    from assay.vocab import commodities

    if commodity is not None and commodity not in commodities():
        close = [c for c in commodities() if commodity.lower() in c or c in commodity.lower()][:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `assay` vocab: commodities.csv)"
        raise _usage(f"--commodity {commodity!r}: unknown commodity{hint}")


def _check_period(option: str, value: str | None) -> None:
    from assay.model import Period

    if value is not None:
        try:
            Period.parse(value)
        except ValueError as exc:
            raise _usage(f"{option} {value!r}: not a period (2024, 2024-05, 2024-Q3, 2024-H1, 2024-05-31)") from exc


@app.command("series")
def series_command(
    commodity: CommodityOpt,
    metric: Annotated[str, typer.Option("--metric", "-m", help="Metric id: production, exports, price...")],
    geo: Annotated[str | None, typer.Option(help="Where: CN, WORLD, CN-LN...")] = None,
    partner: Annotated[str | None, typer.Option(help="Trade partner: NL, JP...")] = None,
    form: Annotated[str | None, typer.Option(help="Form: oxide, metal, ingot...")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit: t, CNY/t, pct_yoy...")] = None,
    share_of: Annotated[str | None, typer.Option("--share-of", help="The whole a share is of.")] = None,
    since: Annotated[str | None, typer.Option(help="First period, e.g. 2022 or 2023-06.")] = None,
    until: Annotated[str | None, typer.Option(help="Last period.")] = None,
    as_json: JsonOpt = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per observation.")] = False,
) -> None:
    """Time series by period, each value with its sources and quotes (one table per series key)."""
    from assay.analyze.series import SeriesQuery, build_series

    _check_commodity(commodity)
    _check_period("--since", since)
    _check_period("--until", until)
    query = SeriesQuery(commodity, metric, geo, partner, form, unit, share_of, since, until)
    with _session() as session:
        found = build_series(session, query)
    if as_json or as_csv:  # the table reads the observations themselves, not their JSON rows
        rows = [row for s in found for row in s.rows_json()]
        if as_json:
            _print_json(rows)
        else:
            _print_csv(rows)
        return
    if not found:
        console.print(f"No {commodity} {metric} facts stored for these filters.")
        return
    for s in found:
        table = Table(title=escape(s.label()), title_justify="left")
        for name in ("period", "value", "sources", "spread", "freshest statement"):
            table.add_column(name, overflow="fold", justify="right" if name in ("value", "spread") else "left")
        for obs in s.observations:
            value = f"{obs.value:,.6g}" + (f"–{obs.value_high:,.6g}" if obs.value_high is not None else "")
            fresh = obs.freshest
            table.add_row(
                obs.period,
                value,
                f"{obs.n_independent} ({len(obs.sources)} statements)",
                f"{obs.spread:.1%}" if obs.n_independent > 1 else "",
                escape(f"{fresh.doc or fresh.dataset}: {fresh.quote}"),
            )
        console.print(table)


def _print_csv(rows: list[dict[str, Any]]) -> None:
    fields = ["commodity", "form", "metric", "geo", "partner", "share_of", "unit", "period", "value", "value_high"]
    fields += ["spread", "n_sources", "n_statements", "freshest", "sources"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cited = " | ".join(f"{s['doc'] or s.get('dataset')}: {s['quote']}" for s in row["sources"])
        writer.writerow({**row, "sources": cited})


@app.command("check")
def check_command(
    commodity: Annotated[str | None, typer.Option("--commodity", "-c", help="Only this commodity.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="Only this metric.")] = None,
    geo: Annotated[str | None, typer.Option(help="Only this place.")] = None,
    since: Annotated[str | None, typer.Option(help="First period.")] = None,
    until: Annotated[str | None, typer.Option(help="Last period.")] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Only these kinds: contradiction, change, share, destinations, implausible."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="Show at most this many findings (table default 100; --json: all).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Contradictions between sources and arithmetic that fails inside a source. Flags only."""
    from assay.analyze.checks import KINDS, CheckOptions, count_checks, run_checks

    _check_commodity(commodity)
    _check_period("--since", since)
    _check_period("--until", until)
    kinds = tuple(kind or KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise _usage(f"--kind {unknown[0]!r}: use one of {', '.join(KINDS)}")
    if limit is not None and limit < 0:
        raise _usage(f"--limit {limit}: give 0 or more")
    options = CheckOptions(commodity, metric, geo, since, until, kinds)
    if as_json:
        with _session() as session:
            findings = run_checks(session, replace(options, limit=limit))
        _print_json([f.as_json() for f in findings])
        return
    with _session() as session:  # the table's title counts every finding; only those shown are worded
        counted = count_checks(session, options, 100 if limit is None else limit)
    if not counted.total:
        console.print("No findings: no contradictions or arithmetic failures among the selected facts.")
        return
    shown = counted.findings
    more = f" (showing {len(shown)}; --limit or --json for more)" if len(shown) < counted.total else ""
    table = Table(title=f"{counted.total} findings{more}", title_justify="left")
    for name in ("kind", "series", "period", "finding", "quotes"):
        table.add_column(name, overflow="fold")
    for f in shown:
        k = f.key
        series = f"{k['commodity']} {k['metric']} {k['geo']}" + (f"→{k['partner']}" if k.get("partner") else "")
        quotes = "\n".join(f"{s.doc or s.dataset}: “{s.quote}”" for s in f.statements)
        table.add_row(f.kind, series, f.period or "", escape(f.message), escape(quotes))
    console.print(table)


@app.command("prices")
def prices_command(
    commodity: CommodityOpt,
    form: Annotated[str | None, typer.Option(help="oxide, metal... (prices of different forms never mix)")] = None,
    window: Annotated[str, typer.Option(help="Window ending at --as-of: 30d, 4w, 3m, 1y.")] = "30d",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Last day (default: the latest quote).")] = None,
    currency: Annotated[str, typer.Option(help="CNY, USD or EUR.")] = "CNY",
    per: Annotated[str, typer.Option(help="Mass unit: t, kg or lb.")] = "t",
    geo: Annotated[str | None, typer.Option(help="Market, e.g. CN.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Price assessment: low, high, mid over a window, with the quotes used and excluded (docs/prices.md)."""
    from assay.analyze.money import CURRENCIES, PER_TONNE
    from assay.analyze.prices import PriceQuery, PriceQueryError, assess_prices, parse_window

    _check_commodity(commodity)
    if currency.upper() not in CURRENCIES:
        raise _usage(f"--currency {currency!r}: use one of {', '.join(CURRENCIES)}")
    if per not in PER_TONNE:
        raise _usage(f"--per {per!r}: use one of {', '.join(PER_TONNE)}")
    try:
        days = parse_window(window)
        day = date.fromisoformat(as_of) if as_of else None
    except (PriceQueryError, ValueError) as exc:
        raise _usage(f"--window/--as-of: {exc}") from exc
    query = PriceQuery(commodity, form, days, day, currency.upper(), per, geo)
    with _session() as session:
        try:
            result = assess_prices(session, query)
        except PriceQueryError as exc:
            raise _usage(str(exc)) from exc
    if as_json:
        _print_json(result.as_json())
        return
    for warning in result.warnings:
        err_console.print(f"warning: {warning}", markup=False)
    if result.mid is None or result.window is None:
        return
    name = f"{commodity}{' ' + form if form else ''}"
    console.print(
        f"{name} {result.window[0]} – {result.window[1]}: mid {result.mid:,.0f} {result.unit}"
        f" (low {result.low:,.0f}, high {result.high:,.0f}); {result.n_quotes} quotes from"
        f" {result.n_sources} independent source(s). Outlier rule: {result.rule}."
    )
    table = Table(title="quotes", title_justify="left")
    for col in ("period", "value", "as stated", "source", "rate used", "excluded because"):
        table.add_column(col, overflow="fold")
    for q in (*result.used, *result.excluded):
        table.add_row(
            q.period,
            f"{q.value:,.0f}",
            q.original,
            escape(f"{q.source.doc or q.source.dataset}: {q.source.quote}"),
            q.rate or "",
            q.excluded or "",
        )
    console.print(table)


@app.command("concentration")
def concentration_command(
    commodity: CommodityOpt,
    metric: Annotated[str, typer.Option("--metric", "-m", help="production or reserves")] = "production",
    year: Annotated[int, typer.Option(help="The year, e.g. 2023.")] = 2023,
    as_json: JsonOpt = False,
) -> None:
    """Country shares and the Herfindahl-Hirschman index of production or reserves."""
    from assay.analyze.concentration import METRICS, ConcentrationError, concentration

    _check_commodity(commodity)
    if metric not in METRICS:
        raise _usage(f"--metric {metric!r}: concentration is of {' or '.join(METRICS)}")
    with _session() as session:
        try:
            result = concentration(session, commodity, metric, year)
        except ConcentrationError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    if as_json:
        _print_json(result.as_json())
        return
    basis = "world total" if result.total_is_world else "sum of the countries listed"
    console.print(
        f"{commodity} {metric} {year}: HHI {result.hhi:,.0f} ({result.level}); shares of the {basis},"
        f" {result.total:,.0f} {result.unit}; listed countries cover {result.coverage:.1f}%."
    )
    table = Table(title_justify="left")
    for col in ("country", "value", "share", "source"):
        table.add_column(col, overflow="fold")
    for s in result.shares:
        src = s.observation.freshest
        table.add_row(f"{s.name} ({s.geo})", f"{s.value:,.0f}", f"{s.share:.1f}%", src.doc or src.dataset or "")
    console.print(table)


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="A question in English or Chinese.")],
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from stored facts, with citations; says so when sources disagree or nothing is known."""
    from assay.analyze.ask import answer_question

    if not question.strip():
        raise _usage("the question is empty")
    with _session() as session:
        answer = answer_question(session, question)
    if as_json:
        _print_json(answer.as_json())
    else:
        console.print(answer.text, markup=False, highlight=False, soft_wrap=True)


@app.command("hs")
def hs_command(
    codes: Annotated[list[str], typer.Argument(help="China customs codes, e.g. 81041100 or 8104.11")],
) -> None:
    """Which of our commodities a China customs (HS) code is."""
    from assay.analyze.reference import commodity_for_hs, hs_entry

    failed = False
    for code in codes:
        entry = hs_entry(code)
        commodity = commodity_for_hs(code)
        if entry is not None:
            console.print(f"{entry.code}: {entry.commodity} {entry.form or ''} — {entry.en} / {entry.zh}", markup=False)
        elif commodity is not None:
            console.print(f"{code}: {commodity}", markup=False)
        else:
            _error(f"{code}: not a code of our commodities")
            failed = True
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _report_import(result: ImportResult, parsed: ParsedDataset, verbose: bool) -> None:
    if result.unchanged:
        console.print(f"{parsed.spec.source}: already imported as {result.same_as}; nothing added.", markup=False)
        return
    replaced = f", replacing {result.removed} from an earlier version" if result.removed else ""
    console.print(f"{result.dataset}: {result.added} facts imported{replaced}.", markup=False)
    for note in parsed.notes if verbose else parsed.notes[:5]:
        console.print(f"  note: {note}", markup=False, highlight=False)
    if not verbose and len(parsed.notes) > 5:
        console.print(f"  ({len(parsed.notes) - 5} more notes; --verbose shows them)")


def _run_imports(files: list[Path], importer: Any, verbose: bool) -> None:
    from assay.analyze.reference import ReferenceImportError
    from assay.store.reference import ReferenceError

    failed = False
    with _session(writer=True) as session:
        for path in files:
            try:
                result, parsed = importer(session, path)
                session.commit()
            except (ReferenceImportError, ReferenceError) as exc:
                session.rollback()
                _error(str(exc))
                failed = True
                continue
            _report_import(result, parsed, verbose)
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show every note.")]


@import_app.command("usgs-mcs")
def import_usgs_command(
    files: Annotated[list[Path], typer.Argument(help="USGS MCS world tables (mcs2024-mgmet_world.csv ...).")],
    verbose: VerboseOpt = False,
) -> None:
    """USGS Mineral Commodity Summaries world tables → production and reserves facts (official)."""
    from assay.analyze.reference import import_usgs_mcs

    _run_imports(files, import_usgs_mcs, verbose)


@import_app.command("prices")
def import_prices_command(
    files: Annotated[list[Path], typer.Argument(help="Daily price tables (CSV).")],
    scale: Annotated[
        list[str] | None,
        typer.Option(help="PRODUCT=CNY_PER_T_PER_UNIT, e.g. 氧化钕=10000 for 万元/吨 (else inferred)."),
    ] = None,
    verbose: VerboseOpt = False,
) -> None:
    """Daily price tables (low/high/average per product, or long format) → price facts."""
    from assay.analyze.price_table import PriceTableOptions, import_price_table

    scales: dict[str, float] = {}
    for item in scale or []:
        product, _, number = item.partition("=")
        try:
            scales[product.strip()] = float(number)
        except ValueError as exc:
            raise _usage(f"--scale {item!r}: give PRODUCT=NUMBER, e.g. 氧化钕=10000") from exc
    options = PriceTableOptions(scales=scales)
    _run_imports(files, lambda session, path: import_price_table(session, path, options), verbose)


@import_app.command("list")
def import_list_command(as_json: JsonOpt = False) -> None:
    """The reference datasets imported so far, with their facts and provenance."""
    from assay.store.reference import list_datasets

    with _session() as session:
        datasets = list_datasets(session)
    if as_json:
        _print_json(
            [
                {
                    "name": d.name,
                    "kind": d.kind,
                    "source": d.source,
                    "published": d.published,
                    "official": d.official,
                    "imported_at": d.imported_at.isoformat(),
                    "facts": d.facts,
                }
                for d in datasets
            ]
        )
        return
    if not datasets:
        console.print("No reference datasets imported yet (assay import usgs-mcs FILE.csv).")
        return
    table = Table(title_justify="left")
    for col in ("dataset", "kind", "facts", "published", "official", "source"):
        table.add_column(col, overflow="fold")
    for d in datasets:
        table.add_row(d.name, d.kind, str(d.facts), d.published or "", "yes" if d.official else "no", escape(d.source))
    console.print(table)
