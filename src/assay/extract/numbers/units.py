"""The words around a number: currency and approximation before it, multiplier and unit after it.

Each lexicon maps a surface form to what it means; the regexes are built from the lexicons,
longest form first, so that `metric tonnes` wins over `t` and `元/吨` over `元`. Matching is done
by anchored `match(text, pos)` calls at the edges of each number, never by scanning the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assay.model import Approx

INLINE_SPACE = r"[ \t\u00a0\u2009\u202f\u3000]"

# Currency words before a number: `US$2.51 trillion`, `RMB15,949/t`, `Yuan 42,000`.
CURRENCY_PREFIX: dict[str, str] = {
    "us$": "USD",
    "$us": "USD",  # Australian reports: "$US48/kg"
    "$a": "AUD",
    "u.s.$": "USD",
    "u.s$": "USD",
    "us $": "USD",
    "u.s. $": "USD",
    "u.s $": "USD",
    "usd": "USD",
    "us dollars": "USD",
    "$": "USD",
    "c$": "CAD",
    "c $": "CAD",
    "a$": "AUD",
    "hk$": "HKD",
    "nt$": "TWD",
    "s$": "SGD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yn": "CNY",  # trade press ("Yn3,700-4,200/t")
    "人民币": "CNY",
    "人民幣": "CNY",
    "美元": "USD",
    "美金": "USD",
    "港币": "HKD",
    "港幣": "HKD",
    "欧元": "EUR",
    "歐元": "EUR",
    "日元": "JPY",
    "jpy": "JPY",
    "inr": "INR",
    "rs": "INR",
    "aud": "AUD",
    "cad": "CAD",
}

# Currency words after a number: `17.5 trillion Yuan`, `100元`, `8亿元人民币`, `5美元`.
CURRENCY_SUFFIX: dict[str, str] = {
    "us dollars": "USD",
    "us dollar": "USD",
    "u.s. dollars": "USD",
    "u.s. dollar": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "usd": "USD",
    "yuan": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "renminbi": "CNY",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "美元": "USD",
    "美金": "USD",
    "美圆": "USD",
    "元人民币": "CNY",
    "人民币元": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "圆": "CNY",
    "欧元": "EUR",
    "歐元": "EUR",
    "英镑": "GBP",
    "英鎊": "GBP",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
    "港幣": "HKD",
    "块钱": "CNY",
    "塊錢": "CNY",
    "块": "CNY",
    "塊": "CNY",
}

# 元 and 块 name no currency of their own after 港币, 美元 and the like written before the number
GENERIC_YUAN = ("元", "圆", "块", "塊", "块钱", "塊錢")

# Mass units: (FactSpec unit, factor to it). Case matters for Mt (megatonne) against mt (metric ton),
# so the lookup tries the exact form first, then the lower-cased one.
MASS: dict[str, tuple[str, float]] = {
    "Mt": ("t", 1e6),
    "mmt": ("t", 1e6),
    "mln t": ("t", 1e6),
    "metric tonnes": ("t", 1.0),
    "metric tonne": ("t", 1.0),
    "metric tons": ("t", 1.0),
    "metric ton": ("t", 1.0),
    "tonnes": ("t", 1.0),
    "tonne": ("t", 1.0),
    "tons": ("t", 1.0),
    "ton": ("t", 1.0),
    "mts": ("t", 1.0),
    "mt": ("t", 1.0),
    "t": ("t", 1.0),
    "kt": ("t", 1e3),
    "kilotonnes": ("t", 1e3),
    "kilotons": ("t", 1e3),
    "megatonnes": ("t", 1e6),
    "kg": ("kg", 1.0),
    "kgs": ("kg", 1.0),
    "kilograms": ("kg", 1.0),
    "kilogram": ("kg", 1.0),
    "kilos": ("kg", 1.0),
    "lb": ("kg", 0.45359237),
    "lbs": ("kg", 0.45359237),
    "吨": ("t", 1.0),
    "噸": ("t", 1.0),
    "公吨": ("t", 1.0),
    "公噸": ("t", 1.0),
    "公斤": ("kg", 1.0),
    "千克": ("kg", 1.0),
}

# Capacity written as one word: `300,000 tpa`, `2 mtpa`.
RATE_WORDS: dict[str, float] = {
    "tpa": 1.0,
    "tpy": 1.0,
    "t/a": 1.0,
    "t/y": 1.0,
    "t/yr": 1.0,
    "ktpa": 1e3,
    "ktpy": 1e3,
    "kt/a": 1e3,
    "kt/yr": 1e3,
    "mtpa": 1e6,
    "mtpy": 1e6,
    "mt/yr": 1.0,
}

PER_YEAR = (
    "per year",
    "per annum",
    "a year",  # not `a year earlier`: see SUFFIX
    "each year",
    "/year",
    "/yr",
    "/y",
    "/a",
    "p.a.",
    "pa",
    "/年",
    "每年",
    "/ 年",
)

# English multipliers after a number: `1.12 million`, `5bn`, `10k`. `m` and `b` are read only where
# the reading is safe (after a currency, or glued to the digits), see numbers.py.
MULTIPLIER: dict[str, float] = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "trln": 1e12,
    "tn": 1e12,
    "dozen": 12.0,
    "dozens": 12.0,
    "dz": 12.0,
    "dzs": 12.0,
    "doz": 12.0,
    "dozs": 12.0,
    "万": 1e4,
    "萬": 1e4,
    "亿": 1e8,
    "億": 1e8,
}

APPROX_BEFORE: dict[str, Approx] = {
    "about": Approx.ABOUT,
    "around": Approx.ABOUT,
    "approximately": Approx.ABOUT,
    "approx.": Approx.ABOUT,
    "approx": Approx.ABOUT,
    "some": Approx.ABOUT,
    "roughly": Approx.ABOUT,
    "circa": Approx.ABOUT,
    "an estimated": Approx.ABOUT,
    "estimated": Approx.ABOUT,
    "nearly": Approx.UNDER,
    "almost": Approx.UNDER,
    "under": Approx.UNDER,
    "less than": Approx.UNDER,
    "fewer than": Approx.UNDER,
    "below": Approx.UNDER,
    "close to": Approx.UNDER,
    "up to": Approx.UNDER,
    "just under": Approx.UNDER,
    "more than": Approx.OVER,
    "over": Approx.OVER,
    "above": Approx.OVER,
    "exceeding": Approx.OVER,
    "in excess of": Approx.OVER,
    "at least": Approx.OVER,
    "upwards of": Approx.OVER,
    "just over": Approx.OVER,
    "约": Approx.ABOUT,
    "約": Approx.ABOUT,
    "大约": Approx.ABOUT,
    "大約": Approx.ABOUT,
    "大概": Approx.ABOUT,
    "约为": Approx.ABOUT,
    "超过": Approx.OVER,
    "超過": Approx.OVER,
    "超": Approx.OVER,
    "逾": Approx.OVER,
    "多于": Approx.OVER,
    "不少于": Approx.OVER,
    "近": Approx.UNDER,
    "将近": Approx.UNDER,
    "將近": Approx.UNDER,
    "接近": Approx.UNDER,
    "不足": Approx.UNDER,
    "不到": Approx.UNDER,
    "不超过": Approx.UNDER,
    "数": Approx.OVER,  # 数万吨: tens of thousands of tonnes
    "數": Approx.OVER,
}

APPROX_AFTER: dict[str, Approx] = {
    "左右": Approx.ABOUT,
    "上下": Approx.ABOUT,
    "以上": Approx.OVER,
    "多": Approx.OVER,
    "余": Approx.OVER,
    "餘": Approx.OVER,
    "以下": Approx.UNDER,
    "以内": Approx.UNDER,
    "or so": Approx.ABOUT,
    "or more": Approx.OVER,
    "plus": Approx.OVER,
    "or less": Approx.UNDER,
}


def alternation(words: Iterable[str], latin_boundary: bool = True) -> str:
    """A regex alternation of `words`, longest first; latin words must not run into a letter."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        body = re.escape(word).replace(r"\ ", f"{INLINE_SPACE}*")
        if latin_boundary and word[-1].isascii() and word[-1].isalpha():
            body += "(?![A-Za-z])"
        parts.append(body)
    return "(?:" + "|".join(parts) + ")"


def lookup_key(surface: str) -> str:
    """How a matched surface form is looked up: lower case, runs of spaces as one space."""
    return re.sub(f"{INLINE_SPACE}+", " ", surface.strip()).lower()


_MASS_LOWER = {k.lower(): v for k, v in MASS.items() if k != "Mt"}


def mass_unit(surface: str) -> tuple[str, float]:
    """(unit, factor) of a mass word; `Mt` is a megatonne, `mt` and `MT` a metric ton."""
    key = re.sub(f"{INLINE_SPACE}+", " ", surface.strip())
    if key in MASS:
        return MASS[key]
    return _MASS_LOWER.get(key.lower(), ("t", 1.0))


_PER = rf"(?:(?i:per|a|an|each)(?![A-Za-z]){INLINE_SPACE}*|/{INLINE_SPACE}*|每{INLINE_SPACE}*)"
_MASS_RE = alternation(MASS)
# `13,079t a year earlier` is a tonnage a year before, not a capacity
_NOT_A_BASELINE = rf"(?!{INLINE_SPACE}+(?i:earlier|ago|before|previously|prior|on\b|later))"
_PP = (
    r"(?:(?i:percentage[ \t]+points?|percent(?:age)?[ \t]+pts?|pct[ \t]+points?|ppts?|pp|pts)(?![A-Za-z])"
    r"|(?i:basis[ \t]+points?|bps?)(?![A-Za-z])"
    rf"|[个個]{INLINE_SPACE}*百{INLINE_SPACE}*分{INLINE_SPACE}*[点點]|百分[点點])"
)
_PCT = r"(?:%|‰|(?i:per[ \t]?cent|percent|pct|pc)(?![A-Za-z]))"

# What may follow a number (after its multiplier). Alternatives are tried in order: points before
# percent, a rate word before a bare `t`, a currency before a mass.
SUFFIX = re.compile(
    # one line break may stand between a number and its unit: slides and PDFs wrap lines anywhere
    rf"{INLINE_SPACE}*(?:\r?\n{INLINE_SPACE}*)?(?:"
    rf"(?P<pp>{_PP})"
    rf"|(?P<pct>{_PCT})"
    rf"|(?P<rate>{alternation(RATE_WORDS)})"
    r"|(?P<jiao>[角毛](?:钱|錢)?)"
    rf"|(?P<cur>(?i:{alternation(CURRENCY_SUFFIX)}))(?![地石板头田状料砖肉糖])"
    rf"(?:{INLINE_SPACE}*(?P<per>{_PER}(?P<pmass>(?i:{_MASS_RE}))))?"
    rf"|(?P<mass>(?i:{_MASS_RE}))(?:{INLINE_SPACE}*(?P<yr>(?i:{alternation(PER_YEAR)}){_NOT_A_BASELINE}))?"
    rf"|(?P<per2>{_PER}(?P<pmass2>(?i:{_MASS_RE})))"
    r")"
)

# `CNY 445,000 ($72,715) per metric ton`: a price glossed in a second currency inside brackets,
# the mass written once after both. GLOSS_OPEN sits between the two amounts, PER_MASS_AFTER_GLOSS
# after the second; `CNY 445,000 per tonne ($72,715)` is the same statement with the mass first.
GLOSS_OPEN = re.compile(rf"{INLINE_SPACE}*[(（]{INLINE_SPACE}*\Z")
PER_MASS_AFTER_GLOSS = re.compile(rf"{INLINE_SPACE}*[)）]{INLINE_SPACE}*{_PER}(?P<pmass>(?i:{_MASS_RE}))")
GLOSS_CLOSE = re.compile(rf"{INLINE_SPACE}*[)）]")

MULTIPLIER_RE = re.compile(
    # one line break may fall between a number and its multiplier ("RMB 100\nbillion"); see numbers.py
    rf"{INLINE_SPACE}*(?P<newline>\n{INLINE_SPACE}*)?"
    rf"(?P<mult>(?i:{alternation(k for k in MULTIPLIER if k not in ('万', '萬', '亿', '億'))}))"
)

# After a currency prefix, `m` means million: `$5m`, `£3.2m`.
MONEY_M_RE = re.compile(r"(?P<mult>[mM])(?![A-Za-z])")  # $5m, $53.6M

APPROX_AFTER_RE = re.compile(rf"{INLINE_SPACE}*(?P<after>{alternation(APPROX_AFTER)})")

# Everything that may stand before a number: `between about US$`. Matched on the reversed text,
# anchored where the number starts, so that reading backwards costs only the length of the prefix.
REVERSED_PREFIX = re.compile(
    rf"{INLINE_SPACE}*(?P<sign>[-+−]|负|負|(?i:sunim|evitagen)(?![A-Za-z]))?"
    rf"{INLINE_SPACE}*(?:\)?(?P<cur>(?i:{alternation(w[::-1] for w in CURRENCY_PREFIX)}))\(?)?"
    rf"{INLINE_SPACE}*(?P<approx>(?i:{alternation(w[::-1] for w in APPROX_BEFORE if w.isascii())})"
    rf"|{alternation((w[::-1] for w in APPROX_BEFORE if not w.isascii()), latin_boundary=False)})?"
    rf"(?:{INLINE_SPACE}*(?<={INLINE_SPACE})(?P<lead>(?i:neewteb|morf)(?![A-Za-z])))?"
)

RANGE_SEPARATOR = re.compile(
    rf"{INLINE_SPACE}*(?:(?P<dash>[-–—~～〜])|(?P<word>(?i:to|through|and)(?![A-Za-z])|至|到)){INLINE_SPACE}*\Z"
)

FRACTION_WORDS = re.compile(rf"{INLINE_SPACE}+(?:(?i:over|out[ \t]+of)){INLINE_SPACE}+\Z")

CURRENCY_LOOKUP = {lookup_key(k): v for k, v in CURRENCY_PREFIX.items()}
CURRENCY_SUFFIX_LOOKUP = {lookup_key(k): v for k, v in CURRENCY_SUFFIX.items()}
MULTIPLIER_LOOKUP = {k.lower(): v for k, v in MULTIPLIER.items()}
APPROX_BEFORE_LOOKUP = {lookup_key(k): v for k, v in APPROX_BEFORE.items()}
APPROX_AFTER_LOOKUP = {lookup_key(k): v for k, v in APPROX_AFTER.items()}
RATE_LOOKUP = {k.lower(): v for k, v in RATE_WORDS.items()}


def currency_of(surface: str, table: dict[str, str]) -> str:
    key = lookup_key(surface).replace(". ", ".")
    return table.get(key) or table.get(key.replace(" ", ""), "USD")


def _first_chars(words: Iterable[str]) -> str:
    return "".join(sorted({w[0] for w in words} | {w[0].upper() for w in words} | {w[0].lower() for w in words}))


# Characters that can start a unit or an approximation word after a number: a number followed by
# anything else skips those regexes altogether.
_OTHER_SUFFIX_STARTS = ("%", "‰", "per", "percent", "pct", "pc", "pp", "pts", "bp", "basis", "a", "an", "each", "/")
SUFFIX_FIRST_CHARS = _first_chars(
    [*CURRENCY_SUFFIX, *MASS, *RATE_WORDS, *_OTHER_SUFFIX_STARTS, "每", "个", "個", "百", "角", "毛"]
)
APPROX_AFTER_FIRST_CHARS = _first_chars(APPROX_AFTER)
