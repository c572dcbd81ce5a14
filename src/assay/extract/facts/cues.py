"""Word cues around a number, in English and Chinese: change, direction, baseline, share, basis, approximation,
and who a number is about (a capital acting as a government, a superlative after the world).

The wordings are data: cues.toml, next to this module, holds one regular expression per cue (loaded once,
at import). Each cue is applied to a short window of text next to a number (a clause at most), so matching
stays linear. The classes of wording they cover are listed in docs/extraction.md; tests/extract has one
sentence per class.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

from assay.extract.text.openers import fast_start
from assay.model import Approx, Basis


def _load() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("cues.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_CUES = _load()


def _cue(name: str) -> re.Pattern[str]:
    entry = _CUES[name]
    # each cue is searched over a window at every number: skipping fast to where it can open pays
    return fast_start(re.compile("".join(entry["pattern"]), re.IGNORECASE if entry.get("ignorecase") else 0))


CHANGE_BEFORE = _cue("CHANGE_BEFORE")
CHANGE_AFTER = _cue("CHANGE_AFTER")
NEGATIVE = _cue("NEGATIVE")
POSITIVE = _cue("POSITIVE")
YOY = _cue("YOY")
MOM = _cue("MOM")
QOQ = _cue("QOQ")
BASELINE_WORD = _cue("BASELINE_WORD")
SHARE = _cue("SHARE")
SHARE_AFTER = _cue("SHARE_AFTER")
FROM_LEVEL_BEFORE = _cue("FROM_LEVEL_BEFORE")
TO_LEVEL_BEFORE = _cue("TO_LEVEL_BEFORE")
OWN_TIME_AFTER = _cue("OWN_TIME_AFTER")
WHOLE_PROVINCE = _cue("WHOLE_PROVINCE")
ZH_WHOLE_BEFORE = _cue("ZH_WHOLE_BEFORE")
FRACTION_WORD = _cue("FRACTION_WORD")
MARKET_SHARE = _cue("MARKET_SHARE")
APPROVAL = _cue("APPROVAL")
TARGET = _cue("TARGET")
FORECAST = _cue("FORECAST")
ESTIMATE = _cue("ESTIMATE")
CURRENT = _cue("CURRENT")
APPROX_AFTER = _cue("APPROX_AFTER")
OVER_AFTER = _cue("OVER_AFTER")
ABSOLUTE_CHANGE_BEFORE = _cue("ABSOLUTE_CHANGE_BEFORE")
ABSOLUTE_CHANGE_AFTER = _cue("ABSOLUTE_CHANGE_AFTER")
TO_AFTER_CHANGE = _cue("TO_AFTER_CHANGE")
NOT_A_FACT_AFTER = _cue("NOT_A_FACT_AFTER")
NOT_A_FACT_BEFORE = _cue("NOT_A_FACT_BEFORE")
GOVERNMENT_AFTER = _cue("GOVERNMENT_AFTER")
SUPERLATIVE_AFTER = _cue("SUPERLATIVE_AFTER")
OPENING_PRICE_PHRASE = _cue("OPENING_PRICE_PHRASE")
SUBJECT_AFTER_COMMA = _cue("SUBJECT_AFTER_COMMA")
WHEN_CLAUSE = _cue("WHEN_CLAUSE")
EXPORTER_AFTER = _cue("EXPORTER_AFTER")
LIST_MEMBER_GLUE = _cue("LIST_MEMBER_GLUE")
OWN_PERIOD_GLUE = _cue("OWN_PERIOD_GLUE")
SAME_PERIOD_AFTER = _cue("SAME_PERIOD_AFTER")
SINCE_BEFORE = _cue("SINCE_BEFORE")
PRICE_GAP_BEFORE = _cue("PRICE_GAP_BEFORE")
PER_ITEM = _cue("PER_ITEM")
INVENTORY_BEFORE = _cue("INVENTORY_BEFORE")
TOP_GROUP = _cue("TOP_GROUP")
COST_SHARE_BEFORE = _cue("COST_SHARE_BEFORE")
COST_SHARE_AFTER = _cue("COST_SHARE_AFTER")
REMAINDER_BEFORE = _cue("REMAINDER_BEFORE")
REMAINDER_AFTER = _cue("REMAINDER_AFTER")
RAW_MATERIAL = _cue("RAW_MATERIAL")
# Words before a number that change its meaning, tried in this order.
APPROX_BEFORE: tuple[tuple[re.Pattern[str], Approx], ...] = tuple(
    (_cue(f"APPROX_BEFORE_{approx.name}"), approx) for approx in (Approx.OVER, Approx.UNDER, Approx.ABOUT)
)
CAPITAL_OF: dict[str, str] = dict(_CUES["CAPITAL_OF"])
_COMPARATIVE_AFTER = _cue("COMPARATIVE_AFTER")


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
