"""The typed objects that flow between stages: Document, Quantity, Fact, Event, Period.

This module imports nothing of the project (an import-linter contract says so), so that
every stage, and every later adapter (web, reports, Dask workers), can share it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Basis(StrEnum):
    ACTUAL = "actual"
    ESTIMATE = "estimate"
    FORECAST = "forecast"
    TARGET = "target"


class Approx(StrEnum):
    ABOUT = "~"
    OVER = ">"
    UNDER = "<"


class Stance(StrEnum):
    TIGHTEN = "tighten"
    LOOSEN = "loosen"
    NEUTRAL = "neutral"


class QuantityKind(StrEnum):
    """What a number read from text measures; decides which metrics it may fill."""

    NUMBER = "number"  # a bare number: 1,026 or 二十万亿
    MASS = "mass"  # t, kg
    RATE = "rate"  # t/yr capacity
    MONEY = "money"  # CNY, USD, EUR
    PRICE = "price"  # money per mass: CNY/t, USD/kg
    PERCENT = "percent"  # 91.6%, 23pc, 百分之五
    POINTS = "points"  # percentage points


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as read from text, before it is known what it measures.

    `unit` is a FactSpec unit id (`t`, `t/yr`, `CNY`, `USD/t`, `%`) when the text gives one,
    else None. `start`/`end` index the text that was read. `signed` is True when the text
    itself carries a sign (`+50.76%`, `-5000`), so slot filling must not flip it again.
    """

    text: str
    start: int
    end: int
    value: float
    kind: QuantityKind
    unit: str | None = None
    value_high: float | None = None
    approx: Approx | None = None
    signed: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": _plain_number(self.value),
            "unit": self.unit,
            "kind": self.kind.value,
        }
        if self.value_high is not None:
            out["value_high"] = _plain_number(self.value_high)
        if self.approx is not None:
            out["approx"] = self.approx.value
        return out


@dataclass(frozen=True, slots=True)
class Document:
    """One document as ingested: where it came from, and its text before and after cleaning.

    `name` is the FactSpec `doc` id (file name without extension, or a slug of the URL);
    `id` is the store's key, None until stored.
    """

    name: str
    source: str  # URL or file path as given
    raw_sha256: str
    clean_text: str
    raw_text: str = ""
    title: str | None = None
    lang: str | None = None  # zh, en, mixed
    published: str | None = None  # ISO date, or a prefix of one (2025-08)
    fetched_at: datetime | None = None
    content_type: str | None = None  # txt, md, html, pdf, pptx, docx
    source_name: str | None = None  # host of a URL, or the corpus folder
    cleaning_steps: tuple[str, ...] = ()
    duplicate_of: int | None = None
    id: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A FactSpec fact with its provenance in the document's clean text."""

    doc: str
    commodity: str
    metric: str
    geo: str
    period: str | None
    value: float
    unit: str
    basis: Basis
    quote: str
    start: int = -1  # character span of `quote` in the clean text; -1 when unknown
    end: int = -1
    partner: str | None = None
    share_of: str | None = None
    value_high: float | None = None
    form: str | None = None
    approx: Approx | None = None
    rule: str = ""
    rule_version: str = ""

    def to_factspec(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "commodity": self.commodity,
            "metric": self.metric,
            "geo": self.geo,
        }
        if self.partner:
            out["partner"] = self.partner
        if self.share_of:
            out["share_of"] = self.share_of
        out["period"] = self.period
        out["value"] = _plain_number(self.value)
        if self.value_high is not None:
            out["value_high"] = _plain_number(self.value_high)
        out["unit"] = self.unit
        if self.form:
            out["form"] = self.form
        out["basis"] = self.basis.value
        if self.approx is not None:
            out["approx"] = self.approx.value
        out["quote"] = self.quote
        if self.rule:
            out["rule"] = f"{self.rule}@{self.rule_version}" if self.rule_version else self.rule
        return out

    @property
    def series_key(self) -> tuple[str, str | None, str, str, str | None, str | None, str]:
        """What makes two facts the same series (oxide and metal prices never mix)."""
        return (self.commodity, self.form, self.metric, self.geo, self.partner, self.share_of, self.unit)


@dataclass(frozen=True, slots=True)
class Event:
    """An EventSpec event with its provenance."""

    doc: str
    type: str
    actor: str
    date: str | None
    commodities: tuple[str, ...]
    stance: Stance
    quote: str
    geo: str | None = None
    start: int = -1
    end: int = -1
    rule: str = ""
    rule_version: str = ""

    def to_eventspec(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "type": self.type,
            "actor": self.actor,
            "date": self.date,
            "commodities": list(self.commodities),
        }
        if self.geo:
            out["geo"] = self.geo
        out["stance"] = self.stance.value
        out["quote"] = self.quote
        if self.rule:
            out["rule"] = f"{self.rule}@{self.rule_version}" if self.rule_version else self.rule
        return out


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<h>H[12])|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A FactSpec period as a closed date interval: `2024`, `2024-05`, `2024-Q3`, `2024-H1`,
    `2025-09-16`, or `2025-01/2025-09`."""

    start: date
    end: date
    text: str = field(compare=False)

    @classmethod
    def parse(cls, text: str) -> Period:
        parts = text.split("/")
        if len(parts) == 2:
            first, last = cls.parse(parts[0]), cls.parse(parts[1])
            if last.end < first.start:
                raise ValueError(f"period ends before it starts: {text!r}")
            return cls(first.start, last.end, text)
        if len(parts) != 1:
            raise ValueError(f"not a period: {text!r}")
        m = _PERIOD.match(text)
        if not m:
            raise ValueError(f"not a period: {text!r}")
        year = int(m["y"])
        if m["q"]:
            q = int(m["q"][1])
            return cls(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), text)
        if m["h"]:
            h = int(m["h"][1])
            return cls(date(year, 6 * h - 5, 1), _month_end(year, 6 * h), text)
        if m["m"]:
            month = int(m["m"])
            if m["d"]:
                day = date(year, month, int(m["d"]))
                return cls(day, day, text)
            return cls(date(year, month, 1), _month_end(year, month), text)
        return cls(date(year, 1, 1), date(year, 12, 31), text)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def granularity(self) -> str:
        """year, half, quarter, month, day, or span (a cumulative interval)."""
        if "/" in self.text:
            return "span"
        if "-Q" in self.text:
            return "quarter"
        if "-H" in self.text:
            return "half"
        return {1: "year", 2: "month", 3: "day"}[len(self.text.split("-"))]

    def previous(self) -> Period | None:
        """The period just before, of the same granularity (for pct_mom, pct_qoq checks)."""
        g = self.granularity
        if g == "month":
            y, m = self.start.year, self.start.month - 1
            if m == 0:
                y, m = y - 1, 12
            return Period.parse(f"{y:04d}-{m:02d}")
        if g == "quarter":
            q = (self.start.month - 1) // 3 + 1 - 1
            y = self.start.year
            if q == 0:
                y, q = y - 1, 4
            return Period.parse(f"{y:04d}-Q{q}")
        if g == "year":
            return Period.parse(f"{self.start.year - 1:04d}")
        return None

    def year_before(self) -> Period:
        """The same period a year earlier (for pct_yoy)."""
        return Period.parse(_shift_years(self.text, -1))

    def __str__(self) -> str:
        return self.text


def _shift_years(text: str, years: int) -> str:
    return re.sub(r"\d{4}", lambda m: f"{int(m.group()) + years:04d}", text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _plain_number(value: float) -> float | int:
    """1026000.0 prints as 1026000, 91.6 stays 91.6."""
    if value == int(value) and abs(value) < 1e18:
        return int(value)
    return round(value, 10)


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))
