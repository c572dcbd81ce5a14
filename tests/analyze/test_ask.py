"""`ask`: questions in English and Chinese answered from stored facts, with citations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.analyze.ask import answer_question, parse_question
from assay.analyze.reference import import_usgs_mcs
from assay.model import Fact


def test_questions_are_read() -> None:
    q = parse_question("What was China's magnesium production in 2024?")
    assert (q.commodity, q.metric, q.geo, q.partner, q.period, q.lang) == (
        "magnesium",
        "production",
        "CN",
        None,
        "2024",
        "en",
    )
    q = parse_question("2024年中国镁产量是多少？")
    assert (q.commodity, q.metric, q.geo, q.period, q.lang) == ("magnesium", "production", "CN", "2024", "zh")
    q = parse_question("How much magnesium did China export to the Netherlands in May 2024?")
    assert (q.metric, q.geo, q.partner, q.period) == ("exports", "CN", "NL", "2024-05")
    q = parse_question("2025年1-9月中国稀土出口量")
    assert (q.commodity, q.metric, q.geo, q.period) == ("rare_earths", "exports", "CN", "2025-01/2025-09")


def test_answer_with_citations_in_both_languages(kb, fact: Callable[..., Fact]) -> None:
    quote = "China's primary magnesium output reached 953,000 tons in 2024"
    kb.doc("mg-2024", fact(953000, quote, metric="production", period="2024"))
    answer = answer_question(kb.session, "What was China's magnesium production in 2024?")
    body = answer.as_json()
    assert body["answer"] == {
        "value": 953000, "unit": "t", "period": "2024", "commodity": "magnesium",
        "metric": "production", "geo": "CN", "partner": None,
    }  # fmt: skip
    assert body["sources"][0]["doc"] == "mg-2024" and body["sources"][0]["quote"] == quote
    assert "953,000 t" in answer.text and "mg-2024" in answer.text
    zh = answer_question(kb.session, "2024年中国镁产量是多少？")
    assert zh.value == 953000 and zh.text.startswith("2024年中国") and "953,000吨" in zh.text


def test_disagreement_is_said_and_both_values_shown(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("low", fact(800000, "output of 800,000 t", metric="production", period="2024"))
    kb.doc("high", fact(1000000, "output of 1 million t", metric="production", period="2024"))
    answer = answer_question(kb.session, "What was China's magnesium production in 2024?")
    assert answer.disagreement and answer.text.startswith("Sources disagree")
    assert "800,000 t" in answer.text and "1,000,000 t" in answer.text
    assert {s["doc"] for s in answer.as_json()["sources"]} == {"low", "high"}


def test_nothing_known_is_not_guessed(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("mg-2023", fact(830000, "830,000 t in 2023", metric="production", period="2023"))
    answer = answer_question(kb.session, "What was China's magnesium production in 2024?")
    assert answer.as_json()["answer"] is None and answer.sources == ()
    assert "Nothing is stored" in answer.text and "2023" in answer.text
    zh = answer_question(kb.session, "2024年中国石墨储量是多少？")
    assert zh.value is None and zh.text.startswith("未知") and "没有找到相关数据" in zh.text
    vague = answer_question(kb.session, "How are things?")
    assert vague.value is None and "could not tell" in vague.text


@pytest.mark.shared
def test_answer_from_usgs_reference_data(kb, shared_dir: Path) -> None:
    import_usgs_mcs(kb.session, shared_dir / "data" / "usgs-mcs-data-release" / "mcs2024" / "mcs2024-raree_world.csv")
    kb.session.commit()
    answer = answer_question(kb.session, "2023年中国稀土产量是多少？")
    assert answer.value == 240000 and answer.sources[0].dataset == "usgs-mcs2024-raree_world"
    assert answer.as_json()["sources"][0]["doc"] == "usgs-mcs2024-raree_world"


@pytest.mark.parametrize(
    ("text", "kind", "metric", "extra"),
    [
        ("What share of world rare earth production did China have in 2023?", "share", "production_share", "WORLD"),
        ("2023年中国稀土产量占全球的比重是多少？", "share", "production_share", "WORLD"),
        ("2023年中國稀土產量佔全球份額是多少？", "share", "production_share", "WORLD"),
        ("By how much did China's magnesium exports rise in 2024?", "change", "exports", None),
        ("2024年中國鎂出口增長了多少？", "change", "exports", None),
        ("What were China's rare earth exports worth in 2024 in dollars?", "value", "trade_value", "USD"),
        ("2024年中國稀土進口價值幾多錢？", "value", "trade_value", None),
        ("What was the price of NdPr oxide in USD per kg in May 2025?", "price", "price", "USD"),
        ("2025年5月氧化镨钕价格是多少元/吨？", "price", "price", "CNY"),
        ("中國稀土出口有幾多？", "level", "exports", None),
        ("What was China's graphite production capacity in 2023?", "level", "capacity", None),
    ],
)
def test_what_a_question_asks_for(text: str, kind: str, metric: str, extra: str | None) -> None:
    q = parse_question(text)
    assert (q.kind, q.metric) == (kind, metric)
    if kind == "share":
        assert (q.share_of, q.geo) == (extra, "CN")
    if kind in ("value", "price") and extra:
        assert q.currency == extra
    if kind == "price":
        assert q.per == ("kg" if "kg" in text else "t")


def test_a_level_question_is_not_answered_with_a_rate(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("rate", fact(15.0, "imports rose 15%", metric="imports", unit="pct_yoy", period="2024"))
    answer = answer_question(kb.session, "How much magnesium did China import in 2024?")
    assert answer.value is None and answer.text.startswith("unknown")
    zh = answer_question(kb.session, "2024年中国镁进口增长了多少？")
    assert zh.value == 15.0 and zh.unit == "pct_yoy" and zh.sources[0].doc == "rate"


def test_a_change_worked_out_from_two_levels_cites_both(kb, fact: Callable[..., Fact]) -> None:
    kb.doc("y24", fact(420000, "exports were 420,000 t in 2024", period="2024"))
    kb.doc("y23", fact(400000, "exports were 400,000 t in 2023", period="2023"))
    answer = answer_question(kb.session, "By how much did China's magnesium exports rise in 2024?")
    assert (answer.value, answer.unit, answer.period) == (20000, "t", "2024")
    assert answer.as_json()["answer"]["change_pct"] == 5.0
    assert {s.doc for s in answer.sources} == {"y24", "y23"}
