"""Broad queries that group in SQL give what the plain path gives on a generated store.

Each new path (series ranked in SQL and read for the shown ones only, price products counted in
SQL, a price window read alone) is compared with a simple reference that reads every statement
and does the same in Python, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from assay.analyze.checks import CheckOptions, run_checks
from assay.analyze.portal import (
    KEY_METRICS,
    Bar,
    BarChart,
    KeyFigure,
    Product,
    exports_by_destination,
    exports_by_month,
    key_figures,
    production_by_country,
    products,
)
from assay.analyze.prices import PriceQuery, PriceQueryError, assess_prices, assess_window, price_window
from assay.analyze.series import (
    PeriodValue,
    Series,
    SeriesQuery,
    SeriesValues,
    build_series,
    selection_for,
    series_from_records,
    series_page,
)
from assay.model import Basis, Period
from assay.store.browse import documents_about
from assay.store.facts import COUNT_CAP, FactFilter, commodity_and_descendants, count_facts, list_count_cap, query_facts
from assay.store.records import select_facts
from assay.store.schema import DocumentRow, FactRow
from assay.store.series import FactSelection, series_sizes
from knowledge_base import KnowledgeBase, make_fact

METRICS = [  # (metric, unit, periods)
    ("exports", "t", ("2023", "2024-01", "2024-02", "2024-03")),
    ("exports", "kt", ("2024-01", "2024")),
    ("imports", "t", ("2024-02", "2024-03")),
    ("price", "CNY/t", ("2024-03-01", "2024-03-15", "2024-02-10", "2023-12-30")),
    ("price", "USD/t", ("2024-03-02", "2024-01-05")),
    ("price", "USD/kg", ("2024-03-20",)),
    ("production", "t", ("2023", "2024")),
]


def generate(kb: KnowledgeBase, seed: int = 3, n_docs: int = 50) -> None:
    """Documents with random facts over a few keys: partners, forms, bases, copies and shared quotes."""
    rng = random.Random(seed)
    stored: list[int] = []
    for i in range(n_docs):
        facts = []
        for j in range(rng.randint(1, 10)):
            metric, unit, periods = rng.choice(METRICS)
            partner = rng.choice([None, None, "NL", "JP", "KR"]) if metric in ("exports", "imports") else None
            quote = rng.choice(["exports rose to a record", f"statement {i}-{j}"])
            facts.append(
                make_fact(
                    float(rng.randint(1, 400) * 10),
                    quote,
                    commodity=rng.choice(["magnesium", "magnesium", "graphite"]),
                    metric=metric,
                    geo=rng.choice(["CN", "CN", "US"]),
                    period=rng.choice(periods),
                    unit=unit,
                    partner=partner,
                    form=rng.choice([None, "ingot", "oxide"]) if metric == "price" else None,
                    basis=rng.choice([Basis.ACTUAL, Basis.ACTUAL, Basis.FORECAST]),
                )
            )
        duplicate_of = rng.choice(stored) if stored and rng.random() < 0.15 else None
        published = f"2024-0{rng.randint(1, 4)}-{rng.randint(10, 28)}"
        stored.append(kb.doc(f"doc-{i}", *facts, published=published, duplicate_of=duplicate_of))


QUERIES = [
    SeriesQuery("magnesium", "exports", geo="CN"),
    SeriesQuery("magnesium", "exports"),
    SeriesQuery("magnesium", "exports", geo="CN", partner="NL"),
    SeriesQuery("graphite", "price"),
    SeriesQuery("magnesium", "price", geo="CN", since="2024-02"),
    SeriesQuery("magnesium", "production", until="2023"),
    SeriesQuery("lithium", "exports"),
]


@pytest.fixture
def generated(kb_any: KnowledgeBase) -> KnowledgeBase:
    generate(kb_any)
    return kb_any


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.commodity}-{q.metric}-{q.geo}-{q.partner}-{q.since}")
def test_series_limited_in_sql_are_the_first_of_all(generated: KnowledgeBase, query: SeriesQuery) -> None:
    everything = build_series(generated.session, query)
    assert everything or query.commodity == "lithium"
    for limit in (0, 1, 2, 6, 1000):
        assert build_series(generated.session, query, limit=limit) == everything[:limit]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.commodity}-{q.metric}-{q.geo}-{q.partner}-{q.since}")
def test_series_pages_read_in_sql_cut_the_whole_list(generated: KnowledgeBase, query: SeriesQuery) -> None:
    everything = build_series(generated.session, query)
    for per_page in (1, 2, 5):
        pages = [series_page(generated.session, query, offset, per_page) for offset in range(0, 40, per_page)]
        assert all(page.total == len(everything) for page in pages)
        assert [s for page in pages for s in page.series] == everything
        assert all(len(page.series) <= per_page for page in pages)


@pytest.mark.parametrize("query", QUERIES[:4], ids=lambda q: f"{q.commodity}-{q.metric}-{q.geo}-{q.partner}")
def test_series_sizes_count_what_the_records_hold(generated: KnowledgeBase, query: SeriesQuery) -> None:
    records = select_facts(generated.session, selection_for(query))
    periods: dict[tuple[str | None, ...], set[str]] = {}
    statements: Counter[tuple[str | None, ...]] = Counter()
    for record in records:
        f = record.fact
        key = (f.commodity, f.form, f.metric, f.geo, f.partner, f.share_of, f.unit)
        periods.setdefault(key, set()).add(str(f.period))
        statements[key] += 1
    sizes = series_sizes(generated.session, selection_for(query))
    assert {s.key: (s.periods, s.statements) for s in sizes} == {k: (len(periods[k]), statements[k]) for k in periods}
    assert len(sizes) == len(series_from_records(records)) > 0


def reference_products(kb: KnowledgeBase) -> list[Product]:
    """Every price statement read, units counted in Python (the first stated wins a tie)."""
    units: dict[tuple[str, str | None], Counter[str]] = {}
    for record in select_facts(kb.session, FactSelection(metric="price")):
        currency, _, mass = record.fact.unit.partition("/")
        if mass in ("t", "kg", "lb") and currency in ("CNY", "USD", "EUR"):
            units.setdefault((record.fact.commodity, record.fact.form), Counter())[record.fact.unit] += 1
    out = []
    for (commodity, form), counted in sorted(units.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        currency, _, mass = counted.most_common(1)[0][0].partition("/")
        out.append(Product(commodity, form, currency, mass))
    return out


def test_products_counted_in_sql_match_the_reference(generated: KnowledgeBase) -> None:
    found = products(generated.session)
    assert found == reference_products(generated)
    assert len({(p.commodity, p.form) for p in found}) >= 4


def test_products_break_a_tie_by_the_unit_stated_first(kb_any: KnowledgeBase) -> None:
    usd = make_fact(900.0, "USD 900/t", metric="price", period="2024-01-05", unit="USD/t", form="ingot")
    cny = make_fact(6000.0, "6,000 yuan/t", metric="price", period="2024-02-05", unit="CNY/t", form="ingot")
    kb_any.doc("later", cny)
    kb_any.doc("earlier", usd)
    assert products(kb_any.session) == [Product("magnesium", "ingot", "USD", "t")]
    kb_any.doc(
        "another", make_fact(6100.0, "6,100 yuan/t", metric="price", period="2024-03-05", unit="CNY/t", form="ingot")
    )
    assert products(kb_any.session) == [Product("magnesium", "ingot", "CNY", "t")]


def reference_window(kb: KnowledgeBase, query: PriceQuery) -> tuple[object, ...] | None:
    """Every price statement of the product read, the window cut in Python."""
    selection = FactSelection(
        commodity=query.commodity, metric="price", form=query.form, geo=query.geo, ends_on_or_before=query.as_of
    )
    records = select_facts(kb.session, selection)
    if not records:
        return None
    if query.form is None and len({r.fact.form for r in records if r.fact.form}) > 1:
        raise PriceQueryError("several forms")
    as_of = query.as_of or max(Period.parse(str(r.fact.period)).end for r in records)
    start = as_of - timedelta(days=query.window_days - 1)
    return start, as_of, [r for r in records if Period.parse(str(r.fact.period)).start >= start]


def test_price_window_read_alone_matches_the_reference(generated: KnowledgeBase) -> None:
    assessed = refused = 0
    for product in reference_products(generated):
        for days in (1, 30, 60, 365):
            for as_of in (None, Period.parse("2024-03-10").end):
                query = PriceQuery(product.commodity, product.form, days, as_of, product.currency, product.mass)
                try:
                    expected = reference_window(generated, query)
                except PriceQueryError:
                    with pytest.raises(PriceQueryError, match="several forms"):
                        price_window(generated.session, query)
                    refused += 1
                    continue
                window = price_window(generated.session, query)
                assert window == expected
                if window is not None:
                    assert assess_prices(generated.session, query) == assess_window(query, *window)
                    assessed += window[2] != []
    assert assessed > 10
    assert refused > 0


def reference_key_figures(kb: KnowledgeBase, commodity: str, limit: int) -> list[KeyFigure]:
    """Every key-metric series built, then ranked and chosen in Python."""
    selection = FactSelection(
        commodities=tuple(commodity_and_descendants(commodity)), metrics=KEY_METRICS, partner_is_null=True
    )
    ranked = sorted(
        (s for s in series_from_records(select_facts(kb.session, selection)) if s.fields["unit"] in ("t", "kt", "Mt")),
        key=lambda s: (KEY_METRICS.index(str(s.fields["metric"])), -len(s.observations), [v or "" for v in s.key]),
    )
    chosen: list[KeyFigure] = []
    seen: set[tuple[str | None, ...]] = set()
    for series in ranked:
        short = (series.fields["commodity"], series.fields["metric"], series.fields["geo"])
        if short not in seen:
            seen.add(short)
            chosen.append(KeyFigure(values_of(series), series.observations[-1]))
    chosen.sort(key=lambda k: (-len(k.series.observations), KEY_METRICS.index(str(k.series.fields["metric"]))))
    return chosen[:limit]


def values_of(series: Series) -> SeriesValues:
    """A whole series' consensus values, as a chart draws them."""
    return SeriesValues(series.key, tuple(PeriodValue(o.period, o.value, o.unit) for o in series.observations))


@pytest.mark.parametrize("commodity", ["magnesium", "graphite"])
def test_key_figures_chosen_in_sql_match_the_reference(generated: KnowledgeBase, commodity: str) -> None:
    for limit in (1, 2, 6):
        found = key_figures(generated.session, commodity, limit)
        assert found == reference_key_figures(generated, commodity, limit)
    assert len(key_figures(generated.session, commodity)) >= 2


def reference_production(kb: KnowledgeBase, commodity: str) -> BarChart | None:
    """Every production series built, the countries' years collected in Python."""
    selection = FactSelection(commodity=commodity, metric="production", unit="t", partner_is_null=True)
    per_year: dict[str, dict[str, float]] = {}
    for series in series_from_records(select_facts(kb.session, selection)):
        geo = str(series.fields["geo"])
        if len(geo) == 2 and not series.fields["form"] and not series.fields["share_of"]:
            for obs in series.observations:
                if len(obs.period) == 4:
                    per_year.setdefault(obs.period, {})[geo] = obs.value
    years = [y for y, geos in per_year.items() if len(geos) >= 2]
    if not years:
        return None
    bars = sorted((Bar(geo, value) for geo, value in per_year[max(years)].items()), key=lambda b: -b.value)
    return BarChart(max(years), "t", tuple(bars))


def reference_monthly(kb: KnowledgeBase, commodity: str) -> SeriesValues | None:
    """Every export series of China built, cut to months in Python, the longest taken."""
    selection = FactSelection(commodity=commodity, metric="exports", geo="CN", partner_is_null=True)
    monthly = [
        Series(s.key, tuple(o for o in s.observations if len(o.period) == 7))
        for s in series_from_records(select_facts(kb.session, selection))
        if s.fields["unit"] in ("t", "kt")
    ]
    monthly = [s for s in monthly if len(s.observations) >= 2]
    return values_of(max(monthly, key=lambda s: len(s.observations))) if monthly else None


@pytest.mark.parametrize("commodity", ["magnesium", "graphite", "lithium"])
def test_commodity_page_charts_read_in_sql_match_the_reference(generated: KnowledgeBase, commodity: str) -> None:
    production = production_by_country(generated.session, commodity)
    assert production == reference_production(generated, commodity)
    monthly = exports_by_month(generated.session, commodity)
    assert monthly == reference_monthly(generated, commodity)
    if commodity == "magnesium":
        assert production is not None and len(production.bars) >= 2
        assert monthly is not None and len(monthly.observations) >= 2


def reference_destinations(kb: KnowledgeBase, commodity: str) -> BarChart | None:
    """Every partner series of the commodity's exports built, the latest period chosen in Python."""
    records = [
        r
        for r in select_facts(kb.session, FactSelection(commodity=commodity, metric="exports"))
        if r.fact.partner and r.fact.unit in ("t", "kt")
    ]
    per_period: dict[tuple[str, str], dict[str, float]] = {}
    for series in series_from_records(records):
        for obs in series.observations:
            per_period.setdefault((obs.period, obs.unit), {})[str(series.fields["partner"])] = obs.value
    candidates = [k for k, partners in per_period.items() if len(partners) >= 2]
    if not candidates:
        return None
    period, unit = max(candidates, key=lambda k: (Period.parse(k[0]).end, len(per_period[k])))
    bars = sorted((Bar(p, v) for p, v in per_period[(period, unit)].items()), key=lambda b: -b.value)
    return BarChart(period, unit, tuple(bars))


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_destinations_read_for_one_period_match_the_reference(kb_any: KnowledgeBase, seed: int) -> None:
    generate(kb_any, seed=seed, n_docs=30)
    for commodity in ("magnesium", "graphite", "lithium"):
        assert exports_by_destination(kb_any.session, commodity) == reference_destinations(kb_any, commodity)
    assert exports_by_destination(kb_any.session, "magnesium") is not None


def test_destinations_tied_between_units_match_the_reference(kb_any: KnowledgeBase) -> None:
    to = [("NL", 300.0, "t"), ("JP", 200.0, "t"), ("NL", 0.4, "kt"), ("KR", 0.1, "kt")]
    kb_any.doc("tied", *(make_fact(v, f"{v} {u} to {p}", partner=p, unit=u, period="2024-05") for p, v, u in to))
    found = exports_by_destination(kb_any.session, "magnesium")
    assert found == reference_destinations(kb_any, "magnesium")
    assert found is not None and len(found.bars) == 2


def test_destinations_of_a_year_tied_with_its_december_match_the_reference(kb_any: KnowledgeBase) -> None:
    to = [("NL", 300.0, "2024"), ("JP", 200.0, "2024"), ("NL", 40.0, "2024-12"), ("KR", 10.0, "2024-12")]
    kb_any.doc("year", *(make_fact(v, f"{v} t to {p} in {d}", partner=p, period=d) for p, v, d in to))
    found = exports_by_destination(kb_any.session, "magnesium")
    assert found == reference_destinations(kb_any, "magnesium")
    assert found is not None and found.title_period == "2024"
    kb_any.doc("december", make_fact(5.0, "5 t to DE in December", partner="DE", period="2024-12"))
    found = exports_by_destination(kb_any.session, "magnesium")
    assert found == reference_destinations(kb_any, "magnesium")
    assert found is not None and found.title_period == "2024-12"


LISTS = [
    FactFilter(),
    FactFilter(commodity="magnesium", metric="exports"),
    FactFilter(commodity="magnesium"),  # walked metric by metric
    FactFilter(metric="exports"),  # walked commodity by commodity
    FactFilter(geo="US", period="2024"),
    FactFilter(commodity="magnesium", metric="exports", order="value"),
    FactFilter(commodity="magnesium", order="newest"),
    FactFilter(metric="price", doc="doc-3"),
    FactFilter(geo="CN", period="2024", text="statement"),
]


@pytest.mark.parametrize("flt", LISTS, ids=lambda f: f"{f.commodity}-{f.metric}-{f.order}-{f.doc}-{f.period}")
def test_fact_pages_read_by_their_ids_cut_the_whole_list(generated: KnowledgeBase, flt: FactFilter) -> None:
    session = generated.session
    session.execute(update(DocumentRow).where(DocumentRow.id.in_([2, 5])).values(superseded_by=1))
    session.commit()
    everything = query_facts(session, flt)  # no limit: the whole list in one query, as before
    assert everything and all(item.document_id not in (2, 5) for item in everything)
    for per_page in (7, 50):
        for offset in range(0, len(everything) + per_page, per_page):
            page = query_facts(session, replace(flt, offset=offset, limit=per_page))
            assert page == everything[offset : offset + per_page]
    assert count_facts(session, replace(flt, limit=3)) >= len(everything)


def test_fact_pages_walked_by_blocks_keep_undated_facts_and_sub_commodities_in_list_order(
    generated: KnowledgeBase,
) -> None:
    kb = generated
    alloy = make_fact(8.0, "8 t alloy", commodity="magnesium_alloy")
    kb.doc("undated", make_fact(7.0, "7 t, undated", period=None), alloy)
    kb.doc("alloy", make_fact(9.0, "9 t alloy exports", commodity="magnesium_alloy", metric="exports", period="2020"))
    for flt in (FactFilter(), FactFilter(commodity="magnesium"), FactFilter(metric="exports")):
        everything = query_facts(kb.session, flt)
        assert {"undated", "alloy"} <= {item.fact.doc for item in everything}
        periods = [i.fact.period for i in everything if (i.fact.commodity, i.fact.metric) == ("magnesium", "exports")]
        assert periods[-1] is None and None not in periods[:-1]  # undated last
        for per_page in (1, 3, 50):
            pages = [
                query_facts(kb.session, replace(flt, offset=offset, limit=per_page))
                for offset in range(0, len(everything) + per_page, per_page)
            ]
            assert [item for page in pages for item in page] == everything


def test_documents_about_a_commodity_or_a_family_match_counting_every_fact(generated: KnowledgeBase) -> None:
    kb = generated
    for i in range(12):  # prnd alone (no commodity under it), counted in document order from the index
        facts = [make_fact(float(j), f"{j} t", commodity="prnd", period=f"20{10 + j}") for j in range(1 + i % 4)]
        kb.doc(f"prnd-{i}", *facts)
    kb.doc("alloy", make_fact(3.0, "3 t alloy", commodity="magnesium_alloy"))
    rows = kb.session.execute(select(FactRow.document_id, FactRow.commodity).where(FactRow.document_id.is_not(None)))
    facts_of = Counter((document_id, commodity) for document_id, commodity in rows)
    for commodity in ("prnd", "magnesium", "graphite", "rare_earths", "lithium"):
        family = set(commodity_and_descendants(commodity))
        per_document = Counter({d: 0 for d, c in facts_of if c in family})
        for (document_id, listed), n in facts_of.items():
            if listed in family:
                per_document[document_id] += n
        expected = sorted(per_document.items(), key=lambda item: (-item[1], item[0]))[:10]
        found = documents_about(kb.session, commodity)
        assert [(summary.id, n) for summary, n in found] == expected
        assert bool(found) is (commodity != "lithium")


def test_fact_counts_stop_at_the_cap_and_are_exact_below_it(generated: KnowledgeBase) -> None:
    session = generated.session
    for flt in LISTS:
        n = len(query_facts(session, flt))
        assert count_facts(session, flt) == n
        assert [count_facts(session, flt, at_most) for at_most in (1, n, n + 1)] == [min(1, n), n, n]
        assert count_facts(session, flt, max(n - 1, 0)) == max(n - 1, 0)
    flt = FactFilter(limit=50, offset=100)
    assert list_count_cap(flt) == COUNT_CAP + 1 and list_count_cap(replace(flt, offset=COUNT_CAP)) == COUNT_CAP + 51


@pytest.mark.parametrize(
    "options",
    [CheckOptions(), CheckOptions(kinds=("contradiction",)), CheckOptions(commodity="magnesium", geo="CN")],
    ids=["all", "contradictions", "magnesium-CN"],
)
def test_checks_with_a_limit_are_the_first_of_all(generated: KnowledgeBase, options: CheckOptions) -> None:
    everything = run_checks(generated.session, options)
    kinds = Counter(f.kind for f in everything)
    assert kinds["contradiction"] >= 3 and (len(kinds) > 1 or options.kinds == ("contradiction",))
    for limit in (0, 1, 3, kinds["contradiction"], kinds["contradiction"] + 1, len(everything), len(everything) + 5):
        assert run_checks(generated.session, replace(options, limit=limit)) == everything[:limit]
    with pytest.raises(ValueError, match="limit"):
        run_checks(generated.session, replace(options, limit=-1))


def test_checks_limited_take_a_later_commodity_s_contradiction_before_an_earlier_one_s_other_finding(
    kb_any: KnowledgeBase,
) -> None:
    kb_any.doc("implausible", make_fact(9e12, "graphite output of 9e12 t", commodity="graphite", metric="production"))
    kb_any.doc("low", make_fact(100.0, "exports were 100 t"))
    kb_any.doc("high", make_fact(10000.0, "exports were 10,000 t"))
    everything = run_checks(kb_any.session)
    assert [(f.kind, f.key["commodity"]) for f in everything] == [
        ("contradiction", "magnesium"),
        ("implausible", "graphite"),
    ]
    assert run_checks(kb_any.session, CheckOptions(limit=1)) == everything[:1]
