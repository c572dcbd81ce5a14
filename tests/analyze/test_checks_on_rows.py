"""Checks on plain rows give what the plain path gives: every fact read as a record, every check
run over the records, findings sorted by kind and cut (the reference), on a generated store, on
SQLite and on PostgreSQL.

The generated facts cover what the row path decides on its own: groups whose values overlap
(skipped before their provenance is read), approximate, over/under and range statements, negative
values, forecasts beside actual figures, copies and shared quotes (one source), a dataset, levels
with changes and shares, destinations, implausible values, and facts without a period.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace

import pytest
from sqlalchemy import update

from assay.analyze.checks import (
    KINDS,
    CheckOptions,
    check_records,
    contradictions,
    count_checks,
    run_checks,
    selection_for_checks,
)
from assay.analyze.findings import row_of
from assay.model import Approx, Basis, Fact
from assay.store.records import fact_rows, select_facts
from assay.store.reference import DatasetSpec, import_dataset
from assay.store.schema import DocumentRow
from assay.store.series import FactSelection, distinct_values
from knowledge_base import KnowledgeBase, make_fact

PERIODS = ("2023", "2024", "2024-01", "2024-02", "2024-03", "2024-03-01", "2024-03-04", None)


def _statement(rng: random.Random, i: int, j: int) -> Fact:
    metric, unit = rng.choice(
        [("exports", "t")] * 6
        + [("exports", "pct_mom"), ("exports", "pct_yoy"), ("production", "t"), ("production_share", "%")]
        + [("price", "CNY/t")] * 2
    )
    base = {"t": 5000.0, "pct_mom": 5.0, "pct_yoy": 20.0, "%": 60.0, "CNY/t": 20000.0}[unit]
    value = rng.choice([base, base * 1.01, base * rng.uniform(0.3, 3), -base / 10, base * 1e9])
    approx = rng.choice([None] * 6 + [Approx.ABOUT, Approx.OVER, Approx.UNDER])
    high = value * 1.2 if approx is None and rng.random() < 0.1 else None
    partner = rng.choice([None, None, "NL", "JP", "EU"]) if metric == "exports" and unit == "t" else None
    return make_fact(
        value,
        rng.choice(["exports rose to a record", f"statement {i}-{j}"]),
        commodity=rng.choice(["magnesium", "magnesium", "graphite"]),
        metric=metric,
        geo=rng.choice(["CN", "CN", "WORLD"]) if unit != "%" else "CN",
        period=rng.choice(PERIODS),
        unit=unit,
        partner=partner,
        share_of="WORLD" if unit == "%" else None,
        basis=rng.choice([Basis.ACTUAL] * 4 + [Basis.FORECAST]),
        value_high=high,
        approx=approx,
    )


def _arithmetic(rng: random.Random, i: int) -> list[Fact]:
    """Levels with a change, a share and destinations in one source, agreeing or not."""
    commodity = rng.choice(["magnesium", "graphite"])
    now, before, world = rng.choice([6000.0, 5000.0]), 5000.0, rng.choice([10000.0, 8000.0])
    return [
        make_fact(now, f"{i}: {now} t in March", commodity=commodity, period="2024-03"),
        make_fact(before, f"{i}: {before} t in February", commodity=commodity, period="2024-02"),
        make_fact(20.0, f"{i}: up 20% on the month", commodity=commodity, period="2024-03", unit="pct_mom"),
        make_fact(now, f"{i}: output {now} t", commodity=commodity, metric="production", period="2024"),
        make_fact(world, f"{i}: world {world} t", commodity=commodity, metric="production", geo="WORLD", period="2024"),
        make_fact(
            60.0, f"{i}: 60%", commodity=commodity, metric="production_share", unit="%", share_of="WORLD", period="2024"
        ),
        make_fact(4000.0, f"{i}: 4,000 t to the Netherlands", commodity=commodity, period="2024-03", partner="NL"),
        make_fact(2500.0, f"{i}: 2,500 t to Japan", commodity=commodity, period="2024-03", partner="JP"),
    ]


def generate(kb: KnowledgeBase, seed: int = 5, n_docs: int = 70) -> None:
    rng = random.Random(seed)
    stored: list[int] = []
    for i in range(n_docs):
        facts = [_statement(rng, i, j) for j in range(rng.randint(1, 12))]
        if i % 6 == 0:
            facts += _arithmetic(rng, i)
        duplicate_of = rng.choice(stored) if stored and rng.random() < 0.15 else None
        published = f"2024-0{rng.randint(1, 4)}-{rng.randint(10, 28)}"
        stored.append(kb.doc(f"doc-{i}", *facts, published=published, duplicate_of=duplicate_of))
    spec = DatasetSpec("usgs-test", "usgs-mcs", "/data/usgs.csv", hashlib.sha256(b"usgs").hexdigest(), "2024-01-31")
    import_dataset(kb.session, spec, [_statement(rng, -1, j) for j in range(15)])
    kb.session.commit()


@pytest.fixture
def generated(kb_any: KnowledgeBase) -> KnowledgeBase:
    generate(kb_any)
    return kb_any


def reference(kb: KnowledgeBase, options: CheckOptions) -> list:
    """Every fact of each commodity read as a record, every check run, sorted by kind and cut."""
    commodities = [options.commodity] if options.commodity else distinct_values(kb.session, "commodity")
    findings = []
    for commodity in commodities:
        findings += check_records(select_facts(kb.session, selection_for_checks(commodity, options)), options)
    return sorted(findings, key=lambda f: KINDS.index(f.kind))[: options.limit]


OPTIONS = [
    CheckOptions(),
    CheckOptions(kinds=("contradiction",)),
    CheckOptions(commodity="magnesium", geo="CN"),
    CheckOptions(commodity="magnesium", since="2024-02", until="2024-03"),
    CheckOptions(metric="exports"),
    CheckOptions(metric="production", kinds=("share", "implausible")),
    CheckOptions(kinds=("change", "destinations")),
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: f"{o.commodity}-{o.geo}-{o.since}-{o.metric}-{len(o.kinds)}")
def test_checks_on_rows_give_the_reference_findings(generated: KnowledgeBase, options: CheckOptions) -> None:
    everything = reference(generated, options)
    assert run_checks(generated.session, options) == everything
    for limit in (0, 1, 2, 5, 17, 40, len(everything), len(everything) + 3):
        assert run_checks(generated.session, replace(options, limit=limit)) == everything[:limit]


def test_the_generated_store_exercises_every_kind_and_the_skipped_groups(generated: KnowledgeBase) -> None:
    findings = reference(generated, CheckOptions())
    assert set(KINDS) <= {f.kind for f in findings}
    n_contradictions = sum(f.kind == "contradiction" for f in findings)
    assert n_contradictions >= 40  # enough for limits to stop the rows part-way
    records = select_facts(generated.session, FactSelection(with_period_only=False))
    groups: dict[tuple, int] = {}
    for record in records:
        if record.fact.period:
            key = (*record.fact.series_key, record.fact.period)
            groups[key] = groups.get(key, 0) + 1
    multi = sum(n > 1 for n in groups.values())
    assert multi > n_contradictions  # some groups of several statements hold no contradiction


def test_superseded_versions_are_left_out_on_rows_as_on_records(generated: KnowledgeBase) -> None:
    session = generated.session
    cited = {s.document_id for f in run_checks(session) for s in f.statements}
    superseded = sorted(cited - {None})[:5]
    session.execute(update(DocumentRow).where(DocumentRow.id.in_(superseded)).values(superseded_by=1))
    session.commit()
    after = run_checks(session)
    assert after == reference(generated, CheckOptions())
    assert not {s.document_id for f in after for s in f.statements} & set(superseded)


def test_rows_of_records_hold_the_fields_of_rows_read(generated: KnowledgeBase) -> None:
    selection = FactSelection(with_period_only=False)
    with fact_rows(generated.session, selection, batch=7) as rows:
        read = list(rows)
    records = select_facts(generated.session, selection)
    assert [row_of(r)[:-1] for r in records] == [tuple(row)[:-1] for row in read]


def test_contradictions_of_records_in_any_order_are_those_of_the_checks(generated: KnowledgeBase) -> None:
    records = select_facts(generated.session, FactSelection(commodity="magnesium"))
    found = contradictions(records)
    checked = run_checks(generated.session, CheckOptions(commodity="magnesium", kinds=("contradiction",)))
    assert {(f.key["metric"], f.period, f.message) for f in found} == {
        (f.key["metric"], f.period, f.message) for f in checked
    }
    shuffled = list(records)
    random.Random(1).shuffle(shuffled)  # grouping follows the order given, not the period's first day

    def judged(findings: list) -> list:  # which of two equal statements is cited follows the order
        return sorted((f.key["partner"] or "", f.key["unit"], f.period, f.expected, f.found) for f in findings)

    assert judged(contradictions(shuffled)) == judged(found)


@pytest.mark.parametrize("options", OPTIONS[:3], ids=["all", "contradictions", "magnesium-CN"])
def test_counted_checks_count_every_finding_and_word_the_first(generated: KnowledgeBase, options: CheckOptions) -> None:
    everything = reference(generated, options)
    for shown in (0, 3, 100):
        counted = count_checks(generated.session, replace(options, limit=2), shown)  # a limit counts nothing less
        assert counted.total == len(everything) and counted.findings == everything[:shown]
    with pytest.raises(ValueError, match="shown"):
        count_checks(generated.session, options, -1)
