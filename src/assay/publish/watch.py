"""Watch rules: evaluate each rule on what was stored since it last looked, and queue one message per
rule and run. Queuing and moving the rule's marks happen in one transaction, so a match is queued
exactly once even when a run is killed; delivery (notify.deliver_due) then sends each message once.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.series import SourceRef, source_ref
from assay.publish import i18n
from assay.publish.digest import previous_values
from assay.store.db import Store
from assay.store.documents import documents_containing
from assay.store.events import EventFilter, query_events
from assay.store.facts import commodity_and_descendants
from assay.store.records import select_facts
from assay.store.series import FactSelection, gc_paused
from assay.store.watch import Message, WatchRule, advance_marks, enqueue, latest_ids, list_rules

MAX_LISTED = 50  # matches written out in one message; the rest are counted


@dataclass(frozen=True)
class Match:
    kind: str  # fact, event, document
    id: int
    text: str  # one line for people
    data: dict[str, Any]


@dataclass
class RuleOutcome:
    rule: WatchRule
    matches: list[Match] = field(default_factory=list)
    queued: bool = False


def describe(rule: WatchRule) -> str:
    s = rule.spec
    parts = [s.commodity]
    parts += [
        f"{label} {value}" for label, value in (("metric", s.metric), ("geo", s.geo), ("event", s.event_type)) if value
    ]
    if s.change_pct is not None:
        parts.append(f"change ≥ {s.change_pct:g}%")
    if s.keyword:
        parts.append(f"keyword “{s.keyword}”")
    return ", ".join(parts)


def evaluate(session: Session, rule: WatchRule, from_start: bool = False) -> list[Match]:
    """What the rule matches among facts, events and documents stored after its marks (or all, from_start)."""
    spec = rule.spec
    fact_mark, event_mark, doc_mark = (
        (0, 0, 0) if from_start else (rule.last_fact_id, rule.last_event_id, rule.last_document_id)
    )
    keyword = (spec.keyword or "").lower()
    watches_facts = spec.event_type is None
    watches_events = spec.metric is None and spec.geo is None and spec.change_pct is None
    matches: list[Match] = []
    if watches_facts:
        family = tuple(commodity_and_descendants(spec.commodity))
        selection = FactSelection(
            commodities=family, metric=spec.metric, geo=spec.geo, after_fact_id=fact_mark, with_period_only=False
        )
        with gc_paused():
            records = [r for r in select_facts(session, selection) if not keyword or keyword in r.fact.quote.lower()]
        before = previous_values(session, records) if spec.change_pct is not None else {}
        for r in records:
            f = r.fact
            data: dict[str, Any] = {
                "commodity": f.commodity,
                "form": f.form,
                "metric": f.metric,
                "geo": f.geo,
                "partner": f.partner,
                "period": f.period,
                "value": f.value,
                "unit": f.unit,
                **_source(source_ref(r)),
            }
            line = f"{f.commodity} {f.metric} {f.geo} {f.period or ''}: {i18n.number(f.value, f.unit, 'en')}"
            if spec.change_pct is not None:
                previous = before.get(r.id)
                if previous is None or not previous[0]:
                    continue
                pct = (f.value - previous[0]) / abs(previous[0]) * 100
                if abs(pct) < spec.change_pct:
                    continue
                data.update(previous=previous[0], previous_doc=previous[1].doc, change_pct=round(pct, 2))
                line += f" ({pct:+.1f}% from {i18n.number(previous[0], f.unit, 'en')})"
            matches.append(Match("fact", r.id, f"{line} — “{f.quote}” ({data['doc']})", data))
    if watches_events:
        events = query_events(session, EventFilter(commodity=spec.commodity, type=spec.event_type, after_id=event_mark))
        for e in events:
            quote = e.mentions[0].quote if e.mentions else ""
            if keyword and not any(keyword in m.quote.lower() for m in e.mentions):
                continue
            first = e.mentions[0] if e.mentions else None
            data = {
                "type": e.type,
                "actor": e.actor,
                "date": e.date,
                "commodities": list(e.commodities),
                "stance": e.stance,
                "quote": quote,
                "doc": first.doc if first else None,
                "url": first.url if first else None,
            }
            matches.append(Match("event", e.id, f"{e.date or 'undated'} {e.type} {e.actor}: “{quote}”", data))
    if keyword and watches_facts and watches_events:
        for d in documents_containing(session, keyword, after_id=doc_mark):
            data = {"doc": d.name, "title": d.title, "url": d.url, "published": d.published}
            matches.append(Match("document", d.id, f"{d.published or 'undated'} {d.title or d.name}", data))
    return matches


def _source(ref: SourceRef) -> dict[str, Any]:
    return {"doc": ref.doc or ref.dataset, "url": ref.url, "quote": ref.quote, "published": ref.published}


def message_for(rule: WatchRule, matches: list[Match], marks: tuple[int, int, int]) -> Message:
    """One message for a rule's matches in one run; its key names the stretch of ids the run covered."""
    listed = matches[:MAX_LISTED]
    more = len(matches) - len(listed)
    title = f"assay watch #{rule.id} ({describe(rule)}): {len(matches)} new"
    text = "\n".join([title, "", *(f"- {m.text}" for m in listed)] + ([f"- … and {more} more"] if more else []))
    items = "".join(f"<li>{html.escape(m.text)}</li>" for m in listed)
    if more:
        items += f"<li>… and {more} more</li>"
    page = f"<html><body><h2>{html.escape(title)}</h2><ul>{items}</ul></body></html>"
    key = (
        f"watch|{rule.id}|f{rule.last_fact_id}-{marks[0]}|e{rule.last_event_id}-{marks[1]}"
        f"|d{rule.last_document_id}-{marks[2]}"
    )
    payload = {
        "kind": "watch",
        "rule": rule.as_json(),
        "matches": [{"kind": m.kind, "id": m.id, **m.data} for m in matches],
    }
    return Message(
        key=key, target=rule.spec.notify, subject=title, text=text, html=page, payload=payload, rule_id=rule.id
    )


def run_rules(store: Store) -> list[RuleOutcome]:
    """Evaluate every rule on what is new to it and queue its message; marks move in the same transaction."""
    outcomes: list[RuleOutcome] = []
    with store.session() as session:
        rules = list_rules(session)
    for rule in rules:
        with store.transaction() as session:
            marks = latest_ids(session)
            outcome = RuleOutcome(rule, evaluate(session, rule))
            if outcome.matches:
                outcome.queued = enqueue(session, message_for(rule, outcome.matches, marks))
            advance_marks(session, rule.id, *marks)
        outcomes.append(outcome)
    return outcomes
