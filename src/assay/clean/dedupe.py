"""Duplicates across a store: exact (sha256 of the clean text) and near (MinHash LSH over shingles).

Shingles are 3-grams of tokens, a token being a Latin word or number, or one Han character, so the
same index serves English (word shingles) and Chinese (character shingles). Signatures are stable
across processes and runs (CRC32 shingle hashes, fixed permutation seed), so a store can keep them.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE = 3
MIN_SHINGLES = 8  # shorter texts are matched exactly only: a few shared words prove nothing
_SEED = 1
CANDIDATE_MARGIN = 0.2
THRESHOLD = 0.8
NUM_PERM = 128
# datasketch's optimal bands x rows for the candidate threshold 0.6 at 128 permutations
BANDS, ROWS = 18, 7
_VALUE = np.uint32  # the affine32 scheme's hash values; an empty signature holds only their maximum
_SCHEME = "affine32"  # datasketch 2 default; named so stored signatures keep their meaning
_TOKENS = re.compile(r"[0-9a-z]+(?:[.,][0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def band_hashes(signature: bytes, num_perm: int = NUM_PERM) -> list[int]:
    """The LSH band keys of a signature, as signed 64-bit integers a database column can index.

    Two documents sharing any band key are near-duplicate candidates (then verified on the whole
    signature); BANDS x ROWS is what datasketch chooses for the candidate threshold, fixed here so
    that keys stored by one version keep their meaning. An empty signature (too short a text) has none.
    """
    values = np.frombuffer(signature, dtype=_VALUE)
    if values.shape[0] != num_perm or bool((values == np.iinfo(_VALUE).max).all()):
        return []
    keys = []
    for band in range(BANDS):
        piece = band.to_bytes(1, "big") + values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(piece, digest_size=8).digest(), "big", signed=True))
    return keys


def signature_similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures of the same length."""
    a, b = np.frombuffer(first, dtype=_VALUE), np.frombuffer(second, dtype=_VALUE)
    if a.shape != b.shape or not a.shape[0]:
        return 0.0
    return int(np.count_nonzero(a == b)) / int(a.shape[0])


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shingles(text: str) -> set[bytes]:
    tokens = _TOKENS.findall(text.lower())
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)}


class DuplicateIndex:
    """Documents seen so far, by exact text hash and by MinHash signature.

    `find` answers the id of an earlier document with the same clean text, else of the most similar
    one whose estimated Jaccard similarity is at least `threshold`, else None.
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._exact: dict[str, int] = {}
        self._signatures: dict[int, np.ndarray] = {}
        # candidates come from a looser band so texts just above the threshold are not missed; each is verified
        self._lsh = MinHashLSH(threshold=max(0.5, threshold - CANDIDATE_MARGIN), num_perm=num_perm)
        template = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)
        self._permutations = template.permutations
        self._empty: np.ndarray = template.hashvalues.copy()
        self._dtype: np.dtype[np.unsignedinteger[Any]] = template.hashvalues.dtype

    def __len__(self) -> int:
        return len(self._exact)

    def signature(self, text: str) -> bytes:
        """The MinHash of a text's shingles as bytes (num_perm unsigned integers)."""
        found = shingles(text)
        if len(found) < MIN_SHINGLES:
            return self._empty.tobytes()
        minhash = MinHash(
            num_perm=self.num_perm, seed=_SEED, hashfunc=zlib.crc32, permutations=self._permutations, scheme=_SCHEME
        )
        minhash.update_batch(list(found))
        values: np.ndarray = minhash.hashvalues
        return values.tobytes()

    def add(self, doc_id: int, text_sha256: str, signature: bytes) -> None:
        self._exact.setdefault(text_sha256, doc_id)
        values = self._values(signature)
        if values is None or doc_id in self._signatures:
            return
        self._signatures[doc_id] = values
        self._lsh.insert(doc_id, self._minhash(values), check_duplication=False)

    def find(self, text_sha256: str, signature: bytes, exclude: frozenset[int] = frozenset()) -> int | None:
        """The original this text duplicates, if any. `exclude`: ids not to take as near-duplicates (a
        source's own earlier version, which its changed text resembles by nature); same text still matches."""
        exact = self._exact.get(text_sha256)
        if exact is not None:
            return exact
        values = self._values(signature)
        if values is None:
            return None
        best: tuple[float, int] | None = None
        for candidate in self._lsh.query(self._minhash(values)):
            if candidate in exclude:
                continue
            similarity = float(np.count_nonzero(self._signatures[candidate] == values)) / self.num_perm
            if similarity >= self.threshold and (best is None or (similarity, -candidate) > (best[0], -best[1])):
                best = (similarity, candidate)
        return best[1] if best else None

    def similarity(self, first: bytes, second: bytes) -> float:
        """Estimated Jaccard similarity of two signatures."""
        a, b = self._values(first), self._values(second)
        if a is None or b is None:
            return 0.0
        return float(np.count_nonzero(a == b)) / self.num_perm

    def _values(self, signature: bytes) -> np.ndarray | None:
        values = np.frombuffer(signature, dtype=self._dtype)
        if values.shape[0] != self.num_perm:
            raise ValueError(f"signature has {values.shape[0]} values, this index uses {self.num_perm}")
        if np.array_equal(values, self._empty):
            return None
        return values

    def _minhash(self, values: np.ndarray) -> MinHash:
        return MinHash(
            num_perm=self.num_perm, seed=_SEED, hashvalues=values, permutations=self._permutations, scheme=_SCHEME
        )
