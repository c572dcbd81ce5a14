"""Classes of event wording that held back the rules on batch B (issue 8): companies named as actors
(the vocabulary's companies, and firms outside it named by their chief executive), ... English,
Simplified and Traditional Chinese; every sentence here is written for these tests.
"""

from __future__ import annotations

from assay.extract.events import extract_events
from assay.extract.events.actors import find_actors
from assay.model import Document, Event


def events_of(text: str, published: str | None = "2025-06-20") -> list[Event]:
    doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=text, published=published)
    return extract_events(doc)


def of_type(found: list[Event], type_: str) -> list[Event]:
    return [e for e in found if e.type == type_]


def actors_in(text: str) -> list[str]:
    return [a.actor for a in find_actors(text)]


def test_companies_act_under_the_vocabulary_slug_in_every_script() -> None:
    # companies.csv is the one list: its aliases in English, Simplified and Traditional Chinese
    assert "company:jl-mag-rare-earth" in actors_in("Jinli Magnet will add 20,000 t of capacity.")
    assert "company:jl-mag-rare-earth" in actors_in("金力永磁计划新增2万吨产能。")
    assert "company:china-rare-earth-group" in actors_in("中國稀土集團宣布整合計劃。")
    assert "company:baotou-steel-union" in actors_in("包钢股份宣布减产。")
    assert "company:baowu-magnesium" in actors_in("云海金属将扩建镁合金产能。")


def test_a_known_company_keeps_its_slug_inside_a_longer_english_name() -> None:
    assert actors_in("Jiangxi Jinli Permanent Magnet Technology Co said it would expand.") == [
        "company:jl-mag-rare-earth"
    ]


def test_a_capacity_plan_of_a_known_company_is_the_company_s() -> None:
    found = of_type(events_of("金力永磁计划2026年新增2万吨钕铁硼磁材产能。"), "capacity_plan")
    assert [e.actor for e in found] == ["company:jl-mag-rare-earth"]


def test_a_firm_named_by_its_chief_executive_acts() -> None:
    found = of_type(
        events_of("Ford CEO Jim Farley said a plant was shut down in May 2025 because of a shortage of magnets."),
        "supply_disruption",
    )
    assert [e.actor for e in found] == ["company:ford"]
    assert "company:acme-motors" in actors_in("Acme Motors' chief executive said output was cut.")


def test_officials_and_countries_are_not_firms_with_a_chief_executive() -> None:
    assert actors_in("Commerce Ministry spokesperson He Yadong said licences were granted.") == ["CN:MOFCOM"]
    assert not any(a.startswith("company:") for a in actors_in("China's chief executive officers met in Beijing."))
