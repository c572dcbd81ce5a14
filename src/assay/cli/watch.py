"""`assay watch add|list|remove|test|run`: standing questions that notify by mail or webhook."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assay.cli.app import EXIT_INPUT_FAILED, app, console, usage_exit
from assay.cli.app import configured_store as _open
from assay.cli.app import print_error as _error
from assay.cli.app import print_json as _print_json

watch_app = typer.Typer(
    help="Watch rules: be told by mail or webhook when matching facts or events arrive.", no_args_is_help=True
)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def add_command(
    commodity: Annotated[str, typer.Option("--commodity", help="Commodity id (its sub-commodities count too).")],
    notify: Annotated[str, typer.Option("--notify", help="mailto:ADDRESS or an http(s) webhook URL.")],
    metric: Annotated[str | None, typer.Option("--metric", help="Only facts of this metric id.")] = None,
    geo: Annotated[str | None, typer.Option("--geo", help="Only facts about this place code (CN, WORLD, ...).")] = None,
    change_pct: Annotated[
        float | None,
        typer.Option("--change-pct", min=0, help="Only facts that move at least N% from the previous value."),
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--event-type", help="Events of this type (export_control, ...).")
    ] = None,
    keyword: Annotated[str | None, typer.Option("--keyword", help="Only what quotes this word (any case).")] = None,
) -> None:
    """Add a rule; it watches what is stored from now on."""
    from assay.extract.events.lexicon import EVENT_TYPES
    from assay.publish.notify import check_target
    from assay.store.watch import WatchRuleSpec, add_rule
    from assay.vocab import commodities, metrics

    if commodity not in commodities():
        raise usage_exit(f"--commodity {commodity}: not a commodity id (see vocab/data/commodities.csv)")
    if metric is not None and metric not in metrics():
        raise usage_exit(f"--metric {metric}: not a metric id (see vocab/data/metrics.csv)")
    if event_type is not None and event_type not in EVENT_TYPES:
        raise usage_exit(f"--event-type {event_type}: not an event type (one of {', '.join(EVENT_TYPES)})")
    if event_type is not None and (metric or geo or change_pct is not None):
        raise usage_exit("--event-type watches events; --metric, --geo and --change-pct watch facts: choose one")
    problem = check_target(notify)
    if problem:
        raise usage_exit(f"--notify {notify}: {problem}")
    spec = WatchRuleSpec(commodity, notify, metric, geo, change_pct, event_type, keyword or None)
    with _open() as store, store.transaction() as session:
        rule_id = add_rule(session, spec)
    console.print(f"added watch rule #{rule_id}", highlight=False)


@watch_app.command("list")
def list_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The rules, and how many messages are queued, sent and waiting to be retried."""
    from assay.publish.watch import describe
    from assay.store.watch import list_rules, outbox_counts

    with _open() as store, store.session() as session:
        rules = list_rules(session)
        counts = outbox_counts(session)
    if as_json:
        _print_json({"rules": [r.as_json() for r in rules], "outbox": counts})
        return
    table = Table("id", "watches", "notify", "since")
    for rule in rules:
        table.add_row(str(rule.id), describe(rule), rule.spec.notify, f"{rule.created_at:%Y-%m-%d %H:%M}")
    console.print(table if rules else "No watch rules.")
    console.print(
        f"outbox: {', '.join(f'{n} {state}' for state, n in sorted(counts.items())) or 'empty'}", highlight=False
    )


@watch_app.command("remove")
def remove_command(rule_id: Annotated[int, typer.Argument(help="The rule's id (see `watch list`).")]) -> None:
    """Remove a rule (messages already queued for it are still delivered)."""
    from assay.store.watch import WatchStoreError, remove_rule

    with _open() as store, store.transaction() as session:
        try:
            remove_rule(session, rule_id)
        except WatchStoreError as exc:
            _error(f"{rule_id}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"removed watch rule #{rule_id}", highlight=False)


@watch_app.command("test")
def test_command(
    rule_id: Annotated[int, typer.Argument(help="The rule's id.")],
    send: Annotated[bool, typer.Option("--send", help="Also send one test message to the rule's target now.")] = False,
) -> None:
    """What the rule matches among everything stored (nothing is queued); --send checks the channel."""
    from assay.publish.notify import DeliveryError, load_settings
    from assay.publish.notify import send as send_now
    from assay.publish.watch import evaluate, message_for
    from assay.store.watch import WatchStoreError, get_rule, latest_ids

    with _open() as store, store.session() as session:
        try:
            rule = get_rule(session, rule_id)
        except WatchStoreError as exc:
            _error(f"{rule_id}: {exc}")
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
        matches = evaluate(session, rule, from_start=True)
        marks = latest_ids(session)
    for match in matches:
        console.print(f"{match.kind} #{match.id}: {match.text}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"{len(matches)} matches in the store", highlight=False)
    if not send:
        return
    message = message_for(rule, matches, marks)
    message = type(message)(
        key=f"test|{message.key}",
        target=message.target,
        subject=f"[test] {message.subject}",
        text=message.text,
        html=message.html,
        payload={**message.payload, "test": True},
        rule_id=rule.id,
    )
    try:
        send_now(message, load_settings())
    except DeliveryError as exc:
        _error(f"{rule.spec.notify}: {exc}")
        raise typer.Exit(EXIT_INPUT_FAILED) from exc
    console.print(f"sent a test message to {rule.spec.notify}", highlight=False)


@watch_app.command("run")
def run_command() -> None:
    """Evaluate every rule on what is new, queue one message per rule, and deliver what is due."""
    from assay.publish.notify import DeliveryError, deliver_due
    from assay.publish.watch import describe, run_rules

    with _open() as store:
        outcomes = run_rules(store)
        try:
            report = deliver_due(store)
        except DeliveryError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_INPUT_FAILED) from exc
    for outcome in outcomes:
        console.print(
            f"rule #{outcome.rule.id} ({describe(outcome.rule)}): {len(outcome.matches)} new matches",
            highlight=False,
            markup=False,
        )
    for line in report.sent_lines():
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    for line in report.error_lines():
        _error(line)
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)
