"""A number with the words read around it (`Reading`), the joining of ranges and word fractions, and
the turning of a reading into a `Quantity` with a FactSpec unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from assay.extract.numbers import units as u
from assay.model import Approx, Quantity, QuantityKind

_ANY_LETTER_AFTER = re.compile(r"[ \t]*[A-Za-z]")
_DATE_JOINER = re.compile(r"\d[-/.]")
_DATE_JOINER_AFTER = re.compile(r"[-/.]\d")
# "rose from X to Y" names two levels; "ranged from X to Y", "prices from X to Y t" one range
_CHANGE_WORD = re.compile(
    r"(?i:\b(?:ros(?:e|en)|ris(?:e|es|ing)|increas\w*|gr[eo]w\w*|growth|fell|fall\w*|dropp?\w*|declin\w*|decreas\w*"
    r"|climb\w*|jump\w*|surg\w*|soar\w*|slipp?\w*|slid\w*|sink\w*|sank|plung\w*|tumbl\w*|expan\w*|rais\w*|cut\w*"
    r"|reduc\w*|boost\w*|lift\w*|went|go(?:es|ne|ing)?|mov\w*|chang\w*|doubl\w*|tripl\w*|shr[aiu]nk\w*|edg\w*"
    r"|ramp\w*|upgrad\w*|widen\w*|narrow\w*|recover\w*|rebound\w*|revis\w*|adjust\w*|up|down)\b)"
)
_CLAUSE_START = re.compile(r"[.;:!?\n。；：！？][^.;:!?\n。；：！？]*\Z")


@dataclass(slots=True)
class Reading:
    """One number and the words read around it, before it becomes a Quantity."""

    start: int
    end: int
    core_start: int
    core_end: int
    value: float
    lead: str = ""  # between / from
    approx: Approx | None = None
    signed: bool = False
    currency: str | None = None
    scale: float = 1.0  # multiplier written after the number (or a trailing 万/亿)
    mass: tuple[str, float] | None = None
    per_mass: tuple[str, float] | None = None
    per_year: bool = False
    percent: bool = False
    points: bool = False
    high: float | None = None  # the high end of a range

    @property
    def bare(self) -> bool:
        return not (self.currency or self.mass or self.per_mass or self.percent or self.points or self.per_year)


def join_readings(text: str, readings: list[Reading]) -> list[Reading]:
    """Join ranges (`3-5%`, `between X and Y`, `X to Y`) and word fractions (`1 over 3`)."""
    out: list[Reading] = []
    i = 0
    while i < len(readings):
        low = readings[i]
        if i + 1 < len(readings):
            high = readings[i + 1]
            gap = text[low.end : high.start]
            joined = _as_range(text, low, high, gap) or _as_fraction(text, low, high, gap)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
            if not _looks_like_year(text, low):
                _share_unit_from(low, high, gap)
        out.append(low)
        i += 1
    _share_mass_with_gloss(text, out)
    return out


def _share_mass_with_gloss(text: str, readings: list[Reading]) -> None:
    """`CNY 445,000 ($72,715) per metric ton`: both amounts are prices per that mass, and
    `CNY 445,000 per tonne ($72,715)` glosses the price in a second currency too."""
    for first, second in pairwise(readings):
        if not (first.currency and second.currency) or first.currency == second.currency:
            continue
        if not u.GLOSS_OPEN.match(text[first.end : second.start]):
            continue
        if first.per_mass is None and second.per_mass is None:
            after = u.PER_MASS_AFTER_GLOSS.match(text, second.end)
            if after:
                first.per_mass = second.per_mass = u.mass_unit(after["pmass"])
        elif first.per_mass is not None and second.per_mass is None and u.GLOSS_CLOSE.match(text, second.end):
            second.per_mass = first.per_mass


def _looks_like_year(text: str, r: Reading) -> bool:
    core = text[r.core_start : r.core_end]
    return r.bare and len(core) == 4 and core.isdigit() and 1900 <= r.value <= 2100


def _in_date(text: str, low: Reading, high: Reading) -> bool:
    """2025-10-20: the dash joins the parts of a date, not the ends of a range."""
    before = text[max(0, low.start - 2) : low.start]
    after = text[high.end : high.end + 2]
    return bool(_DATE_JOINER.fullmatch(before) or _DATE_JOINER_AFTER.fullmatch(after))


def _as_range(text: str, low: Reading, high: Reading, gap: str) -> Reading | None:
    if len(gap) > 12:
        return None
    if _looks_like_year(text, low) and not high.bare:
        return None  # from 2019 to 35,539t
    sep = u.RANGE_SEPARATOR.match(gap)
    if not sep:
        return _slash_range(low, high, gap)
    word = (sep["word"] or "").lower()
    if word == "and" and low.lead != "between":
        return None
    if word in ("to", "through", "至", "到") and low.lead == "from" and _changes_level(text, low):
        return None
    if sep["dash"] and (high.signed or _in_date(text, low, high)):
        return None
    if not _compatible(low, high):
        return None
    low_value = low.value
    if low.scale == 1.0 and high.scale != 1.0 and not low.mass:
        low_value *= high.scale
    if low_value > high.value:
        return None
    merged = replace(
        high,
        start=low.start,
        core_start=low.core_start,
        value=low_value,
        approx=low.approx or high.approx,
        signed=low.signed,
        currency=low.currency or high.currency,
        mass=high.mass or low.mass,
        per_mass=high.per_mass or low.per_mass,
        per_year=high.per_year or low.per_year,
        percent=high.percent or low.percent,
        points=high.points or low.points,
    )
    merged.high = high.value
    return merged


def _slash_range(low: Reading, high: Reading, gap: str) -> Reading | None:
    """ "$630/740 per tonne", "340/360美元/吨": two amounts split by a slash, the currency written once, are the
    ends of a range."""
    if gap != "/" or bool(low.currency) == bool(high.currency) or low.per_mass or high.value <= low.value:
        return None
    if low.value < 10 or high.value > low.value * 3 or low.scale != high.scale:
        return None  # two quotes of one level, not "$1/2"
    currency = low.currency or high.currency
    merged = replace(high, start=low.start, core_start=low.core_start, value=low.value, currency=currency)
    merged.high = high.value
    return merged


def _changes_level(text: str, low: Reading) -> bool:
    """A verb or noun of change before `from X`, in the same clause: X and Y are two levels, not a range."""
    window = text[max(0, low.start - 80) : low.start]
    clause = _CLAUSE_START.search(window)
    return bool(_CHANGE_WORD.search(window, clause.start() if clause else 0))


def _compatible(low: Reading, high: Reading) -> bool:
    if low.currency and high.currency and low.currency != high.currency:
        return False
    if low.mass and high.mass and low.mass[0] != high.mass[0]:
        return False
    if low.percent != high.percent and not low.bare:
        return False
    return not (low.points != high.points and not low.bare)


def _as_fraction(text: str, low: Reading, high: Reading, gap: str) -> Reading | None:
    """`1 over 3`, `one out of three`: only between bare numbers, and only at the end of a phrase."""
    if not (low.bare and high.bare and low.scale == 1.0 and high.scale == 1.0 and high.value):
        return None
    if high.signed or high.currency:
        return None
    words = text[low.end : high.core_start]
    if not u.FRACTION_WORDS.match(words) or _ANY_LETTER_AFTER.match(text, high.end):
        return None
    return replace(low, end=high.end, value=low.value / high.value, approx=low.approx)


def _share_unit_from(low: Reading, high: Reading, gap: str) -> None:
    """`from 5,000 to 6,000 tonnes`: the first number is in the unit of the second."""
    if low.lead == "from" and low.bare and not high.bare and u.RANGE_SEPARATOR.match(gap):
        low.currency, low.mass, low.per_mass = high.currency, high.mass, high.per_mass
        low.per_year, low.percent, low.points = high.per_year, high.percent, high.points


def to_quantity(text: str, r: Reading) -> Quantity:
    value_high = r.high
    kind, unit, factor = _kind_and_unit(r)
    return Quantity(
        text=text[r.start : r.end],
        start=r.start,
        end=r.end,
        value=_tidy(r.value * factor),
        kind=kind,
        unit=unit,
        value_high=_tidy(value_high * factor) if value_high is not None else None,
        approx=r.approx,
        signed=r.signed,
    )


def _tidy(value: float) -> float:
    """Drop binary noise from scaling: 1.1 * 10000 is 11000, not 11000.000000000002."""
    return float(f"{value:.15g}")


def _kind_and_unit(r: Reading) -> tuple[QuantityKind, str | None, float]:
    if r.points:
        return QuantityKind.POINTS, None, 1.0
    if r.percent:
        return QuantityKind.PERCENT, "%", 1.0
    if r.currency:
        if r.per_mass:
            mass_unit, mass_factor = r.per_mass
            return QuantityKind.PRICE, f"{r.currency}/{mass_unit}", 1.0 / mass_factor
        return QuantityKind.MONEY, r.currency, 1.0
    if r.mass:
        mass_unit, mass_factor = r.mass
        if r.per_year:
            return QuantityKind.RATE, "t/yr", mass_factor / (1000.0 if mass_unit == "kg" else 1.0)
        return QuantityKind.MASS, mass_unit, mass_factor
    return QuantityKind.NUMBER, None, 1.0
