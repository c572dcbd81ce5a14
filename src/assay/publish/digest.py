"""The digest: what changed in the store over a window (new documents, new and changed facts, the
biggest moves against the previous value, new events, new contradictions), as Markdown or HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.checks import Finding, contradictions
from assay.analyze.series import SourceRef, observation, series_from_records, source_ref
from assay.publish import i18n
from assay.store.documents import DocumentSummary, list_documents
from assay.store.events import EventFilter, StoredEvent, query_events
from assay.store.facts import commodity_and_descendants
from assay.store.records import StoredFactRecord, select_facts
from assay.store.series import FactSelection, gc_paused

FORMATS = ("md", "html")
MAX_MOVES = 10
MAX_FACTS = 50


@dataclass(frozen=True)
class DigestOptions:
    since: datetime  # naive UTC: documents stored at or after this moment are new
    commodity: str | None = None
    format: str = "md"


@dataclass(frozen=True)
class FactLine:
    label: str
    period: str
    value: str
    source: SourceRef


@dataclass(frozen=True)
class Change:
    label: str
    period: str
    before: str
    after: str
    pct: float | None
    source: SourceRef
    previous: SourceRef


@dataclass(frozen=True)
class Digest:
    options: DigestOptions
    documents: tuple[DocumentSummary, ...]
    new_facts: tuple[FactLine, ...]
    n_new_facts: int
    changed: tuple[Change, ...]  # the same figure restated with another value
    moves: tuple[Change, ...]  # against the previous period, biggest first
    events: tuple[StoredEvent, ...]
    contradictions: tuple[Finding, ...]

    @property
    def empty(self) -> bool:
        return not (self.documents or self.new_facts or self.events)


def gather_digest(session: Session, options: DigestOptions) -> Digest:
    family = tuple(commodity_and_descendants(options.commodity)) if options.commodity else ()
    documents = list_documents(session, fetched_since=options.since, include_duplicates=False)
    new_ids = {d.id for d in documents}
    with gc_paused():
        fresh = select_facts(session, FactSelection(commodities=family, stored_since=options.since)) if new_ids else []
    events = (
        query_events(session, EventFilter(commodity=options.commodity, stored_since=options.since)) if new_ids else []
    )
    first_reported = [e for e in events if all(m.document_id in new_ids for m in e.mentions)]
    if options.commodity:  # only documents that say something about the commodity
        about = {r.document_id for r in fresh} | {m.document_id for e in events for m in e.mentions}
        documents = [d for d in documents if d.id in about]
    context = _context(session, fresh)
    changed, moves = _changes(fresh, context, new_ids)
    found = [f for f in contradictions(context) if any(s.document_id in new_ids for s in f.statements)]
    lines = tuple(_fact_line(r) for r in fresh[:MAX_FACTS])
    return Digest(
        options, tuple(documents), lines, len(fresh), tuple(changed), tuple(moves), tuple(first_reported), tuple(found)
    )


def _context(session: Session, fresh: list[StoredFactRecord]) -> list[StoredFactRecord]:
    """Every stored statement of the series the new facts belong to (old and new)."""
    if not fresh:
        return []
    commodities = tuple(sorted({r.fact.commodity for r in fresh}))
    metrics = tuple(sorted({r.fact.metric for r in fresh}))
    keys = {r.fact.series_key for r in fresh}
    with gc_paused():
        records = select_facts(session, FactSelection(commodities=commodities, metrics=metrics))
    return [r for r in records if r.fact.series_key in keys]


def previous_values(session: Session, records: list[StoredFactRecord]) -> dict[int, tuple[float, SourceRef]]:
    """For each record, the value of the period before its own in its series (same period length),
    from statements other than its own document's; records with nothing before are left out."""
    # statements per series key and period, read once; each record then looks back within its key
    by_key: dict[tuple[object, ...], dict[str, list[StoredFactRecord]]] = {}
    for r in _context(session, records):
        if r.fact.period:
            by_key.setdefault(r.fact.series_key, {}).setdefault(r.fact.period, []).append(r)
    out: dict[int, tuple[float, SourceRef]] = {}
    for r in records:
        f = r.fact
        if not f.period or f.unit.startswith("pct"):
            continue
        periods = by_key.get(f.series_key, {})
        for period in sorted((p for p in periods if p < f.period and len(p) == len(f.period)), reverse=True):
            others = [o for o in periods[period] if o.document_id != r.document_id]
            if others:
                before = observation(period, others)
                out[r.id] = (before.value, before.freshest)
                break
    return out


def _label(record: StoredFactRecord) -> str:
    f = record.fact
    parts = [f.commodity + (f" ({f.form})" if f.form else ""), f.metric, f.geo]
    if f.partner:
        parts.append(f"→ {f.partner}")
    return " ".join(parts)


def _fact_line(record: StoredFactRecord) -> FactLine:
    f = record.fact
    return FactLine(_label(record), f.period or "", i18n.number(f.value, f.unit, "en"), source_ref(record))


def _changes(
    fresh: list[StoredFactRecord], context: list[StoredFactRecord], new_ids: set[int]
) -> tuple[list[Change], list[Change]]:
    changed: list[Change] = []
    moves: list[Change] = []
    old: dict[tuple[object, ...], StoredFactRecord] = {}
    for r in context:
        if r.document_id not in new_ids and r.fact.period:
            old.setdefault((r.fact.series_key, r.fact.period), r)
    series = {s.key: s for s in series_from_records([r for r in context if r.document_id not in new_ids])}
    for r in fresh:
        f = r.fact
        if not f.period:
            continue
        before = old.get((f.series_key, f.period))
        if before is not None and before.fact.value != f.value:
            changed.append(_change(r, before.fact.value, source_ref(before)))
        known = series.get(f.series_key)
        if known is None or f.unit.startswith("pct"):
            continue
        earlier = [o for o in known.observations if o.period < f.period and len(o.period) == len(f.period)]
        if earlier and earlier[-1].value:
            moves.append(_change(r, earlier[-1].value, earlier[-1].freshest))
    moves.sort(key=lambda c: -abs(c.pct or 0.0))
    return changed, moves[:MAX_MOVES]


def _change(record: StoredFactRecord, before: float, previous: SourceRef) -> Change:
    f = record.fact
    pct = (f.value - before) / abs(before) * 100 if before else None
    return Change(
        _label(record),
        f.period or "",
        i18n.number(before, f.unit, "en"),
        i18n.number(f.value, f.unit, "en"),
        pct,
        source_ref(record),
        previous,
    )


def _title(digest: Digest) -> str:
    about = f" on {digest.options.commodity}" if digest.options.commodity else ""
    return f"assay digest{about}: since {digest.options.since:%Y-%m-%d %H:%M} UTC"


def _cite(ref: SourceRef) -> str:
    return f"{ref.doc or ref.dataset}: “{ref.quote}”"


def _pct(change: Change) -> str:
    return f"{change.pct:+.1f}%" if change.pct is not None else "n/a"


def digest_markdown(digest: Digest) -> str:
    out = [f"# {_title(digest)}", ""]
    out += [f"## New documents ({len(digest.documents)})", ""]
    out += [
        f"- {d.published or 'undated'} **{d.title or d.name}** ({d.source_name or d.source})"
        + (f" <{d.url}>" if d.url else "")
        for d in digest.documents
    ] or ["None."]
    out += ["", f"## New facts ({digest.n_new_facts})", ""]
    out += [f"- {f.label} {f.period}: {f.value} ({_cite(f.source)})" for f in digest.new_facts] or ["None."]
    out += ["", f"## Changed facts ({len(digest.changed)})", ""]
    out += [
        f"- {c.label} {c.period}: {c.before} → {c.after} ({_cite(c.source)}; before: {_cite(c.previous)})"
        for c in digest.changed
    ] or ["None."]
    out += ["", "## Biggest moves against the previous value", ""]
    out += [
        f"- {c.label} {c.period}: {c.after}, {_pct(c)} from {c.before} ({_cite(c.source)})" for c in digest.moves
    ] or ["None."]
    out += ["", f"## New events ({len(digest.events)})", ""]
    out += [
        f"- {e.date or 'undated'} {e.type} {e.actor} ({', '.join(e.commodities)}): "
        + (f"“{e.mentions[0].quote}” ({e.mentions[0].doc})" if e.mentions else "")
        for e in digest.events
    ] or ["None."]
    out += ["", f"## New contradictions ({len(digest.contradictions)})", ""]
    out += [f"- {f.message}" for f in digest.contradictions] or ["None."]
    return "\n".join(out) + "\n"


def digest_html(digest: Digest) -> str:
    """The digest as an HTML page (for mail)."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(_title(digest))}'
        "</title></head><body>" + digest_body_html(digest) + "</body></html>"
    )


def digest_body_html(digest: Digest) -> str:
    """The Markdown digest's content as HTML, without a page around it (for the portal)."""
    body: list[str] = []
    in_list = False
    for line in digest_markdown(digest).splitlines():
        if line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{html.escape(line[2:]).replace('**', '')}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    if in_list:
        body.append("</ul>")
    return "\n".join(body)


def digest_json(digest: Digest) -> dict[str, Any]:
    """The digest as JSON (for the API)."""

    def change(c: Change) -> dict[str, Any]:
        return {
            "label": c.label,
            "period": c.period,
            "before": c.before,
            "after": c.after,
            "pct": c.pct,
            "source": c.source.as_json(),
            "previous": c.previous.as_json(),
        }

    return {
        "since": digest.options.since.isoformat(),
        "commodity": digest.options.commodity,
        "documents": [
            {"id": d.id, "name": d.name, "title": d.title, "url": d.url, "published": d.published}
            for d in digest.documents
        ],
        "new_facts": digest.n_new_facts,
        "facts": [
            {"label": f.label, "period": f.period, "value": f.value, "source": f.source.as_json()}
            for f in digest.new_facts
        ],
        "changed": [change(c) for c in digest.changed],
        "moves": [change(c) for c in digest.moves],
        "events": [e.as_json() for e in digest.events],
        "contradictions": [f.as_json() for f in digest.contradictions],
    }


def render_digest(digest: Digest) -> str:
    return digest_html(digest) if digest.options.format == "html" else digest_markdown(digest)
