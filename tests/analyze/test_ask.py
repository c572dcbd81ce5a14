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
    assert zh.value is None and zh.text.startswith("没有找到相关数据")
    vague = answer_question(kb.session, "How are things?")
    assert vague.value is None and "could not tell" in vague.text


@pytest.mark.shared
def test_answer_from_usgs_reference_data(kb, shared_dir: Path) -> None:
    import_usgs_mcs(kb.session, shared_dir / "data" / "usgs-mcs-data-release" / "mcs2024" / "mcs2024-raree_world.csv")
    kb.session.commit()
    answer = answer_question(kb.session, "2023年中国稀土产量是多少？")
    assert answer.value == 240000 and answer.sources[0].dataset == "usgs-mcs2024-raree_world"
    assert answer.as_json()["sources"][0]["doc"] == "usgs-mcs2024-raree_world"
