"""Commodity families of a document: from the commodities its facts and events name, else from its words.

families_of(["magnesium_ingot"])             # ("magnesium",)
keyword_families(title, clean_text)          # for a document without facts: one scan of its text
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import ahocorasick

from assay.vocab import ancestors, commodities, read_rows

MIN_SYMBOL_CHARS = 4  # shortest Latin wording the keyword scan trusts
EXTRA_WORDINGS = "commodity_wordings.csv"  # more surface forms per commodity, beside commodities.csv
# Top-level commodities of the vocabulary, grouped into the families a summary reports.
FAMILY_OF_ROOT = {
    "magnesite": "magnesia",
    "magnesia": "magnesia",
    "magnesium": "magnesium",
    "graphite": "graphite",
    "synthetic_graphite": "graphite",
    "rare_earths": "rare_earths",
    "rare_earth_magnets": "magnets",
    "ferrite_magnets": "magnets",
}


def families_of(commodity_ids: Iterable[str]) -> tuple[str, ...]:
    """The summary families (magnesia, magnesium, graphite, rare_earths, magnets) of vocabulary ids."""
    found: set[str] = set()
    for commodity_id in commodity_ids:
        chain = ancestors(commodity_id)
        if chain:
            found.add(FAMILY_OF_ROOT.get(chain[-1], chain[-1]))
    return tuple(sorted(found))


def keyword_families(title: str | None, text: str) -> tuple[str, ...]:
    """Families whose vocabulary wordings occur in the text, for documents without facts.

    One Aho-Corasick pass over the lower-cased text; Latin wordings must not sit inside a word, and
    four-letter ones (SmCo) count only as written.
    """
    haystack = f"{title or ''}\n{text}"
    lowered = haystack.lower()
    same_length = len(lowered) == len(haystack)  # lower() lengthens a few letters (İ); then case is not checked
    automaton, total = _family_automaton()
    found: set[str] = set()
    for end, entries in automaton.iter(lowered):
        for family, wording in entries:
            if family in found:
                continue
            start = end - len(wording) + 1
            if wording.isascii() and not _stands_alone(lowered, start, end):
                continue
            if len(wording) == MIN_SYMBOL_CHARS and same_length and haystack[start : end + 1] != wording:
                continue
            found.add(family)
        if len(found) == total:
            break
    return tuple(sorted(found))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not inside a longer word; a plural "s" may follow (graphite → graphites)."""
    if end + 1 < len(text) and text[end + 1] == "s":
        end += 1
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (_is_latin_word_char(before) or _is_latin_word_char(after))


def _is_latin_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


@cache
def _family_automaton() -> tuple[Any, int]:
    """An automaton from lower-cased wordings to their (family, wording) pairs, and the number of families."""
    entries: dict[str, list[tuple[str, str]]] = {}
    wordings = [(c.id, w) for c in commodities().values() for w in c.wordings]
    wordings += [(row["id"], row["wording"]) for row in read_rows(EXTRA_WORDINGS) if row.get("wording")]
    for commodity_id, wording in wordings:
        family = families_of([commodity_id])
        if not family or (wording.isascii() and len(wording.strip()) < MIN_SYMBOL_CHARS):
            continue  # FM, Nd, DBM, REO: too ambiguous in running text without the extractor's context
        pairs = entries.setdefault(wording.strip().lower(), [])
        if (family[0], wording.strip()) not in pairs:
            pairs.append((family[0], wording.strip()))
    automaton = ahocorasick.Automaton()
    for key, pairs in entries.items():
        automaton.add_word(key, pairs)
    automaton.make_automaton()
    return automaton, len({family for pairs in entries.values() for family, _ in pairs})
