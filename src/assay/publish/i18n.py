"""The words of reports and digests in English and Chinese, and how numbers and names are written."""

from __future__ import annotations

import re

import pycountry

from assay.vocab import commodities, places

LANGS = ("en", "zh")
_CJK = re.compile(r"[\u4e00-\u9fff]")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "report_title": "{name}: market report",
        "generated": "Written by assay on {date} from {n_docs} documents; facts since {since}.",
        "all_time": "the earliest record",
        "summary": "Summary",
        "key_figures": "Key figures",
        "charts": "Charts",
        "events": "Policy and events timeline",
        "contradictions": "Open contradictions",
        "sources": "Sources",
        "figure": "Figure",
        "period": "Period",
        "value": "Value",
        "sources_n": "Sources",
        "spread": "Spread",
        "cited": "Cited",
        "date": "Date",
        "event": "Event",
        "actor": "Actor",
        "stance": "Stance",
        "no_data": "Nothing stored yet.",
        "undated": "undated",
        "s_production": "{geo} produced {value} of {commodity} in {period} {cite}",
        "s_share": ", {share} of the world total {cite}",
        "s_level": "{geo}'s {metric} of {commodity} were {value} in {period} {cite}",
        "s_price": "The assessed price over the {days} days to {as_of} is {low} to {high} (mid {mid}), from "
        "{n} quotes of {sources} sources {cite}",
        "s_events": "{n} policy and market events are on record; the latest: {what} ({date}) {cite}",
        "s_checks": "{n} contradictions between sources remain open (see below).",
        "s_no_checks": "No contradictions between sources are open.",
        "chart_shares": "{metric} share by country, {year}",
        "chart_exports": "Exports by period",
        "chart_destinations": "Exports by destination, {period}",
        "chart_prices": "{commodity} price history ({unit}) with the assessment band",
        "chart_products": "China's exports by product, {period}",
        "chart_history": "{figure} by period",
        "band": "assessment {low}-{high}",
        "others": "others",
        "more_events": "The latest {shown} of {n} events; `assay events` lists them all.",
        "more_contradictions": "The latest {shown} of {n} contradictions; `assay check` lists them all.",
        "quote": "Quote",
        "published": "published",
    },
    "zh": {
        "report_title": "{name}市场报告",
        "generated": "assay于{date}根据{n_docs}篇文档撰写；事实自{since}起。",
        "all_time": "最早记录",
        "summary": "摘要",
        "key_figures": "关键数据",
        "charts": "图表",
        "events": "政策与事件时间线",
        "contradictions": "未解决的矛盾",
        "sources": "资料来源",
        "figure": "指标",
        "period": "时期",
        "value": "数值",
        "sources_n": "来源数",
        "spread": "离散度",
        "cited": "引用",
        "date": "日期",
        "event": "事件",
        "actor": "主体",
        "stance": "方向",
        "no_data": "暂无数据。",
        "undated": "日期不详",
        "s_production": "{period}{geo}{commodity}产量为{value}{cite}",
        "s_share": "，占全球总量的{share}{cite}",
        "s_level": "{period}{geo}{commodity}{metric}为{value}{cite}",
        "s_price": "截至{as_of}的{days}天内，评估价格为{low}至{high}（中值{mid}），"
        "基于{sources}个来源的{n}条报价{cite}",
        "s_events": "共记录{n}项政策与市场事件；最新一项：{what}（{date}）{cite}",
        "s_checks": "来源之间仍有{n}处矛盾未解决（见下文）。",
        "s_no_checks": "来源之间没有未解决的矛盾。",
        "chart_shares": "{year}年各国{metric}占比",
        "chart_exports": "各时期出口量",
        "chart_destinations": "{period}出口目的地",
        "chart_prices": "{commodity}价格走势（{unit}）及评估区间",
        "chart_products": "{period}中国各产品出口量",
        "chart_history": "{figure}（按时期）",
        "band": "评估区间 {low}-{high}",
        "others": "其他",
        "more_events": "仅列出{n}项事件中最新的{shown}项；完整列表见 `assay events`。",
        "more_contradictions": "仅列出{n}处矛盾中最新的{shown}处；完整列表见 `assay check`。",
        "quote": "原文",
        "published": "发布",
    },
}

METRIC_ZH = {
    "production": "产量",
    "exports": "出口量",
    "imports": "进口量",
    "reserves": "储量",
    "capacity": "产能",
    "consumption": "消费量",
    "price": "价格",
    "mining_quota": "开采指标",
    "smelting_quota": "冶炼分离指标",
    "trade_value": "贸易额",
    "revenue": "营业收入",
    "net_profit": "净利润",
}
EVENT_ZH = {
    "export_control": "出口管制",
    "production_quota": "生产配额",
    "consolidation": "整合重组",
    "industrial_policy": "产业政策",
    "environmental_enforcement": "环保督察",
    "supply_disruption": "供应中断",
    "tariff": "关税",
    "export_licence": "出口许可",
}
UNIT_ZH = {"t": "吨", "t/yr": "吨/年", "kt": "千吨"}


def text(lang: str, key: str, **values: object) -> str:
    return TEXT[lang][key].format(**values)


def commodity_name(commodity: str, lang: str) -> str:
    item = commodities().get(commodity)
    if item is None:
        return commodity
    if lang == "zh":
        chinese = next((w for w in item.wordings if _CJK.search(w)), None)
        if chinese:
            return chinese
    name = item.name.split(" (")[0]  # "Rare earths in aggregate (usually REO)": the note is for the vocabulary
    return name[:1].upper() + name[1:]


def metric_name(metric: str, lang: str) -> str:
    if lang == "zh":
        return METRIC_ZH.get(metric, metric)
    return metric.replace("_", " ")


def event_name(event_type: str, lang: str) -> str:
    if lang == "zh":
        return EVENT_ZH.get(event_type, event_type)
    return event_type.replace("_", " ")


def place_name(code: str, lang: str) -> str:
    if code == "WORLD":
        return "全球" if lang == "zh" else "the world"
    place = places().get(code)
    if lang == "zh" and place is not None and place.chinese:
        return place.chinese
    if place is not None:
        return place.name
    if len(code) == 2 and code.isalpha():
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            return str(getattr(country, "common_name", None) or country.name)
    return code


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_words(period: str, lang: str) -> str:
    """2024 → "2024" / "2024年"; 2024-03 → "March 2024" / "2024年3月"; other periods as written."""
    if len(period) == 4 and period.isdigit():
        return f"{period}年" if lang == "zh" else period
    if len(period) == 7 and period[:4].isdigit() and period[4] == "-" and period[5:].isdigit():
        year, month = period[:4], int(period[5:])
        if 1 <= month <= 12:
            return f"{year}年{month}月" if lang == "zh" else f"{MONTHS[month - 1]} {year}"
    return period


def number(value: float, unit: str, lang: str) -> str:
    """1230000 t → "1,230,000 t" (或 "1,230,000吨"); percentages as "54.2%"."""
    if unit in ("pct", "%") or unit.startswith("pct"):
        return f"{value:,.1f}%"
    shown = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
    if lang == "zh":
        return f"{shown}{UNIT_ZH.get(unit, ' ' + unit)}"
    return f"{shown} {unit}"
