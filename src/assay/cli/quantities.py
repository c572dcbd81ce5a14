"""`assay quantities`: every number, quantity, amount of money and percent that assay reads in a text.

For analysts who want to see why a number did or did not become a fact. Touches no database.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from assay.cli.app import app, console, err_console
from assay.extract.numbers import read_quantities
from assay.model import Quantity

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


@app.command("quantities")
def quantities_command(
    text: Annotated[str | None, typer.Argument(help="Text to read; omit to read --file or standard input.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read each line of this file as a separate text.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array per input line.")] = False,
) -> None:
    """Show every number, quantity, amount of money and percent read in TEXT, with value and unit."""
    if text is not None and file is not None:
        _error("quantities: give either TEXT or --file, not both")
        raise typer.Exit(EXIT_USAGE)
    lines = _input_lines(text, file)
    for index, line in enumerate(lines, start=1):
        found = read_quantities(line)
        if as_json:
            sys.stdout.write(json.dumps([q.as_json() for q in found], ensure_ascii=False) + "\n")
        else:
            console.print(_table(found, f"line {index}" if file is not None or text is None else None))
    sys.stdout.flush()


def _input_lines(text: str | None, file: Path | None) -> Iterator[str]:
    if text is not None:
        return iter(text.splitlines() or [""])
    if file is not None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            _error(f"{file}: cannot read the file ({exc.strerror or exc})")
            raise typer.Exit(EXIT_INPUT_FAILED) from None
        content = data.decode("utf-8-sig", errors="replace")
        return iter(content.splitlines())
    if sys.stdin.isatty():
        _error("quantities: give TEXT, --file F, or pipe text on standard input")
        raise typer.Exit(EXIT_USAGE)
    return (line.rstrip("\r\n") for line in sys.stdin)


def _error(message: str) -> None:
    """One line on standard error, never wrapped, never read as markup."""
    err_console.print(message, soft_wrap=True, markup=False, highlight=False)


def _table(found: list[Quantity], title: str | None) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for name, justify in (("text", "left"), ("value", "right"), ("high", "right"), ("unit", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]  # rich types justify as a Literal
    table.add_column("kind")
    table.add_column("approx")
    table.add_column("span", justify="right")
    for q in found:
        item = q.as_json()
        table.add_row(
            escape(q.text),
            str(item["value"]),
            str(item.get("value_high", "")),
            q.unit or "",
            q.kind.value + (" (signed)" if q.signed else ""),
            q.approx.value if q.approx else "",
            f"{q.start}-{q.end}",
        )
    return table
