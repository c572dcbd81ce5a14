"""Word cues around a number, in English and Chinese: change, direction, baseline, share, basis, approximation.

Each cue is a compiled pattern applied to a short window of text next to a number (a clause at
most), so matching stays linear. The classes of wording they cover are listed in
docs/extraction.md; tests/extract/test_facts_cues.py has one sentence per class.
"""

from __future__ import annotations

import re

from assay.model import Approx, Basis

# A percent is a change when a cue of movement sits next to it.
CHANGE_BEFORE = re.compile(
    r"(?:\b(?:up|down|rose|rise|rises|rising|risen|fell|fall|falls|falling|fallen|increased?|increases|increasing|"
    r"decreased?|decreases|decreasing|declined?|declines|declining|dropped|drops?|dropping|grew|grow|grows|growing|"
    r"growth|gained?|gains|jumped|jumps?|surged?|surges|soared|soars?|climbed|climbs?|plunged?|plunges|plummeted|"
    r"plummets?|tumbled?|tumbles|slipped|slips?|slid|slumped|slumps?|dipped|dips?|eased?|eases|shrank|shrunk|"
    r"contracted|expanded|expand|advanced|retreated|lost|added|higher|lower|more|less|fewer|"
    r"increase of|decrease of|decline of|drop of|rise of|growth of|fall of|gain of|jump of|reduction of|cut of|"
    r"change of|an? increase|an? decrease|an? decline|an? rise|an? drop|an? fall|an? gain|an? jump|an? reduction|"
    r"rebounded|recovered|reduced|cut|slashed|boosted|raised|lowered|widened|narrowed|doubled)"
    r"(?:\s+(?:by|of|a|an|some|about|around|nearly|almost|approximately|roughly|just|only|over|more than|"
    r"less than|significant|sharp|sharply|steep|modest|slight|marked|further|another|strong|substantial|"
    r"year-on-year|year on year|month-on-month|month on month|on the year|on the month|y-o-y|yoy|mom))*"
    r"\s*[+-]?$"
    r"|同比|环比|较上年同期|较去年同期|较上月|增长|增加|增幅|上涨|上升|提高|提升|下降|下跌|减少|下滑|回落|降幅|"
    r"涨幅|跌幅|下调|上调|涨|跌|增|降|减)"
    r"[^0-9\n]{0,6}$",
    re.IGNORECASE,
)
CHANGE_AFTER = re.compile(
    r"^\s*(?:\)|）)?\s*(?:\b(?:higher|lower|more|less|rise|increase|decrease|decline|drop|fall|gain|jump|growth|"
    r"surge|up|down|above|below|yoy|y-o-y|mom|m-o-m|qoq|year-on-year|year on year|month-on-month|month on month|"
    r"quarter-on-quarter|on the year|on the month|from|over|compared|than|versus|vs)\b|的增长|的增幅|的降幅)",
    re.IGNORECASE,
)
NEGATIVE = re.compile(
    r"\b(?:down|fell|fall|falls|falling|fallen|decreased?|decreases|decreasing|declined?|declines|declining|"
    r"dropped|drops?|dropping|lost|lower|less|fewer|plunged?|plunges|plummeted|plummets?|tumbled?|tumbles|slipped|"
    r"slips?|slid|slumped|slumps?|dipped|dips?|eased?|eases|shrank|shrunk|contracted|retreated|reduced|cut|slashed|"
    r"lowered|narrowed|decrease|decline|drop|reduction|negative)\b|下降|下跌|减少|下滑|回落|降幅|跌幅|下调|跌|降|减",
    re.IGNORECASE,
)
POSITIVE = re.compile(
    r"\b(?:up|rose|rise|increased?|grew|growth|gained?|jumped|surged?|soared|climbed|higher|more|advanced|rebounded|"
    r"raised|boosted|expanded)\b|增长|增加|上涨|上升|提高|提升|增幅|涨幅|上调|涨|增",
    re.IGNORECASE,
)

# What a change is measured against.
YOY = re.compile(
    r"\b(?:yoy|y-o-y|y/y|year-on-year|year on year|on the year|year-over-year|year over year|from a year earlier|"
    r"from a year ago|than a year (?:earlier|ago)|on an annual basis|annually|over last year|from last year|"
    r"compared (?:to|with) last year|same (?:period|month|quarter|time) (?:of |in |a year |last )?(?:last year|a year "
    r"earlier|earlier|the previous year|the prior year|\d{4})?|corresponding period|year-ago|a year earlier|a year ago|"
    r"previous year|prior year)\b|同比|较上年|比上年|较去年|比去年|较上年同期|较去年同期"
    r"|按年|年增率|年减|(?<![今去明前])年增",
    re.IGNORECASE,
)
MOM = re.compile(
    r"\b(?:mom|m-o-m|m/m|month-on-month|month on month|on the month|month-over-month|from the previous month|"
    r"from a month earlier|from a month ago|than the previous month|previous month|prior month|sequentially)\b"
    r"|环比|较上月|比上月|按月|月增率|月减",
    re.IGNORECASE,
)
QOQ = re.compile(
    r"\b(?:qoq|q-o-q|q/q|quarter-on-quarter|quarter on quarter|previous quarter)\b|环比上季", re.IGNORECASE
)
BASELINE_WORD = re.compile(
    r"\b(?:from|compared (?:to|with)|versus|vs\.?|against|than|over|above|below|relative to|"
    r"on(?= (?:the|a|last|its|(?:19|20)\d\d)\b))\b|较|比|相比",
    re.IGNORECASE,
)

# A percent is a share when the text says what it is a part of.
SHARE = re.compile(
    r"\b(?:account(?:s|ed|ing)? for|share|shares|make(?:s)? up|making up|made up|represent(?:s|ed|ing)?|"
    r"take(?:s)? up|taking up|took up|comprise(?:s|d)?|constitut(?:es|ed|ing))\b|占|份额|比重|占比",
    re.IGNORECASE,
)
SHARE_AFTER = re.compile(
    r"^\s*(?:of\s+(?:the\s+)?(?:total|world|world's|global|all|china's|chinese|national|country's)|"
    r"of\s+(?:the\s+)?(?:\w+\s+){0,3}(?:total|market|production|output|reserves|capacity|exports|imports|supply))",
    re.IGNORECASE,
)
# "rose to 580 t from 487 t": the level a change started from (dated the year before when the sentence's is a year)
FROM_LEVEL_BEFORE = re.compile(
    r"(?:\bfrom|由|从)\s*(?:about|around|some|roughly|nearly|an estimated)?\s*(?:US\$|\$|RMB|CNY|Rmb)?\s*$", re.I
)
TO_LEVEL_BEFORE = re.compile(
    r"(?:\bto|增至|降至|增加到|减少到|增长到|下降到|达到)\s*(?:about|around|some|roughly)?\s*\S{0,4}$", re.I
)
OWN_TIME_AFTER = re.compile(
    r"^\s*(?:a year\s+|per year\s+)?(?:in|during|for|as of|at the end of|today|now|currently|a year earlier|"
    r"a year before|last year)\b|^\s*[（(]?\s*(?:19|20)\d\d",
    re.IGNORECASE,
)
WHOLE_PROVINCE = re.compile(
    r"\b(?:the|whole|entire|its)\s+(?:autonomous\s+)?(?:province|region)\b|province-wide|全省|全区|全自治区|省内|区内",
    re.IGNORECASE,
)
ZH_WHOLE_BEFORE = re.compile(r"(?:全国|全球|世界|全省|全市|国内)(?:总量|总产量|产量|储量)?的\s*(?:[约近]|超过)?\s*$")
# amounts in words that are fractions: read_quantities gives 0.75 for "three quarters", 0.5 for 一半
FRACTION_WORD = re.compile(
    r"\b(?:half|halves|thirds?|quarters?|fifths?|tenths?)\b|一半|半数|[二两三四五六七八九十]分之[一二三四五六七八九]",
    re.IGNORECASE,
)
MARKET_SHARE = re.compile(r"\bmarket share\b|市场份额|市场占有率", re.IGNORECASE)
APPROVAL = re.compile(r"\bapprov(?:ed|al)\b|获批|通过率", re.IGNORECASE)

# Basis: what kind of statement the number is.
TARGET = re.compile(
    r"\b(?:plans?|planned|planning|aims?|aimed|aiming|targets?|targeted|targeting|goal|goals|objective|"
    r"seeks? to|strives? to|intends? to|is set to reach|ambition)\b|规划|目标|力争|计划|争取|拟",
    re.IGNORECASE,
)
FORECAST = re.compile(
    r"\b(?:will|would|shall|expected|expects?|expecting|projected|projects?|projection|forecasts?|forecasted|"
    r"predicted|predicts?|anticipated|anticipates?|likely|outlook|set to|poised to|could reach|may reach)\b"
    r"|预计|预期|预测|有望|将会|将达|将|或将",
    re.IGNORECASE,
)
ESTIMATE = re.compile(r"\b(?:estimated?|estimates|estimation|估计|估算|测算)\b|估计|估算|测算", re.IGNORECASE)
CURRENT = re.compile(
    r"\b(?:current|currently|now|at present|presently|existing)\b|目前|当前|现有|现阶段", re.IGNORECASE
)

# Words before a number that change its meaning.
APPROX_BEFORE: tuple[tuple[re.Pattern[str], Approx], ...] = (
    (re.compile(r"(?:\b(?:more than|over|above|exceeding|exceeded|in excess of|at least|upwards of|beyond)"
                r"|超过|超|逾|多于|以上|高于|不低于)\s*$", re.IGNORECASE), Approx.OVER),
    (re.compile(r"(?:\b(?:less than|under|below|nearly|almost|close to|up to|just under|fewer than)"
                r"|近|接近|不到|不足|低于|将近)\s*$", re.IGNORECASE), Approx.UNDER),
    (re.compile(r"(?:\b(?:about|around|approximately|approx\.?|some|roughly|circa|an estimated|estimated|ca\.)"
                r"|约|大约|左右|上下|近乎)\s*$", re.IGNORECASE), Approx.ABOUT),
)  # fmt: skip
APPROX_AFTER = re.compile(r"^\s*(?:左右|上下|or so)")
OVER_AFTER = re.compile(r"^\s*(?:以上|多|余|有余|\+)")

ABSOLUTE_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:rose|rise|rises|risen|fell|fall|falls|increased|decreased|declined|dropped|gained|jumped|surged|"
    r"climbed|plunged|slipped|slid|dipped|added|lost|(?<!making )(?<!made )(?<!make )(?<!makes )up|down|higher|lower)"
    r"(?:\s+by)?"
    r"|\b(?:an?\s+)?(?:\w+\s+){0,2}(?:increase|decrease|decline|drop|rise|gain|jump|fall|reduction|change|increment)s?\s+of"
    r"|下调|上调|上涨|下跌|下滑|下降|增加|减少|增长|回落|涨|跌)\s*$",
    re.IGNORECASE,
)
ABSOLUTE_CHANGE_AFTER = re.compile(
    r"^\s*(?:\b(?:higher|lower|more|less|up|down)\b(?!\s+(?:to|at))|from\s+(?:a\s+year|last|the\s+previous|\d{4}))",
    re.IGNORECASE,
)
TO_AFTER_CHANGE = re.compile(r"\b(?:to|at)\s*$|至\s*$|到\s*$", re.IGNORECASE)

NOT_A_FACT_AFTER = re.compile(
    r"^\s*(?:%|percent|pc)?\s*(?:purity|pure|grade|C\b|TREO\b|REO\b|mesh|Mesh|纯度|品位|含量|times|倍)"
)
NOT_A_FACT_BEFORE = re.compile(
    r"(?:\b(?:purity|grade|content|HS code|HS|code|No\.|number|rank(?:ed)?|top|aged?)|品位|纯度|含量)\s*(?:of\s*)?$",
    re.IGNORECASE,
)


_COMPARATIVE_AFTER = re.compile(r"^\s*(?:(less|lower|fewer|below|down)|(more|higher|above|up))\b", re.IGNORECASE)


def change_direction(before: str, after: str) -> int:
    """-1 when the movement word nearest the number says down, else +1; "5.6% less than" decides at once,
    then words before the number win."""
    comparative = _COMPARATIVE_AFTER.match(after)
    if comparative:
        return -1 if comparative.group(1) else 1
    neg = [m.end() for m in NEGATIVE.finditer(before)]
    pos = [m.end() for m in POSITIVE.finditer(before)]
    if neg or pos:
        return -1 if neg and (not pos or max(neg) >= max(pos)) else 1
    neg_after = [m.start() for m in NEGATIVE.finditer(after)]
    pos_after = [m.start() for m in POSITIVE.finditer(after)]
    if neg_after and (not pos_after or min(neg_after) <= min(pos_after)):
        return -1
    return 1


def basis_of(before: str, clause_before: str) -> Basis:
    """The basis a sentence gives a number, from the words before it (clause first, then sentence)."""
    if CURRENT.search(clause_before[-20:]):
        return Basis.ACTUAL
    if TARGET.search(before):
        return Basis.TARGET
    if FORECAST.search(before):
        return Basis.FORECAST
    if ESTIMATE.search(before):
        return Basis.ESTIMATE
    return Basis.ACTUAL


def approx_of(before: str, after: str) -> Approx | None:
    tail = before[-24:]
    for pattern, approx in APPROX_BEFORE:
        if pattern.search(tail):
            return approx
    if APPROX_AFTER.search(after[:6]):
        return Approx.ABOUT
    if OVER_AFTER.search(after[:3]):
        return Approx.OVER
    return None
