"""`assay events`: the timeline of policy and market events, and `assay events show ID`.

The timeline is oldest first, undated events last. `show` prints one event with every
document that reported it, and the series of its commodities before and after its date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from assay.cli.app import EXIT_INPUT_FAILED, app, console, usage_exit
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.app import print_json as _print_json
from assay.terminal import safe_text

if TYPE_CHECKING:
    from assay.analyze.impact import SeriesImpact
    from assay.store.events import StoredEvent


events_app = typer.Typer(
    help="The timeline of policy and market events (oldest first), and one event in detail.",
    invoke_without_command=True,
)
app.add_typer(events_app, name="events")


@events_app.callback()
def timeline_command(
    ctx: typer.Context,
    commodity: Annotated[
        str | None, typer.Option("--commodity", help="Only events touching this commodity id (or one under it).")
    ] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only this event type, e.g. export_control.")] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Only this actor and the bodies under it (CN lists CN:MOFCOM).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Events dated on or after: 2025, 2025-04 or 2025-04-09.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Events dated on or before: 2025, 2025-04 or 2025-04-09.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many events.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Events in time order, oldest first (undated last), each with its sources."""
    if ctx.invoked_subcommand is not None:
        return
    from assay.extract.events.lexicon import EVENT_TYPES
    from assay.store.events import EventFilter, EventStoreError, query_events
    from assay.vocab import commodities

    if event_type is not None and event_type not in EVENT_TYPES:
        raise usage_exit(f"--type {event_type}: not an event type (one of {', '.join(EVENT_TYPES)})")
    if commodity is not None and commodity not in commodities():
        raise usage_exit(f"--commodity {commodity}: not a commodity id (see vocab/data/commodities.csv)")
    flt = EventFilter(commodity=commodity, type=event_type, actor=actor, since=since, until=until, limit=limit)
    with _open() as store, store.session() as session:
        try:
            found = query_events(session, flt)
        except EventStoreError as exc:
            raise usage_exit(f"--since/--until {exc}") from exc
    if as_json:
        _print_json([e.as_json() for e in found])
        return
    if not found:
        console.print("No events match.", highlight=False)
        return
    for event in found:
        console.print(
            f"[bold]#{event.id}[/bold]  {event.date or 'undated'}  {event.type}  {event.actor}  {event.stance}"
            f"  ({', '.join(event.commodities)})",
            highlight=False,
            soft_wrap=True,
        )
        for mention in event.mentions:
            line = f"    {_source_line(mention.doc, mention.url, mention.quote)}"
            console.print(safe_text(line, single_line=True), highlight=False, soft_wrap=True)


@events_app.command("show")
def show_command(
    event_id: Annotated[int, typer.Argument(metavar="ID", help="The event id from `assay events`.")],
    window: Annotated[int, typer.Option("--window", min=1, help="Periods compared on each side of the date.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """One event with all its mentions, and its commodities' series before and after its date."""
    from assay.analyze.impact import CAVEAT, ImpactOptions, event_impacts
    from assay.store.events import get_event

    with _open() as store, store.session() as session:
        event = get_event(session, event_id)
        if event is None:
            _error(f"event {event_id}: no such event (list them with `assay events`)")
            raise typer.Exit(EXIT_INPUT_FAILED)
        impacts = event_impacts(session, event, ImpactOptions(window=window))
    if as_json:
        payload: dict[str, Any] = event.as_json()
        payload["impact"] = [i.as_json() for i in impacts]
        payload["caveat"] = CAVEAT
        _print_json(payload)
        return
    _print_event(event)
    _print_impacts(event, impacts)
    console.print(CAVEAT, highlight=False, style="italic")


def _print_event(event: StoredEvent) -> None:
    console.print(
        f"[bold]{event.type}[/bold]  {event.date or 'undated'}  actor {event.actor}  stance {event.stance}",
        highlight=False,
    )
    console.print(f"commodities: {', '.join(event.commodities)}", highlight=False)
    if event.geo:
        console.print(f"applies in: {event.geo}", highlight=False)
    for mention in event.mentions:
        where = mention.url or mention.doc
        line = f"- {where} ({mention.published or 'undated'}): “{_one_line(mention.quote)}”"
        console.print(safe_text(line, single_line=True), highlight=False)


def _print_impacts(event: StoredEvent, impacts: list[SeriesImpact]) -> None:
    if event.date is None:
        console.print("No date, so no before and after.", highlight=False)
        return
    if not impacts:
        console.print("No stored series of these commodities spans the event's date.", highlight=False)
        return
    table = Table("series", "before", "mean before", "after", "mean after", "change")
    for impact in impacts:
        c = impact.comparison
        table.add_row(
            impact.series.label(),
            "\n".join(f"{o.period}: {_number(o.value)}" for o in c.before),
            _number(c.mean_before),
            "\n".join(f"{o.period}: {_number(o.value)}" for o in c.after),
            _number(c.mean_after),
            f"{c.change_pct:+.1f}%" if c.change_pct is not None else "-",
        )
    console.print(table)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _source_line(doc: str, url: str | None, quote: str) -> str:
    quote = _one_line(quote)
    if len(quote) > 160:
        quote = quote[:157] + "..."
    return f"{url or doc}: “{quote}”"
