"""The portal's two languages: message catalogues (messages/en.json, messages/zh.json) and the way
each reader expects numbers, units, dates and periods: 1.12 million t / 112万吨, 14 Mar 2025 / 2025年3月14日.
"""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

from assay.model import Period
from assay.pipeline import FAMILY_OF_ROOT
from assay.vocab import commodities, metrics, places

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UNITS_ZH = {
    "t": "吨",
    "kt": "千吨",
    "Mt": "百万吨",
    "t/yr": "吨/年",
    "CNY/t": "元/吨",
    "CNY/kg": "元/千克",
    "USD/t": "美元/吨",
    "USD/kg": "美元/千克",
    "USD/lb": "美元/磅",
    "EUR/t": "欧元/吨",
    "EUR/kg": "欧元/千克",
    "CNY": "元",
    "USD": "美元",
    "%": "%",
    "pct_yoy": "%（同比）",
    "pct_mom": "%（环比）",
    "pct_change": "%（变动）",
}
_UNITS_EN = {"pct_yoy": "% y/y", "pct_mom": "% m/m", "pct_qoq": "% q/q", "pct_change": "% change"}
_METRICS_ZH = {
    "production": "产量",
    "exports": "出口",
    "imports": "进口",
    "reserves": "储量",
    "price": "价格",
    "capacity": "产能",
    "consumption": "消费量",
    "mining_quota": "开采配额",
    "smelting_quota": "冶炼分离配额",
}
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")
_PARTS_ZH = {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度", "H1": "上半年", "H2": "下半年"}
_STANCES_ZH = {"tighten": "收紧", "loosen": "放松", "neutral": "中性"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    text = resources.files("assay.web").joinpath("messages", f"{lang}.json").read_text(encoding="utf-8")
    loaded: dict[str, str] = json.loads(text)
    return loaded


def pick_language(requested: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The `hl` query parameter, else the cookie the switch set, else the browser's first choice of ours."""
    for choice in (requested, cookie):
        if choice in LANGUAGES:
            return str(choice)
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Locale:
    """One reader's language: messages and formats."""

    lang: str

    def t(self, key: str, **values: object) -> str:
        text = catalogue(self.lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key, key)
        return text.format(**values) if values else text

    def number(self, value: float | None, digits: int = 3) -> str:
        """A plain number with grouping: 4,500 · 36.58 · -7.5 (no scaling)."""
        if value is None:
            return "–"
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.{max(digits, 1)}g}" if abs(value) < 1000 else f"{value:,.0f}"

    def amount(self, value: float | None, unit: str | None = None, high: float | None = None) -> str:
        """A value in the reader's scale and words: 1.12 million t / 112万吨; a range as low–high."""
        if value is None:
            return "–"
        text = self._scaled(value) + (f"–{self._scaled(high)}" if high is not None else "")
        if not unit:
            return text
        shown = self.unit(unit)
        joined = self.lang == "zh" or unit == "%" or unit.startswith("pct")
        return f"{text}{shown}" if joined else f"{text} {shown}"

    def _scaled(self, value: float) -> str:
        size = abs(value)
        if self.lang == "zh":
            for step, word in ((1e8, "亿"), (1e4, "万")):
                if size >= step:
                    return f"{_trim(value / step)}{word}"
            return self.number(value)
        for step, word in ((1e9, " billion"), (1e6, " million")):
            if size >= step:
                return f"{_trim(value / step)}{word}"
        return self.number(round(value, 2) if size >= 100 else value)

    def unit(self, unit: str) -> str:
        return _UNITS_ZH.get(unit, unit) if self.lang == "zh" else _UNITS_EN.get(unit, unit)

    def percent(self, ratio: float | None) -> str:
        return "–" if ratio is None else f"{ratio * 100:+.1f}%"

    def date(self, text: str | None) -> str:
        """2025-03-14 → 14 Mar 2025 / 2025年3月14日; a month or year likewise; anything else as given."""
        if not text:
            return "–"
        parts = text[:10].split("-")
        if not all(p.isdigit() for p in parts):
            return text
        numbers = [int(p) for p in parts]
        if self.lang == "zh":
            return "".join(f"{n}{mark}" for n, mark in zip(numbers, ("年", "月", "日"), strict=False))
        if len(numbers) == 3:
            return f"{numbers[2]} {_MONTHS[numbers[1] - 1]} {numbers[0]}"
        if len(numbers) == 2:
            return f"{_MONTHS[numbers[1] - 1]} {numbers[0]}"
        return str(numbers[0])

    def period(self, text: str | None) -> str:
        """FactSpec periods for reading: 2024-Q3 → Q3 2024 / 2024年第三季度; days and months as dates."""
        if not text:
            return "–"
        try:
            Period.parse(text)
        except ValueError:
            return text
        if "/" in text:
            start, end = text.split("/", 1)
            return f"{self.period(start)}–{self.period(end)}"
        if "-Q" in text or "-H" in text:
            year, part = text.split("-", 1)
            if self.lang == "zh":
                return f"{year}年{_PARTS_ZH.get(part, part)}"
            return f"{part} {year}"
        return self.date(text)

    def commodity(self, commodity_id: str | None) -> str:
        item = commodities().get(commodity_id or "")
        if item is None:
            return commodity_id or ""
        if self.lang == "zh":
            chinese = [w for w in item.wordings if any("\u4e00" <= ch <= "\u9fff" for ch in w)]
            if chinese:
                return min(reversed(chinese), key=len)
        return _TRAILING_NOTE.sub("", item.name)  # "rare earths in aggregate (usually REO)" reads without the note

    def family(self, family: str) -> str:
        """A commodity family as stored on documents (`magnets`, `rare_earths`), by its main commodity's name."""
        if f"family.{family}" in catalogue(self.lang):
            return self.t(f"family.{family}")
        if family in commodities():
            return self.commodity(family)
        root = next((r for r, f in FAMILY_OF_ROOT.items() if f == family), None)
        return self.commodity(root) if root else family

    def metric(self, metric_id: str | None) -> str:
        if self.lang == "zh" and metric_id in _METRICS_ZH:
            return _METRICS_ZH[metric_id]
        return (metric_id or "").replace("_", " ") if metric_id in metrics() else (metric_id or "")

    def place(self, code: str | None) -> str:
        """A geo code as a name: vocabulary places first, then ISO countries (Chinese names from
        pycountry's iso3166-1 catalogue); anything else as given."""
        if not code:
            return ""
        if code == "WORLD" and self.lang == "en":
            return "World"
        known = places().get(code)
        if known is not None:
            name = known.chinese if self.lang == "zh" else known.name.split(" / ")[0]
            return name or code
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 and code.isalpha() else None
        if country is None:
            return code
        name = str(getattr(country, "common_name", None) or country.name)
        return _countries_zh().gettext(str(country.name)) if self.lang == "zh" else name

    def event_type(self, event_type: str) -> str:
        return self.t(f"event.type.{event_type}") if f"event.type.{event_type}" in catalogue(self.lang) else event_type

    def form(self, form: str | None) -> str:
        if not form:
            return ""
        return self.t(f"form.{form}") if f"form.{form}" in catalogue(self.lang) else form

    def stance(self, stance: str) -> str:
        return _STANCES_ZH.get(stance, stance) if self.lang == "zh" else stance


@cache
def _countries_zh() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def _trim(value: float) -> str:
    """Three significant figures without trailing zeros: 1.12, 112, 4.5."""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
