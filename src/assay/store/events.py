"""The events repository: one row per real-world event, one mention per document reporting it.

`record_events` merges an event another document already reported: same type, dates that
agree at month precision (equal, or one a prefix of the other), a commodity in common or one
under another (`rare_earths` and `heavy_rare_earths`), and the same actor or one of them less
specific (`CN` and `CN:MOFCOM`); two undated reports must name the same actor and a same
commodity. Recording a document again replaces its mentions; an event left without mentions
is dropped.

`query_events` lists the timeline, oldest first (undated events last):
- `commodity` includes its descendants (`rare_earths` lists `heavy_rare_earths` events too);
- `actor` matches the actor and the bodies under it (`CN` lists `CN:MOFCOM`, `CN-LN:Anshan` too);
- `since` / `until` take a date prefix (`2025`, `2025-04`) and leave undated events out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from assay.extract.events.dates import dates_compatible, month_start
from assay.extract.events.merge import related
from assay.extract.text.gazetteer import commodity_family
from assay.model import Event, Period
from assay.store.documents import superseded_document_ids
from assay.store.schema import DocumentRow, EventCommodityRow, EventMentionRow, EventRow
from assay.store.series import documents_stored_since
from assay.vocab import ancestors, commodities

KEY_LIMIT = 300
YEAR_CHARS, MONTH_CHARS, DECEMBER = 4, 7, 12
SUFFIXES_READ = 50  # keys "...#2" to "...#51": events a tolerant match told apart, yet with one key
# the tables themselves, for bulk inserts that skip the ORM's per-row bookkeeping
_EVENTS = cast(Table, EventRow.__table__)
_EVENT_COMMODITIES = cast(Table, EventCommodityRow.__table__)
_MENTIONS = cast(Table, EventMentionRow.__table__)
# Actors that say only where, not who: a mention naming one may join an event whose actor is known.
_VAGUE_ACTORS = {"WORLD", ""}


class EventStoreError(ValueError):
    """An event that cannot be stored as given; str() names the document and the reason."""


@dataclass(frozen=True)
class EventFilter:
    """What `query_events` selects; None means any."""

    commodity: str | None = None
    type: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    after_id: int | None = None  # only events stored after this one (watch rules)
    stored_since: datetime | None = None  # only events reported by original documents stored at or after
    document_id: int | None = None  # only events this document reports


@dataclass(frozen=True)
class EventMention:
    """One document's report of an event: its quote and where the quote sits in the clean text."""

    document_id: int
    doc: str
    url: str | None
    published: str | None
    quote: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class StoredEvent:
    id: int
    type: str
    actor: str
    date: str | None
    commodities: tuple[str, ...]
    geo: str | None
    stance: str
    mentions: tuple[EventMention, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "actor": self.actor,
            "date": self.date,
            "commodities": list(self.commodities),
            "geo": self.geo,
            "stance": self.stance,
            "sources": [
                {
                    "doc": m.doc,
                    "url": m.url,
                    "published": m.published,
                    "quote": m.quote,
                    "span": [m.start, m.end],
                    "rule": m.rule,
                }
                for m in self.mentions
            ],
        }


def event_key(event: Event) -> str:
    """type|month|commodities|actor: what makes two reports the same event at first sight."""
    month = (event.date or "-")[:7]
    key = f"{event.type}|{month}|{','.join(sorted(set(event.commodities)))}|{event.actor}"
    return key[:KEY_LIMIT]


def _actors_agree(a: str, b: str) -> bool:
    if a == b or a in _VAGUE_ACTORS or b in _VAGUE_ACTORS:
        return True
    # a country and one of its bodies or regions: CN and CN:MOFCOM, CN and CN-LN:Anshan
    return b.startswith((a + ":", a + "-")) or a.startswith((b + ":", b + "-"))


def _month(value: str | None) -> str | None:
    return value[:7] if value else None


def _same_event(row: EventRow, event: Event) -> bool:
    if row.date is None and event.date is None:
        # without a date to tie them, two reports are one event only when actor and a commodity are the same
        return (
            row.type == event.type and row.actor == event.actor and bool(set(row.commodities) & set(event.commodities))
        )
    return (
        row.type == event.type
        and dates_compatible(_month(row.date), _month(event.date))
        and related(tuple(row.commodities), event.commodities)
        and _actors_agree(row.actor, event.actor)
    )


def _validate(document_id: int, event: Event) -> None:
    known = commodities()
    unknown = [c for c in event.commodities if c not in known]
    if unknown:
        raise EventStoreError(f"document {document_id}: event {event.type!r} names unknown commodities {unknown}")
    if not event.commodities:
        raise EventStoreError(f"document {document_id}: event {event.type!r} names no commodity")
    if event.date is not None and month_start(event.date) is None:
        raise EventStoreError(f"document {document_id}: event {event.type!r} has an unreadable date {event.date!r}")


# One statement per document, whatever its number of events: an OR of one lookup per distinct
# report, each read through ix_events_type_start_actor and keeping only the events of an actor that
# can agree (the same root, e.g. `CN` of `CN-LN:Anshan`, or a vague one) and of a commodity family
# in common. Statements are built once per shape (the lookups' kinds), with bound parameters:
# per document, statements of a varying shape cost more to compile than to run.
_DATED, _DATED_ANY_ACTOR, _UNDATED = "dated", "dated, any actor", "undated"


@functools.cache
def _candidates_statement(kinds: tuple[str, ...]) -> Select[tuple[EventRow]]:
    """SELECT the events of any of the lookups of these kinds; lookup i's parameters are named `lookup{i}_...`."""
    return select(EventRow).where(or_(*(_lookup_clause(kind, str(i)) for i, kind in enumerate(kinds))))


def _lookup_clause(kind: str, n: str) -> ColumnElement[bool]:
    if kind == _UNDATED:
        return and_(
            EventRow.type == bindparam(f"lookup{n}_type"),
            EventRow.date_start.is_(None),
            EventRow.actor == bindparam(f"lookup{n}_actor"),
        )
    clause = and_(
        EventRow.type == bindparam(f"lookup{n}_type"),
        or_(
            EventRow.date_start.between(bindparam(f"lookup{n}_first"), bindparam(f"lookup{n}_last")),
            EventRow.date_start == bindparam(f"lookup{n}_year"),
        ),
        select(EventCommodityRow.event_id)
        .where(
            EventCommodityRow.event_id == EventRow.id,
            EventCommodityRow.commodity.in_(bindparam(f"lookup{n}_members", expanding=True)),
        )
        .exists(),
    )
    if kind == _DATED_ANY_ACTOR:
        return clause
    return and_(
        clause,
        or_(
            EventRow.actor == bindparam(f"lookup{n}_root"),
            EventRow.actor.like(bindparam(f"lookup{n}_root_colon")),
            EventRow.actor.like(bindparam(f"lookup{n}_root_dash")),
            EventRow.actor.in_(sorted(_VAGUE_ACTORS)),
        ),
    )


_KEYS = select(EventRow.key).where(EventRow.key.in_(bindparam("keys", expanding=True)))
_IDS_OF_KEYS = select(EventRow.key, EventRow.id).where(EventRow.key.in_(bindparam("keys", expanding=True)))
# inserted with Core on the session's connection: no unit of work for rows written once
_INSERT_EVENTS = insert(_EVENTS)
_INSERT_EVENT_COMMODITIES = insert(_EVENT_COMMODITIES)
_INSERT_MENTIONS = insert(_MENTIONS)


def _candidates(session: Session, events: Sequence[Event]) -> list[EventRow]:
    """The stored events one of `events` could be about, in one query: for a dated report, its
    type's events that start within its month (its year, for a date less precise than a month) or
    on its year's first day (`2025` for `2025-04-09`), of an actor that can agree with its own and
    a commodity of a family in common; for an undated report, its type's undated events of its
    actor. The cost follows the events a report may join, not the store nor the month's other
    events. `_find_event` picks among them."""
    lookups = sorted({_lookup(event) for event in events})
    if not lookups:
        return []
    parameters: dict[str, Any] = {}
    for i, (_, values) in enumerate(lookups):
        parameters.update((f"lookup{i}_{name}", value) for name, value in values)
    statement = _candidates_statement(tuple(kind for kind, _ in lookups))
    return sorted(session.scalars(statement, parameters), key=lambda row: row.id)


def _lookup(event: Event) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The kind and parameters (hashable, so that reports of one event share a lookup) of `_candidates`."""
    if event.date is None:
        return _UNDATED, (("actor", event.actor), ("type", event.type))
    month = _month(event.date)
    start = month_start(month)
    assert month is not None and start is not None  # _validate refused any other
    last = _last_day(start, whole_year=len(month) != MONTH_CHARS or not month[5:].isdigit())
    members = _family_members(frozenset(commodity_family(c) for c in event.commodities))
    window = (
        ("first", start),
        ("last", last),
        ("members", members),
        ("type", event.type),
        ("year", date(start.year, 1, 1)),
    )
    if event.actor in _VAGUE_ACTORS:
        return _DATED_ANY_ACTOR, window
    root = _ACTOR_ROOT.split(event.actor, maxsplit=1)[0]
    return _DATED, (*window, ("root", root), ("root_colon", root + ":%"), ("root_dash", root + "-%"))


_ACTOR_ROOT = re.compile("[:-]")


@functools.cache
def _family_members(families: frozenset[str]) -> tuple[str, ...]:
    """Every vocabulary commodity of these families (what `related` counts as touching)."""
    return tuple(sorted(c for c in commodities() if commodity_family(c) in families))


def _last_day(start: date, *, whole_year: bool) -> date:
    if whole_year or start.month == DECEMBER:
        return date(start.year, 12, 31)
    return date(start.year, start.month + 1, 1) - timedelta(days=1)


def _taken_keys(session: Session, events: Sequence[Event]) -> set[str]:
    """The stored keys a new event's key may collide with: its own, and those suffixed after collisions."""
    bases = {event_key(event) for event in events}
    taken = set(session.scalars(_KEYS, {"keys": sorted(bases)}))
    for base in sorted(bases & taken):
        suffixed = [f"{base[: KEY_LIMIT - 6]}#{n}" for n in range(2, 2 + SUFFIXES_READ)]
        taken.update(session.scalars(_KEYS, {"keys": suffixed}))
    return taken


def _find_event(rows: Sequence[EventRow], event: Event) -> EventRow | None:
    """The event this report is about among `rows` (oldest first), if any (see the module docstring
    for "same")."""
    matches = [
        row
        for row in rows
        if row.type == event.type
        and (row.date is None if event.date is None else row.date is not None and row.date.startswith(event.date[:4]))
        and _same_event(row, event)
    ]
    if not matches:
        return None
    # the best match agrees on the actor exactly, then on the date exactly, then is the oldest
    return min(enumerate(matches), key=lambda m: (m[1].actor != event.actor, m[1].date != event.date, m[0]))[1]


def _new_event(event: Event, taken_keys: set[str]) -> EventRow:
    key = event_key(event)
    suffix = 1
    while key in taken_keys:
        suffix += 1  # a key taken by an event that the tolerant match told apart
        key = f"{event_key(event)[: KEY_LIMIT - 6]}#{suffix}"
    taken_keys.add(key)
    return EventRow(
        key=key,
        type=event.type,
        actor=event.actor,
        date=event.date,
        date_start=month_start(event.date),
        commodities=sorted(set(event.commodities)),
        geo=event.geo,
        stance=event.stance.value,
    )


def _columns(row: EventRow) -> dict[str, Any]:
    """A new event's column values, for a bulk insert."""
    return {
        "key": row.key,
        "type": row.type,
        "actor": row.actor,
        "date": row.date,
        "date_start": row.date_start,
        "commodities": row.commodities,
        "geo": row.geo,
        "stance": row.stance,
    }


def _enrich(session: Session, row: EventRow, event: Event, stored: bool) -> None:
    """A later report may be more precise: a day instead of a month, a body instead of a country.
    A `stored` row gets its new commodities' index rows here; a new row gets them all when inserted."""
    if event.date and (row.date is None or (event.date.startswith(row.date) and len(event.date) > len(row.date))):
        row.date, row.date_start = event.date, month_start(event.date)
    if row.actor in _VAGUE_ACTORS or (event.actor.startswith((row.actor + ":", row.actor + "-"))):
        row.actor = event.actor
    families = {commodity_family(c) for c in row.commodities}
    new = sorted(c for c in set(event.commodities) - set(row.commodities) if commodity_family(c) in families)
    if new:
        row.commodities = sorted(set(row.commodities) | set(new))
        if stored:
            session.add_all(EventCommodityRow(event_id=row.id, commodity=commodity) for commodity in new)


def record_events(session: Session, document_id: int, events: Sequence[Event], *, replacing: bool = True) -> int:
    """Store a document's events as mentions, merging events other documents reported.

    Returns the number of mentions recorded. Raises EventStoreError before writing
    anything when an event cannot be stored. `replacing=False` for a document stored moments
    ago in this transaction: it has no mentions yet, so none are looked for or removed.
    """
    for event in events:
        _validate(document_id, event)
    connection = session.connection()
    touched: set[int] = set()
    if replacing:
        touched = set(_remove_mentions(session, document_id))
    if not events:
        _drop_orphans(session, touched)
        return 0
    # a few queries per document, whatever its number of events: the stored events it may
    # join are read once, new events and all mentions are inserted together
    rows = _candidates(session, events)
    stored_count = len(rows)
    # stored keys are read only when a new event needs one: most reports join a stored event
    taken_keys: set[str] | None = None
    reports: list[tuple[EventRow, Event]] = []
    seen: set[tuple[int, str]] = set()
    for event in events:
        row = _find_event(rows, event)
        if row is None:
            if taken_keys is None:
                taken_keys = _taken_keys(session, events) | {stored.key for stored in rows[:stored_count]}
            row = _new_event(event, taken_keys)
            rows.append(row)
        else:
            _enrich(session, row, event, stored=rows.index(row) < stored_count)
        if (id(row), event.quote) in seen:
            continue
        seen.add((id(row), event.quote))
        reports.append((row, event))
    new_rows = rows[stored_count:]
    if new_rows:
        # one executemany, then the new ids read back by their unique keys (SQLite returns ids
        # in no promised order, and SQLAlchemy then inserts row by row to keep one)
        connection.execute(_INSERT_EVENTS, [_columns(row) for row in new_rows])
        found = connection.execute(_IDS_OF_KEYS, {"keys": [row.key for row in new_rows]})
        ids = {key: id_ for key, id_ in found}
        for row in new_rows:
            row.id = ids[row.key]
        connection.execute(
            _INSERT_EVENT_COMMODITIES,
            [{"event_id": row.id, "commodity": commodity} for row in new_rows for commodity in row.commodities],
        )
    connection.execute(
        _INSERT_MENTIONS,
        [
            {
                "event_id": row.id,
                "document_id": document_id,
                "quote": event.quote,
                "span_start": event.start,
                "span_end": event.end,
                "rule": event.rule,
                "rule_version": event.rule_version,
            }
            for row, event in reports
        ],
    )
    session.flush()  # what _enrich changed on stored events
    _drop_orphans(session, touched)
    return len(reports)


def _remove_mentions(session: Session, document_id: int) -> list[int]:
    """Delete a document's mentions; returns the ids of the events they reported."""
    mentions = _MENTIONS
    removal = delete(mentions).where(mentions.c.document_id == document_id)
    if session.get_bind().dialect.delete_returning:  # SQLite >= 3.35 and PostgreSQL: one round trip, not two
        return list(session.scalars(removal.returning(mentions.c.event_id)))
    touched = list(session.scalars(select(mentions.c.event_id).where(mentions.c.document_id == document_id)))
    session.execute(removal)
    return touched


def _drop_orphans(session: Session, event_ids: set[int]) -> None:
    if not event_ids:
        return
    still = set(session.scalars(select(EventMentionRow.event_id).where(EventMentionRow.event_id.in_(event_ids))).all())
    orphans = event_ids - still
    if orphans:
        session.execute(delete(EventCommodityRow).where(EventCommodityRow.event_id.in_(orphans)))
        session.execute(delete(EventRow).where(EventRow.id.in_(orphans)))


def _descendants(commodity: str) -> list[str]:
    return sorted(c for c in commodities() if commodity in ancestors(c)) or [commodity]


def _period_bounds(value: str, *, end: bool) -> date:
    try:
        period = Period.parse(value)
    except ValueError as e:
        raise EventStoreError(f"{value!r}: not a date (use 2025, 2025-04 or 2025-04-09)") from e
    return period.end if end else period.start


def _conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    # an event only a superseded document version reported is history: it is not listed
    current = select(EventMentionRow.event_id).where(EventMentionRow.document_id.not_in(superseded_document_ids()))
    where: list[ColumnElement[bool]] = [EventRow.id.in_(current)]
    if flt.type:
        where.append(EventRow.type == flt.type)
    if flt.actor:
        where.append(
            or_(
                EventRow.actor == flt.actor,
                EventRow.actor.startswith(flt.actor + ":"),
                EventRow.actor.startswith(flt.actor + "-"),
            )
        )
    if flt.commodity:
        members = select(EventCommodityRow.event_id).where(EventCommodityRow.commodity.in_(_descendants(flt.commodity)))
        where.append(EventRow.id.in_(members))
    if flt.since:
        where.append(EventRow.date_start >= _period_bounds(flt.since, end=False))
    if flt.until:
        where.append(EventRow.date_start <= _period_bounds(flt.until, end=True))
    if flt.after_id is not None:
        where.append(EventRow.id > flt.after_id)
    if flt.stored_since is not None:
        new = documents_stored_since(flt.stored_since)
        reported = select(EventMentionRow.event_id).where(EventMentionRow.document_id.in_(new))
        where.append(EventRow.id.in_(reported))
    return where


def query_events(session: Session, flt: EventFilter) -> list[StoredEvent]:
    """The events the filter selects, oldest first, undated last, each with its mentions."""
    undated_last = func.coalesce(EventRow.date_start, date(9999, 12, 31))
    where = _conditions(flt)
    if flt.document_id is not None:
        # the document's few event ids first (mentions are indexed by document); a subquery here
        # lets SQLite walk every event in timeline order instead
        reported = session.scalars(
            select(EventMentionRow.event_id).where(EventMentionRow.document_id == flt.document_id)
        ).all()
        where.append(EventRow.id.in_(set(reported)))
    statement = select(EventRow).where(*where).order_by(undated_last, EventRow.id)
    if flt.limit:
        statement = statement.limit(flt.limit)
    rows = list(session.scalars(statement))
    return _with_mentions(session, rows)


def get_event(session: Session, event_id: int) -> StoredEvent | None:
    row = session.get(EventRow, event_id)
    return _with_mentions(session, [row])[0] if row is not None else None


def _with_mentions(session: Session, rows: list[EventRow]) -> list[StoredEvent]:
    if not rows:
        return []
    by_event: dict[int, list[EventMention]] = {row.id: [] for row in rows}
    mention_rows = session.execute(
        select(EventMentionRow, DocumentRow.name, DocumentRow.url, DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == EventMentionRow.document_id)
        .where(EventMentionRow.event_id.in_(list(by_event)), DocumentRow.superseded_by.is_(None))
        .order_by(EventMentionRow.event_id, DocumentRow.published, EventMentionRow.id)
    )
    for mention, name, url, published in mention_rows:
        by_event[mention.event_id].append(
            EventMention(
                document_id=mention.document_id,
                doc=name,
                url=url,
                published=published,
                quote=mention.quote,
                start=mention.span_start,
                end=mention.span_end,
                rule=f"{mention.rule}@{mention.rule_version}" if mention.rule_version else mention.rule,
            )
        )
    return [
        StoredEvent(
            id=row.id,
            type=row.type,
            actor=row.actor,
            date=row.date,
            commodities=tuple(row.commodities),
            geo=row.geo,
            stance=row.stance,
            mentions=tuple(by_event[row.id]),
        )
        for row in rows
    ]
