"""Exact and near-duplicate matching with MinHash LSH, for English and Chinese texts."""

from __future__ import annotations

import hashlib
import random
import zlib

import numpy as np
import pytest
from datasketch import MinHash

from assay.clean.dedupe import (
    BANDS,
    MIN_SHINGLES,
    NUM_PERM,
    ROWS,
    DuplicateIndex,
    band_hashes,
    shingles,
    text_sha256,
)

EN = (
    "China's magnesium ingot exports stood at 22,966 tonnes in October, up 23.4% from September and down "
    "5.6% from a year earlier, according to the General Administration of Customs. Exports from January to "
    "October totalled 229,570 tonnes, an increase of 7.1% year on year. The Netherlands took 6,280 tonnes, "
    "27% of the total, followed by Turkey with 3,196 tonnes and Canada with 2,778 tonnes. Traders said the "
    "rise was far from firm evidence that the export market had fully recovered."
)
ZH = (
    "根据海关更新的统计数据，2019年中国累计出口镁产品45.56万吨，较2018年增长9.47%，达到历史高点；累计出口金额"
    "11.57亿美元，同比增长15.1%。2019年中国镁出口量占到国内镁产量的50%左右，仍然是支撑镁产业持续发展的重要力量。"
    "镁锭出口量累计24.3万吨，同比增长13.45%；镁合金出口量11.3万吨，同比增长0.68%；镁粉出口量8.4万吨。"
)
OTHER = (
    "Flake graphite exports from China stood at 9,423 tonnes in February, a 39% rise year on year, while "
    "imports of natural graphite kept growing as anode makers in Heilongjiang and Inner Mongolia bought "
    "African concentrate to blend with domestic feed."
)


@pytest.fixture
def index() -> DuplicateIndex:
    found = DuplicateIndex()
    for doc_id, text in ((1, EN), (2, ZH), (3, OTHER)):
        found.add(doc_id, text_sha256(text), found.signature(text))
    return found


def test_exact_copy_is_found_by_hash(index: DuplicateIndex) -> None:
    assert index.find(text_sha256(EN), index.signature(EN)) == 1


def test_english_syndicated_copy_with_small_edits_is_near_duplicate(index: DuplicateIndex) -> None:
    edited = "By Metal News staff. " + EN.replace("Traders said", "Market participants said") + " (Reporting: SMM)"
    assert index.find(text_sha256(edited), index.signature(edited)) == 1


def test_chinese_copy_with_small_edits_is_near_duplicate(index: DuplicateIndex) -> None:
    edited = "尚镁网讯，" + ZH.replace("重要力量", "重要支撑")
    assert index.find(text_sha256(edited), index.signature(edited)) == 2


def test_different_documents_on_the_same_topic_are_not_duplicates(index: DuplicateIndex) -> None:
    november = EN.replace("22,966", "19,800").replace("October", "November").replace("23.4%", "-13.8%")
    november += " November shipments to Japan fell after a holiday, and smelters in Fugu cut output by a fifth."
    assert index.find(text_sha256(november), index.signature(november)) is None
    unrelated = "Rare earth mining quotas for 2024 were set at 135,000 tonnes in the first batch, up 12.5%."
    assert index.find(text_sha256(unrelated), index.signature(unrelated)) is None


def test_short_texts_match_exactly_only() -> None:
    index = DuplicateIndex()
    index.add(1, text_sha256("Magnesium prices firm."), index.signature("Magnesium prices firm."))
    assert index.find(text_sha256("Magnesium prices firm!"), index.signature("Magnesium prices firm!")) is None
    assert index.find(text_sha256("Magnesium prices firm."), index.signature("x")) == 1


def test_signatures_are_stable_across_indexes() -> None:
    assert DuplicateIndex().signature(EN) == DuplicateIndex().signature(EN)
    assert len(DuplicateIndex(num_perm=64).signature(EN)) * 2 == len(DuplicateIndex().signature(EN))


def test_signature_of_another_size_is_refused(index: DuplicateIndex) -> None:
    with pytest.raises(ValueError, match="64 values"):
        index.find("none", DuplicateIndex(num_perm=64).signature(EN))


def test_shingles_are_words_for_english_and_characters_for_chinese() -> None:
    assert b"exports stood at" in shingles("Exports stood at 22,966 tonnes")
    assert "镁 锭 出".encode() in shingles("镁锭出口量")
    assert b"22,966 tonnes in" in shingles("at 22,966 tonnes in October")


def _datasketch_signature(index: DuplicateIndex, text: str) -> bytes:
    """The signature as datasketch computes it: its MinHash over the set of shingles."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return np.full(index.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32).tobytes()
    minhash = MinHash(
        num_perm=index.num_perm, seed=1, hashfunc=zlib.crc32, permutations=index._permutations, scheme="affine32"
    )
    minhash.update_batch(list(found))
    values: np.ndarray = minhash.hashvalues
    return values.tobytes()


def _numpy_band_hashes(signature: bytes) -> list[int]:
    """The band keys read band by band off the signature's values (how they were first computed)."""
    values = np.frombuffer(signature, dtype=np.uint32)
    if bool((values == np.iinfo(np.uint32).max).all()):
        return []
    keys = []
    for band in range(BANDS):
        piece = band.to_bytes(1, "big") + values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(piece, digest_size=8).digest(), "big", signed=True))
    return keys


def _texts() -> list[str]:
    rng = random.Random(7)
    words = ["magnesium", "镁", "9.5", "1,000", "a", "the", "稀土", "Mg", "\u0130", "\u212a", "exports", "\n"]
    texts = [EN, ZH, OTHER, EN + ZH, "", "x", "word " * 5000]
    for count in range(40):  # around MIN_SHINGLES: repeats make fewer distinct shingles than places
        texts += [" ".join(rng.choice(words[: 2 + count % 10]) for _ in range(count)) for _ in range(6)]
    return texts


def test_signature_and_band_keys_equal_datasketch_and_the_first_computation() -> None:
    # duplicate decisions depend on these bytes being what stored signatures were made with
    for index in (DuplicateIndex(), DuplicateIndex(num_perm=64)):
        for text in _texts():
            signature = index.signature(text)
            assert signature == _datasketch_signature(index, text), text[:40]
            if index.num_perm == NUM_PERM:
                assert band_hashes(signature) == _numpy_band_hashes(signature), text[:40]


def test_long_text_signature_is_computed_in_pieces_alike() -> None:
    text = " ".join(f"w{n % 9001} v{n % 7}" for n in range(30_000))  # more shingles than one matrix holds
    assert DuplicateIndex().signature(text) == _datasketch_signature(DuplicateIndex(), text)
