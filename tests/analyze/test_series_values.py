"""Consensus values drawn on plain tuples give the values of the whole series, and the commodity
page renders the same HTML with its sections read that way as with them built from whole series;
on a generated store (copies, copies of copies, undated documents, syndicated quotes, forecasts
and targets, reference datasets), on SQLite and on PostgreSQL.

`series_values` reads statements without their documents (the duplicates among them looked up
once, a document's date only where two statements share a source) and weighs each period with
`consensus.agreed_value`; the reference is `build_series`, every statement with its sources.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_broad_queries import (  # the whole-series references of the commodity page's sections
    reference_destinations,
    reference_key_figures,
    reference_monthly,
    reference_production,
    values_of,
)
from test_series_statements import QUERIES, generate

from assay.analyze.consensus import Weighed, agree, agreed_value
from assay.analyze.series import build_series, selection_for, series_values
from assay.store import records as store_records
from assay.store import statements as store_statements
from assay.store.db import Store
from assay.store.records import select_facts
from assay.store.series import FactSelection, series_sizes
from assay.web import WebSettings, create_app
from assay.web.routes import markets
from knowledge_base import KnowledgeBase


@pytest.fixture(params=[1, 2])
def generated(kb_any: KnowledgeBase, request: pytest.FixtureRequest) -> KnowledgeBase:
    generate(kb_any, seed=request.param)
    return kb_any


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.commodity}-{q.metric}-{q.geo}-{q.partner}-{q.since}")
@pytest.mark.parametrize("links", ["looked-up", "all-read"])
def test_series_values_are_the_whole_series_values(
    generated: KnowledgeBase, query: Any, links: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if links == "all-read":  # more documents than one lookup takes: every duplicate's link read at once
        monkeypatch.setattr(store_statements, "IN_CHUNK", 3)
        monkeypatch.setattr(store_records, "IN_CHUNK", 3)
    whole = build_series(generated.session, query)
    selection = selection_for(query)
    assert series_values(generated.session, selection) == [values_of(s) for s in whole]
    some = whole[::2]
    assert series_values(generated.session, selection, [s.key for s in some]) == [values_of(s) for s in some]
    assert whole or query.commodity == "lithium"


def test_values_weigh_copies_and_syndicated_quotes(generated: KnowledgeBase) -> None:
    """The generated store has periods where one source states several values (its freshest
    counts, so documents' dates are read) and periods whose value is a median of sources."""
    whole = build_series(generated.session, QUERIES[0])
    shared = [o for s in whole for o in s.observations if o.n_independent < len(o.sources)]
    assert shared and [o for s in whole for o in s.observations if o.n_independent > 2]


def test_agreed_value_is_the_agreements_value() -> None:
    rng = random.Random(13)
    for _ in range(3000):
        statements: list[Weighed] = [
            (
                rng.choice(["", "2024-01-02", "2024-02-03"]),
                i,
                float(rng.choice([10, 20, 30, rng.randint(1, 100)])),
                rng.choice([None, 40.0]),
                rng.choice([0, 0, 1, 2]),
                rng.choice([1, 2, 3, 4, "dataset:usgs-mcs"]),
                rng.choice([None, "exports rose", "exports fell", f"statement {i}"]),
            )
            for i in range(rng.randint(1, 8))
        ]
        assert agreed_value(statements) == agree(statements).value


def test_series_sizes_of_several_metrics_and_commodities_count_what_the_records_hold(
    generated: KnowledgeBase,
) -> None:
    selection = FactSelection(
        commodities=("magnesium", "graphite", "lithium"), metrics=("exports", "production", "imports")
    )
    expected: dict[tuple[str | None, ...], tuple[set[str], int]] = {}
    for record in select_facts(generated.session, selection):
        f = record.fact
        periods, statements = expected.get(
            (f.commodity, f.form, f.metric, f.geo, f.partner, f.share_of, f.unit), (set(), 0)
        )
        expected[f.commodity, f.form, f.metric, f.geo, f.partner, f.share_of, f.unit] = (
            periods | {str(f.period)},
            statements + 1,
        )
    sizes = series_sizes(generated.session, selection)
    assert len(sizes) == len(expected) > 4
    assert {s.key: (s.periods, s.statements) for s in sizes} == {k: (len(p), n) for k, (p, n) in expected.items()}


@pytest.fixture
def page_store(generated: KnowledgeBase, any_store: Store) -> Iterator[str]:
    """The generated store's URL, for web apps of its own."""
    generated.session.close()
    yield any_store.engine.url.render_as_string(hide_password=False)


def commodity_page(url: str, commodity: str) -> str:
    """The commodity page as a fresh app renders it (no view cached from another rendering)."""
    with TestClient(create_app(WebSettings(database_url=url))) as client:
        response = client.get(f"/commodities/{commodity}")
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("commodity", ["magnesium", "graphite"])
def test_commodity_page_is_the_same_as_with_whole_series(
    page_store: str, any_store: Store, commodity: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = commodity_page(page_store, commodity)
    with any_store.session() as session:
        whole = KnowledgeBase(any_store, session)
        sections = {
            "key_figures": lambda _, c, limit=6: reference_key_figures(whole, c, limit),
            "exports_by_month": lambda _, c: reference_monthly(whole, c),
            "production_by_country": lambda _, c: reference_production(whole, c),
            "exports_by_destination": lambda _, c: reference_destinations(whole, c),
        }
        for name, reference in sections.items():
            monkeypatch.setattr(markets, name, reference)
        assert commodity_page(page_store, commodity) == now
    # the sections are there to compare: key figures with sparklines, and the charts
    assert len(re.findall(r'<svg class="spark', now)) >= 2
    assert now.count('<svg class="chart bar-chart"') >= 1 and now.count('<svg class="chart line-chart"') == 1
