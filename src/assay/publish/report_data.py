"""What a market report says, gathered from the store: every figure with the statements behind it.

`gather_report` reads one commodity (and the commodities below it in the vocabulary) once, builds
series, consensus, shares, prices, events and contradictions, and numbers every statement it cites
in a `Citations` registry, which becomes the report's sources appendix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from assay.analyze.checks import Finding, contradictions
from assay.analyze.concentration import is_country
from assay.analyze.money import to_cny_per_tonne
from assay.analyze.prices import PriceAssessment, PriceQuery, PriceQueryError, assess_prices
from assay.analyze.series import Observation, Series, SourceRef, series_from_records
from assay.model import Period
from assay.publish import i18n
from assay.store.documents import document_titles
from assay.store.events import EventFilter, EventMention, StoredEvent, query_events
from assay.store.facts import commodity_and_descendants
from assay.store.records import StoredFactRecord, select_facts
from assay.store.series import FactSelection, gc_paused

KEY_METRICS = (
    "production",
    "reserves",
    "capacity",
    "exports",
    "imports",
    "consumption",
    "mining_quota",
    "smelting_quota",
)
KEY_GEOS = ("CN", "WORLD")
MAX_KEY_FIGURES = 12
CITES_PER_FIGURE = 3
PRICE_WINDOW_DAYS = 365
# A report is read, not searched: the timeline and contradictions list the latest ones and count the rest
# (`assay events` and `assay check` list them all); this also keeps a PDF of a large store to a few pages.
MAX_TIMELINE = 30
MAX_CONTRADICTIONS = 15


@dataclass(frozen=True)
class ReportOptions:
    """How to write a report: from which period, in which language and format."""

    since: str | None = None  # a FactSpec period (2023, 2024-06): facts starting on or after it
    lang: str = "en"
    format: str = "pdf"  # pdf, html, md
    today: date | None = None  # the date printed on the report (default: today, UTC)


@dataclass(frozen=True)
class Citation:
    number: int
    doc: str
    title: str | None
    url: str | None
    published: str | None
    quote: str


@dataclass
class Citations:
    """Numbers each cited statement once, in order of first citation."""

    _numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    _items: list[tuple[str, str | None, int | None, str | None, str]] = field(default_factory=list)

    def cite(self, ref: SourceRef) -> int:
        return self._add(ref.doc or ref.dataset or "?", ref.url, ref.document_id, ref.published, ref.quote)

    def cite_mention(self, mention: EventMention) -> int:
        return self._add(mention.doc, mention.url, mention.document_id, mention.published, mention.quote)

    def cite_observation(self, obs: Observation) -> tuple[int, ...]:
        used = [s for s in obs.sources if s.in_consensus] or list(obs.sources)
        return tuple(self.cite(s) for s in used[:CITES_PER_FIGURE])

    def _add(self, doc: str, url: str | None, document_id: int | None, published: str | None, quote: str) -> int:
        key = (doc, quote)
        if key not in self._numbers:
            self._items.append((doc, url, document_id, published, quote))
            self._numbers[key] = len(self._items)
        return self._numbers[key]

    def resolve(self, session: Session) -> list[Citation]:
        titles = document_titles(session, [item[2] for item in self._items if item[2] is not None])
        return [
            Citation(n, doc, titles.get(doc_id) if doc_id is not None else doc, url, published, quote)
            for n, (doc, url, doc_id, published, quote) in enumerate(self._items, start=1)
        ]


@dataclass(frozen=True)
class KeyFigure:
    commodity: str
    form: str | None
    metric: str
    geo: str
    period: str
    value: float
    value_high: float | None
    unit: str
    n_sources: int
    spread: float
    cites: tuple[int, ...]


@dataclass(frozen=True)
class ShareRow:
    geo: str
    value: float
    share: float  # percent of the total
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Shares:
    commodity: str
    form: str | None
    year: str
    unit: str
    total: float
    total_is_world: bool
    rows: tuple[ShareRow, ...]  # largest first
    world_cites: tuple[int, ...]


@dataclass(frozen=True)
class Point:
    label: str  # a period, or a country
    value: float
    cites: tuple[int, ...]


@dataclass(frozen=True)
class PriceHistory:
    commodity: str
    form: str | None
    points: tuple[tuple[date, float], ...]  # period end, CNY/t
    assessment: PriceAssessment | None
    cites: tuple[int, ...]


@dataclass(frozen=True)
class TimelineEntry:
    date: str | None
    type: str
    actor: str
    stance: str
    quote: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Contradiction:
    message: str
    period: str | None
    cites: tuple[int, ...]


@dataclass(frozen=True)
class ReportData:
    commodity: str
    options: ReportOptions
    today: date
    n_documents: int
    summary: tuple[str, ...]  # sentences; "[n]" marks cite the sources appendix
    key_figures: tuple[KeyFigure, ...]
    shares: Shares | None
    exports: tuple[Point, ...]
    destinations: tuple[Point, ...]
    destinations_period: str | None
    prices: PriceHistory | None
    products: tuple[Point, ...]  # China's exports by product (sub-commodity) in one period
    products_period: str | None
    history: tuple[KeyFigure, tuple[Point, ...]] | None  # the longest other series, when nothing else is charted
    timeline: tuple[TimelineEntry, ...]  # the latest MAX_TIMELINE events, oldest first
    n_events: int  # all the events on record
    contradictions: tuple[Contradiction, ...]  # the latest MAX_CONTRADICTIONS
    n_contradictions: int
    citations: tuple[Citation, ...]


def gather_report(session: Session, commodity: str, options: ReportOptions) -> ReportData:
    """Everything the report on `commodity` shows (raises ValueError on a malformed `since`)."""
    since = Period.parse(options.since).start if options.since else None
    family = tuple(commodity_and_descendants(commodity))
    with gc_paused():
        records = select_facts(session, FactSelection(commodities=family, starts_on_or_after=since))
    series = series_from_records(records)
    cites = Citations()
    key_figures = _key_figures(commodity, series, cites)
    shares = _shares(commodity, series, cites)
    exports = _exports(series, cites)
    destinations, destinations_period = _destinations(series, cites)
    prices = _prices(session, records, cites)
    products, products_period = _products(series, cites)
    charted = shares is not None or len(exports) >= 2 or destinations or products or prices is not None
    history = None if charted else _history(series, cites)
    events = query_events(session, EventFilter(commodity=commodity, since=options.since))
    timeline = tuple(
        TimelineEntry(
            e.date,
            e.type,
            e.actor,
            e.stance,
            e.mentions[0].quote if e.mentions else "",
            tuple(cites.cite_mention(m) for m in e.mentions[:2]),
        )
        for e in _latest_events(events)
    )
    findings = contradictions(records)
    latest_first = sorted(findings, key=lambda f: _period_end(f.period or ""), reverse=True)
    found = [_contradiction(f, cites) for f in latest_first[:MAX_CONTRADICTIONS]]
    summary = _summary(options.lang, key_figures, shares, prices, events, len(findings), cites)
    documents = {r.document_id for r in records if r.document_id is not None}
    documents |= {m.document_id for e in events for m in e.mentions}
    return ReportData(
        commodity=commodity,
        options=options,
        today=options.today or datetime.now(UTC).date(),
        n_documents=len(documents),
        summary=tuple(summary),
        key_figures=key_figures,
        shares=shares,
        exports=exports,
        destinations=destinations,
        destinations_period=destinations_period,
        prices=prices,
        products=products,
        products_period=products_period,
        history=history,
        timeline=timeline,
        n_events=len(events),
        contradictions=tuple(found),
        n_contradictions=len(findings),
        citations=tuple(cites.resolve(session)),
    )


def _is_level(unit: str) -> bool:
    return not (unit.startswith("pct") or unit in ("%", "pp"))


def _key_figures(commodity: str, series: list[Series], cites: Citations) -> tuple[KeyFigure, ...]:
    best: dict[tuple[str, str], Series] = {}
    for s in series:
        _, _, metric, geo, partner, share_of, unit = s.key
        if partner or share_of or metric not in KEY_METRICS or geo not in KEY_GEOS or not _is_level(unit):
            continue
        slot = (metric, geo)
        current = best.get(slot)
        if current is None or _figure_rank(commodity, s) > _figure_rank(commodity, current):
            best[slot] = s
    ordered = sorted(best.items(), key=lambda item: (KEY_METRICS.index(item[0][0]), KEY_GEOS.index(item[0][1])))
    out: list[KeyFigure] = []
    for (metric, geo), s in ordered[:MAX_KEY_FIGURES]:
        obs = s.observations[-1]
        out.append(
            KeyFigure(
                s.key[0],
                s.key[1],
                metric,
                geo,
                obs.period,
                obs.value,
                obs.value_high,
                obs.unit,
                obs.n_independent,
                obs.spread,
                cites.cite_observation(obs),
            )
        )
    return tuple(out)


def _figure_rank(commodity: str, s: Series) -> tuple[bool, str, int]:
    """The report's own commodity first, then the latest period, then the longest series."""
    return (s.key[0] == commodity, _period_end(s.observations[-1].period), len(s.observations))


def _period_end(period: str) -> str:
    return Period.parse(period).end.isoformat() if _parses(period) else ""


def _shares(commodity: str, series: list[Series], cites: Citations) -> Shares | None:
    """Production shares by country for the latest year that has two countries or more.

    Shares are of the world total when one is stated for that year (and covers the countries'
    sum at least half), else of the countries' sum; the report's own commodity is preferred."""
    groups: dict[tuple[str, str | None, str], dict[str, dict[str, Observation]]] = {}
    for s in series:
        c, form, metric, geo, partner, share_of, unit = s.key
        if metric != "production" or partner or share_of or not _is_level(unit):
            continue
        if not (is_country(geo) or geo == "WORLD"):
            continue
        by_year = groups.setdefault((c, form, unit), {})
        for obs in s.observations:
            if len(obs.period) == 4:
                by_year.setdefault(obs.period, {})[geo] = obs
    options = [
        (c == commodity, year, sum(1 for g in by_geo if g != "WORLD"), (c, form, unit))
        for (c, form, unit), years in groups.items()
        for year, by_geo in years.items()
        if sum(1 for g in by_geo if g != "WORLD") >= 2
    ]
    if not options:
        return None
    # the report's commodity, then the latest year, then the most countries (the key itself may hold None)
    *_, (c, form, unit) = best = max(options, key=lambda option: option[:3])
    year = best[1]
    by_geo = groups[(c, form, unit)][year]
    countries = {g: o for g, o in by_geo.items() if g != "WORLD"}
    summed = sum(o.value for o in countries.values())
    world = by_geo.get("WORLD")
    total_is_world = world is not None and world.value >= summed * 0.5
    total = world.value if world is not None and total_is_world else summed
    rows = tuple(
        ShareRow(g, o.value, o.value / total * 100 if total else 0.0, cites.cite_observation(o))
        for g, o in sorted(countries.items(), key=lambda item: -item[1].value)
    )
    world_cites = cites.cite_observation(world)[:1] if world is not None and total_is_world else ()
    return Shares(c, form, year, unit, total, total_is_world, rows, world_cites)


def _exports(series: list[Series], cites: Citations) -> tuple[Point, ...]:
    """China's exports, by month where months are stored, else by year: the longest such series."""
    candidates = [
        s
        for s in series
        if s.key[2] == "exports" and s.key[3] == "CN" and not s.key[4] and not s.key[5] and s.key[6] == "t"
    ]
    if not candidates:
        return ()

    def monthly(s: Series) -> int:
        return sum(1 for o in s.observations if len(o.period) == 7)

    chosen = max(candidates, key=lambda s: (monthly(s) >= 3, len(s.observations)))
    wanted = (
        [o for o in chosen.observations if len(o.period) == 7]
        if monthly(chosen) >= 3
        else [o for o in chosen.observations if len(o.period) == 4]
    )
    return tuple(Point(o.period, o.value, cites.cite_observation(o)) for o in wanted[-24:])


def _destinations(series: list[Series], cites: Citations) -> tuple[tuple[Point, ...], str | None]:
    by_period: dict[str, list[tuple[str, Observation]]] = {}
    for s in series:
        if s.key[2] != "exports" or not s.key[4] or s.key[6] != "t" or s.key[5]:
            continue
        for o in s.observations:
            by_period.setdefault(o.period, []).append((str(s.key[4]), o))
    usable = [p for p, rows in by_period.items() if len(rows) >= 2]
    if not usable:
        return (), None
    period = max(usable, key=lambda p: (Period.parse(p).end, len(by_period[p])) if _parses(p) else (date.min, 0))
    rows = sorted(by_period[period], key=lambda row: -row[1].value)[:10]
    return tuple(Point(partner, o.value, cites.cite_observation(o)) for partner, o in rows), period


def _products(series: list[Series], cites: Citations) -> tuple[tuple[Point, ...], str | None]:
    """China's exports of each sub-commodity in the latest period that has two or more of them."""
    by_period: dict[str, dict[str, Observation]] = {}
    for s in series:
        c, _, metric, geo, partner, share_of, unit = s.key
        if metric == "exports" and geo == "CN" and not partner and not share_of and unit == "t":
            for o in s.observations:
                by_period.setdefault(o.period, {}).setdefault(c, o)
    usable = [p for p, rows in by_period.items() if len(rows) >= 2 and _parses(p)]
    if not usable:
        return (), None
    period = max(usable, key=lambda p: Period.parse(p).end)
    rows = sorted(by_period[period].items(), key=lambda row: -row[1].value)[:10]
    return tuple(Point(c, o.value, cites.cite_observation(o)) for c, o in rows), period


def _history(series: list[Series], cites: Citations) -> tuple[KeyFigure, tuple[Point, ...]] | None:
    """The longest level series with two periods or more, for a report that has no other chart."""
    levels = [s for s in series if _is_level(s.key[6]) and not s.key[5] and len(s.observations) >= 2]
    if not levels:
        return None
    s = max(levels, key=lambda s: (len(s.observations), _period_end(s.observations[-1].period)))
    last = s.observations[-1]
    figure = KeyFigure(
        s.key[0],
        s.key[1],
        s.key[2],
        s.key[3],
        last.period,
        last.value,
        last.value_high,
        last.unit,
        last.n_independent,
        last.spread,
        (),
    )
    points = tuple(Point(o.period, o.value, cites.cite_observation(o)) for o in s.observations[-24:])
    return figure, points


def _parses(period: str) -> bool:
    try:
        Period.parse(period)
    except ValueError:
        return False
    return True


def _prices(session: Session, records: list[StoredFactRecord], cites: Citations) -> PriceHistory | None:
    """The most quoted price (one commodity, one form) in CNY/t, with its assessment over the last year."""
    quoted: Counter[tuple[str, str | None]] = Counter(
        (r.fact.commodity, r.fact.form) for r in records if r.fact.metric == "price" and r.fact.period
    )
    if not quoted:
        return None
    commodity, form = quoted.most_common(1)[0][0]
    points: list[tuple[date, float]] = []
    for r in records:
        f = r.fact
        if f.metric != "price" or f.commodity != commodity or f.form != form or not f.period or not _parses(f.period):
            continue
        end = Period.parse(f.period).end
        mid = (f.value + f.value_high) / 2 if f.value_high is not None else f.value
        converted = to_cny_per_tonne(mid, f.unit, end.year)
        if converted is not None:
            points.append((end, converted))
    if not points:
        return None
    try:
        assessment: PriceAssessment | None = assess_prices(
            session, PriceQuery(commodity=commodity, form=form, window_days=PRICE_WINDOW_DAYS)
        )
    except PriceQueryError:
        assessment = None
    numbers: tuple[int, ...] = ()
    if assessment is not None and assessment.mid is not None:
        numbers = tuple(dict.fromkeys(cites.cite(q.source) for q in assessment.used[:CITES_PER_FIGURE]))
    return PriceHistory(commodity, form, tuple(sorted(points)), assessment, numbers)


def _contradiction(finding: Finding, cites: Citations) -> Contradiction:
    return Contradiction(finding.message, finding.period, tuple(cites.cite(s) for s in finding.statements[:2]))


def _latest_events(events: list[StoredEvent]) -> list[StoredEvent]:
    """All events when they are few; else the latest MAX_TIMELINE dated ones, oldest first."""
    if len(events) <= MAX_TIMELINE:
        return events
    dated = [e for e in events if e.date]  # query_events gives them oldest first
    return dated[-MAX_TIMELINE:]


def marks(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _summary(
    lang: str,
    figures: tuple[KeyFigure, ...],
    shares: Shares | None,
    prices: PriceHistory | None,
    events: list[StoredEvent],
    n_contradictions: int,
    cites: Citations,
) -> list[str]:
    """Sentences written from the facts; every number carries the citation marks of its statements."""
    t = i18n.text
    out: list[str] = []
    end = "。" if lang == "zh" else "."
    for figure in figures:
        if figure.metric not in ("production", "exports", "reserves") or figure.geo != "CN":
            continue
        values = dict(
            geo=i18n.place_name(figure.geo, lang),
            commodity=i18n.commodity_name(figure.commodity, lang).lower()
            if lang == "en"
            else i18n.commodity_name(figure.commodity, lang),
            metric=i18n.metric_name(figure.metric, lang),
            value=i18n.number(figure.value, figure.unit, lang),
            period=i18n.period_words(figure.period, lang),
            cite=marks(figure.cites),
        )
        key = "s_production" if figure.metric == "production" else "s_level"
        sentence = t(lang, key, **values)
        same = shares is not None and (shares.commodity, shares.year) == (figure.commodity, figure.period)
        if figure.metric == "production" and shares is not None and same and shares.total_is_world:
            china = next((row for row in shares.rows if row.geo == "CN"), None)
            if china is not None:
                sentence += t(
                    lang, "s_share", share=f"{china.share:.1f}%", cite=marks(china.cites + shares.world_cites)
                )
        out.append(sentence.replace(" [", "[").strip() + end)
    if prices is not None and prices.assessment is not None and prices.assessment.mid is not None:
        a = prices.assessment
        assert a.window is not None and a.low is not None and a.high is not None and a.mid is not None
        out.append(
            t(
                lang,
                "s_price",
                days=PRICE_WINDOW_DAYS,
                as_of=a.window[1].isoformat(),
                low=i18n.number(a.low, a.unit, lang),
                high=i18n.number(a.high, a.unit, lang),
                mid=i18n.number(a.mid, a.unit, lang),
                n=a.n_quotes,
                sources=a.n_sources,
                cite=marks(prices.cites),
            ).replace(" [", "[")
            + end
        )
    dated = [e for e in events if e.date]
    if dated:
        latest = dated[-1]
        what = f"{i18n.event_name(latest.type, lang)}, {latest.actor}"
        cite = marks(tuple(cites.cite_mention(m) for m in latest.mentions[:1]))
        out.append(t(lang, "s_events", n=len(events), what=what, date=latest.date, cite=cite).replace(" [", "[") + end)
    out.append(t(lang, "s_checks", n=n_contradictions) if n_contradictions else t(lang, "s_no_checks"))
    return out
