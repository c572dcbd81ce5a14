"""The regex that finds periods (one alternation, most specific wording first) and its word tables."""

from __future__ import annotations

import re
from itertools import pairwise

from assay.extract.text.openers import fast_start

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
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
}
CHINESE_MONTHS: dict[str, int] = {
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
CHINESE_QUARTERS: dict[str, int] = {
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
}
FIVE_YEAR_PLANS: dict[str, tuple[int, int]] = {
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "11th": (2006, 2010),
    "12th": (2011, 2015),
    "13th": (2016, 2020),
    "14th": (2021, 2025),
    "15th": (2026, 2030),
}


def _month_words() -> str:
    """Month names as written in running text: capitalised or upper case (`may` is a verb)."""
    parts = []
    for name in sorted(MONTHS, key=len, reverse=True):
        title, upper = name.title(), name.upper()
        if name in ("may", "march", "mar", "august", "aug"):
            parts.append(f"{title}|{upper}")
        else:
            parts.append(f"[{name[0]}{title[0]}]{name[1:]}|{upper}")
    return "(?:" + "|".join(parts) + r")(?![A-Za-z])\.?"


_MONTH = _month_words()
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # fmt: skip
_MONTH_PAIRS = "|".join(rf"{a}\s+and\s+{b}(?![A-Za-z])" for a, b in pairwise(_MONTH_NAMES))
_Y = r"(?<![\d.,])(?:19|20)\d{2}(?!\d)"
_ZH_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DASH = r"(?:-|–|—|~|～)"
_S = r"[ \t]*"
_UNIT_AFTER = r"(?![ \t]*(?:tonnes?|tons?|t\b|mt\b|kt\b|%|per|yuan|dollars|[吨噸元万萬亿億%个個家]))"


def _m(name: str) -> str:
    return f"(?P<{name}>{_MONTH})"


_PATTERNS: list[tuple[str, str]] = [
    ("en_date_mdy", rf"{_m('mdy_m')}\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>{_Y})"),
    (
        "iso_date",
        rf"(?P<iso_y>{_Y})(?P<iso_sep>[-/.])(?P<iso_m>0?[1-9]|1[0-2])(?P=iso_sep)(?P<iso_d>3[01]|[12]\d|0?[1-9])(?!\d)",
    ),
    ("iso_month", rf"(?P<im_y>{_Y})[-/.](?P<im_m>0[1-9]|1[0-2])(?![\d\-/.])"),
    (
        "zh_month_range",
        rf"(?:(?P<zr_y>{_Y}){_S}年{_S})?(?<![\d.])(?P<zr_a>{_ZH_M}){_S}月?{_S}(?:{_DASH}|至|到){_S}(?P<zr_b>{_ZH_M}){_S}月(?:份)?",
    ),
    (
        "zh_date",
        rf"(?:(?P<zd_y>{_Y}){_S}年{_S})?(?<![\d.])(?P<zd_m>{_ZH_M}){_S}月{_S}(?P<zd_d>3[01]|[12]\d|0?[1-9]){_S}[日号號]",
    ),
    (
        "zh_first_months",
        rf"(?:(?P<zfm_y>{_Y}){_S}年{_S})?前{_S}(?P<zfm_n>1[01]|[2-9]|十一|十|[二两三四五六七八九]){_S}[个個]?月",
    ),
    ("zh_quarters", rf"(?:(?P<zqs_y>{_Y}){_S}年{_S})?前{_S}(?P<zqs_n>[一二两兩三1-3]){_S}(?:[个個]{_S})?季度?"),
    ("zh_quarter", rf"(?:(?P<zq_y>{_Y}){_S}年{_S}第?|第)?(?P<zq_n>[一二三四1-4]){_S}季度"),
    ("zh_half", rf"(?:(?P<zh_y>{_Y}){_S}年{_S})?(?P<zh_n>[上下])半年"),
    # 连三月 ("three months in a row"), 近三月, 每月 count months; they name no month
    ("zh_month", rf"(?:(?P<zm_y>{_Y}){_S}年{_S})?(?<![\d.连連续續近逾每])(?P<zm_m>{_ZH_M}){_S}月(?:份)?(?![日号號])"),
    (
        "year_span",
        # 2021-25 and 2021/22 abbreviate the second year; "2022 and 54 kt" does not
        rf"(?:(?i:from|between)\s+)?(?P<ys_a>{_Y}){_S}年?{_S}"
        rf"(?:(?:{_DASH}|(?i:to|and|through)\b|至|到|/){_S}(?P<ys_b>{_Y})|(?:{_DASH}|/){_S}(?P<ys_b2>\d{{2}}(?![\d%]|[,.]\d)))"
        rf"{_UNIT_AFTER}(?:{_S}年)?",
    ),
    (
        "plan",
        r"(?P<plan_n>十[一二三四五]五|1[1-5]th(?=\s+Five[-\s]Year))(?:\s+Five[-\s]Year\s+Plan|规划|規劃|期间|期間|时期|時期)?",
    ),
    # "in January and February": two months in a row joined by "and" are one span of time
    ("en_month_pair", rf"(?P<mp_pair>{_MONTH_PAIRS})(?:,?\s+(?P<mp_y>{_Y}))?"),
    (
        "en_month_range",
        rf"(?:(?P<mr_y0>{_Y})\s+)?(?:(?i:from)\s+)?{_m('mr_a')}\s*(?:{_DASH}|(?i:to|through|thru|until)\b)\s*{_m('mr_b')}(?:,?\s+(?P<mr_y>{_Y}))?",
    ),
    ("en_month_rel", rf"{_m('mrl_m')}\s+(?:of\s+)?(?:the\s+)?(?P<mrl_w>last|this|next|previous)\s+year\b"),
    ("en_month_year", rf"{_m('my_m')},?\s+(?:of\s+)?(?P<my_y>{_Y}|['’]\d{{2}}(?!\d))"),
    ("en_month_day", rf"{_m('md_m')}\s+(?P<md_d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d,.]\d|\d)"),
    ("en_date_dmy", rf"(?<!\d)(?P<dmy_d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+{_m('dmy_m')},?\s+(?P<dmy_y>{_Y})"),
    # "11 July", "1st November", "on 23 November": a day and month without a year (British order)
    ("en_day_month", rf"(?<![\d.,])(?P<dmo_d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?{_m('dmo_m')}"),
    ("en_month", rf"{_m('mo_m')}"),
    (
        "quarter_span",
        rf"(?<![A-Za-z0-9])Q(?P<qs_a>1){_S}{_DASH}{_S}Q(?P<qs_b>[2-4])(?:{_S},?{_S}(?P<qs_y>{_Y}))?",
    ),
    (
        "quarter_code",
        rf"(?<![A-Za-z0-9])(?:(?P<qc_y>{_Y}){_S}-?{_S}Q(?P<qc_q>[1-4])"
        rf"|Q(?P<qc_q2>[1-4])(?:{_S}[-/]?{_S}(?P<qc_y2>{_Y}|['’]\d{{2}}))?"
        rf"|(?P<qc_q3>[1-4])Q(?P<qc_y3>{_Y}|\d{{2}})?)(?![A-Za-z\d])",
    ),
    (
        "en_quarters",
        rf"(?i:(?:the\s+)?first\s+(?P<eqs_n>two|three|2|3)\s+quarters)(?:\s+(?i:of)(?:\s+(?i:the\s+year|this\s+year))?)?(?:\s*,?\s*(?P<eqs_y>{_Y}))?",
    ),
    (
        "en_first_months",
        rf"(?i:(?:the\s+)?first\s+(?P<fm_n>two|three|four|five|six|seven|eight|nine|ten|eleven|[2-9]|1[01])\s+months)"
        rf"(?:\s+(?i:of)(?:\s+(?i:the\s+year|this\s+year))?)?(?:\s*,?\s*(?P<fm_y>{_Y}))?",
    ),
    (
        "en_quarter",
        rf"(?:(?P<eq_y0>{_Y})\s+)?(?i:(?:the\s+)?(?P<eq_n>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter)(?![A-Za-z])"
        rf"(?:\s+(?i:of))?(?:\s*,?\s*(?P<eq_y>{_Y}))?",
    ),
    (
        "half_code",
        rf"(?<![A-Za-z0-9])(?:(?P<hc_y>{_Y}){_S}-?{_S}H(?P<hc_h>[12])"
        rf"|H(?P<hc_h2>[12])(?:{_S}[-/]?{_S}(?P<hc_y2>{_Y}|['’]\d{{2}}))?"
        rf"|(?P<hc_h3>[12])H(?P<hc_y3>{_Y}|\d{{2}})?)(?![A-Za-z\d])",
    ),
    (
        "en_half",
        rf"(?:(?P<eh_y0>{_Y})\s+)?(?i:(?:the\s+)?(?P<eh_n>first|second)[\s-]+half)(?![A-Za-z])"
        rf"(?:\s+(?i:of)(?:\s+(?i:the\s+year|this\s+year))?)?(?:\s*,?\s*(?P<eh_y>{_Y}))?",
    ),
    (
        "en_baseline",
        r"(?i:\b(?:the\s+same\s+(?:period|month|quarter)\s+(?:of\s+|in\s+)?(?:last|the\s+previous|the\s+prior)\s+year"
        r"|the\s+same\s+(?:period|month|quarter)\s+a\s+year\s+(?:ago|earlier|before)"
        r"|a\s+year\s+(?:ago|earlier|before)|year[-\s](?:ago|earlier)|last\s+year's|the\s+previous\s+year's))",
    ),
    (
        "en_base_year",
        rf"(?i:\b(?:compared\s+(?:to|with)|versus|vs\.?|against|from|than(?:\s+in)?)\s+(?:(?:the\s+same\s+period\s+(?:of|in)\s+)|(?:in\s+))?)(?P<by_y>{_Y}){_UNIT_AFTER}",
    ),
    ("zh_base_year", rf"(?:较|較|比|与|與|同)\s*(?P<zby_y>{_Y}){_S}年(?:同期)?"),
    (
        "target_year",
        rf"(?i:\b(?:by|until|till|before)\s+(?:the\s+)?(?:end[\s-]+(?:of\s+)?)?)(?P<ty_y>{_Y}){_UNIT_AFTER}",
    ),
    (
        "zh_target_year",
        # 到2025年 is a deadline; 截至2025年 ("as of") is not, nor 到2025年9月 (a month), nor 达到2014年以来 ("the
        # highest since 2014")
        rf"(?<![截止达達])(?:到|至)\s*(?P<zty_y>{_Y}){_S}年(?!{_S}\d{{1,2}}{_S}月|以来|以來)(?:底|末)?"
        rf"|(?P<zty_y2>{_Y}){_S}年(?:底)?(?:前|以前)",
    ),
    ("zh_year", rf"(?P<zy_y>{_Y}|[〇零一二三四五六七八九]{{4}}){_S}年(?!代|龄|齡|级|級|轻|輕)(?:度)?"),
    ("en_relyear", r"(?i:\b(?P<ry_w>last|this|next|previous|prior|current|past)\s+year\b(?!s))"),
    # 今年来 / 今年以来: since the start of the year, where a run began
    ("zh_relyear", r"(?P<zry_w>[今本去上前明])年(?!度|轻|輕|龄|齡|以来|以來|来|來)(?P<zry_same>同期|同月)?"),
    ("zh_baseline", r"(?:上年|去年|上年度)?同期"),
    ("en_relmonth", r"(?i:\b(?P<rm_w>last|this|previous|prior)\s+month\b)"),
    ("zh_relmonth", r"(?P<zrm_w>[上本])月(?![份底末初])"),
    # a quote's week before: "a week ago", "the previous week", "一周前" (seven days before the quote's day)
    (
        "en_weekago",
        r"(?i:\ba\s+week\s+(?:ago|earlier|before)\b|\bthe\s+(?:previous|prior|preceding)\s+week\b"
        r"|\bthe\s+week\s+(?:before|earlier)\b)",
    ),
    ("zh_weekago", r"(?:一|1)\s*(?:周|週|星期)(?:之)?前|前一(?:周|週|星期)"),
    # a weekly report's "this week" / "last week" (本周, 上週, 上星期): the page's date, or a week before it
    ("en_relweek", r"(?i:\b(?P<rw_w>last|this|previous|prior)\s+week\b(?!s|end|ly|-long|\s+of))"),
    ("zh_relweek", r"(?P<zrw_w>[上本])(?:周|週|星期)(?![期年末边邊])"),
    ("year", rf"(?<![\w$¥€£])(?P<y_y>{_Y}){_UNIT_AFTER}(?![,.]\d)"),
]

PERIOD_PATTERN = re.compile("|".join(f"(?P<{name}>{body})" for name, body in _PATTERNS))

# Which characters each wording can start with: d an ASCII digit, l another ASCII character,
# c anything else (Chinese). Trying only the wordings that can start at a position is the cost saver.
_STARTS_WITH = {
    "en_date_mdy": "l",
    "iso_date": "d",
    "iso_month": "d",
    "zh_month_range": "dc",
    "zh_date": "dc",
    "zh_first_months": "dc",
    "zh_quarters": "dc",
    "zh_quarter": "dc",
    "zh_half": "dc",
    "zh_month": "dc",
    "year_span": "dl",
    "plan": "dc",
    "en_month_pair": "l",
    "en_month_range": "dl",
    "en_month_rel": "l",
    "en_month_year": "l",
    "en_month_day": "l",
    "en_date_dmy": "d",
    "en_day_month": "d",
    "en_month": "l",
    "quarter_span": "l",
    "quarter_code": "dl",
    "en_quarters": "l",
    "en_first_months": "l",
    "en_quarter": "dl",
    "half_code": "dl",
    "en_half": "dl",
    "en_baseline": "l",
    "en_base_year": "l",
    "zh_base_year": "c",
    "target_year": "l",
    "zh_target_year": "dc",
    "zh_year": "dc",
    "en_relyear": "l",
    "zh_relyear": "c",
    "zh_baseline": "c",
    "en_relmonth": "l",
    "zh_relmonth": "c",
    "en_weekago": "l",
    "zh_weekago": "dc",
    "en_relweek": "l",
    "zh_relweek": "c",
    "year": "d",
}
# each is tried at many positions where nothing can open (most Chinese characters): `fast_start` fails those at once
PATTERN_BY_START: dict[str, re.Pattern[str]] = {
    start: fast_start(
        re.compile("|".join(f"(?P<{name}>{body})" for name, body in _PATTERNS if start in _STARTS_WITH[name]))
    )
    for start in "dlc"
}
# The wordings that open with a year (19xx, 20xx) whenever they open with a digit: at a digit that starts no
# such year they cannot match, and the others are tried alone (the same first match, in half the tries).
_YEAR_FIRST_AT_A_DIGIT = frozenset({
    "iso_date", "iso_month", "zh_first_months", "zh_quarters", "zh_half", "year_span", "en_month_range", "en_half",
    "zh_target_year", "zh_year", "year",
})  # fmt: skip
PATTERN_AT_A_DIGIT_NOT_A_YEAR = fast_start(
    re.compile(
        "|".join(
            f"(?P<{name}>{body})"
            for name, body in _PATTERNS
            if "d" in _STARTS_WITH[name] and name not in _YEAR_FIRST_AT_A_DIGIT
        )
    )
)
# What must follow the day, month or count a wording opens with at such a digit (a month or quarter word,
# a dash, Q or H, a week, a day's suffix, a month's name after a space): most numbers ("30 tonnes", "5%")
# fail this one short test and skip the alternation (zh_month_range, zh_date, zh_quarter, zh_month, plan,
# en_date_dmy, en_day_month, quarter_code, en_quarter, half_code, zh_weekago).
MAY_OPEN_AT_A_DIGIT_NOT_A_YEAR = re.compile(
    r"\d\d?(?:[ \t]*[月季\-–—~～至到]|[QH]|\s*[周週星]|\s+(?:of\s+)?[JFMASONDjfmasond]|(?i:st|nd|rd|th))"
)
# The first letters (lower case) an English wording can open with: at a word starting with `x` only the
# wordings listed for `x` are tried, a handful instead of the twenty the `l` alternation holds.
_MONTH_LETTERS = "jfmasond"
_LETTERS = {
    "en_date_mdy": _MONTH_LETTERS,
    "year_span": "fb",
    "en_month_pair": _MONTH_LETTERS,
    "en_month_range": _MONTH_LETTERS,
    "en_month_rel": _MONTH_LETTERS,
    "en_month_year": _MONTH_LETTERS,
    "en_month_day": _MONTH_LETTERS,
    "en_month": _MONTH_LETTERS,
    "quarter_span": "q",
    "quarter_code": "q",
    "en_quarters": "tf",
    "en_first_months": "tf",
    "en_quarter": "tfs",
    "half_code": "h",
    "en_half": "tfs",
    "en_baseline": "tayl",
    "en_base_year": "cvaft",
    "target_year": "but",
    "en_relyear": "ltnpc",
    "en_relmonth": "ltp",
    "en_weekago": "at",
    "en_relweek": "ltp",
}
PATTERN_BY_LETTER: dict[str, re.Pattern[str]] = {
    letter: fast_start(
        re.compile("|".join(f"(?P<{name}>{body})" for name, body in _PATTERNS if letter in _LETTERS.get(name, "")))
    )
    for letter in sorted(set("".join(_LETTERS.values())))
}
SENTENCE_END = re.compile(r"[。！？；\n]|[.!?;](?=\s|$)")

# Every period wording holds one of these; see periods._matches. Digits that are part of a larger
# number (20,836 or 3.52) anchor nothing; each kind of anchor says how far back a wording can start.
ANCHOR = re.compile(
    # the leading lookahead names every character an anchor opens with, so the scan skips the rest fast
    r"(?=[\dymqhwjfasondJFMASONDQH年月季期周週十])(?:"
    r"(?P<digits>(?<![\d.,])(?:\d{4}|\d{1,2})(?![\d]|[.,]\d))"
    r"|(?P<word>year|month|quarter|half|week)"
    # month names open with one of these (a lone capital letter would anchor every "Sales" and "Magnesia")
    r"|(?P<name>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
    r"|[QH](?=[1-4])|(?<![A-Za-z])(?:jan|feb|apr|jun|jul|sep|oct|nov|dec))"
    r"|(?P<cjk>[年月季期周週]|十[一二三四五]五))"
)
# The same anchors in two scans that re runs fast (a pattern that opens with a class or with literals
# skips to them in C, where the lookahead in front of ANCHOR makes it try the whole alternation at every
# common letter): the digits, and the words (each opening with a literal, its look-behind moved after
# it). Every anchor is a match of one of them alone, the two never overlap, and what kind an anchor is
# follows from its first character: `anchors(text)` gives what ANCHOR.finditer gives, (start, kind).
_ANCHOR_DIGITS = re.compile(r"\d(?<![\d.,]\d)(?:\d{3}|\d?)(?![\d]|[.,]\d)")
_LOWER_MONTHS = ("jan", "feb", "apr", "jun", "jul", "sep", "oct", "nov", "dec")
_ANCHOR_WORDS = re.compile(
    "|".join(
        [
            "year", "month", "quarter", "half", "week",
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
            "Q(?=[1-4])", "H(?=[1-4])",
            *(f"{name}(?<![A-Za-z]{name})" for name in _LOWER_MONTHS),
            "年", "月", "季", "期", "周", "週", "十[一二三四五]五",
        ]
    )
)  # fmt: skip
_WORD_OPENINGS = frozenset("ymqhw")


def anchors(text: str) -> list[tuple[int, str]]:
    """(start, kind) of every match of ANCHOR in `text`, in order, from two faster scans."""
    found = [(m.start(), "digits") for m in _ANCHOR_DIGITS.finditer(text)]
    for m in _ANCHOR_WORDS.finditer(text):
        first = text[m.start()]
        kind = "word" if first in _WORD_OPENINGS else "cjk" if first >= "\x80" else "name"
        found.append((m.start(), kind))
    found.sort()
    return found


LOOKBACK = {
    "digits": 44,  # `compared with the same period of 2024`
    "word": 44,  # `the same period of the previous year` starts 36 characters before `year`
    "name": 12,  # `from January`, `16 September`, `2025 January-September`
    "cjk": 14,  # 2024年1-9月, 上年同期, 与2018年相比
}
# A wording that starts with a Chinese character holds its anchor within a few characters of the start
# (较2024年, 到 2025, 第1季度, 前十一个月, 十一至十二月, 上年度同期); every Chinese character is a
# start, so trying only these few keeps Chinese text from costing forty tries per digit.
CJK_LOOKBACK = {"digits": 4, "word": 2, "name": 2, "cjk": 8}
# Where a wording can start: a digit, one of the words an English wording opens with, a month name
# run into the word before it by careless extraction ("Export DynamicsSeptember Volume"), or any
# non-ASCII character (found apart, see CJK_LOOKBACK). Each start is one character, and what decides
# it lies at most 8 characters past it: one scan of the whole text finds the same starts as a search
# in any window around an anchor.
START_ASCII = re.compile(
    r"(?=[0-9A-Za-z])(?:(?<![A-Za-z0-9])(?:[0-9]"
    r"|(?=(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|from|between|[qh][1-4]"
    r"|the|first|second|third|fourth|a\b|year|last|this|next|previous|prior|current|past|compared|versus|vs"
    r"|against|than|by|until|till|before))[A-Za-z])"
    r"|(?<=[a-z])[A-Z])"
)
