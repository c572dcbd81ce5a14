"""The near-duplicate index kept in the store answers as the in-memory one does, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import datetime

from alembic import command
from sqlalchemy import text

from assay.clean.dedupe import BANDS, DuplicateIndex, band_hashes, text_sha256
from assay.store.db import Store, alembic_config, upgrade
from assay.store.dedupe import StoredDuplicateIndex
from assay.store.schema import DocumentRow

WORDS = [
    *("magnesium", "ingot", "exports", "tonnes", "October", "graphite", "flake", "anode", "rare", "earth", "quota"),
    *("separation", "smelting", "Haicheng", "Fugu", "Baotou", "prices", "traders", "customs", "licence", "magnet"),
]


def article(seed: int, length: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 9)) for _ in range(length))


def edited(text_: str, every: int) -> str:
    """The same article with every `every`-th word changed: a near-duplicate when `every` is large."""
    words = text_.split()
    return " ".join(w + "x" if i % every == 0 else w for i, w in enumerate(words))


def save(store: Store, name: str, body: str, signature: bytes, duplicate_of: int | None = None) -> int:
    with store.transaction() as session:
        row = DocumentRow(
            name=name,
            source=f"/c/{name}",
            raw_sha256=text_sha256(name),
            text_sha256=text_sha256(body),
            fetched_at=datetime(2025, 1, 1),
            raw_text=body,
            clean_text=body,
            cleaning_steps=[],
            commodity_families=[],
            minhash=signature,
            duplicate_of=duplicate_of,
        )
        session.add(row)
        session.flush()
        if duplicate_of is None:
            StoredDuplicateIndex(session).add(row.id, signature)
        return row.id


def test_the_stored_index_finds_what_the_memory_index_finds(any_store: Store) -> None:
    memory = DuplicateIndex()
    originals = [article(seed) for seed in range(30)]
    for n, body in enumerate(originals):
        signature = memory.signature(body)
        doc_id = save(any_store, f"a{n}", body, signature)
        memory.add(doc_id, text_sha256(body), signature)
    probes = [originals[3], edited(originals[7], 60), edited(originals[9], 3), article(99), "too short"]
    with any_store.session() as session:
        stored = StoredDuplicateIndex(session)
        answers = [stored.find(text_sha256(p), memory.signature(p)) for p in probes]
    expected = [memory.find(text_sha256(p), memory.signature(p)) for p in probes]
    assert answers == expected
    assert answers[0] == 4 and answers[1] == 8  # exact copy of a3, light edit of a7 (ids start at 1)
    assert answers[2] is None and answers[3] is None and answers[4] is None


def test_duplicates_are_not_indexed_and_the_oldest_original_wins(any_store: Store) -> None:
    memory = DuplicateIndex()
    body = article(1)
    signature = memory.signature(body)
    first = save(any_store, "first", body, signature)
    save(any_store, "copy", body, signature, duplicate_of=first)
    with any_store.session() as session:
        assert StoredDuplicateIndex(session).find(text_sha256(body), signature) == first
        bands = session.execute(text("SELECT count(*), count(DISTINCT document_id) FROM document_bands")).one()
    assert tuple(bands) == (len(set(band_hashes(signature))), 1) and bands[0] <= BANDS


def test_the_migration_fills_the_index_from_stored_signatures(store: Store) -> None:
    memory = DuplicateIndex()
    body = article(5)
    doc_id = save(store, "old", body, memory.signature(body))
    config = alembic_config()
    with store.engine.begin() as connection:  # back to the schema before 0005, the document kept
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    upgrade(store.engine)
    with store.session() as session:
        assert StoredDuplicateIndex(session).find("no such hash", memory.signature(edited(body, 60))) == doc_id


def test_an_excluded_original_is_no_near_duplicate_but_still_an_exact_one(any_store: Store) -> None:
    """A source's earlier version is excluded: its changed text resembles it by nature, the same text is the same."""
    signer = DuplicateIndex()
    body = article(7)
    earlier = save(any_store, "v1", body, signer.signature(body))
    changed = edited(body, 40)
    with any_store.session() as session:
        index = StoredDuplicateIndex(session)
        assert index.find(text_sha256(changed), signer.signature(changed)) == earlier
        assert index.find(text_sha256(changed), signer.signature(changed), exclude=frozenset({earlier})) is None
        assert index.find(text_sha256(body), signer.signature(body), exclude=frozenset({earlier})) == earlier
