"""The near-duplicate index kept in the store: exact text hashes and LSH band keys, looked up per document.

    index = StoredDuplicateIndex(session)
    original = index.find(text_sha256, signature)   # id of an earlier original, or None
    index.add(doc_id, signature)                     # after saving a new original

Answers as `clean.dedupe.DuplicateIndex` does (the same threshold, the same tie-break: most similar,
then oldest), but nothing is loaded up front: each lookup reads the few candidates that share a band
key, through an index, so memory stays flat and a new run starts at once however large the store.

A batch's lookups take three statements whose cost follows what they find, not the store's size: the
exact texts through the text hash's index; the candidates' ids through the band keys' primary key
(no table row read); then each distinct candidate's signature once, by id (none when no band is
shared, the usual case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from assay.clean.dedupe import THRESHOLD, band_hashes, signature_similarity
from assay.store.schema import DocumentBandRow, DocumentRow

# No ORDER BY ... LIMIT: PostgreSQL would then walk the primary key in order instead of using the
# text hash's index; the few rows found are compared here. `coalesce(duplicate_of, 0) = 0` and not
# `duplicate_of IS NULL`: a store without statistics (any store during its first ingest: they are
# gathered when a run ends) let SQLite take the index on duplicate_of for IS NULL and read every
# original per batch (4 ms per document at 100,000); no index serves the expression, so the text
# hash's is used. Ids start at 1, so 0 is no original.
_EXACT_MANY = select(DocumentRow.text_sha256, DocumentRow.id).where(
    DocumentRow.text_sha256.in_(bindparam("digests", expanding=True)), func.coalesce(DocumentRow.duplicate_of, 0) == 0
)
# the band keys' primary key (band, document_id) covers this: no document row is read
_CANDIDATE_IDS = select(DocumentBandRow.band, DocumentBandRow.document_id).where(
    DocumentBandRow.band.in_(bindparam("bands", expanding=True))
)
_SIGNATURES = select(DocumentRow.id, DocumentRow.minhash).where(DocumentRow.id.in_(bindparam("ids", expanding=True)))


@dataclass
class LookupCounts:
    """What the lookups met so far: texts looked up, band keys shared with stored originals (pairs of
    a band and a document), and distinct candidates whose signatures were compared."""

    lookups: int = 0
    shared_bands: int = 0
    candidates: int = 0


@dataclass(frozen=True)
class Lookup:
    """One text `StoredDuplicateIndex.find_many` looks for (`find`'s arguments)."""

    text_sha256: str
    signature: bytes
    exclude: frozenset[int] = frozenset()
    bands: Sequence[int] | None = None


_INSERT_BANDS = insert(DocumentBandRow)


class StoredDuplicateIndex:
    """Duplicates among the originals stored so far (this session's uncommitted ones included)."""

    def __init__(self, session: Session, threshold: float = THRESHOLD) -> None:
        self.session = session
        self.threshold = threshold
        self.counts = LookupCounts()

    def find(
        self,
        text_sha256: str,
        signature: bytes,
        exclude: frozenset[int] = frozenset(),
        bands: Sequence[int] | None = None,
    ) -> int | None:
        """The original this text duplicates, if any. `exclude`: ids not to take as near-duplicates (a
        source's own earlier version, which its changed text resembles by nature); same text still matches.
        `bands`: the signature's `band_hashes`, when already computed (a worker does it)."""
        return self.find_many([Lookup(text_sha256, signature, exclude, bands)])[0]

    def find_many(self, lookups: Sequence[Lookup]) -> list[int | None]:
        """`find` for several texts in at most three statements: the original each duplicates, if any,
        among those stored (not among each other)."""
        connection = self.session.connection()
        digests = sorted({lookup.text_sha256 for lookup in lookups})
        exact: dict[str, int] = {}
        for digest, doc_id in connection.execute(_EXACT_MANY, {"digests": digests}):
            exact[digest] = min(doc_id, exact.get(digest, doc_id))
        bands_of = [
            ()
            if lookup.text_sha256 in exact
            else (lookup.bands if lookup.bands is not None else band_hashes(lookup.signature))
            for lookup in lookups
        ]
        wanted = sorted({band for bands in bands_of for band in bands})
        sharing: dict[int, list[int]] = {}  # band key -> ids of the originals that have it
        if wanted:
            for band, doc_id in connection.execute(_CANDIDATE_IDS, {"bands": wanted}):
                sharing.setdefault(band, []).append(doc_id)
        candidates_of = [{doc_id for band in bands for doc_id in sharing.get(band, ())} for bands in bands_of]
        needed = sorted(set().union(*candidates_of)) if candidates_of else []
        signatures: dict[int, bytes | None] = {}
        if needed:
            signatures = {doc_id: minhash for doc_id, minhash in connection.execute(_SIGNATURES, {"ids": needed})}
        self.counts.lookups += len(lookups)
        self.counts.shared_bands += sum(len(sharing.get(band, ())) for bands in bands_of for band in bands)
        self.counts.candidates += sum(len(candidates) for candidates in candidates_of)
        found: list[int | None] = []
        for lookup, candidates in zip(lookups, candidates_of, strict=True):
            if lookup.text_sha256 in exact:
                found.append(exact[lookup.text_sha256])
                continue
            found.append(self._most_similar({doc_id: signatures.get(doc_id) for doc_id in candidates}, lookup))
        return found

    def _most_similar(self, candidates: dict[int, bytes | None], lookup: Lookup) -> int | None:
        best: tuple[float, int] | None = None
        for doc_id, minhash in candidates.items():
            if minhash is None or doc_id in lookup.exclude:
                continue
            similarity = signature_similarity(bytes(minhash), lookup.signature)
            if similarity >= self.threshold and (best is None or (similarity, -doc_id) > (best[0], -best[1])):
                best = (similarity, doc_id)  # on a tie, the oldest
        return best[1] if best else None

    def add(self, doc_id: int, signature: bytes) -> None:
        """Index a newly saved original's bands (its exact hash is indexed with the document row)."""
        self.add_many([(doc_id, band_hashes(signature))])

    def add_many(self, originals: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Index newly saved originals, each (id, its `band_hashes`), in one statement."""
        rows = [{"band": band, "document_id": doc_id} for doc_id, bands in originals for band in sorted(set(bands))]
        if rows:
            self.session.connection().execute(_INSERT_BANDS, rows)
