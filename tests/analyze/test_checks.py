"""Checks: contradictions between sources and arithmetic inside one; they never change a fact."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assay.analyze.checks import CheckOptions, _extremes, _gap, run_checks
from assay.model import Approx, Basis, Fact
from assay.store.records import StoredFactRecord
from assay.store.schema import FactRow


def kinds(findings: list) -> list[str]:
    return [f.kind for f in findings]


def test_customs_volumes_contradict_beyond_two_percent(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("a", fact(6140, "6,140 t to the Netherlands", partner="NL"))
    kb.doc("b", fact(6200, "Netherlands: 6,200 t", partner="NL"))  # 1% apart: agrees
    assert run_checks(kb.session) == []
    kb.doc("c", fact(7000, "Netherlands: 7,000 t", partner="NL"))  # 12.3% above 6,140
    (finding,) = run_checks(kb.session)
    assert finding.kind == "contradiction" and finding.period == "2024-05"
    assert {s.doc for s in finding.statements} == {"a", "c"}
    assert {s.quote for s in finding.statements} == {"6,140 t to the Netherlands", "Netherlands: 7,000 t"}
    assert finding.tolerance == "2% for exports"


def test_production_estimates_get_ten_percent(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("a", fact(900000, "900 kt", metric="production", period="2022"))
    kb.doc("b", fact(960000, "960 kt", metric="production", period="2022"))  # 6.3%: within 10%
    assert run_checks(kb.session) == []


def test_bounds_and_copies_do_not_contradict(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("a", fact(1e9, "more than 1 billion tons", metric="reserves", commodity="magnesite", approx=Approx.OVER))
    kb.doc("b", fact(3.5e9, "3.5 billion tons", metric="reserves", commodity="magnesite"))
    first = kb.doc("c", fact(5000, "5,000 t", partner="JP"))
    kb.doc("d", fact(9000, "9,000 t", partner="JP"), duplicate_of=first)  # one source restating itself
    assert run_checks(kb.session) == []


def test_change_against_previous_level_holds_or_fails(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "holds",
        fact(5774, "5,774 t", period="2024-06"),
        fact(-6.1, "down 6.1%", period="2024-06", unit="pct_mom"),
        fact(6146, "from 6,146 t", period="2024-05"),
    )
    assert run_checks(kb.session, CheckOptions(kinds=("change",))) == []
    kb.doc(
        "fails",
        fact(5774, "5,774 t", period="2024-06", partner="KR"),
        fact(-16.1, "down 16.1%", period="2024-06", unit="pct_mom", partner="KR"),
        fact(6146, "from 6,146 t", period="2024-05", partner="KR"),
    )
    (finding,) = run_checks(kb.session, CheckOptions(kinds=("change",)))
    assert finding.kind == "change" and [s.doc for s in finding.statements] == ["fails"] * 3
    assert abs(finding.expected - 6146 * (1 - 0.161)) < 1e-6


def test_year_on_year_change_uses_the_same_period_a_year_before(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "yoy",
        fact(20836, "20,836 mt", period="2024-05"),
        fact(26.2, "up 26.2% YoY", period="2024-05", unit="pct_yoy"),
        fact(10000, "10,000 mt a year earlier", period="2023-05"),
    )
    (finding,) = run_checks(kb.session, CheckOptions(kinds=("change",)))
    assert "+108.4%" in finding.message


def test_share_against_levels(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "ok",
        fact(1026000, "1.026 million tons", metric="production", period="2020"),
        fact(1120000, "1.12 million tons globally", metric="production", geo="WORLD", period="2020"),
        fact(91.6, "91.6% of the global total", metric="production_share", unit="%", share_of="WORLD", period="2020"),
    )
    assert run_checks(kb.session, CheckOptions(kinds=("share",))) == []
    kb.doc(
        "wrong",
        fact(1026000, "1.026 million tons", metric="production", period="2021"),
        fact(1120000, "1.12 million tons globally", metric="production", geo="WORLD", period="2021"),
        fact(80, "80% of the global total", metric="production_share", unit="%", share_of="WORLD", period="2021"),
    )
    (finding,) = run_checks(kb.session, CheckOptions(kinds=("share",)))
    assert finding.kind == "share" and round(finding.expected, 1) == 91.6 and finding.found == 80


def test_destinations_adding_up_beyond_the_total(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "sum",
        fact(10000, "total exports 10,000 t"),
        fact(6000, "Netherlands 6,000 t", partner="NL"),
        fact(5500, "Japan 5,500 t", partner="JP"),
    )
    (finding,) = run_checks(kb.session, CheckOptions(kinds=("destinations",)))
    assert finding.found == 11500 and finding.expected == 10000 and len(finding.statements) == 3


def test_implausible_values(kb, fact: Callable[..., Fact]) -> None:
    kb.doc(
        "odd",
        fact(5, "magnesium at 5 yuan/t", metric="price", unit="CNY/t"),
        fact(18000, "magnesium at 18,000 yuan/t", metric="price", unit="CNY/t", period="2024-06"),
        fact(2.6, "magnesium at $2.6/kg", metric="price", unit="USD/kg", period="2024-07"),
        fact(250, "250% of world output", metric="production_share", unit="%", share_of="WORLD"),
    )
    findings = run_checks(kb.session, CheckOptions(kinds=("implausible",)))
    assert sorted(f.found for f in findings) == [5, 250]
    assert any("outside the plausible 5,000-100,000 CNY/t" in f.message for f in findings)


def test_checks_never_change_stored_facts(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("a", fact(6140, "6,140 t"), fact(5, "5 CNY/t", metric="price", unit="CNY/t"))
    kb.doc("b", fact(9000, "9,000 t"))
    before = kb.session.execute(select(FactRow.id, FactRow.value).order_by(FactRow.id)).all()
    assert len(run_checks(kb.session)) == 2
    assert kb.session.execute(select(FactRow.id, FactRow.value).order_by(FactRow.id)).all() == before
    assert kb.session.scalar(select(func.count()).select_from(FactRow)) == 3


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-50, 5000, allow_nan=False),
            st.sampled_from([None, 0.0, 30.0]),
            st.sampled_from([None, Approx.ABOUT, Approx.OVER, Approx.UNDER]),
        ),
        min_size=2,
        max_size=8,
    ),
    st.booleans(),
)
def test_the_widest_disagreement_found_in_one_pass_is_the_widest_of_all_pairs(
    statements: list[tuple[float, float | None, Approx | None]], absolute: bool
) -> None:
    heads = []
    for n, (value, spread, approx) in enumerate(statements):
        high = value + spread if spread is not None and approx is None else None
        fact = Fact(
            "d", "magnesium", "exports", "CN", "2025", value, "t", Basis.ACTUAL, "q", value_high=high, approx=approx
        )
        heads.append(StoredFactRecord(n, fact, n, None, None, None, False, None, None, None, n))
    every_pair = max(_gap(a, b, 0.1, absolute) for i, a in enumerate(heads) for b in heads[i + 1 :])
    extremes = _extremes(heads, absolute)
    one_pass = max((_gap(a, b, 0.1, absolute) for i, a in enumerate(extremes) for b in extremes[i + 1 :]), default=0.0)
    # equal up to rounding: the same gap may be computed from another pair of equally extreme statements
    assert one_pass == pytest.approx(every_pair, rel=1e-12, abs=1e-12)
