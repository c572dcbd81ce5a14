"""The documents repository on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from assay.model import Document
from assay.store.db import Store
from assay.store.documents import (
    SourceVersions,
    find_by_source_and_hash,
    find_source,
    get_document,
    iter_originals_for_dedupe,
    list_documents,
    make_snippet,
    mark_extracted,
    recent_failures,
    record_failure,
    save_document,
    search,
    store_counts,
    supersede,
)


def _doc(name: str, text: str, **changes: object) -> Document:
    base = Document(
        name=name,
        source=f"/corpus/{name}.txt",
        raw_sha256=f"{name:0>64}"[-64:],
        clean_text=text,
        raw_text=text + "\nCreated with Pixso",
        title=f"Title of {name}",
        lang="en",
        published="2025-08-25",
        fetched_at=datetime(2025, 9, 1, 8, 30, tzinfo=UTC),
        content_type="txt",
        source_name="corpus",
        cleaning_steps=("nfkc", "noise-lines"),
        url=f"https://example.com/{name}",
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # the test passes only real fields


def test_a_saved_document_reads_back_whole(any_store: Store) -> None:
    doc = _doc("mg-prices", "Magnesium ingot rose to 17,800 CNY/t in Fugu.\n\nSecond paragraph.")
    with any_store.transaction() as session:
        doc_id = save_document(
            session, doc, text_sha256="a" * 64, minhash=b"\x01\x02", commodity_families=["magnesium"]
        )
    with any_store.session() as session:
        back = get_document(session, doc_id)
    assert back is not None
    assert back == replace(doc, id=doc_id, fetched_at=datetime(2025, 9, 1, 8, 30))
    assert back.cleaning_steps == ("nfkc", "noise-lines")


def test_an_unknown_id_gives_none(any_store: Store) -> None:
    with any_store.session() as session:
        assert get_document(session, 12345) is None


def test_the_same_source_and_bytes_cannot_be_stored_twice(any_store: Store) -> None:
    doc = _doc("twice", "text")
    with any_store.transaction() as session:
        save_document(session, doc, text_sha256="b" * 64)
    with pytest.raises(IntegrityError), any_store.transaction() as session:
        save_document(session, doc, text_sha256="b" * 64)
    with any_store.session() as session:
        found = find_by_source_and_hash(session, doc.source, doc.raw_sha256)
        assert found is not None and found.name == "twice"
        assert find_by_source_and_hash(session, doc.source, "f" * 64) is None
        assert len(list_documents(session)) == 1


def test_one_lookup_finds_a_source_s_stored_bytes_and_its_current_version(any_store: Store) -> None:
    first = _doc("wire", "first text", raw_sha256="1" * 64)
    second = _doc("wire", "second text", raw_sha256="2" * 64)
    with any_store.transaction() as session:
        assert find_source(session, first.source, first.raw_sha256) == SourceVersions(None, None)  # nothing yet
        first_id = save_document(session, first, text_sha256="a" * 64)
        second_id = save_document(session, second, text_sha256="b" * 64)
        supersede(session, first_id, second_id)
        save_document(session, _doc("other", "other text"), text_sha256="c" * 64)
    with any_store.session() as session:
        old = find_source(session, first.source, first.raw_sha256)
        new = find_source(session, first.source, second.raw_sha256)
        changed = find_source(session, first.source, "3" * 64)
    assert old.same_bytes is not None and old.same_bytes.id == first_id
    assert new.same_bytes is not None and new.same_bytes.id == second_id
    assert changed.same_bytes is None
    # the current version is the one no other supersedes, whatever bytes were asked for
    assert {old.current and old.current.id, new.current and new.current.id, changed.current and changed.current.id} == {
        second_id
    }


def test_lists_are_newest_first_and_filter(any_store: Store) -> None:
    with any_store.transaction() as session:
        save_document(session, _doc("old", "a", published="2021-03-23"), text_sha256="1" * 64)
        save_document(session, _doc("undated", "b", published=None), text_sha256="2" * 64)
        save_document(session, _doc("new", "c", published="2025-11-25", lang="zh"), text_sha256="3" * 64)
        save_document(session, _doc("mid", "d", published="2025-08"), text_sha256="4" * 64)
    with any_store.session() as session:
        assert [d.name for d in list_documents(session)] == ["new", "mid", "old", "undated"]
        assert [d.name for d in list_documents(session, limit=2)] == ["new", "mid"]
        assert [d.name for d in list_documents(session, lang="zh")] == ["new"]
        item = list_documents(session, lang="zh")[0].as_json()
    for key in ("id", "title", "lang", "published", "url", "duplicate_of", "source", "name", "content_type"):
        assert key in item
    assert item["fetched_at"] == "2025-09-01T08:30:00"


def test_duplicates_point_to_their_original_and_stay_out_of_the_dedupe_index(any_store: Store) -> None:
    with any_store.transaction() as session:
        original = save_document(session, _doc("orig", "same text"), text_sha256="c" * 64, minhash=b"sig")
        copy = save_document(
            session,
            _doc("copy", "same text", source="https://mirror.example/copy", duplicate_of=original),
            text_sha256="c" * 64,
            minhash=b"sig",
        )
    with any_store.session() as session:
        assert list(iter_originals_for_dedupe(session)) == [(original, "c" * 64, b"sig")]
        stored_copy = get_document(session, copy)
        assert stored_copy is not None and stored_copy.duplicate_of == original
        assert stored_copy.source == "https://mirror.example/copy"
        counts = store_counts(session)
    assert counts.documents == 2 and counts.duplicates == 1
    assert counts.by_lang == {"en": 1}


def test_mark_extracted_records_version_and_families(any_store: Store) -> None:
    with any_store.transaction() as session:
        doc_id = save_document(session, _doc("x", "graphite"), text_sha256="d" * 64)
        mark_extracted(session, doc_id, "facts-3", ["graphite", "magnets"])
    with any_store.session() as session:
        (summary,) = list_documents(session)
    assert summary.extracted_with == "facts-3"
    assert summary.commodity_families == ("graphite", "magnets")


def test_failures_are_recorded(any_store: Store) -> None:
    with any_store.transaction() as session:
        record_failure(session, "/in/broken.pdf", "not a PDF (no %PDF header)")
    with any_store.session() as session:
        assert [(s, r) for s, r, _ in recent_failures(session)] == [("/in/broken.pdf", "not a PDF (no %PDF header)")]
        assert store_counts(session).failures == 1


def test_search_finds_english_and_chinese(any_store: Store) -> None:
    with any_store.transaction() as session:
        en = save_document(
            session, _doc("en", "China's magnesite export quota was cut.\nPrices of fused magnesia rose."), "e" * 64
        )
        zh = save_document(
            session, _doc("zh", "2025年8月，辽宁菱镁矿开采总量控制指标下达。", lang="zh", title="菱镁矿指标"), "f" * 64
        )
        save_document(session, _doc("other", "Graphite anode prices in Heilongjiang."), "0" * 64)
    with any_store.session() as session:
        assert [h.document.id for h in search(session, "magnesia prices")] == [en]
        assert [h.document.id for h in search(session, "菱镁矿")] == [zh]
        assert [h.document.id for h in search(session, "镁")] == [zh]  # one character: substring fallback
        assert [h.document.id for h in search(session, "MAGNESITE")] == [en]
        assert search(session, "nothing-like-this") == []
        assert search(session, "   ") == []
        assert search(session, 'quota* NEAR("cut') == []  # FTS syntax in a query is taken literally
        hit = search(session, "fused magnesia")[0]
    assert "fused magnesia" in hit.snippet


def test_search_follows_edits_of_the_text(store: Store) -> None:
    from sqlalchemy import update

    from assay.store.schema import DocumentRow

    with store.transaction() as session:
        doc_id = save_document(session, _doc("edit", "graphite electrode"), "9" * 64)
    with store.transaction() as session:
        session.execute(update(DocumentRow).where(DocumentRow.id == doc_id).values(clean_text="neodymium magnets"))
    with store.session() as session:
        assert search(session, "graphite") == []
        assert [h.document.id for h in search(session, "neodymium")] == [doc_id]


def test_nul_characters_are_dropped_so_both_databases_store_the_text(any_store: Store) -> None:
    with any_store.transaction() as session:
        doc_id = save_document(session, _doc("nul", "before\x00after"), "8" * 64)
    with any_store.session() as session:
        back = get_document(session, doc_id)
    assert back is not None and back.clean_text == "beforeafter"


def test_snippet_is_one_line_around_the_term() -> None:
    text = "x" * 200 + " rare earth\nquota " + "y" * 200
    snippet = make_snippet(text, ["quota"])
    assert "quota" in snippet and "\n" not in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
