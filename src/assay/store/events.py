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

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    union_all,
    update,
)
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
KEYS_PER_STATEMENT = 1000  # bound values per key lookup, far below SQLite's and PostgreSQL's limits
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


def _same_event(row: _Candidate, event: Event) -> bool:
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


# The stored events a batch of reports may join are read in a few statements of a fixed shape (built
# once, with bound parameters: statements of a varying shape cost more to compile than to run): each
# a UNION ALL of LOOKUPS_PER_STATEMENT lookups (the last repeated to fill it), as plain rows. A dated
# lookup reads two ranges of ix_events_type_start_actor (its month or year, and its year's first
# day) and keeps the events of an actor that can agree (the same root, e.g. `CN` of `CN-LN:Anshan`,
# or a vague one); an undated lookup reads its type's undated events of its actor.
LOOKUPS_PER_STATEMENT = 16
_DATED, _UNDATED = "dated", "undated"
_CANDIDATE_COLUMNS = (
    EventRow.id,
    EventRow.key,
    EventRow.type,
    EventRow.actor,
    EventRow.date,
    EventRow.date_start,
    EventRow.commodities,
    EventRow.geo,
    EventRow.stance,
)


def _lookup_parts(kind: str, n: int) -> list[Any]:
    """The SELECTs of lookup `n` (its parameters are named `l{n}_...`)."""

    def param(name: str) -> Any:
        return bindparam(f"l{n}_{name}")

    of_type = select(*_CANDIDATE_COLUMNS).where(EventRow.type == param("type"))
    if kind == _UNDATED:
        return [of_type.where(EventRow.date_start.is_(None), EventRow.actor == param("actor"))]
    agreeing = or_(
        bindparam(f"l{n}_any_actor", type_=Boolean),
        EventRow.actor == param("root"),
        EventRow.actor.like(param("root_colon")),
        EventRow.actor.like(param("root_dash")),
        EventRow.actor.in_(sorted(_VAGUE_ACTORS)),
    )
    # UNION ALL, not OR: each part reads its own index range (with an OR, SQLite reads every event of the type)
    in_window = EventRow.date_start.between(param("first"), param("last"))
    return [
        of_type.where(in_window, agreeing),
        of_type.where(EventRow.date_start == param("year"), agreeing),
    ]


@functools.cache
def _lookups_statement(kind: str) -> Any:
    parts = [part for n in range(LOOKUPS_PER_STATEMENT) for part in _lookup_parts(kind, n)]
    return union_all(*parts)


_KEYS = select(EventRow.key).where(EventRow.key.in_(bindparam("keys", expanding=True)))
_IDS_OF_KEYS = select(EventRow.key, EventRow.id).where(EventRow.key.in_(bindparam("keys", expanding=True)))
# inserted with Core on the session's connection: no unit of work for rows written once
_INSERT_EVENTS = insert(_EVENTS)
_INSERT_EVENT_COMMODITIES = insert(_EVENT_COMMODITIES)
_INSERT_MENTIONS = insert(_MENTIONS)
_UPDATE_EVENT = (
    update(_EVENTS)
    .where(_EVENTS.c.id == bindparam("event_id"))
    .values(
        actor=bindparam("new_actor"),
        date=bindparam("new_date"),
        date_start=bindparam("new_date_start"),
        commodities=bindparam("new_commodities", type_=_EVENTS.c.commodities.type),
    )
)


def _candidates(session: Session, events: Sequence[Event]) -> list[_Candidate]:
    """The stored events one of `events` could be about, oldest first: for a dated report, its
    type's events that start within its month (its year, for a date less precise than a month) or
    on its year's first day (`2025` for `2025-04-09`), of an actor that can agree with its own; for
    an undated report, its type's undated events of its actor. The cost follows the events a report
    may join, not the store nor the month's events of other actors. `_find_event` picks among them."""
    lookups: dict[str, list[tuple[tuple[str, Any], ...]]] = {_DATED: [], _UNDATED: []}
    for kind, parameters in sorted({_lookup(event) for event in events}, key=str):
        lookups[kind].append(parameters)
    found: dict[int, _Candidate] = {}
    connection = session.connection()
    for kind, all_parameters in lookups.items():
        for first in range(0, len(all_parameters), LOOKUPS_PER_STATEMENT):
            chunk = all_parameters[first : first + LOOKUPS_PER_STATEMENT]
            chunk += [chunk[-1]] * (LOOKUPS_PER_STATEMENT - len(chunk))
            bound = {f"l{n}_{name}": value for n, parameters in enumerate(chunk) for name, value in parameters}
            for row in connection.execute(_lookups_statement(kind), bound):
                if row.id not in found:
                    found[row.id] = _Candidate(*row)
    return [found[event_id] for event_id in sorted(found)]


def _lookup(event: Event) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The kind and parameters (hashable, so that reports of one event share a lookup) of `_candidates`."""
    if event.date is None:
        return _UNDATED, (("actor", event.actor), ("type", event.type))
    month = _month(event.date)
    start = month_start(month)
    assert month is not None and start is not None  # _validate refused any other
    last = _last_day(start, whole_year=len(month) != MONTH_CHARS or not month[5:].isdigit())
    root = _ACTOR_ROOT.split(event.actor, maxsplit=1)[0]
    return _DATED, (
        ("any_actor", event.actor in _VAGUE_ACTORS),
        ("first", start),
        ("last", last),
        ("root", root),
        ("root_colon", root + ":%"),
        ("root_dash", root + "-%"),
        ("type", event.type),
        ("year", date(start.year, 1, 1)),
    )


@dataclass
class _Candidate:
    """An event as merging sees it: a stored one (`id` set), or one new in this batch; `changed`
    when a report made it more precise (`added`: commodities a stored one gained)."""

    id: int | None
    key: str
    type: str
    actor: str
    date: str | None
    date_start: dt.date | None
    commodities: list[str]
    geo: str | None
    stance: str
    changed: bool = False
    added: list[str] = field(default_factory=list)


_ACTOR_ROOT = re.compile("[:-]")


def _last_day(start: date, *, whole_year: bool) -> date:
    if whole_year or start.month == DECEMBER:
        return date(start.year, 12, 31)
    return date(start.year, start.month + 1, 1) - timedelta(days=1)


def _taken_keys(session: Session, events: Sequence[Event]) -> set[str]:
    """The stored keys a new event's key may collide with: its own, and those suffixed after collisions."""
    bases = {event_key(event) for event in events}
    taken = set(session.scalars(_KEYS, {"keys": sorted(bases)}))
    # the suffixed keys of every colliding base in a few statements, not one per base (a batch of
    # 50 documents met about 30 collisions: 30 statements)
    suffixed = [f"{base[: KEY_LIMIT - 6]}#{n}" for base in sorted(bases & taken) for n in range(2, 2 + SUFFIXES_READ)]
    for first in range(0, len(suffixed), KEYS_PER_STATEMENT):
        taken.update(session.scalars(_KEYS, {"keys": suffixed[first : first + KEYS_PER_STATEMENT]}))
    return taken


def _find_event(rows: Sequence[_Candidate], event: Event) -> _Candidate | None:
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


def _new_event(event: Event, taken_keys: set[str]) -> _Candidate:
    key = event_key(event)
    suffix = 1
    while key in taken_keys:
        suffix += 1  # a key taken by an event that the tolerant match told apart
        key = f"{event_key(event)[: KEY_LIMIT - 6]}#{suffix}"
    taken_keys.add(key)
    return _Candidate(
        id=None,
        key=key,
        type=event.type,
        actor=event.actor,
        date=event.date,
        date_start=month_start(event.date),
        commodities=sorted(set(event.commodities)),
        geo=event.geo,
        stance=event.stance.value,
    )


def _columns(row: _Candidate) -> dict[str, Any]:
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


def _enriched_columns(row: _Candidate) -> dict[str, Any]:
    """What `_enrich` may change of a stored event, for a bulk update."""
    return {
        "event_id": row.id,
        "new_actor": row.actor,
        "new_date": row.date,
        "new_date_start": row.date_start,
        "new_commodities": row.commodities,
    }


def _enrich(row: _Candidate, event: Event) -> None:
    """A later report may be more precise: a day instead of a month, a body instead of a country."""
    if event.date and (row.date is None or (event.date.startswith(row.date) and len(event.date) > len(row.date))):
        row.date, row.date_start, row.changed = event.date, month_start(event.date), True
    if event.actor != row.actor and (
        row.actor in _VAGUE_ACTORS or event.actor.startswith((row.actor + ":", row.actor + "-"))
    ):
        row.actor, row.changed = event.actor, True
    families = {commodity_family(c) for c in row.commodities}
    new = sorted(c for c in set(event.commodities) - set(row.commodities) if commodity_family(c) in families)
    if new:
        row.commodities, row.changed = sorted(set(row.commodities) | set(new)), True
        row.added.extend(new)


def record_events(session: Session, document_id: int, events: Sequence[Event], *, replacing: bool = True) -> int:
    """Store a document's events as mentions, merging events other documents reported.

    Returns the number of mentions recorded. Raises EventStoreError before writing
    anything when an event cannot be stored. `replacing=False` for a document stored moments
    ago in this transaction: it has no mentions yet, so none are looked for or removed.
    """
    for event in events:
        _validate(document_id, event)
    touched: set[int] = set()
    if replacing:
        touched = set(_remove_mentions(session, document_id))
    recorded = _record(session, [(document_id, events)]) if events else 0
    _drop_orphans(session, touched)
    return recorded


def record_new_events(session: Session, events_of: Sequence[tuple[int, Sequence[Event]]]) -> int:
    """`record_events(..., replacing=False)` for several documents stored moments ago, each (document
    id, its events), in the order given: as many statements as for one document, and the same events
    as recording them one by one. Raises EventStoreError before writing anything."""
    for document_id, events in events_of:
        for event in events:
            _validate(document_id, event)
    return _record(session, [(document_id, events) for document_id, events in events_of if events])


def _record(session: Session, events_of: Sequence[tuple[int, Sequence[Event]]]) -> int:
    """Record the documents' events, validated, as mentions: a few statements, whatever the number
    of documents and events. The stored events they may join are read once; a report joins an
    event an earlier document of `events_of` made as it would joins a stored one."""
    if not events_of:
        return 0
    connection = session.connection()
    everything = [event for _, events in events_of for event in events]
    rows = _candidates(session, everything)
    stored_count = len(rows)
    # stored keys are read only when a new event needs one: most reports join a stored event
    taken_keys: set[str] | None = None
    reports: list[tuple[_Candidate, int, Event]] = []
    seen: set[tuple[int, int, str]] = set()
    # a report joins an event of its own type only: each looks among those (oldest first), not all the batch's
    of_type: dict[str, list[_Candidate]] = {}
    for candidate in rows:
        of_type.setdefault(candidate.type, []).append(candidate)
    for document_id, events in events_of:
        for event in events:
            row = _find_event(of_type.get(event.type, ()), event)
            if row is None:
                if taken_keys is None:
                    taken_keys = _taken_keys(session, everything) | {stored.key for stored in rows[:stored_count]}
                row = _new_event(event, taken_keys)
                rows.append(row)
                of_type.setdefault(row.type, []).append(row)
            else:
                _enrich(row, event)
            if (document_id, id(row), event.quote) in seen:
                continue
            seen.add((document_id, id(row), event.quote))
            reports.append((row, document_id, event))
    new_rows = rows[stored_count:]
    if new_rows:
        # one executemany, then the new ids read back by their unique keys (SQLite returns ids
        # in no promised order, and SQLAlchemy then inserts row by row to keep one)
        connection.execute(_INSERT_EVENTS, [_columns(row) for row in new_rows])
        found = connection.execute(_IDS_OF_KEYS, {"keys": [row.key for row in new_rows]})
        ids = {key: id_ for key, id_ in found}
        for row in new_rows:
            row.id = ids[row.key]
    index_rows = [{"event_id": row.id, "commodity": commodity} for row in new_rows for commodity in row.commodities]
    index_rows += [{"event_id": row.id, "commodity": c} for row in rows[:stored_count] for c in row.added]
    if index_rows:
        connection.execute(_INSERT_EVENT_COMMODITIES, index_rows)
    enriched = [row for row in rows[:stored_count] if row.changed]
    if enriched:
        connection.execute(_UPDATE_EVENT, [_enriched_columns(row) for row in enriched])
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
            for row, document_id, event in reports
        ],
    )
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
