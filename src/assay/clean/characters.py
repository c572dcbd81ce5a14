"""Characters: bytes to str (declared charset, BOMs, UTF-8, then detection for GBK/GB18030, Big5, ...)
and text normalisation (NFKC, line endings, invisible characters, whitespace, words hyphenated at
line ends). Line structure is kept on purpose: one paragraph or table row per line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

# GBK is a subset of GB18030: decoding with the superset never loses a character GBK has.
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_DETECT_SAMPLE = 256 * 1024


class NotText(ValueError):
    """The bytes are not text in any encoding we can tell."""


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises NotText for binary data."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(name, errors="replace"), name)
    if b"\x00" in data[:4096]:
        raise NotText("binary data (NUL bytes)")
    candidates: list[str | None] = [_normal_name(declared)] if declared else []
    candidates.append("utf-8")
    for candidate in candidates:
        if candidate is None:
            continue
        try:
            return _checked(data.decode(candidate), candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return _checked(*_detect(data))


def declared_in_markup(head: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag or XML prolog, if any."""
    match = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", head, re.IGNORECASE)
    if not match:
        match = re.search(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""", head, re.IGNORECASE)
    return match.group(1).decode("ascii").lower() if match else None


def _normal_name(name: str | None) -> str | None:
    if not name:
        return None
    lowered = name.strip().lower()
    try:
        canonical = codecs.lookup(_ALIASES.get(lowered, lowered)).name
    except LookupError:
        return None
    return _ALIASES.get(canonical, canonical)


# Encodings the detector confuses on short texts. Our documents are Chinese or Western: a
# Korean or Japanese reading loses to a Chinese one that reads as everyday Chinese, and a
# Central European or Baltic reading of Latin letters loses to Windows-1252 (also what browsers
# assume for a page that declares no charset).
_EAST_ASIAN = ("gb18030", "big5hkscs", "cp949", "euc_kr", "johab", "shift_jis", "shift_jis_2004", "cp932")
_EAST_ASIAN_PREFIXES = ("euc_j", "iso2022", "shift_jis", "big5", "utf_16", "utf-16")
_CHINESE = ("gb18030", "big5hkscs")
EVERYDAY_CHINESE_SHARE = 0.8
_WESTERN = "cp1252"
_PUNCTUATION = re.compile("[\u2000-\u206f\u3000-\u303f\uff00-\uffef\u00a0-\u00bf]")


def _detect(data: bytes) -> tuple[str, str]:
    sample = data[:_DETECT_SAMPLE]
    best = charset_normalizer.from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise NotText("binary data (no text encoding fits)")
    name = _normal_name(best.encoding) or best.encoding
    text = data.decode(name, errors="replace")
    if name in _EAST_ASIAN or name.startswith(_EAST_ASIAN_PREFIXES):
        name = _likely_chinese(sample) or name
    elif name != _WESTERN and _latin_letters_only(text) and _decodes(sample, _WESTERN):
        name = _WESTERN
    return data.decode(name, errors="replace"), name


def _likely_chinese(sample: bytes) -> str | None:
    """GB18030 or Big5 when one decodes the bytes into mostly everyday characters (each encoding's
    first level, its most frequent characters); a wrong reading scatters into rare ones."""
    best: tuple[float, str] | None = None
    for name in _CHINESE:
        text = _strict(sample, name)
        if text is None:
            continue
        # punctuation and letters both encodings share say nothing; kana or private-use characters
        # in a "Chinese" reading count against it
        scored = [char for char in text if ord(char) > 127 and not _PUNCTUATION.match(char)]
        if not scored:
            continue
        share = sum(1 for char in scored if _everyday(char, name)) / len(scored)
        if share >= EVERYDAY_CHINESE_SHARE and (best is None or share > best[0]):
            best = (share, name)
    return best[1] if best else None


def _everyday(char: str, encoding: str) -> bool:
    """In the first level of GB2312 (lead bytes B0-D7) or of Big5 (A4-C6)."""
    try:
        if encoding == "gb18030":
            return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
        return 0xA4 <= char.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _strict(sample: bytes, encoding: str) -> str | None:
    # a sample cut mid-character must not disqualify the right encoding
    for trim in range(4):
        try:
            return sample[: len(sample) - trim].decode(encoding)
        except UnicodeDecodeError:
            if len(sample) < _DETECT_SAMPLE:
                return None
    return None


def _decodes(sample: bytes, encoding: str) -> bool:
    return _strict(sample, encoding) is not None


def _latin_letters_only(text: str) -> bool:
    """Every letter outside ASCII is a Latin letter (é, č, ł...): a Western script, not Cyrillic or Greek."""
    return all(
        unicodedata.name(char, "").startswith("LATIN") for char in set(text) if ord(char) > 127 and char.isalpha()
    )


def _checked(text: str, encoding: str) -> tuple[str, str]:
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise NotText("binary data (control characters)")
    return text, encoding


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b]")
_INNER_TABS = re.compile(r"(?<=\S)[ ]*\t[\t ]*(?=\S)")
_SPACES = re.compile(r"[ \t\u3000]{2,}|[\t\u3000]")  # single spaces, the common case, are left alone
_LINE_EDGES = re.compile(r" \n ?|\n ")
_BLANK_RUNS = re.compile(r"\n{3,}")
_HYPHENATED = re.compile(r"(?<=[A-Za-z]{2})-\n(?=[a-z]{2})")
# machine-converted Chinese glosses some characters with their pinyin: 中國(guó), 內(nèi)蒙古
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,6}}\)")


def normalize_text(text: str) -> tuple[str, list[str]]:
    """Return the normalised text and the names of the steps that changed it."""
    steps: list[str] = []
    nfkc = unicodedata.normalize("NFKC", text)
    if nfkc != text:
        steps.append("nfkc")
    text = _INVISIBLE.sub("", nfkc)
    text = _LINE_BREAKS.sub("\n", text).replace("\f", "\n\n")
    text = collapse_whitespace(text)
    joined = _HYPHENATED.sub("", text) if "-\n" in text else text
    if joined != text:
        steps.append("dehyphenate")
    unglossed = _PINYIN_GLOSS.sub("", joined) if "(" in joined else joined
    if unglossed != joined:
        steps.append("pinyin")
    return unglossed, steps


def collapse_whitespace(text: str) -> str:
    """Single spaces inside lines (a tab between cells becomes ` | `), no blank-line runs, no edge blanks."""
    if "\t" in text:
        text = _INNER_TABS.sub(" | ", text)
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()
