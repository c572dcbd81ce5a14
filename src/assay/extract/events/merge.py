"""One event per real event: merging the statements of one document that report the same event.

Two statements report one event when the type and stance agree, their commodities are of one
family and their dates agree (or they name the same policy document). An undated mention joins
the dated event of its type it refers to; plans (industrial policy, capacity plans) list many
items of one type, so their undated items stay apart unless worded alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from assay.extract.events.dates import dates_compatible, month_start, more_precise
from assay.extract.events.words import cue
from assay.extract.text.gazetteer import commodity_family
from assay.model import Event, Stance
from assay.vocab import ancestors

_REGIME_START = cue("merge.REGIME_START")
MAX_COMMODITIES = 8
ENUMERATED_TYPES = ("industrial_policy", "capacity_plan")


@dataclass
class Candidate:
    event: Event
    wording_class: str
    anchor: str | None
    rank: int  # specificity of the actor: lower is better
    members: int = 1
    quotes: list[str] = field(default_factory=list)
    additional: bool = False  # worded as a further measure ("also", "此外"): not a restatement
    block: int = -1  # the paragraph it was read from
    alt_dates: list[str] = field(default_factory=list)  # the effective date of an announced measure
    page_dated: bool = False  # its date is the page's (reported as recent), not one the text states


def related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two commodity lists touch: a commodity of the same family in both (rare_earths,
    light_rare_earths and dysprosium are one family; magnesite and magnesia are two)."""
    return bool({commodity_family(c) for c in a} & {commodity_family(c) for c in b})


def keep_commodities(found: tuple[str, ...]) -> tuple[str, ...]:
    """At most MAX_COMMODITIES, aggregates (rare_earths, heavy_rare_earths) before single elements."""
    ranked = sorted(found, key=lambda c: (len(ancestors(c)), found.index(c)))
    return tuple(sorted(ranked[:MAX_COMMODITIES]))


def drop_earlier_quotas(groups: list[Candidate]) -> list[Candidate]:
    """Quotas are set once a year: a document that gives this year's quota names last year's as a
    baseline ("up 12.5% from 2023's"), which is no event of its own. The start of the quota regime
    ("自2006年起实施总量控制", "quotas have applied since 2006") is one, however early."""
    years = [
        int(g.event.date[:4])
        for g in groups
        if g.event.type == "production_quota" and g.event.date and g.event.date[:4].isdigit()
    ]
    if not years:
        return groups
    latest = max(years)
    return [
        g
        for g in groups
        if not (
            g.event.type == "production_quota"
            and g.event.date
            and g.event.date[:4].isdigit()
            and int(g.event.date[:4]) < latest
            and not any(_REGIME_START.search(quote) for quote in g.quotes)
        )
    ]


def _same_day(a: Candidate, b: Candidate) -> bool:
    """Both name the same day (an announcement or an effective date): a headline may leave the
    direction unsaid (neutral) where the lead states it; a loosening and a tightening stay apart."""
    days_a = {d for d in (a.event.date, *a.alt_dates) if d and len(d) == 10}
    days_b = {d for d in (b.event.date, *b.alt_dates) if d and len(d) == 10}
    return bool(days_a & days_b)


def _same(a: Candidate, b: Candidate) -> bool:
    """Two statements of one document that report one event."""
    ea, eb = a.event, b.event
    if a.anchor and a.anchor == b.anchor:
        return True
    if ea.quote == eb.quote and ea.type == eb.type:
        return True
    # a quota's direction is stated once ("up 6% on last year"); its other mentions carry the default
    stance_differs = (
        ea.stance != eb.stance
        and ea.type != "production_quota"
        and not (Stance.NEUTRAL in (ea.stance, eb.stance) and _same_day(a, b))
    )
    if ea.type != eb.type or stance_differs or not related(ea.commodities, eb.commodities):
        return False
    if b.additional and ea.quote != eb.quote:
        return False
    if (a.page_dated or b.page_dated) and a.wording_class != b.wording_class:
        return False  # a page's date is shared by everything it reports: it does not make two reports one
    if ea.date is not None and eb.date is not None:
        if ea.type in ENUMERATED_TYPES and a.wording_class != b.wording_class and a.block != b.block:
            return False  # a plan's phase lists several measures under one date: a minimum scale, a park
        return any(dates_compatible(x, y) for x in (ea.date, *a.alt_dates) for y in (eb.date, *b.alt_dates))
    if ea.date is None and eb.date is None:
        # plans list many items of one type; other types describe one regime per document
        return a.wording_class == b.wording_class or ea.type not in ENUMERATED_TYPES
    return False


def _absorb(into: Candidate, other: Candidate) -> None:
    e, o = into.event, other.event
    date_value = (
        more_precise(e.date, o.date) if dates_compatible(e.date, o.date) or not e.date or not o.date else e.date
    )
    if date_value != e.date and date_value == o.date:
        source = o
    elif date_value == o.date and 20 <= len(o.quote) < len(e.quote):
        source = o  # the shortest quote that states the event
    else:
        source = e
    actor = o.actor if other.rank < into.rank else e.actor
    families = {commodity_family(c) for c in e.commodities}
    # another report may name more of the same family (samarium beside heavy_rare_earths), not another family
    more = tuple(c for c in o.commodities if commodity_family(c) in families)
    merged = keep_commodities(tuple(dict.fromkeys(e.commodities + more)))
    stance = e.stance
    if e.type == "production_quota" and Stance.LOOSEN in (e.stance, o.stance):
        stance = Stance.LOOSEN  # only a stated increase makes a quota loosen; tighten is the default reading
    elif e.stance == Stance.NEUTRAL:
        stance = o.stance  # a stated direction beats the type's neutral default
    into.event = replace(
        e,
        stance=stance,
        date=date_value,
        actor=actor,
        commodities=merged,
        quote=source.quote,
        start=source.start,
        end=source.end,
        rule=source.rule,
    )
    into.alt_dates += other.alt_dates
    into.rank = min(into.rank, other.rank)
    into.members += other.members
    into.quotes += other.quotes


def _named_in_paragraph(group: Candidate, groups: list[Candidate]) -> Candidate | None:
    """A dated, named law (an Act, a regulation) of the same type and paragraph that an undated
    statement goes on to describe ("The ... Act, in force since ... . Graphite is on its list")."""
    if group.event.date is not None:
        return None
    return next(
        (
            g
            for g in groups
            if g is not group
            and g.anchor
            and g.block == group.block
            and g.event.date is not None
            and g.event.type == group.event.type
            and related(g.event.commodities, group.event.commodities)
        ),
        None,
    )


def _headline_of(group: Candidate, groups: list[Candidate]) -> Candidate | None:
    """An undated headline (the first line) announces the document's first dated event of its type."""
    if group.event.date is not None or group.block != 0:
        return None
    return next(
        (
            g
            for g in groups
            if g is not group
            and g.event.date is not None
            and g.event.type == group.event.type
            and related(g.event.commodities, group.event.commodities)
        ),
        None,
    )


def merge(candidates: list[Candidate]) -> list[Candidate]:
    groups: list[Candidate] = []
    for candidate in candidates:
        # `_same` holds only for one type or one anchor, and merging changes neither: a cheap test first
        kind, anchor = candidate.event.type, candidate.anchor
        home = next(
            (g for g in groups if (g.event.type == kind or (anchor and g.anchor == anchor)) and _same(g, candidate)),
            None,
        )
        if home is None:
            groups.append(candidate)
        else:
            _absorb(home, candidate)
    # An undated mention of an event dated elsewhere in the document ("the mandate") joins it
    # when exactly one dated event of the same kind is there to join.
    kept: list[Candidate] = []
    for group in groups:
        named = _named_in_paragraph(group, groups) or _headline_of(group, groups)
        if named is not None:
            _absorb(named, group)
            continue
        if group.event.date is None and group.event.type not in ENUMERATED_TYPES:
            homes = [
                g
                for g in groups
                if g.event.date is not None
                and g.event.type == group.event.type
                and (g.event.stance == group.event.stance or g.event.type == "production_quota")
                and related(g.event.commodities, group.event.commodities)
            ]
            if homes:
                # several dated candidates: the text speaks of the latest one
                home = max(homes, key=lambda g: month_start(g.event.date) or date.min)
                _absorb(home, group)
                continue
        kept.append(group)
    return kept
