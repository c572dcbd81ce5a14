"""Gazetteers: commodities, metric cues, places and companies found in one Aho-Corasick pass.

Text is matched in a normalised copy of the same length (Traditional Chinese folded to
Simplified character by character, Latin letters lower-cased, curly quotes straightened), so
every mention's offsets index the original text. Latin wordings must stand as whole words;
short abbreviations (`Mg`, `US`, `Eu`, `FM`) must also match their case exactly, so that
`us` is not the United States and `EU` is not europium.
"""

from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick
import pycountry
from opencc import OpenCC

from assay.vocab import commodities, places, read_rows

COMMODITY = "commodity"
METRIC = "metric"
GEO = "geo"
COMPANY = "company"

_PUNCT_FOLD = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-", "—": "-", "　": " "})
_FOLDED = tuple((chr(code), straight) for code, straight in _PUNCT_FOLD.items())


def _fold_punctuation(text: str) -> str:
    """`text.translate(_PUNCT_FOLD)`: one fast `replace` per character present (translate looks up every
    character of a Chinese text in a dict; no replacement is itself a character replaced)."""
    for curly, straight in _FOLDED:
        if curly in text:
            text = text.replace(curly, straight)
    return text


_TICKER_CODE = (
    r"\d{6}\.(?:SZ|SH|SS|BJ)|\d{4,5}\.(?:HK|T)|[A-Z]{2,4}\.(?:AX|TO|L|V)|(?:NYSE|NASDAQ|ASX|TSX)[:：][ \t]*[A-Z]{1,5}"
)
_TICKER = re.compile(
    rf"(?P<name>[A-Z][\w&.'-]*(?:[ \t][A-Z&][\w&.'-]*){{0,6}})[ \t]*[(（](?P<ticker>{_TICKER_CODE})[)）]"
)
_ZH_TICKER = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,8})[(（](?P<ticker>\d{6}(?:\.(?:SZ|SH|BJ))?)[)）]")
# the bracketed ticker each of them ends with, alone: where neither is, the names before them are not tried at
# every capital letter and every Chinese character
_TICKER_IN_BRACKETS = re.compile(rf"[(（](?:{_TICKER_CODE})[)）]")
_ZH_TICKER_IN_BRACKETS = re.compile(r"[(（]\d{6}(?:\.(?:SZ|SH|BJ))?[)）]")
_AGENCY = re.compile(r"\s+Geological Survey\b")
_NAME_STOPWORDS = {"co", "ltd", "inc", "corp", "corporation", "company", "limited", "plc", "group", "the", "llc"}


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    value: str
    form: str | None
    original: str
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """A gazetteer hit: `kind` is commodity, metric, geo or company; `value` its id."""

    start: int
    end: int
    kind: str
    value: str
    form: str | None = None


@cache
def _t2s_table() -> dict[int, str]:
    """Traditional → Simplified, one character for one, from OpenCC's own dictionary."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    if not path.exists():
        return table
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1:
                table[ord(parts[0])] = target
    return table


@cache
def _opencc() -> OpenCC:
    return OpenCC("t2s")


_OPENCC_LIMIT = 200_000  # pure-Python OpenCC is slow; longer texts use the character table alone


@cache
def _traditional_characters() -> frozenset[str]:
    """The characters the table changes."""
    return frozenset(chr(code) for code, target in _t2s_table().items() if target != chr(code))


def simplified_by_table(text: str) -> str:
    """`text` with each Traditional character replaced by its Simplified one, alone, out of context."""
    # most text has no Traditional character: a set look-up per character is cheaper than `translate`
    if _traditional_characters().isdisjoint(text):
        return text
    return text.translate(_t2s_table())


def to_simplified(text: str, pieces: dict[str, str] | None = None) -> str:
    """Simplified Chinese of the same length: OpenCC when that keeps the length, else char for char.
    `pieces` keeps what OpenCC made of each piece of text, for texts that share pieces."""
    if text.isascii():  # the table maps no ASCII character: skip a per-character pass
        return text
    by_char = simplified_by_table(text)
    if by_char == text or len(text) > _OPENCC_LIMIT:
        return by_char
    converted = str(_opencc().convert(text)) if pieces is None else _convert_by_piece(text, pieces)
    return converted if len(converted) == len(text) else by_char


def _convert_by_piece(text: str, converted: dict[str, str]) -> str:
    """`OpenCC.convert(text)`, each piece between separators looked up in `converted` first: OpenCC
    converts the pieces one by one, so a statement's pieces are those its document converted. A piece
    with no character any of OpenCC's entries changes is its own conversion (a text mixing Simplified
    and Traditional sentences converts only the Traditional ones)."""
    separators = getattr(_opencc(), "split_chars_re", None)
    if not isinstance(separators, re.Pattern):  # another OpenCC: converted as a whole
        return str(_opencc().convert(text))
    changed = _opencc_changes()
    pieces: list[str] = separators.split(text)  # text, separator, text, ...: the separators stay
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        found = converted.get(piece)
        if found is None:
            unchanged = changed is not None and changed.isdisjoint(piece)
            found = converted[piece] = piece if unchanged else str(_opencc().convert(piece))  # no separator in it
        pieces[index] = found
    return "".join(pieces)


@cache
def _opencc_changes() -> frozenset[str] | None:
    """Every character that an entry of OpenCC's loaded dictionaries changes (None when they cannot be read).

    OpenCC replaces a piece's longest dictionary keys by their first value and leaves the rest as it is;
    a key whose value differs holds, at a position where they differ, a character of this set (all its
    characters when the lengths differ). A piece with none of them is matched only by keys that map to
    themselves: its conversion is the piece itself."""
    opencc = _opencc()
    if not getattr(opencc, "_dict_init_done", False):
        opencc.convert("")  # OpenCC reads its dictionaries on first use
    chain = getattr(opencc, "_dict_chain_data", None)
    if not isinstance(chain, list) or not chain:
        return None
    changed: set[str] = set()
    for group in chain:
        for entry in group if isinstance(group, list) else [group]:
            table = entry[2] if isinstance(entry, tuple) and len(entry) == 3 else None
            if not isinstance(table, dict):
                return None
            for key, value in table.items():
                target = value.split(" ")[0]
                if target == key:
                    continue
                if len(target) != len(key):
                    changed.update(key)
                else:
                    changed.update(k for k, t in zip(key, target, strict=True) if k != t)
    return frozenset(changed)


def normalise(text: str, simplified: str | None = None) -> str:
    """The matching copy of `text`: same length, Simplified, lower case, straight quotes.
    `simplified` is `to_simplified(text)`, when the caller has it already."""
    if text.isascii():  # neither the Simplified table nor the quote folding touches ASCII
        return text.lower()
    folded = _fold_punctuation(to_simplified(text) if simplified is None else simplified)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)


def _is_case_sensitive(wording: str) -> bool:
    letters = [c for c in wording if c.isascii() and c.isalpha()]
    return bool(letters) and len(letters) <= 3 and any(c.isupper() for c in letters)


def _wordings_of_commodities() -> list[tuple[str, str | None, str]]:
    rows: list[tuple[str, str | None, str]] = []
    for commodity in commodities().values():
        for wording in commodity.wordings:
            if "(" not in wording:
                rows.append((commodity.id, None, wording))
    for row in read_rows("commodity_wordings.csv"):
        rows.append((row["id"], row["form"] or None, row["wording"]))
    return rows


def _place_names() -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    for place in places().values():
        names.append((place.code, place.name))
        if place.chinese:
            names.append((place.code, place.chinese))
        if place.code.startswith("CN-") and ":" not in place.code and len(place.chinese) >= 2:
            names.append((place.code, place.chinese + "省"))
            names.append((place.code, place.name + " Province"))
        if ":" in place.code and len(place.chinese) >= 2:
            names.append((place.code, place.chinese + "市"))
            names.append((place.code, place.chinese + "县"))
            names.append((place.code, place.name + " City"))
            names.append((place.code, place.name + " County"))
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                names.append((country.alpha_2, name))
    for row in read_rows("geo_aliases.csv"):
        names.append((row["code"], row["alias"]))
    return names


def company_slug(name: str) -> str:
    """`Zhenghai Magnetic Materials Co., Ltd.` → `zhenghai-magnetic-materials`."""
    words = re.findall(r"[A-Za-z0-9]+", name.lower())
    kept = [w for w in words if w not in _NAME_STOPWORDS] or words
    if kept:
        return "-".join(kept)
    return re.sub(r"\s+", "", name)


def _companies() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for row in read_rows("companies.csv"):
        slug = row["slug"]
        out.append((slug, row["name"]))
        out.extend((slug, alias.strip()) for alias in row["aliases"].split(";") if alias.strip())
        ticker = row["ticker"].strip()
        if ticker and ("." in ticker or len(ticker) > 2):
            out.append((slug, ticker))
    return out


@cache
def company_commodities() -> dict[str, str]:
    """The main commodity of each known company (`company:jl-mag-rare-earth` → rare_earth_magnets)."""
    return {f"company:{row['slug']}": row["commodity"] for row in read_rows("companies.csv") if row.get("commodity")}


def _add(automaton: ahocorasick.Automaton, entries: dict[str, list[Entry]], entry: Entry) -> None:
    key = normalise(entry.original.strip())
    if not key:
        return
    bucket = entries.setdefault(key, [])
    for i, old in enumerate(bucket):
        if (old.kind, old.value, old.case_sensitive) == (entry.kind, entry.value, entry.case_sensitive):
            if old.form is None and entry.form is not None:
                bucket[i] = entry  # a wording listed twice keeps the form it names
            return
    bucket.append(entry)
    automaton.add_word(key, (key, bucket))


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    entries: dict[str, list[Entry]] = {}
    for cid, form, wording in _wordings_of_commodities():
        _add(automaton, entries, Entry(COMMODITY, cid, form, wording, _is_case_sensitive(wording)))
    for row in read_rows("metric_cues.csv"):
        _add(automaton, entries, Entry(METRIC, row["metric"], None, row["cue"], False))
    for code, name in _place_names():
        _add(automaton, entries, Entry(GEO, code, None, name, _is_case_sensitive(name) or name == "US"))
    for slug, name in _companies():
        _add(automaton, entries, Entry(COMPANY, f"company:{slug}", None, name, _is_case_sensitive(name)))
    automaton.make_automaton()
    return automaton


# Called several times per automaton hit: a frozenset lookup costs no Python frame.
# Same truth value as `c.isascii() and c.isalnum()` for every code point.
_is_word_char = frozenset(string.ascii_letters + string.digits).__contains__


def _case_bounded(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> bool:
    """An upper-case abbreviation run into a lower-case word still stands apart: `DivergenceUS:`.
    `lo` and `hi` bound the span of `text` being read, as if it were the whole text."""
    hi = len(text) if hi is None else hi
    left = start == lo or not _is_word_char(text[start - 1]) or (text[start - 1].islower() and text[start].isupper())
    right = end >= hi or not _is_word_char(text[end]) or (text[end - 1].isupper() and text[end].islower())
    return left and right


@cache
def _wording_spans_lines() -> bool:
    return any("\n" in key for key in _automaton())  # an Automaton iterates over its keys


def reads_apart(before: str, after: str) -> bool:
    """Whether `find_mentions(before + after)` is `find_mentions(before)` followed by the mentions of
    `find_mentions(after)` moved past `before`, for matching copies that are the two copies joined:
    `before` ends a line, no wording runs across a line break, and `after` does not open with the
    words that make a place just before it a source ("U.S.\nGeological Survey")."""
    return before.endswith("\n") and not _wording_spans_lines() and not _AGENCY.match("\n" + after)


def find_mentions(text: str) -> list[Mention]:
    """Every gazetteer mention in `text`, leftmost-longest, in text order."""
    if not text:
        return []
    return GazetteerPass(text).mentions()


class GazetteerPass:
    """One Aho-Corasick pass over a text: the mentions of the whole text, or of any span of it as
    `find_mentions` reads that span alone, provided the span's matching copy is the same slice of
    the whole text's (`AnalysedText` checks this). A word boundary at the span's edge counts as
    the edge of the text, so mentions sliced out of one pass equal those of a pass over the span."""

    def __init__(self, text: str, simplified: str | None = None) -> None:
        self.text = text
        self._norm = normalise(text, simplified)
        # (position of the last character, (key, entries)) for every key found, in order of that position
        self._hits: list[tuple[int, tuple[str, list[Entry]]]] = list(_automaton().iter(self._norm))
        self._positions = [at for at, _ in self._hits]  # bisected per span, without a key function

    def mentions(self, lo: int = 0, hi: int | None = None) -> list[Mention]:
        """The mentions of `text[lo:hi]`, with offsets into that span, leftmost-longest, in order."""
        text, norm = self.text, self._norm
        hi = len(text) if hi is None else hi
        if hi <= lo:
            return []
        is_word = _is_word_char
        hits: list[tuple[int, int, Entry]] = []
        first, last = bisect.bisect_left(self._positions, lo), bisect.bisect_left(self._positions, hi)
        for at, (key, bucket) in self._hits[first:last]:
            start, end = at - len(key) + 1, at + 1
            if start < lo:
                continue
            # a key that starts or ends with a letter or digit must not run into the word beside it
            # (a word beyond the span's edge is not beside it); inlined: this runs for every hit
            bounded = not (
                (is_word(key[0]) and start > lo and is_word(norm[start - 1]))
                or (is_word(key[-1]) and end < hi and is_word(norm[end]))
            )
            for entry in bucket:
                if not bounded and not (entry.case_sensitive and _case_bounded(text, start, end, lo, hi)):
                    continue
                if entry.case_sensitive and text[start:end].translate(_PUNCT_FOLD) != entry.original:
                    continue
                if entry.kind == GEO and ((end < hi and text[end] == "$") or _AGENCY.match(text, end, hi)):
                    continue  # US$, HK$: a currency; the U.S. Geological Survey: a source, not a place
                hits.append((start - lo, end - lo, entry))
        return _leftmost_longest(hits, text[lo:hi] if lo or hi != len(text) else text)


def _leftmost_longest(hits: list[tuple[int, int, Entry]], text: str) -> list[Mention]:
    """The mentions chosen among valid hits in `text`, and companies named with a ticker."""
    # leftmost-longest among the valid hits only, so a failed candidate (`eu` in `DivergenceUS`) hides nothing
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[Mention] = []
    taken_end = -1
    taken_span = (-1, -1)
    for start, end, entry in hits:
        if (start, end) == taken_span:
            out.append(Mention(start, end, entry.kind, entry.value, entry.form))
        elif start >= taken_end:
            out.append(Mention(start, end, entry.kind, entry.value, entry.form))
            taken_end, taken_span = end, (start, end)
    # geo_aliases.csv maps wordings that only look like a place (大陆架, 非洲大陆) to `-`: they win the
    # leftmost-longest choice over the place inside them, then are dropped
    out = [m for m in out if not (m.kind == GEO and m.value == "-")]
    companies = _ticker_companies(text)
    if companies:
        spans = [(c.start, c.end) for c in companies]
        known = {(m.start, m.end) for m in out if m.kind == COMPANY}
        out = [m for m in out if m.kind == COMPANY or not any(s <= m.start and m.end <= e for s, e in spans)]
        out.extend(c for c in companies if (c.start, c.end) not in known)
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _ticker_companies(text: str) -> list[Mention]:
    """Companies the gazetteer does not know, named with a stock ticker: `Acme Magnetics (300001.SZ)`."""
    found: list[Mention] = []
    if "(" not in text and "（" not in text:
        return found
    latin, chinese = _TICKER_IN_BRACKETS.search(text), _ZH_TICKER_IN_BRACKETS.search(text)
    if latin is None and chinese is None:
        return found
    listed = _listed_companies()
    for m in _TICKER.finditer(text) if latin else ():
        slug = listed.get(_ticker_code(m["ticker"])) or company_slug(m["name"])
        found.append(Mention(m.start("name"), m.end("name"), COMPANY, f"company:{slug}"))
    for m in _ZH_TICKER.finditer(text) if chinese else ():
        slug = listed.get(_ticker_code(m["ticker"])) or m["name"]  # 中国稀土(000831): the listed company
        found.append(Mention(m.start("name"), m.end("name"), COMPANY, f"company:{slug}"))
    return found


def _ticker_code(ticker: str) -> str:
    """`300748.SZ`, `300748` and `NYSE: MP` all name a listing by its code: `300748`, `MP`."""
    return re.split(r"[.:：]", ticker)[-1 if ":" in ticker or "：" in ticker else 0].strip().upper()


@cache
def _listed_companies() -> dict[str, str]:
    """Slug of each known company by its listing code (`300748` → jl-mag-rare-earth)."""
    return {_ticker_code(row["ticker"]): row["slug"] for row in read_rows("companies.csv") if row["ticker"].strip()}


def commodity_family(commodity_id: str) -> str:
    """The top of a commodity's tree (prnd → rare_earths; ndfeb_magnets → rare_earth_magnets)."""
    table = commodities()
    current = commodity_id
    seen: set[str] = set()
    while current in table and table[current].parent and current not in seen:
        seen.add(current)
        parent = table[current].parent
        assert parent is not None
        current = parent
    return current
