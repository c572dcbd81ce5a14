"""Articles: citations resolved from the store now (corrections included), broken ones shown and
blocking publication, saves over an old version refused, states and history kept, all audited."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from editorial_rows import add_document

from assay.editorial import articles, corrections
from assay.editorial.articles import ArticleFields, slugify
from assay.model import Basis, Fact
from assay.store import audit
from assay.store.db import Store
from assay.store.facts import FactFilter, query_facts, replace_facts


def fact(**changes: object) -> Fact:
    base = Fact(
        doc="mg-note", commodity="magnesium", metric="exports", geo="CN", period="2024-05", value=6140.0, unit="t",
        basis=Basis.ACTUAL, quote="exports totaled 6,140 t", start=10, end=33, rule="exports-level", rule_version="3",
    )  # fmt: skip
    return replace(base, **changes)


@pytest.fixture
def facts(store: Store) -> list[int]:
    doc_id = add_document(store, "mg-note", url="https://example.org/mg", published="2024-06-20")
    with store.transaction() as session:
        replace_facts(
            session, doc_id, [fact(), fact(period="2024-06", value=6500.0, quote="6,500 t in June", start=40, end=55)]
        )
        return [f.id for f in query_facts(session, FactFilter(doc="mg-note"))]


def test_a_fact_citation_shows_the_value_and_links_to_its_sentence(store: Store, facts: list[int]) -> None:
    with store.session() as session:
        rendered = articles.render(session, f"May exports: [[fact:{facts[0]}]].")
    assert rendered.errors == []
    cited = re.search(r'<span class="cite cite-fact" data-fact-id="(\d+)">([^<]+)', rendered.html)
    assert cited is not None and (cited.group(1), cited.group(2).strip()) == (str(facts[0]), "6,140 t (2024-05)")
    assert f'href="/documents/1#fact-{facts[0]}"' in rendered.html


def test_a_series_citation_shows_the_latest_observation_and_links_to_the_series(store: Store, facts: list[int]) -> None:
    with store.session() as session:
        rendered = articles.render(session, "Trend: [[series:magnesium/exports/CN]]")
    assert rendered.errors == []
    assert "6,500 t (2024-06, 1 sources)" in rendered.html
    assert 'href="/series?commodity=magnesium&amp;metric=exports&amp;geo=CN"' in rendered.html


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("[[fact:999999]]", "no fact 999999"),
        ("[[fact:abc]]", "a fact is cited by its number"),
        ("[[series:magnesium/exports]]", "write a series as commodity/metric/GEO"),
        ("[[series:magnesium/exports/CN?colour=red]]", "unknown parameter colour"),
        ("[[series:graphite/production/JP]]", "no stored series graphite/production/JP"),
    ],
)
def test_broken_citations_show_in_the_draft_and_block_publishing(
    store: Store, facts: list[int], body: str, error: str
) -> None:
    with store.transaction() as session:
        draft = articles.create(session, ArticleFields("Broken", body), "ana")
        rendered = articles.render(session, body)
    assert rendered.errors == [error] or error in rendered.errors[0]
    assert "cite-error" in rendered.html
    with pytest.raises(articles.ArticleError, match="cannot publish"), store.transaction() as session:
        articles.publish(session, draft.slug, draft.version, "ana")


def test_a_correction_of_a_cited_fact_shows_in_the_article(store: Store, facts: list[int]) -> None:
    body = f"May: [[fact:{facts[0]}]]. June: [[fact:{facts[1]}]]."
    with store.transaction() as session:
        corrections.correct(session, facts[0], {"value": 6410.0}, "digits swapped", "ana")
        corrections.reject(session, facts[1], "not exports", "ana")
    with store.session() as session:
        rendered = articles.render(session, body)
    assert "6,410 t (2024-05)" in rendered.html and "corrected" in rendered.html
    assert rendered.errors == [f"fact {facts[1]} was rejected"]


def test_publish_withdraw_and_the_audit_trail(store: Store, facts: list[int]) -> None:
    with store.transaction() as session:
        draft = articles.create(session, ArticleFields("Magnesium: May exports", f"[[fact:{facts[0]}]]", "news"), "ana")
        again = articles.create(session, ArticleFields("Magnesium: May exports", "same title"), "bo")
    assert (draft.slug, again.slug) == ("magnesium-may-exports", "magnesium-may-exports-2")
    with store.transaction() as session:
        published = articles.publish(session, draft.slug, draft.version, "ana")
        withdrawn = articles.withdraw(session, draft.slug, published.version, "bo")
    assert (published.state, withdrawn.state, withdrawn.version) == ("published", "withdrawn", 3)
    with store.session() as session:
        entries, _ = audit.entries(session)
    assert [(e.user, e.action) for e in entries] == [
        ("bo", "article.withdrawn"),
        ("ana", "article.published"),
        ("bo", "article.create"),
        ("ana", "article.create"),
    ]


def test_a_save_based_on_an_old_version_is_refused_and_changes_nothing(store: Store) -> None:
    with store.transaction() as session:
        draft = articles.create(session, ArticleFields("Graphite", "first"), "ana")
        articles.save(session, draft.slug, ArticleFields("Graphite", "ana's edit"), draft.version, "ana")
    with pytest.raises(articles.StaleVersion, match="reload, merge"), store.transaction() as session:
        articles.save(session, draft.slug, ArticleFields("Graphite", "bo's edit"), draft.version, "bo")
    with store.session() as session:
        current = articles.repo.get_article(session, draft.slug)
    assert current is not None and current.fields.body == "ana's edit"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (ArticleFields("T", "b", kind="poem"), "unknown kind"),
        (ArticleFields("T", "b", lang="fr"), "language"),
        (ArticleFields("T", "b", commodities=("unobtainium",)), "unknown commodity"),
        (ArticleFields("  ", "b"), "needs a title"),
    ],
)
def test_bad_article_fields_are_refused(store: Store, fields: ArticleFields, message: str) -> None:
    with pytest.raises(articles.ArticleError, match=message), store.transaction() as session:
        articles.create(session, fields, "ana")


def test_slugs() -> None:
    assert slugify("China's Graphite: Export Controls (2023)") == "china-s-graphite-export-controls-2023"
    assert slugify("镁锭出口 2024") == "镁锭出口-2024"
    assert slugify("!!!") == "article"
