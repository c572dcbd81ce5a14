"""Chinese numerals, Simplified and Traditional, alone or mixed with Arabic digits.

`parse_zh_number("1,100.9亿")` → 110090000000; `"3万4000"` → 34000; `"九万四"` → 94000 (a digit after
the last unit counts one unit lower); `"五亿零六"` → 500000006; `"百分之三十点五"` → 30.5 percent;
`"一百万又五十万分之二十五"` → 1000000.00005. Returns None for a run that is not one number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ZH_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "倆": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
ZH_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
ZH_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
ZH_VAGUE = "多余餘几幾来來"  # 十多万, 500余万, 二十几万 (at least), 40来万 (about)
ZH_POINT = "点點"

DIGIT_CHARS = "".join(ZH_DIGITS)
SMALL_CHARS = "".join(ZH_SMALL_UNITS)
BIG_CHARS = "".join(ZH_BIG_UNITS)

# Percent written as a fraction of a hundred (or thousand, ten thousand) with no numeral before it.
_PERCENT_BASES = {"百": 1.0, "佰": 1.0, "千": 0.1, "仟": 0.1, "万": 0.01, "萬": 0.01}

_ARABIC = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_UNIT_ALONE = {ch: float(v) for ch, v in {**ZH_SMALL_UNITS, **ZH_BIG_UNITS}.items() if v >= 100}
_SPACES = re.compile(r"\s+")
_VAGUE = re.compile(f"[{ZH_VAGUE}]")
_ARABIC_WITH_BIG_UNITS = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<units>[万萬亿億兆]+)")


@dataclass(frozen=True, slots=True)
class ZhNumber:
    value: float
    percent: bool = False  # 百分之五 → 5 (percent)
    vague: bool = False  # 多/余/几 inside: "at least"
    about: bool = False  # 来 inside: 40来万 is "about 400,000"


def parse_zh_number(run: str) -> ZhNumber | None:
    """The value of a run of Chinese and Arabic numerals, or None when it does not read as one."""
    text = _SPACES.sub("", run) if _SPACES.search(run) else run
    if not text:
        return None
    if text == "一半":
        return ZhNumber(0.5)
    if len(text) == 1 and text in _UNIT_ALONE:  # 逾千吨, 数万吨: the unit word alone
        return ZhNumber(_UNIT_ALONE[text])
    quick = _ARABIC_WITH_BIG_UNITS.fullmatch(text)
    if quick:  # the common case by far: 1.1万, 66.75万, 1,100.9亿, 4.78万亿
        value = float(quick["num"].replace(",", ""))
        for ch in quick["units"]:
            value *= ZH_BIG_UNITS[ch]
        return ZhNumber(value)
    vague = _VAGUE.search(text) is not None
    about = "来" in text or "來" in text
    if vague:
        text = _VAGUE.sub("", text)
    if "分之" in text:
        return _fraction(text, vague and not about)
    decimal = _decimal(text)
    if decimal is None:
        return None
    return ZhNumber(decimal, vague=vague and not about, about=about)


def _fraction(text: str, vague: bool) -> ZhNumber | None:
    whole_text, _, fraction_text = text.rpartition("又")
    denominator_text, _, numerator_text = fraction_text.partition("分之")
    numerator = _decimal(numerator_text)
    if numerator is None:
        return None
    if not whole_text and denominator_text in _PERCENT_BASES:
        return ZhNumber(numerator * _PERCENT_BASES[denominator_text], percent=True, vague=vague)
    denominator = _decimal(denominator_text)
    if not denominator:
        return None
    whole = 0.0
    if whole_text:
        parsed = _decimal(whole_text)
        if parsed is None:
            return None
        whole = parsed
    sign = -1.0 if whole < 0 else 1.0
    return ZhNumber(whole + sign * numerator / denominator, vague=vague)


def _decimal(text: str) -> float | None:
    """Integer part by units, then digits after 点 read one by one."""
    for point in ZH_POINT:
        if point in text:
            head, _, tail = text.partition(point)
            scale = 1.0
            while tail and tail[-1] in ZH_BIG_UNITS:  # 一点五亿, 十二点五万
                scale *= ZH_BIG_UNITS[tail[-1]]
                tail = tail[:-1]
            digits = []
            for ch in tail:
                if ch in ZH_DIGITS:
                    digits.append(str(ZH_DIGITS[ch]))
                elif ch.isdigit():
                    digits.append(ch)
                else:
                    return None
            whole = _integer(head) if head else 0.0
            if whole is None or not digits:
                return None
            return (whole + float("0." + "".join(digits))) * scale
    return _integer(text)


_Token = tuple[str, float, bool]  # (kind: num|small|big|zero, value, written as one Chinese digit)


def _tokens(text: str) -> list[_Token] | None:
    out: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            m = _ARABIC.match(text, i)
            if not m:
                return None
            try:
                out.append(("num", float(m.group().replace(",", "")), False))
            except ValueError:
                return None
            i = m.end()
            continue
        if ch in ("零", "〇"):
            out.append(("zero", 0.0, True))
        elif ch in ZH_DIGITS:
            out.append(("num", float(ZH_DIGITS[ch]), True))
        elif ch in ZH_SMALL_UNITS:
            out.append(("small", float(ZH_SMALL_UNITS[ch]), False))
        elif ch in ZH_BIG_UNITS:
            out.append(("big", float(ZH_BIG_UNITS[ch]), False))
        elif ch == "半":
            out.append(("num", 0.5, False))
        else:
            return None
        i += 1
    return out


def _integer(text: str) -> float | None:
    tokens = _tokens(text)
    if not tokens:
        return None
    if all(kind in ("num", "zero") and single for kind, _, single in tokens) and len(tokens) > 1:
        # 二〇二四: digits read one by one, as in years
        return float("".join(str(int(v)) for _, v, _ in tokens))
    return _with_big_units(tokens)


def _with_big_units(tokens: list[_Token]) -> float | None:
    """Split at the largest run of 万/亿/兆 (万亿 and 万万 multiply), then read each side."""
    best_at, best_len, best_mag = -1, 0, 0.0
    i = 0
    while i < len(tokens):
        if tokens[i][0] == "big":
            j, mag = i, 1.0
            while j < len(tokens) and tokens[j][0] == "big":
                mag *= tokens[j][1]
                j += 1
            if mag > best_mag:
                best_at, best_len, best_mag = i, j - i, mag
            i = j
        else:
            i += 1
    if best_at < 0:
        return _small(tokens)
    left, right = tokens[:best_at], tokens[best_at + best_len :]
    if not left:
        return None
    high = _with_big_units(left)
    if high is None:
        return None
    if not right:
        return high * best_mag
    if right[0][0] == "zero":
        low = _with_big_units(right[1:]) if len(right) > 1 else 0.0
    elif len(right) == 1 and right[0][0] == "num" and right[0][2]:
        low = right[0][1] * best_mag / 10  # 九万四 = 94000
    else:
        low = _with_big_units(right)
    if low is None:
        return None
    return high * best_mag + low


def _small(tokens: list[_Token]) -> float | None:
    """Below ten thousand: 一千零五十, 两千三百五, 5千6百, 1千零20."""
    total = 0.0
    pending: _Token | None = None
    last_unit = 0.0
    zero_since_unit = False
    for token in tokens:
        kind, value, _ = token
        if kind == "num":
            if pending is not None:
                return None
            pending = token
        elif kind == "small":
            if last_unit and value >= last_unit:
                return None
            total += (pending[1] if pending is not None else 1.0) * value
            pending = None
            last_unit = value
            zero_since_unit = False
        elif kind == "zero":
            if pending is not None:
                return None
            zero_since_unit = True
        else:
            return None
    if pending is not None:
        if last_unit >= 100 and not zero_since_unit and pending[2]:
            total += pending[1] * last_unit / 10  # 两千三百五 = 2350
        else:
            total += pending[1]
    elif zero_since_unit and not last_unit:
        return 0.0
    return total
