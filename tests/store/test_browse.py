"""The portal's read queries on SQLite and PostgreSQL: document filters and pages, the documents that
say most about a commodity, fact pages and counts, events of one document, the store's fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.pipeline import IngestOptions, ingest
from assay.store.browse import (
    BrowseError,
    DocumentQuery,
    document_choices,
    documents_about,
    duplicates_of,
    fact_counts_by_commodity,
    query_documents,
    store_fingerprint,
)
from assay.store.db import Store
from assay.store.events import EventFilter, query_events
from assay.store.facts import FactFilter, count_facts, query_facts

DOCS = {
    "wire": [
        (
            "mg-exports",
            "2024-04-02",
            "en",
            "Magnesium exports in March",
            "China exported 4,500 t of magnesium ingot in March 2024.",
        ),
        (
            "graphite-output",
            "2023-06-01",
            "en",
            "Graphite output",
            "China produced 1.23 million tonnes of natural graphite in 2023. "
            "India produced 9,000 t of graphite in 2023.",
        ),
        (
            "ree-quota",
            "2024-02-10",
            "en",
            "Rare earth quota",
            "China set the 2024 rare earth mining quota at 135,000 tonnes. "
            "MOFCOM announced export controls on graphite on 20 October 2023.",
        ),
    ],
    "zh-news": [
        ("zh-xitu", "2024-03-05", "zh", "稀土开采指标", "2024年第一批稀土开采总量控制指标为135000吨。"),
    ],
}


@pytest.fixture
def filled(any_store: Store, tmp_path: Path) -> Store:
    for folder, docs in DOCS.items():
        where = tmp_path / "corpus" / folder
        where.mkdir(parents=True)
        lines = []
        for name, published, lang, title, text in docs:
            (where / f"{name}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
            lines.append(json.dumps({"doc": name, "title": title, "published": published, "lang": lang}))
        (where / "index.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy = tmp_path / "corpus" / "wire" / "zz-mg-exports-copy.txt"
    copy.write_text("Magnesium exports in March\n\nChina exported 4,500 t of magnesium ingot in March 2024.\n")
    report = ingest([str(tmp_path / "corpus")], IngestOptions(), any_store)
    assert not report.failures and report.duplicates == 1
    return any_store


def names(store: Store, query: DocumentQuery) -> list[str]:
    with store.session() as session:
        return [d.name for d in query_documents(session, query).documents]


def test_documents_are_listed_newest_first_without_duplicates(filled: Store) -> None:
    assert names(filled, DocumentQuery()) == ["mg-exports", "zh-xitu", "ree-quota", "graphite-output"]
    assert len(names(filled, DocumentQuery(include_duplicates=True))) == 5


def test_each_filter_narrows_the_list(filled: Store) -> None:
    assert names(filled, DocumentQuery(lang="zh")) == ["zh-xitu"]
    assert names(filled, DocumentQuery(source="zh-news")) == ["zh-xitu"]
    assert names(filled, DocumentQuery(kind="html")) == []
    assert names(filled, DocumentQuery(since="2024-03", until="2024")) == ["mg-exports", "zh-xitu"]
    assert names(filled, DocumentQuery(family="magnesium")) == ["mg-exports"]
    assert names(filled, DocumentQuery(family="rare_earths")) == ["zh-xitu", "ree-quota"]


def test_full_text_search_finds_english_and_chinese_words(filled: Store) -> None:
    assert names(filled, DocumentQuery(text="natural graphite")) == ["graphite-output"]
    assert names(filled, DocumentQuery(text="稀土")) == ["zh-xitu"]
    with filled.session() as session:
        page = query_documents(session, DocumentQuery(text="graphite", limit=1))
    assert page.total == 2 and len(page.documents) == 1
    assert "graphite" in page.snippets[page.documents[0].id].lower()


def test_pages_cover_the_list_once(filled: Store) -> None:
    pages = [names(filled, DocumentQuery(offset=i, limit=2)) for i in (0, 2)]
    assert pages[0] + pages[1] == names(filled, DocumentQuery())
    with filled.session() as session:
        assert query_documents(session, DocumentQuery(limit=2)).total == 4


def test_a_malformed_date_is_refused(filled: Store) -> None:
    with filled.session() as session, pytest.raises(BrowseError, match="not a date"):
        query_documents(session, DocumentQuery(since="last week"))


def test_choices_duplicates_and_documents_about_a_commodity(filled: Store) -> None:
    with filled.session() as session:
        choices = document_choices(session)
        assert choices.langs == ("en", "zh") and choices.sources == ("wire", "zh-news") and choices.kinds == ("txt",)
        assert "magnesium" in choices.families and "graphite" in choices.families
        original = next(d for d in query_documents(session, DocumentQuery()).documents if d.name == "mg-exports")
        assert [d.name for d in duplicates_of(session, original.id)] == ["zz-mg-exports-copy"]
        about = documents_about(session, "graphite")
        assert about[0][0].name == "graphite-output" and about[0][1] >= 1
        counts = dict(fact_counts_by_commodity(session))
        assert counts["graphite"] >= 1


def test_fact_pages_counts_order_and_quote_words(filled: Store) -> None:
    with filled.session() as session:
        everything = query_facts(session, FactFilter())
        total = count_facts(session, FactFilter(limit=1, offset=1))
        assert total == len(everything) > 2
        paged = query_facts(session, FactFilter(offset=1, limit=2))
        assert [f.id for f in paged] == [f.id for f in everything[1:3]]
        by_value = query_facts(session, FactFilter(order="value"))
        assert [f.fact.value for f in by_value] == sorted((f.fact.value for f in everything), reverse=True)
        newest = query_facts(session, FactFilter(order="newest"))
        assert newest[0].published == max(f.published or "" for f in everything)
        quoted = query_facts(session, FactFilter(text="natural GRAPHITE"))
        assert quoted and all("natural graphite" in f.fact.quote.lower() for f in quoted)
        one = everything[0]
        assert [f.id for f in query_facts(session, FactFilter(fact_id=one.id))] == [one.id]
        assert {f.document_id for f in query_facts(session, FactFilter(document_id=one.document_id))} == {
            one.document_id
        }
        with pytest.raises(ValueError, match="order"):
            query_facts(session, FactFilter(order="random"))


def test_events_of_one_document(filled: Store) -> None:
    with filled.session() as session:
        reported = next(d for d in query_documents(session, DocumentQuery()).documents if d.name == "ree-quota")
        events = query_events(session, EventFilter(document_id=reported.id))
        assert events and all(any(m.document_id == reported.id for m in e.mentions) for e in events)
        assert len(query_events(session, EventFilter())) >= len(events)


def test_the_fingerprint_changes_when_documents_are_added(filled: Store, tmp_path: Path) -> None:
    with filled.session() as session:
        before = store_fingerprint(session)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "new.txt").write_text("Graphite prices\n\nFlake graphite sold at 1,200 USD/t in 2024.\n")
    ingest([str(extra)], IngestOptions(), filled)
    with filled.session() as session:
        assert store_fingerprint(session) != before
