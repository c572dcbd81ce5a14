"""Series read as plain tuples give what the record path gives, and consensus on plain values
gives what the method says, on a generated store on SQLite and on PostgreSQL.

`build_series` and `series_page` read statements as tuples (`store.statements.select_statements`) and
weigh them with `consensus.agree`; the reference reads every statement as a record
(`select_facts`) and works out each observation with a plain implementation of the method
below (pairwise comparison for independence, not the union-find of `agree`).
"""

from __future__ import annotations

import hashlib
import random
import statistics
from collections.abc import Sequence

import pytest

from assay.analyze.consensus import consensus
from assay.analyze.series import (
    Observation,
    Series,
    SeriesPage,
    SeriesQuery,
    SourceRef,
    build_series,
    period_order,
    selection_for,
    series_budget_page,
    series_from_records,
    series_of_keys,
    series_page,
    series_rank,
    source_ref,
)
from assay.model import Basis, Fact
from assay.store.records import StoredFactRecord, select_facts
from assay.store.reference import DatasetSpec, import_dataset
from assay.store.series import FactSelection
from assay.store.statements import select_statements
from knowledge_base import KnowledgeBase, make_fact

PERIODS = ("2023", "2024-01", "2024-02", "2024-03")
QUOTES = ("Exports rose to a record.", "exports  rose to a RECORD", "exports fell")  # syndicated wordings


def generate(kb: KnowledgeBase, seed: int, n_docs: int = 60) -> None:
    """Documents (copies, copies of copies, official sites, undated ones) and reference datasets
    (two editions of one publisher) stating figures for a few keys: revisions, forecasts and
    targets, ranges, shared and syndicated quotes."""
    rng = random.Random(seed)
    stored: list[int] = []
    for i in range(n_docs):
        facts = []
        for j in range(rng.randint(1, 8)):
            period = rng.choice(PERIODS)
            value = float(rng.choice([100, 120, 150, rng.randint(1, 500)]))
            facts.append(
                make_fact(
                    value,
                    rng.choice([*QUOTES, f"statement {i}-{j}", f"statement {i}-{j}"]),
                    commodity=rng.choice(["magnesium", "magnesium", "graphite"]),
                    metric=rng.choice(["exports", "exports", "production"]),
                    geo=rng.choice(["CN", "CN", "US"]),
                    period=period,
                    partner=rng.choice([None, None, "NL", "JP"]),
                    basis=rng.choice([Basis.ACTUAL, Basis.ACTUAL, Basis.ESTIMATE, Basis.FORECAST, Basis.TARGET]),
                    value_high=value + 20 if rng.random() < 0.2 else None,
                )
            )
        duplicate_of = rng.choice(stored) if stored and rng.random() < 0.2 else None
        published = rng.choice([None, f"2024-0{rng.randint(1, 4)}-{rng.randint(10, 28)}"])
        url = rng.choice([None, f"https://news.example.com/{i}", f"http://www.customs.gov.cn/{i}"])
        stored.append(kb.doc(f"doc-{i}", *facts, published=published, duplicate_of=duplicate_of, url=url))
    for edition, published in (("2024", "2024-01-31"), ("2025", "2025-01-31")):
        rows = [
            Fact("usgs", "magnesium", metric, "CN", period, float(rng.randint(90, 160)), "t", Basis.ESTIMATE, "row")
            for metric in ("exports", "production")
            for period in ("2023", "2024-01")
        ]
        digest = hashlib.sha256(f"{seed}-{edition}".encode()).hexdigest()
        import_dataset(kb.session, DatasetSpec(f"usgs-{edition}", "usgs-mcs", "t.csv", digest, published), rows)
    kb.session.commit()


QUERIES = [
    SeriesQuery("magnesium", "exports", geo="CN"),
    SeriesQuery("magnesium", "exports"),
    SeriesQuery("magnesium", "exports", geo="CN", partner="NL"),
    SeriesQuery("magnesium", "production"),
    SeriesQuery("graphite", "exports", since="2024-02"),
    SeriesQuery("magnesium", "exports", until="2023"),
    SeriesQuery("lithium", "exports"),
]


@pytest.fixture(params=[1, 2])
def generated(kb_any: KnowledgeBase, request: pytest.FixtureRequest) -> KnowledgeBase:
    generate(kb_any, seed=request.param)
    return kb_any


def syndicated(quote: str) -> str:
    """A quote as syndicated copies share it: spacing, case and the closing stop ignored."""
    return " ".join(quote.split()).strip(".。;；,，").casefold()


def reference_independent(records: Sequence[StoredFactRecord]) -> list[list[StoredFactRecord]]:
    """Independent sources found by comparing every pair until nothing more joins."""
    groups = [[r] for r in records]

    def linked(a: StoredFactRecord, b: StoredFactRecord) -> bool:
        if a.independence_key == b.independence_key:
            return True
        both_documents = a.dataset_id is None and b.dataset_id is None
        return both_documents and syndicated(a.fact.quote) == syndicated(b.fact.quote)

    merged = True
    while merged:
        merged = False
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                if any(linked(a, b) for a in groups[x] for b in groups[y]):
                    groups[x] += groups.pop(y)
                    merged = True
                    break
            if merged:
                break
    return [sorted(g, key=lambda r: (r.published or "", r.id), reverse=True) for g in groups]


def reference_observation(period: str, records: Sequence[StoredFactRecord]) -> Observation:
    """The method of `assay.analyze.consensus`, written out plainly."""
    tiers = {Basis.ACTUAL: 0, Basis.ESTIMATE: 0, Basis.FORECAST: 1, Basis.TARGET: 2}
    best = min(tiers[r.fact.basis] for r in records)
    used = [r for r in records if tiers[r.fact.basis] == best]
    sources = sorted(reference_independent(used), key=lambda g: (g[0].published or "", g[0].id), reverse=True)
    values = [g[0].fact.value for g in sources]
    highs = [g[0].fact.value_high for g in sources if g[0].fact.value_high is not None]
    middle = statistics.median(values)
    width = max(values) - min(values)
    spread = 0.0 if len(values) < 2 else (width / abs(middle) if middle else (float("inf") if width else 0.0))
    counted = {r.id for g in sources for r in g if r.fact.value == g[0].fact.value}
    listed = [r for g in sources for r in g]
    rest = [r for r in records if r not in used]
    listed += sorted(rest, key=lambda r: (r.published or "", r.id), reverse=True)
    refs = tuple(source_ref(r, r.id in counted) for r in listed)
    high = float(statistics.median(highs)) if highs else None
    return Observation(period, float(middle), records[0].fact.unit, refs, spread, len(sources), high)


def reference_series(kb: KnowledgeBase, selection: FactSelection) -> list[Series]:
    grouped: dict[tuple[str | None, ...], dict[str, list[StoredFactRecord]]] = {}
    for r in select_facts(kb.session, selection):
        f = r.fact
        key = (f.commodity, f.form, f.metric, f.geo, f.partner, f.share_of, f.unit)
        grouped.setdefault(key, {}).setdefault(str(f.period), []).append(r)
    found = [
        Series(key, tuple(reference_observation(p, by[p]) for p in sorted(by, key=period_order)))  # type: ignore[arg-type]
        for key, by in grouped.items()
    ]
    return sorted(found, key=lambda s: series_rank(len(s.observations), s.key))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.commodity}-{q.metric}-{q.geo}-{q.partner}-{q.since}")
def test_series_read_as_tuples_match_the_plain_reference(generated: KnowledgeBase, query: SeriesQuery) -> None:
    expected = reference_series(generated, selection_for(query))
    assert expected or query.commodity == "lithium"
    found = build_series(generated.session, query)
    assert found == expected
    assert series_from_records(select_facts(generated.session, selection_for(query))) == expected
    for limit in (1, 3, 100):
        assert build_series(generated.session, query, limit=limit) == expected[:limit]
    assert series_page(generated.session, query, 1, 2).series == expected[1:3]
    keys = [s.key for s in expected[::-1]]
    assert series_of_keys(generated.session, selection_for(query), keys) == expected


def test_the_generated_store_has_what_the_comparison_needs(generated: KnowledgeBase) -> None:
    # a comparison that never meets a case proves nothing about it
    (series, *_) = build_series(generated.session, SeriesQuery("magnesium", "exports", geo="CN"))
    everything = [
        (obs, ref)
        for s in build_series(generated.session, SeriesQuery("magnesium", "exports"))
        for obs in s.observations
        for ref in obs.sources
    ]
    assert any(not ref.in_consensus for _, ref in everything)  # a revised figure or a lower tier
    assert any(ref.dataset == "usgs-2025" for _, ref in everything)
    assert any(ref.official and ref.url for _, ref in everything)
    assert any(ref.value_high is not None for _, ref in everything)
    assert any(len(obs.sources) > obs.n_independent > 1 for obs, _ in everything)  # copies joined
    assert len(series.observations) > 1


def test_consensus_of_records_matches_the_plain_reference(generated: KnowledgeBase) -> None:
    records = select_facts(generated.session, FactSelection(commodity="magnesium"))
    groups: dict[tuple[object, ...], list[StoredFactRecord]] = {}
    for r in records:
        f = r.fact
        groups.setdefault((f.metric, f.geo, f.partner, f.unit, f.period), []).append(r)
    assert any(len(g) > 3 for g in groups.values())
    for group in groups.values():
        agreed = consensus(group)
        expected = reference_observation("p", group)
        assert (agreed.value, agreed.value_high, agreed.n_independent) == (
            expected.value,
            expected.value_high,
            expected.n_independent,
        )
        assert agreed.spread == expected.spread
        assert agreed.freshest.id == max(agreed.used, key=lambda r: (r.published or "", r.id)).id
        assert [r.id for g in agreed.source_values for r in g] == [
            s.fact_id for s in expected.sources[: sum(len(g) for g in agreed.source_values)]
        ]


def test_statements_carry_the_provenance_of_records(generated: KnowledgeBase) -> None:
    selection = FactSelection(commodity="magnesium")
    found = select_statements(generated.session, selection)
    by_id = {r.id: r for r in select_facts(generated.session, selection)}
    assert sorted(row[8] for row in found.rows) == sorted(by_id)
    for row in found.rows:
        record = by_id[row[8]]
        key = row[13] if row[14] is None else (row[13], row[14])
        doc, dataset, url, official, published, origin = found.provenance[key]
        expected_origin = f"dataset:{record.dataset_kind}" if record.dataset_id is not None else record.origin_id
        assert (doc, dataset, url, official, published, origin) == (
            record.doc,
            record.dataset,
            record.url,
            record.official,
            record.published,
            expected_origin,
        )
        ref: SourceRef = source_ref(record)
        assert (row[9], row[10], row[11], row[12]) == (ref.value, ref.value_high, ref.basis, ref.quote)


@pytest.mark.parametrize(
    "query", [QUERIES[i] for i in (0, 1, 3, 4)], ids=lambda q: f"{q.commodity}-{q.metric}-{q.geo}-{q.since}"
)
def test_pages_bounded_by_statements_hold_whole_series_and_together_the_whole_list(
    generated: KnowledgeBase, query: SeriesQuery
) -> None:
    expected = reference_series(generated, selection_for(query))
    held: dict[tuple[str | None, ...], int] = {}  # statements per series, counted from the records
    for r in select_facts(generated.session, selection_for(query)):
        f = r.fact
        key = (f.commodity, f.form, f.metric, f.geo, f.partner, f.share_of, f.unit)
        held[key] = held.get(key, 0) + 1
    sizes = sorted(held[s.key] for s in expected)
    assert len(sizes) >= 2 and sizes[0] < sizes[-1]  # series of different lengths: the cuts differ
    for per_page, budget in ((100, 10**9), (3, 10**9), (100, sizes[-1]), (100, sizes[0] + sizes[1]), (2, 1)):
        pages, page = [], 1
        while True:
            found = series_budget_page(generated.session, query, page, per_page, budget)
            assert found.total == len(expected) and found.series
            pages.append(found.series)
            if not found.more:
                break
            page += 1
        assert [s for p in pages for s in p] == expected
        for shown, following in zip(pages, [*pages[1:], None], strict=True):
            assert len(shown) <= per_page
            assert len(shown) == 1 or sum(held[s.key] for s in shown) <= budget
            if following and len(shown) < per_page:  # a page ends early only where the next series would overflow
                assert sum(held[s.key] for s in shown) + held[following[0].key] > budget
        assert series_budget_page(generated.session, query, page + 1, per_page, budget) == SeriesPage([], len(expected))
    assert len(pages) == len(expected)  # a budget of one statement: one series a page
    assert series_page(generated.session, query, 0, 2).more and not series_page(generated.session, query, 0, 99).more
