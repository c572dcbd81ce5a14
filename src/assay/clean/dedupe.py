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
_VALUE_BYTES = np.dtype(_VALUE).itemsize
_EMPTY_VALUE = np.array([np.iinfo(_VALUE).max], dtype=_VALUE).tobytes()
_SCHEME = "affine32"  # datasketch 2 default; named so stored signatures keep their meaning
_SPACE = ord(" ")
_HASHES_AT_ONCE = 4096  # shingles permuted in one numpy matrix (of NUM_PERM columns)
_TOKENS = re.compile(r"[0-9a-z]+(?:[.,][0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def band_hashes(signature: bytes, num_perm: int = NUM_PERM) -> list[int]:
    """The LSH band keys of a signature, as signed 64-bit integers a database column can index.

    Two documents sharing any band key are near-duplicate candidates (then verified on the whole
    signature); BANDS x ROWS is what datasketch chooses for the candidate threshold, fixed here so
    that keys stored by one version keep their meaning. An empty signature (too short a text) has none.
    """
    signature = bytes(signature)
    if len(signature) != num_perm * _VALUE_BYTES or signature == _EMPTY_VALUE * num_perm:
        return []
    width = ROWS * _VALUE_BYTES  # a band's values, as the signature's bytes hold them
    pieces = (band.to_bytes(1, "big") + signature[band * width : (band + 1) * width] for band in range(BANDS))
    return [int.from_bytes(hashlib.blake2b(piece, digest_size=8).digest(), "big", signed=True) for piece in pieces]


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies to each hash before
    its permutations (wrapping uint32 arithmetic, as there)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


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


def _shingle_hashes(text: str) -> list[int]:
    """The CRC32 of every shingle of `text`, in text order, repeats included (a MinHash takes each
    value's minimum, so a repeat changes nothing); empty when the text has fewer than MIN_SHINGLES
    distinct shingles. The tokens are joined and encoded once, and each shingle hashed as a slice of
    that, rather than joined and encoded one by one."""
    tokens = _TOKENS.findall(text.lower())
    count = len(tokens) - SHINGLE + 1
    if count < MIN_SHINGLES:
        return []  # fewer places than MIN_SHINGLES: fewer distinct shingles
    joined = " ".join(tokens).encode()
    # shingle i runs from the start of token i to the space after token i + SHINGLE - 1 (or the end)
    spaces = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == _SPACE)
    starts = [0, *(spaces[: count - 1] + 1).tolist()]
    ends = [*spaces[SHINGLE - 1 :].tolist(), len(joined)]
    hashes = list(map(zlib.crc32, map(joined.__getitem__, map(slice, starts, ends))))
    if len(set(hashes)) < MIN_SHINGLES and len(shingles(text)) < MIN_SHINGLES:
        return []  # (distinct values are distinct shingles; fewer values may still be enough shingles)
    return hashes


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
        """The MinHash of a text's shingles as bytes (num_perm unsigned integers): datasketch's
        `MinHash(hashfunc=zlib.crc32, scheme="affine32").update_batch(shingles)`, computed in one numpy
        pass over the shingles' hashes (`_fmix32`, then each permutation's minimum)."""
        hashes = _shingle_hashes(text)
        if not hashes:
            return self._empty.tobytes()
        mixed = _fmix32(np.array(hashes, dtype=_VALUE))[:, np.newaxis]
        multipliers, offsets = self._permutations
        values: np.ndarray = self._empty.copy()
        for low in range(0, len(hashes), _HASHES_AT_ONCE):  # a long text's matrix in pieces: memory stays flat
            np.minimum(values, (mixed[low : low + _HASHES_AT_ONCE] * multipliers + offsets).min(axis=0), out=values)
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
