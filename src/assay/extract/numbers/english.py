"""English number words: `one hundred and twenty`, `a million`, `two-thirds`, `half a dozen`,
`nine point nought four`, `one hundred and three and two thirds`.

`EN_NUMBER_RUN` finds runs of number words; `parse_en_run` turns a run into one or more numbers
(a run such as `between two and three` holds two), each with its offsets inside the run.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0,
    "naught": 0,
    "nought": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
DOZENS = ("dozen", "dozens", "dz", "dzs", "doz", "dozs")

_ORDINAL_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
# Denominators of fractions; `first` and `second` only inside compounds (`twenty-first`), since
# `a second plant` is not a half.
ORDINALS: dict[str, int] = {
    **{k: v for k, v in _ORDINAL_UNITS.items() if k not in ("first", "second")},
    "half": 2,
    "halves": 2,
    "quarter": 4,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 10**3,
    "millionth": 10**6,
    "billionth": 10**9,
    "trillionth": 10**12,
}


def _ordinal_value(word: str) -> int | None:
    if word in ORDINALS:
        return ORDINALS[word]
    if word.endswith("s") and word[:-1] in ORDINALS:
        return ORDINALS[word[:-1]]
    if word in _ORDINAL_UNITS:
        return _ORDINAL_UNITS[word]
    if word.endswith("s") and word[:-1] in _ORDINAL_UNITS:
        return _ORDINAL_UNITS[word[:-1]]
    return None


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_CARD = _alt([*UNITS, *TENS])
_SCALE = _alt(list(SCALES))
_ORD = _alt([f"{w}s" for w in ORDINALS if w not in ("half", "halves")] + list(ORDINALS))
_TENS = _alt(list(TENS))
_COMPOUND_ORD = rf"(?:{_TENS})(?:[ \t]*-[ \t]*|[ \t]+)(?:firsts?|seconds?|{_ORD})"
_WORD = rf"(?:{_COMPOUND_ORD}|{_CARD}|{_SCALE}|{_ORD}|{_alt(list(DOZENS))})\b"
_SEP = rf"(?:[ \t]*-[ \t]*|[ \t]+(?:and[ \t]+(?:an?[ \t]+)?|point[ \t]+|an?[ \t]+(?=dozen|{_SCALE}))?)"

EN_NUMBER_RUN = re.compile(
    # the lookahead on first letters lets the regex engine skip most words quickly
    rf"\b(?=[oOtTfFsSeEnNzZaAhH])(?:"
    rf"(?:an?[ \t]+)(?=(?:{_SCALE}|dozen|{_ORD}|{_TENS})\b)(?:{_WORD})"
    rf"|(?:{_CARD})\b"
    rf"|half(?=[ \t]+(?:an?|of)\b)"
    rf")(?:{_SEP}{_WORD})*+",
    re.IGNORECASE,
)

_TOKEN = re.compile(r"[A-Za-z]+")
_MAX_GROUP = 12  # words tried together when a run does not read as one number (keeps it linear)

Piece = tuple[int, int, float]  # start and end inside the run, value
_Group = list[tuple[str, int, int]]  # words between two `and`: (word, start, end)


def parse_en_run(run: str) -> list[Piece]:
    """The numbers of one run of number words, with their offsets inside the run."""
    words = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(run)]
    if words and words[0][0] == "half" and len(words) >= 3 and words[1][0] == "a" and words[2][0] in DOZENS:
        rest = parse_en_run(run[words[2][2] :]) if len(words) > 3 else []
        return [(words[0][1], words[2][2], 6.0), *((s + words[2][2], e + words[2][2], v) for s, e, v in rest)]
    # split at `and` into groups, then decide which groups belong to one number
    groups: list[_Group] = [[]]
    for word in words:
        if word[0] == "and":
            groups.append([])
        else:
            groups[-1].append(word)
    pieces: list[Piece] = []
    chain: list[_Group] = []
    for group in groups:
        if not group:
            continue
        if chain and _joins(chain, group, groups[-1]):
            chain.append(group)
            continue
        if chain:
            pieces.extend(_read_chain(chain))
        chain = [group]
    if chain:
        pieces.extend(_read_chain(chain))
    return pieces


def _is_fraction(group: _Group) -> bool:
    """Ends in a denominator (`two thirds`), or in one and a scale word (`a half million`)."""
    words = [w for w, _, _ in group]
    if len(words) >= 2 and words[-1] in SCALES:
        words = words[:-1]
    return _ordinal_value(words[-1]) is not None and words[-1] not in ("first", "second")


def _joins(chain: list[_Group], group: _Group, final: _Group) -> bool:
    last = chain[-1][-1][0]
    if last in SCALES and _cardinal([w for w, _, _ in group]) is not None:
        return True  # one hundred and six
    if group[0][0] in ("a", "an") and _is_fraction(group):
        return True  # one and a half
    # twenty and three and three fifths: a chain that ends in a fraction adds up
    return bool(final) and _is_fraction(final)


def _read_chain(chain: list[_Group]) -> list[Piece]:
    """Groups joined by `and`: a cardinal continued after a scale word, or parts to add up."""
    parts: list[list[str]] = []
    for i, group in enumerate(chain):
        words = [w for w, _, _ in group]
        if i and chain[i - 1][-1][0] in SCALES and words[0] not in ("a", "an") and parts:
            if _is_fraction(group) and group[-1][0] in ("quarter", "quarters", "half", "halves"):
                parts.append(words)
            else:
                parts[-1].extend(["and", *words])
        else:
            parts.append(words)
    scale = 1.0
    last = parts[-1]
    if len(parts) > 1 and len(last) >= 2 and last[-1] in SCALES and _ordinal_value(last[-2]) is not None:
        scale = SCALES[last[-1]]  # one and a half million = 1.5 million
        parts[-1] = last[:-1]
    total = 0.0
    for words in parts:
        value = _value(words)
        if value is None:
            return _split(chain)
        total += value
    return [(chain[0][0][1], chain[-1][-1][2], total * scale)]


def _split(chain: list[_Group]) -> list[Piece]:
    """Read words that do not form one number as several, longest valid prefix first."""
    words = [w for group in chain for w in group]
    out: list[Piece] = []
    i = 0
    while i < len(words):
        for k in range(min(len(words), i + _MAX_GROUP), i, -1):
            value = _value([w for w, _, _ in words[i:k]])
            if value is not None:
                out.append((words[i][1], words[k - 1][2], value))
                i = k
                break
        else:
            i += 1
    return out


def _value(words: list[str]) -> float | None:
    if not words:
        return None
    if words in (["half"], ["halves"]):
        return 0.5
    if len(words) >= 2 and (words[-1] in SCALES or words[-1] in DOZENS):
        # half a million, a half million, two thirds of a dozen: a fraction of a scale word
        head = words[:-2] if words[-2] in ("a", "an") else words[:-1]
        if head and _ordinal_value(head[-1]) is not None:
            fraction = _value(head)
            scale = SCALES.get(words[-1], 12)
            return fraction * scale if fraction is not None else None
    if "point" in words:
        at = words.index("point")
        whole = _cardinal(words[:at]) if at else 0.0
        digits = _digits(words[at + 1 :])
        if whole is None or digits is None:
            return None
        return whole + float("0." + digits)
    if _ordinal_value(words[-1]) is not None:
        return _fraction(words)
    return _cardinal(words)


def _digits(words: list[str]) -> str | None:
    """After `point`: each word (or tens-unit pair) gives its digits: zero three → 03."""
    out = ""
    i = 0
    while i < len(words):
        word = words[i]
        if word in TENS and i + 1 < len(words) and words[i + 1] in UNITS and UNITS[words[i + 1]] < 10:
            out += str(TENS[word] + UNITS[words[i + 1]])
            i += 2
            continue
        if word in UNITS:
            out += str(UNITS[word])
        elif word in TENS:
            out += str(TENS[word])
        else:
            return None
        i += 1
    return out or None


def _fraction(words: list[str]) -> float | None:
    denominator_word = words[-1]
    base = _ordinal_value(denominator_word)
    if base is None:
        return None
    head = words[:-1]
    denominator = float(base)
    unit_ordinal = base < 10 and denominator_word.rstrip("s") not in ("half", "halve", "quarter")
    if unit_ordinal and len(head) > 1 and head[-1] in TENS and head[-2] != "and":
        denominator = TENS[head[-1]] + base  # one hundred thirty fifths = 100/35
        head = head[:-1]
    elif (
        unit_ordinal
        and head
        and (head[-1] in ("hundred", "thousand") or (head[-1] == "and" and head[-2:-1] in (["hundred"], ["thousand"])))
    ):
        scale_at = len(head) - 1 if head[-1] != "and" else len(head) - 2
        if scale_at >= 2 and head[scale_at - 1] in UNITS:
            denominator = UNITS[head[scale_at - 1]] * SCALES[head[scale_at]] + base  # one one hundred fifth
            head = head[: scale_at - 1]
    elif denominator_word.startswith(("first", "second")):
        return None
    if not head:
        return None
    numerator = _cardinal(head)
    if numerator is None:
        return None
    return numerator / denominator


def _cardinal(words: list[str]) -> float | None:
    """one hundred and sixty-one; two hundred and two thousand; a million; three dozens."""
    if words in (["a"], ["an"]):
        return 1.0
    total = 0.0
    current = 0.0
    last_small = 0.0
    previous = ""  # kind of the previous word: unit, tens, scale, a
    seen = False
    for i, word in enumerate(words):
        if word in ("a", "an"):
            if i != 0:
                return None
            previous = "a"
            continue
        if word == "and":
            continue
        if word in UNITS:
            value = UNITS[word]
            if previous == "unit" or (previous == "tens" and value >= 10):
                return None
            current += value
            last_small = value if previous != "tens" else last_small + value
            previous = "unit"
        elif word in TENS:
            if previous in ("unit", "tens"):
                return None
            current += TENS[word]
            last_small = TENS[word]
            previous = "tens"
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
            last_small = 0.0
            previous = "scale"
        elif word in DOZENS:
            small = last_small or 1.0
            current = current - last_small + small * 12
            last_small = 0.0
            previous = "scale"
        else:
            return None
        seen = True
    if not seen:
        return None
    return total + current
