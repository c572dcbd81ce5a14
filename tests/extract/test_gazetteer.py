"""The gazetteers: one pass finds commodities, metric cues, places and companies, with exact offsets."""

from __future__ import annotations

from assay.extract.text.gazetteer import (
    _convert_by_piece,
    _opencc,
    _opencc_changes,
    company_slug,
    find_mentions,
    normalise,
    simplified_by_table,
    to_simplified,
)


def kinds(text: str) -> list[tuple[str, str, str | None, str]]:
    return [(m.kind, m.value, m.form, text[m.start : m.end]) for m in find_mentions(text)]


def test_longest_wording_wins_and_carries_its_form() -> None:
    found = kinds("Chinese magnesium ingot exports")
    assert ("commodity", "magnesium", "ingot", "magnesium ingot") in found
    assert ("geo", "CN", None, "Chinese") in found
    assert ("metric", "exports", None, "exports") in found


def test_chinese_forms_of_one_element() -> None:
    found = kinds("氧化钕和金属钕,镨钕氧化物")
    assert ("commodity", "neodymium", "oxide", "氧化钕") in found
    assert ("commodity", "neodymium", "metal", "金属钕") in found
    assert ("commodity", "prnd", "oxide", "镨钕氧化物") in found


def test_traditional_chinese_keeps_offsets() -> None:
    text = "中國鎂錠出口"
    assert len(to_simplified(text)) == len(text)
    found = kinds(text)
    assert ("commodity", "magnesium", "ingot", "鎂錠") in found
    assert ("geo", "CN", None, "中國") in found


def test_short_abbreviations_match_their_case_only() -> None:
    assert [k for k in kinds("let us see") if k[0] == "geo"] == []
    assert ("geo", "EU", None, "EU") in kinds("exports to EU members")
    assert ("commodity", "europium", None, "Eu") in kinds("Eu and Tb prices")
    assert [k for k in kinds("5 mg of powder") if k[1] == "magnesium"] == []


def test_abbreviation_run_into_a_word_is_still_found() -> None:
    assert ("geo", "US", None, "US") in kinds("Destination DivergenceUS: Shipments fell")


def test_words_must_stand_alone() -> None:
    assert [k for k in kinds("Chinaware and Indianapolis") if k[0] == "geo"] == []


def test_provinces_cities_and_countries() -> None:
    found = kinds("Haicheng in Liaoning Province; 内蒙古包头市; the Netherlands and Türkiye")
    values = {k[1] for k in found}
    assert {"CN-LN:Haicheng", "CN-LN", "CN-NM", "CN-NM:Baotou", "NL", "TR"} <= values


def test_companies_known_and_by_ticker() -> None:
    found = kinds("JL Mag and Acme Magnet Works (688001.SH) and 北方稀土")
    values = [k[1] for k in found if k[0] == "company"]
    assert "company:jl-mag-rare-earth" in values
    assert "company:acme-magnet-works" in values
    assert "company:china-northern-rare-earth" in values


def test_company_slug() -> None:
    assert company_slug("Zhenghai Magnetic Materials Co., Ltd.") == "zhenghai-magnetic-materials"


def test_normalise_keeps_length() -> None:
    for text in ("İstanbul ’s", "ÅNGSTRÖM", "鎂錠 ẞ", ""):
        assert len(normalise(text)) == len(text)


def test_excluded_products_block_the_parent() -> None:
    found = kinds("镁废碎料出口")
    assert ("commodity", "-", None, "镁废碎料") in found
    assert not [k for k in found if k[1] == "magnesium"]


def test_listing_code_names_a_known_company() -> None:
    from assay.extract.text.gazetteer import COMPANY, find_mentions

    values = {m.value for m in find_mentions("中国稀土(000831)与Energy Fuels (NYSE: UUUU)") if m.kind == COMPANY}
    assert values == {"company:china-rare-earth-resources", "company:energy-fuels"}


def test_the_character_table_changes_only_traditional_text() -> None:
    simplified = "稀土出口管制, magnesia"
    assert simplified_by_table(simplified) is simplified  # nothing to change: the text itself, not a copy
    assert simplified_by_table("中國鎂產量") == "中国镁产量"


def test_opencc_pieces_read_once_give_the_whole_conversion() -> None:
    text = "臺灣的鎂產量，乾隆年間。中國稀土出口 2025年"
    pieces: dict[str, str] = {}
    assert to_simplified(text, pieces) == to_simplified(text)
    assert pieces  # the pieces between separators were converted and kept
    statement = "中國稀土出口 2025年"
    kept = dict(pieces)
    assert to_simplified(statement, pieces) == to_simplified(statement)
    assert pieces == kept  # a statement of the text is read from the pieces already converted


def test_pieces_without_a_changed_character_skip_opencc_and_convert_the_same() -> None:
    # Simplified pieces beside Traditional ones, and phrases OpenCC changes through characters its
    # character table leaves alone (瞭解, 反覆, 沈默): each piece as OpenCC converts it alone
    pieces = ["中國鎂產量", "稀土出口管制", "我们瞭解情况", "反覆", "沈默的市场", "什么", "乾隆年間", "镁价 2025"]
    opencc = _opencc()
    for first in pieces:
        for second in pieces:
            text = f"{first}，{second}。{first} {second}"
            kept: dict[str, str] = {}
            assert _convert_by_piece(text, kept) == str(opencc.convert(text)), text
    changes = _opencc_changes()
    assert changes is not None and {"瞭", "覆", "沈", "國"} <= changes and not changes & set("稀土出口管制镁价")
