"""The near-duplicate index kept in the store answers as the in-memory one does, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import datetime

import numpy as np
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from assay.clean.dedupe import (
    BANDS,
    NUM_PERM,
    THRESHOLD,
    DuplicateIndex,
    band_hashes,
    signature_similarity,
    text_sha256,
)
from assay.store.db import Store, alembic_config, upgrade
from assay.store.dedupe import Lookup, StoredDuplicateIndex
from assay.store.schema import DocumentBandRow, DocumentRow

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
        row = _row(name, body, signature, duplicate_of, folder="c")
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


def _variant(base: np.ndarray, changed: int, rng: random.Random) -> np.ndarray:
    """`base` with `changed` of its values replaced: estimated similarity (128 - changed) / 128."""
    values = base.copy()
    for position in rng.sample(range(len(values)), changed):
        values[position] = rng.randrange(2**32 - 1)
    return values


def _generated_store(store: Store, rng: random.Random) -> list[Lookup]:
    """Originals in families of near-duplicates (some under the threshold that still share bands,
    some of equal signatures: the oldest must win), duplicates that an exact lookup must not return,
    and lookups of every kind: exact texts, near ones, unrelated ones, one excluding its own family."""
    bases = [np.array([rng.randrange(2**32 - 1) for _ in range(NUM_PERM)], dtype=np.uint32) for _ in range(40)]
    rows: list[DocumentRow] = []
    for family, base in enumerate(bases):
        for member, changed in enumerate((0, 0, 12, 24, 30, 45, 70)):
            signature = _variant(base, changed, rng).tobytes()
            rows.append(_row(f"f{family}m{member}", f"text {family} {member}", signature))
    with store.transaction() as session:
        session.add_all(rows)
        session.flush()
        StoredDuplicateIndex(session).add_many([(row.id, band_hashes(row.minhash or b"")) for row in rows])
        copies = [
            _row(f"copy{n}", f"text {n} 3", rows[n * 7 + 3].minhash, duplicate_of=rows[n * 7 + 3].id) for n in range(5)
        ]
        copies.append(_row("orphan copy", "only a duplicate has this text", rows[0].minhash, duplicate_of=rows[0].id))
        session.add_all(copies)
    lookups = [Lookup(text_sha256(f"text {n} 3"), rows[n * 7 + 3].minhash or b"") for n in range(3)]
    lookups.append(Lookup(text_sha256("only a duplicate has this text"), _variant(bases[0], 90, rng).tobytes()))
    for family, base in enumerate(bases):
        for changed in (5, 20, 28, 40, 60, 128):
            signature = _variant(base, changed, rng).tobytes()
            lookups.append(Lookup(text_sha256(f"probe {family} {changed}"), signature, bands=band_hashes(signature)))
    family_ids = frozenset(row.id for row in rows[:7])
    lookups.append(Lookup(text_sha256("excluding"), _variant(bases[0], 3, rng).tobytes(), family_ids))
    return lookups


def _row(
    name: str, body: str, signature: bytes | None, duplicate_of: int | None = None, folder: str = "g"
) -> DocumentRow:
    return DocumentRow(
        name=name,
        source=f"/{folder}/{name}",
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


def _round3_lookup(session: Session, lookup: Lookup, threshold: float = THRESHOLD) -> int | None:
    """The lookup as round 3 made it (documents joined to every shared band, `duplicate_of IS NULL`)."""
    exact = session.execute(
        select(func.min(DocumentRow.id)).where(
            DocumentRow.text_sha256 == lookup.text_sha256, DocumentRow.duplicate_of.is_(None)
        )
    ).scalar()
    if exact is not None:
        return int(exact)
    bands = list(lookup.bands) if lookup.bands is not None else band_hashes(lookup.signature)
    rows = session.execute(
        select(DocumentBandRow.band, DocumentRow.id, DocumentRow.minhash)
        .join(DocumentRow, DocumentRow.id == DocumentBandRow.document_id)
        .where(DocumentBandRow.band.in_(bands))
    ).all()
    best: tuple[float, int] | None = None
    for _, doc_id, minhash in rows:
        if minhash is None or doc_id in lookup.exclude:
            continue
        similarity = signature_similarity(bytes(minhash), lookup.signature)
        if similarity >= threshold and (best is None or (similarity, -doc_id) > (best[0], -best[1])):
            best = (similarity, doc_id)
    return best[1] if best else None


def test_the_batch_lookup_finds_exactly_what_round_3s_lookup_found(any_store: Store) -> None:
    """On a generated store: candidates' ids first, each signature read once, the same answers."""
    lookups = _generated_store(any_store, random.Random(13))
    with any_store.session() as session:
        index = StoredDuplicateIndex(session)
        batched = index.find_many(lookups)
        one_by_one = [_round3_lookup(session, lookup) for lookup in lookups]
    assert batched == one_by_one
    near = [answer for answer, lookup in zip(batched, lookups, strict=True) if answer is not None and lookup.bands]
    assert len(near) >= 60  # the store and lookups do exercise near-duplicates (40 families x changes 5, 20)
    assert batched[:3] == [4, 11, 18]  # exact texts: the original, not its stored duplicate
    assert batched[-1] is None  # its only near originals excluded
    assert index.counts.lookups == len(lookups) and index.counts.candidates >= len(near)
