"""Exact and near-duplicate matching with MinHash LSH, for English and Chinese texts."""

from __future__ import annotations

import pytest

from assay.clean.dedupe import DuplicateIndex, shingles, text_sha256

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
