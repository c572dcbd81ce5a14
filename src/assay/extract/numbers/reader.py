"""Every number, quantity, amount of money, price and percent in a text: `read_quantities(text)`.

How it reads (linear in the text): two compiled regex passes find the numbers themselves (Arabic
digits and Chinese numerals in one pass, English number words in the other); around each number,
anchored regexes read what stands before it (`about`, `US$`, `约`, a sign) and after it (`million`,
`万`, `tonnes per year`, `元/吨`, `%`, `个百分点`, `左右`); a last pass joins ranges (`42,000-42,500`,
`between 3 and 5 per cent`, `525000至535000`) and fractions written with words (`1 over 3`).

Conventions the slot filler relies on:
- `unit` is a FactSpec unit id (`t`, `t/yr`, `kg`, `CNY`, `USD/t`, `CNY/kg`, `%`) or None. Money in a
  currency outside the vocabulary keeps its ISO code (`GBP`, `JPY`, `CAD`), which matches no metric.
- Percentage points are kind POINTS with unit None (`6个百分点`, `2 percentage points`).
- Years, dates, grades, codes and ordinals are still read, as bare numbers (kind NUMBER, unit None):
  a year is never fused with the number after it (`in 2024 135,000 tonnes` is 2024 and 135000 t).
  `number_role(text, q)` tells such labels apart (year, date, grade, code, ordinal).
- `signed` is True only when the text writes the sign (`+50.76%`, `-5000`, `负3.9%`).
- The span covers what was read: approximation word, currency, sign, number, multiplier, unit.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from assay.extract.numbers import units as u
from assay.extract.numbers.chinese import DIGIT_CHARS, ZH_BIG_UNITS, ZH_DIGITS, parse_zh_number
from assay.extract.numbers.english import EN_NUMBER_RUN, parse_en_run
from assay.extract.numbers.quantity_readings import Reading, join_readings, to_quantity
from assay.extract.numbers.roles import NumberRole, number_role
from assay.model import Approx, Quantity

__all__ = ["NumberRole", "Quantity", "number_role", "read_quantities"]

# Full-width digits and signs map one to one, so offsets into the mapped text are offsets into the
# original. The full-width comma is left alone: in Chinese it separates clauses, not thousands.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
        "＋": "+",
        "－": "-",
        "＄": "$",
        "﹪": "%",
    }
)

_FULL_WIDTH_CHAR = re.compile("[\uff04\uff05\uff0b\uff0d\uff0e\uff10-\uff19\ufe6a]")

_D = DIGIT_CHARS
_S = "十拾百佰仟"  # small units; 千 is listed apart because of 千克, 千米, 千瓦
_B = "万萬亿億"
_V = "多余餘几幾来來"
_SP = r"[ \t\u3000]"
_ARABIC = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?![\d,.]\d)"
    r"|\d{1,3}(?: \d{3}){2,}(?![\d,.]\d)"
    # "82 600 tons", "13 885.92 tons": one group after a space, only when a tonnage follows
    r"|(?<![\d.,])\d{1,3} \d{3}(?:\.\d+)?(?=[ \t]?(?:(?i:tons?|tonnes?|metric|kt|mt|t)(?![A-Za-z])|[吨噸]))"
    r"|\d+(?:\.\d+)?"
    r"|(?<![\w.])\.\d+)"
    r"(?:[eE][+-]?\d{1,3}(?![\w.]))?"
)
_ZH_CHAR = rf"(?:[{_D}{_S}{_B}]|千(?![克米瓦伏帕卡])|兆(?![瓦帕赫字]))"
_NUMERAL_RUN = re.compile(
    # the leading lookahead lets the regex engine skip quickly to characters that can start a number
    rf"(?=[\d.{_D}十拾百佰千仟万萬亿億半])(?:{_ARABIC}"
    r"|一半"
    rf"|[{_D}]"
    rf"|[十拾]"
    rf"|[百佰千仟万萬](?={_SP}*(?:[{_D}{_S}{_B}千\d]|分{_SP}*之))"
    rf"|半(?={_SP}*[百成])"
    r"|[百千万萬亿億](?=[吨噸元])"  # 逾千吨, 数万吨, 每万元: the unit word alone is the number
    rf")(?:"
    rf"(?<=[{_D}{_S}{_B}千兆{_V}又之 \t\u3000])(?:{_ARABIC})"
    rf"|{_ZH_CHAR}"
    rf"|[点點](?={_SP}*[{_D}\d]){_SP}*"
    rf"|[{_V}](?={_SP}*[{_S}{_B}千])"
    rf"|又{_SP}*(?=[{_D}{_S}千\d])"
    rf"|分{_SP}*之{_SP}*"
    rf"|(?<=[{_D}{_S}{_B}千兆{_V}\d]){_SP}+(?=[{_S}{_B}千{_V}又]|分{_SP}*之)"
    rf"|(?<=[{_D}{_S}{_B}千兆{_V}]){_SP}+(?=[{_D}点點])"
    rf"|(?<=[{_S}{_B}千]){_SP}+(?=\d+{_SP}*[{_S}{_B}千])"
    rf")*+"
)
_CJK_NUMERAL = re.compile(rf"[{_D}{_S}{_B}千兆{_V}点點又半]|分之")
_POWER = re.compile(r"\^(?P<signs>[-+]*)(?P<exp>\d{1,3})(?!\d)")
_CURRENCY_SIGNS = "$¥€£"
_SLASH_FRACTION = re.compile(r"/(?P<den>\d{1,3})(?![\d/.,])")
_MIXED_FRACTION = re.compile(r"[ \t]+(?P<num>\d{1,3})/(?P<den>\d{1,3})(?![\d/.,])")
_CHENG = re.compile(rf"{_SP}*成(?![本为為交立果功品员員都熟型分材长長绩績就效])(?:{_SP}*(?P<tail>[{_D}]|半))?")
_DOZEN_ZH = re.compile(r"打(?![击擊造破开開通算入响響工压壓出印车車球])")
_VAGUE_AFTER = re.compile(r"[多余餘](?=[吨噸元美人公千万萬亿億个個])")
_SMALL_CHANGE = re.compile(
    rf"(?:(?P<jiao>[\d{_D}])[角毛](?:(?P<fen>[\d{_D}])分)?(?:钱|錢)?|(?P<tail>[\d{_D}])(?![\d{_D}{_S}{_B}千.点點]))"
)
_MASS_OR_MONEY_AFTER = re.compile(
    rf"[ \t]+(?:{u.alternation(['tonnes', 'tonne', 'tons', 'ton', 't', 'mt', 'metric', 'yuan', 'dollars', 'euros'])})"
)
_LATIN_LETTER = re.compile("[A-Za-z]")
_CENTS = re.compile(
    r"[ \t]+(?:and[ \t]+)?(?P<cents>\d{1,2}|[A-Za-z]+(?:[ \t-][A-Za-z]+)?)[ \t]+cents?\b", re.IGNORECASE
)
_SECTION_THEN_YEAR = re.compile(r"\d{1,2}\.(?:19|20)\d\d")
_YEAR_CONTINUES = re.compile(r"[ \t]*(?:年|[-–~至到][ \t]*(?:19|20)\d\d)")
_LABEL_BEFORE = re.compile(r"(?:图|圖|表|(?i:fig\.?|figure|table|chart|section))[ \t]*\Z")
_INLINE_SPACES = " \t\u00a0\u2009\u202f\u3000"
_INLINE_SPACES_OR_BREAK = _INLINE_SPACES + "\r\n"
# `the first three quarters`, `the past two halves`: a count of periods, not a fraction
_PERIOD_COUNT_BEFORE = re.compile(r"(?i)(?:first|last|past|next|previous|consecutive)[ \t]+\Z")
_PERIOD_COUNT_WORD = re.compile(r"(?i)[ \t-]+(?:quarters?|halves)\Z")


def read_quantities(text: str) -> list[Quantity]:
    """Every number in `text`, in order, with value normalised and unit as a FactSpec unit id."""
    if not text:
        return []
    mapped = text.translate(_FULL_WIDTH) if _FULL_WIDTH_CHAR.search(text) else text
    reversed_text = mapped[::-1]
    readings: list[Reading] = []
    consumed = 0
    for core in _cores(mapped):
        if core.start < consumed:
            continue
        reading = _read_around(mapped, reversed_text, core, consumed)
        if reading is None:
            continue
        readings.append(reading)
        consumed = reading.end
    return [to_quantity(text, r) for r in join_readings(mapped, readings)]


class _Core(NamedTuple):
    """A number proper, before the words around it are read."""

    start: int
    end: int
    value: float
    zh: bool = False  # written with Chinese numerals
    percent: bool = False  # 百分之五
    vague: bool = False  # 十多万, 500余万
    about: bool = False  # 40来万


def _cores(text: str) -> list[_Core]:
    """Numbers proper, sorted by start."""
    found: list[_Core] = []
    for m in _NUMERAL_RUN.finditer(text):
        core = m.group()
        if len(core) > 80:
            continue
        zh = _CJK_NUMERAL.search(core) is not None
        if zh:
            parsed = parse_zh_number(core)
            if parsed is None:
                continue
            if core == "一" and not _unit_follows(text, m.end()):
                continue  # 一 inside words (统一, 一些, 进一步) is not a number anyone looks for
            found.append(_Core(m.start(), m.end(), parsed.value, True, parsed.percent, parsed.vague, parsed.about))
        elif _SECTION_THEN_YEAR.fullmatch(core) and _is_section_number(text, m.start(), m.end()):
            dot = core.index(".")
            found.append(_Core(m.start(), m.start() + dot, float(core[:dot])))
            found.append(_Core(m.start() + dot + 1, m.end(), float(core[dot + 1 :])))
        else:
            value = _arabic(core)
            if value is not None:
                found.append(_Core(m.start(), m.end(), value))
    if _has_latin_words(text):
        for m in EN_NUMBER_RUN.finditer(text):
            if m.end() - m.start() > 400:
                continue
            for start, end, value in parse_en_run(m.group()):
                found.append(_period_count(text, _Core(m.start() + start, m.start() + end, value)))
    found.sort(key=lambda core: core.start)
    return found


def _period_count(text: str, core: _Core) -> _Core:
    """`first three quarters` counts quarters (3); `three quarters of output` is 0.75."""
    words = _PERIOD_COUNT_WORD.search(text, core.start, core.end)
    if not words or not _PERIOD_COUNT_BEFORE.search(text[max(0, core.start - 12) : core.start]):
        return core
    head = parse_en_run(text[core.start : words.start()])
    if len(head) != 1:
        return core
    return _Core(core.start, words.start(), head[0][2])


def _is_section_number(text: str, start: int, end: int) -> bool:
    """`图1.2001-2019`, `2.2019年`, `Figure 3.2024`: a section or figure number, then a year."""
    return bool(_YEAR_CONTINUES.match(text, end) or _LABEL_BEFORE.search(text[max(0, start - 8) : start]))


def _has_latin_words(text: str) -> bool:
    """Chinese text without a Latin letter skips the English pass altogether."""
    return _LATIN_LETTER.search(text) is not None


def _unit_follows(text: str, at: int) -> bool:
    return any(p.match(text, at) is not None for p in (u.SUFFIX, _CHENG, _DOZEN_ZH))


def _arabic(core: str) -> float | None:
    try:
        value = float(core.replace(",", ""))  # most numbers: 1,026 or 3.52, one replace
    except ValueError:
        try:
            value = float(
                core.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u2009", "").replace("\u202f", "")
            )
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _read_around(text: str, reversed_text: str, core: _Core, consumed: int) -> Reading | None:
    r = Reading(start=core.start, end=core.end, core_start=core.start, core_end=core.end, value=core.value)
    r.percent = core.percent
    if core.vague:
        r.approx = Approx.OVER
    elif core.about:
        r.approx = Approx.ABOUT
    _read_after_core(text, r, core.zh)
    _read_before(text, reversed_text, r, consumed)
    _read_unit(text, r)
    if not math.isfinite(r.value):
        return None
    return r


def _read_after_core(text: str, r: Reading, zh: bool) -> None:
    """Powers, slash fractions, 成 and 打, multipliers right after the number.

    Each reading is tried only when the next character can start it, since most numbers are
    followed by a space or a unit and the regex calls are the cost per number.
    """
    nxt = text[r.end : r.end + 1]
    if nxt == "^":
        _read_power(text, r)
        return
    core = text[r.core_start : r.core_end]
    # "$630/740 per tonne" is a range of prices, not a fraction of a dollar
    before = text[r.core_start - 1 : r.core_start]
    small_integer = core.isdigit() and len(core) <= 3 and before not in _NO_FRACTION_AFTER
    if nxt == "/" and r.value >= 10 and _SLASH_PRICE.match(text, r.end):
        small_integer = False  # "340/360美元/吨": two quotes, a range
    if nxt in "/ \t" and nxt and small_integer and _read_slash_fraction(text, r):
        if text[r.end : r.end + 1] in _AFTER_CORE_LATIN:
            _read_multiplier(text, r)  # 4 1/2 million
        return
    if zh:
        trailing = 1.0
        for ch in reversed(core.rstrip()):
            if ch not in ZH_BIG_UNITS:
                break
            trailing *= ZH_BIG_UNITS[ch]
        r.scale = trailing
    if nxt in _AFTER_CORE_ZH and nxt and _read_cheng_or_dozen(text, r, core, zh):
        return
    if nxt in _AFTER_CORE_LATIN and nxt:
        _read_multiplier(text, r)


_AFTER_CORE_ZH = "成打 \t\u3000"
_NO_FRACTION_AFTER = frozenset("/$¥€£")
_SLASH_PRICE = re.compile(r"/\d{2,3}[ \t]*(?:美元|元|欧元|歐元|(?i:yuan|dollars|usd|rmb|cny)\b)")
_AFTER_CORE_LATIN = (
    "".join(sorted({w[0] for w in u.MULTIPLIER_LOOKUP} | {w[0].upper() for w in u.MULTIPLIER_LOOKUP})) + " \t\u00a0\n"
)


def _read_power(text: str, r: Reading) -> None:
    power = _POWER.match(text, r.end)
    if not power:
        return
    exponent = int(power["exp"]) * (-1 if power["signs"].count("-") % 2 else 1)
    try:
        r.value = math.copysign(abs(r.value) ** exponent, r.value) if r.value else 0.0
    except (OverflowError, ZeroDivisionError):
        r.value = math.inf
    r.end = power.end()


def _read_slash_fraction(text: str, r: Reading) -> bool:
    """3/4 and 2 1/4 (small numbers only: 2024/25 is a season, 10/20/2025 a date); `$630/740` after a currency
    sign is a price assessment's low and high, not a fraction."""
    slash = _SLASH_FRACTION.match(text, r.end)
    if slash and text[r.core_start - 1 : r.core_start] in _CURRENCY_SIGNS and r.core_start > 0:
        high = int(slash["den"])
        if 10 <= r.value <= high < 10 * r.value:
            r.high = float(high)
            r.end = slash.end()
        return True
    if slash and int(slash["den"]):
        r.value = r.value / int(slash["den"])
        r.end = slash.end()
        return True
    mixed = _MIXED_FRACTION.match(text, r.end)
    if mixed and int(mixed["den"]) and int(mixed["num"]) < int(mixed["den"]):
        r.value = r.value + int(mixed["num"]) / int(mixed["den"])
        r.end = mixed.end()
        return True
    return False


def _read_cheng_or_dozen(text: str, r: Reading, core: str, zh: bool) -> bool:
    """三成 is 30%, 七成六 76%; 一打 is a dozen."""
    cheng = _CHENG.match(text, r.end)
    if cheng and (zh or core.replace(".", "").isdigit()) and r.value <= 10:
        tail = cheng["tail"]
        extra = 0.0 if not tail else 5.0 if tail == "半" else float(ZH_DIGITS[tail])
        r.value = r.value * 10 + extra
        r.percent = True
        r.end = cheng.end()
        return True
    dozen = _DOZEN_ZH.match(text, r.end)
    if dozen and zh:
        r.value *= 12
        r.end = dozen.end()
        return True
    return False


def _read_multiplier(text: str, r: Reading) -> None:
    """million, bn, k, dozen after digits; `b` only glued (1.2b); `m` glued and before a unit
    (1.2m tonnes; after a currency, `$5m`, it is read in _read_unit); 5m alone is five metres."""
    mult = u.MULTIPLIER_RE.match(text, r.end)
    if not mult:
        return
    word = mult["mult"].lower()
    if mult["newline"] and (
        len(word) < 5 or not mult["mult"].islower() or text[mult.end() : mult.end() + 1].isalpha()
    ):  # a wrapped line goes on with a whole lower-case word ("100\nbillion"), not "5\nk" or "5\nMillions"
        return
    glued = mult.start("mult") == r.end
    # "8.5bn. tons", "29m. tons": an abbreviated scale word with its full stop, then the unit
    dot = 1 if text[mult.end() : mult.end() + 1] == "." and _MASS_OR_MONEY_AFTER.match(text, mult.end() + 1) else 0
    if word == "b" and not glued:
        return
    if word == "m" and not (glued and _MASS_OR_MONEY_AFTER.match(text, mult.end() + dot)):
        return
    factor = u.MULTIPLIER_LOOKUP[word]
    r.value *= factor
    r.scale *= factor
    r.end = mult.end() + (dot if len(word) <= 3 else 0)


def _read_before(text: str, reversed_text: str, r: Reading, consumed: int) -> None:
    """Sign, currency, approximation word and `between`/`from`, read backwards from the number."""
    n = len(text)
    m = u.REVERSED_PREFIX.match(reversed_text, n - r.core_start, n - consumed)
    if not m or m.end() == m.start():
        return

    def span_start(group: str) -> int:
        return n - m.end(group)

    sign = m["sign"]
    if sign:
        sign_at = span_start("sign")
        if sign in "-−+" and not _sign_stands_alone(text, sign_at, sign_at + len(sign) < r.core_start):
            sign = None
    if sign:
        r.signed = True
        if sign in "-−负負" or sign.lower() in ("sunim", "evitagen"):  # minus, negative
            r.value = -r.value
        r.start = span_start("sign")
    if m["cur"]:
        r.currency = u.currency_of(m["cur"][::-1], u.CURRENCY_LOOKUP)
        r.start = span_start("cur")
        if text[r.start - 1 : r.start] == "(" and ")" in text[r.start : r.core_start]:
            r.start -= 1  # (Rmb) 5,000/tonne
    if m["approx"]:
        r.approx = u.APPROX_BEFORE_LOOKUP.get(u.lookup_key(m["approx"][::-1]))
        r.start = span_start("approx")
    if m["lead"]:
        r.lead = m["lead"][::-1].lower()


def _sign_stands_alone(text: str, sign_at: int, spaced: bool) -> bool:
    """A dash is a minus sign unless it joins two things: `3-5`, `3 - 5`, `N-52`, `Q1-3`."""
    glued = text[sign_at - 1 : sign_at]
    if glued and (glued.isalnum() or glued in "%)]"):
        return False
    before = text[max(0, sign_at - 4) : sign_at].rstrip(" \t")
    if before and (before[-1].isdigit() or before[-1] in "%)]"):
        return False
    # `- 10 k` is a negative number only where nothing but punctuation stands before the sign
    return not (spaced and before and before[-1] not in "([:;,=")


def _read_unit(text: str, r: Reading) -> None:
    """Unit after the number (and its multiplier), then approximation words after the unit."""
    if not r.percent:
        if r.currency and text[r.end : r.end + 1] in ("m", "M"):
            m_mult = u.MONEY_M_RE.match(text, r.end)
            if m_mult:
                r.value *= 1e6
                r.scale *= 1e6
                r.end = m_mult.end()
        nxt = _next_visible(text, r.end)
        if nxt in "多余餘" and nxt:
            vague = _VAGUE_AFTER.match(text, r.end)
            if vague:
                r.approx = Approx.OVER
                r.end = vague.end()
                nxt = _next_visible(text, r.end)
        if nxt in u.SUFFIX_FIRST_CHARS and nxt:
            m = u.SUFFIX.match(text, r.end)
            if m:
                _apply_suffix(r, m)
                if m["cur"] and m["cur"].lower().startswith("dollar") and not m["per"]:
                    _read_cents(text, r)
                if m["cur"] in u.GENERIC_YUAN and not m["per"]:
                    _read_small_change(text, r, colloquial=m["cur"] in ("块", "塊"))
    nxt = _next_visible(text, r.end)
    if nxt in u.APPROX_AFTER_FIRST_CHARS and nxt:
        _read_approx_after(text, r)


def _read_small_change(text: str, r: Reading, colloquial: bool) -> None:
    """3元5角, 三块五毛, 一块五 (only after 块): tenths (and hundredths) of a yuan after the yuan."""
    change = _SMALL_CHANGE.match(text, r.end)
    if not change or (change["tail"] and not colloquial):
        return
    jiao = change["jiao"] or change["tail"]
    r.value += _digit_value(jiao) / 10 + (_digit_value(change["fen"]) / 100 if change["fen"] else 0.0)
    r.end = change.end()


def _read_cents(text: str, r: Reading) -> None:
    """one dollar and fifty cents, 3 dollars 25 cents."""
    cents = _CENTS.match(text, r.end)
    if not cents:
        return
    words = cents["cents"]
    pieces = parse_en_run(words) if not words.isdigit() else [(0, len(words), float(words))]
    if len(pieces) == 1 and pieces[0][1] == len(words) and pieces[0][2] < 100:
        r.value += pieces[0][2] / 100
        r.end = cents.end()


def _digit_value(ch: str) -> float:
    return float(ch) if ch.isdigit() else float(ZH_DIGITS[ch])


def _next_visible(text: str, at: int) -> str:
    """The first character at or after `at` that is not an inline space (or '' at the end)."""
    nxt = text[at : at + 1]
    if nxt in _INLINE_SPACES_OR_BREAK and nxt:
        return text[at : at + 8].lstrip(_INLINE_SPACES_OR_BREAK)[:1]
    return nxt


def _apply_suffix(r: Reading, m: re.Match[str]) -> None:
    if m["pp"]:
        r.points = True
        if m["pp"].lower().startswith(("basis", "bp")):
            r.value /= 100
    elif m["pct"]:
        r.percent = True
        if m["pct"] == "‰":
            r.value /= 10
    elif m["rate"]:
        r.mass = ("t", u.RATE_LOOKUP.get(u.lookup_key(m["rate"]), 1.0))
        r.per_year = True
    elif m["jiao"]:
        r.currency = r.currency or "CNY"
        r.value /= 10  # 五毛钱 = 0.5 yuan
    elif m["cur"]:
        if not (r.currency and m["cur"] in u.GENERIC_YUAN):  # 港币100元 stays in HKD
            r.currency = u.currency_of(m["cur"], u.CURRENCY_SUFFIX_LOOKUP)
        if m["pmass"]:
            r.per_mass = u.mass_unit(m["pmass"])
    elif m["mass"]:
        r.mass = u.mass_unit(m["mass"])
        r.per_year = bool(m["yr"])
    elif m["pmass2"]:
        r.per_mass = u.mass_unit(m["pmass2"])
        if not r.currency and not m["pmass2"].isascii():
            r.currency = "CNY"  # 报价2.3-2.35万/吨: a Chinese quote per tonne without 元 is in yuan
    else:
        return
    r.end = m.end()


def _read_approx_after(text: str, r: Reading) -> None:
    after = u.APPROX_AFTER_RE.match(text, r.end)
    if after and (r.approx is None or after["after"] in ("左右", "上下")):
        word = after["after"]
        if word in ("多", "余", "餘") and not (r.mass or r.currency or r.percent):
            return
        r.approx = u.APPROX_AFTER_LOOKUP.get(u.lookup_key(word), r.approx)
        r.end = after.end()
