"""Results tables: rows of a company's measures (营业收入, 归母净利润, Revenue, Net loss) under period columns.

    金力永磁主要财务数据（单位：亿元）            Condensed results (in millions of US$)
    项目 | 2025Q2 | 2025Q1 | 2024Q2                    | Three months ended September 30, 2025 | …
    营业收入 | 17.53 | 17.54 | 18.25                  Net loss | (41.8) | (25.5)

The header row names a period in each column (2025Q2, Q3 2025, 2025E, FY2024, 2025年上半年, "Nine months
ended September 30, 2025"); the caption or the header gives the unit and scale (单位：亿元, in millions of
US$); each row whose label is a results measure gives one fact per period column. Rows of other measures
(毛利率, Adjusted EBITDA, EPS) and columns without a period (同比, Change) give none. `(41.8)` and a net
loss are negative; a column marked E (2026E) or a caption of forecasts (盈利预测) is a forecast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from assay.extract import FACT_RULES_VERSION
from assay.extract.facts.results_cues import find_cues
from assay.extract.periods.finder import find_periods, opens_before
from assay.model import Basis, Fact

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december")
    )
}  # fmt: skip
_MONTHS_ENDED = re.compile(
    r"\b(three|six|nine|twelve|3|6|9|12)[- ]months?\s+ended\s+([A-Za-z]+)\s+\d{1,2},?\s+((?:19|20)\d\d)", re.I
)
_FISCAL = re.compile(r"^\s*(?:FY\s*)?((?:19|20)\d\d)\s*(?:[AE]|年[AE]?)?\s*$", re.I)
_FORECAST_COLUMN = re.compile(r"(?:19|20)\d\d\s*[EF]\b|(?:19|20)\d\d\s*年?\s*[EF]$|预测|forecast|estimate", re.I)
_ACTUAL_COLUMN = re.compile(r"(?:19|20)\d\d\s*年?\s*A\b|实际", re.I)
_FORECAST_CAPTION = re.compile(r"盈利预测|预测|forecasts?|estimates", re.I)
_CELL_VALUE = re.compile(r"^\s*(?P<neg>[(（\-−])?\s*(?:US\$|\$|¥|RMB)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*[)）]?\s*$")
_US = r"(?:US\$|USD|U\.S\.\s+dollars|dollars)"
_SCALES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"亿美元"), "USD", 1e8), (re.compile(r"百万美元"), "USD", 1e6), (re.compile(r"万美元"), "USD", 1e4),
    (re.compile(r"亿元"), "CNY", 1e8), (re.compile(r"百万元"), "CNY", 1e6), (re.compile(r"万元"), "CNY", 1e4),
    (re.compile(r"千元"), "CNY", 1e3),
    (re.compile(rf"in\s+millions?\s+of\s+{_US}|(?:US\$|USD|\$)\s*(?:m|mn|million)\b", re.I), "USD", 1e6),
    (re.compile(r"in\s+thousands?\s+of\s+(?:US\$|USD|U\.S\.\s+dollars|dollars)|(?:US\$|USD|\$)\s*'?000", re.I),
     "USD", 1e3),
    (re.compile(r"in\s+billions?\s+of\s+(?:US\$|USD|dollars)|(?:US\$|USD|\$)\s*(?:bn|billion)\b", re.I), "USD", 1e9),
    (re.compile(r"in\s+millions?\s+of\s+(?:RMB|CNY|yuan)|(?:RMB|CNY)\s*(?:m|mn|million)\b", re.I), "CNY", 1e6),
    (re.compile(r"in\s+billions?\s+of\s+(?:RMB|CNY|yuan)|(?:RMB|CNY)\s*(?:bn|billion)\b", re.I), "CNY", 1e9),
    (re.compile(r"单位[:：]\s*元|\(元\)|（元）"), "CNY", 1.0),
)  # fmt: skip


def _column_period(cell: str, reference: date | None) -> str | None:
    ended = _MONTHS_ENDED.search(cell)
    if ended:
        span = {"three": 3, "six": 6, "nine": 9, "twelve": 12}.get(ended.group(1).lower()) or int(ended.group(1))
        month, year = _MONTHS.get(ended.group(2).lower()), int(ended.group(3))
        if month is None or span > month:
            return None
        if span == 3 and month % 3 == 0:
            return f"{year}-Q{month // 3}"
        return f"{year}-{month - span + 1:02d}/{year}-{month:02d}"
    fiscal = _FISCAL.match(cell)
    if fiscal:
        return fiscal.group(1)
    cell = cell.strip()
    if not opens_before(cell, 3):
        return None  # a period covering all but two characters starts within the first three
    found = find_periods(cell, reference)
    if len(found) == 1 and len(found[0].text) >= len(cell) - 2:
        return found[0].period
    return None


def _scale(caption: str) -> tuple[str, float] | None:
    return next(((unit, factor) for pattern, unit, factor in _SCALES if pattern.search(caption)), None)


def results_table_facts(
    text: str,
    reference: date | None,
    company_at: Callable[[int, int], str | None],
    commodity_of: Callable[[str], str | None],
    taken: Sequence[tuple[int, int]],
) -> list[Fact]:
    """Facts of the pipe tables of `text` whose rows are results measures; `company_at(start, end)` names
    the company of a table from its caption and context, `taken` are spans other readers have read."""
    if "|" not in text:
        return []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out: list[Fact] = []
    i = 0
    while i < len(lines):
        if text.count("|", *lines[i]) == 0:
            i += 1
            continue
        j = i
        while j < len(lines) and text.count("|", *lines[j]) > 0:
            j += 1
        out.extend(_table(text, lines, i, j, reference, company_at, commodity_of, taken))
        i = j
    return out


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in re.finditer(r"\|", text[start:end]):
        spans.append((pos, start + m.start()))
        pos = start + m.end()
    spans.append((pos, end))
    if spans and not text[spans[0][0] : spans[0][1]].strip() and text[start:end].lstrip().startswith("|"):
        spans = spans[1:]  # "| a | b |": the empty cell before the first bar
    if spans and not text[spans[-1][0] : spans[-1][1]].strip():
        spans = spans[:-1]
    return spans


def _table(
    text: str,
    lines: Sequence[tuple[int, int]],
    first: int,
    last: int,
    reference: date | None,
    company_at: Callable[[int, int], str | None],
    commodity_of: Callable[[str], str | None],
    taken: Sequence[tuple[int, int]],
) -> list[Fact]:
    header_index, periods = None, {}
    for k in range(first, min(last, first + 3)):
        cells = _cells(text, *lines[k])
        named = {c: p for c, (s, e) in enumerate(cells) if c > 0 and (p := _column_period(text[s:e], reference))}
        if len(named) >= 2 or (len(named) == 1 and len(cells) == 2):
            header_index, periods = k, named
            break
    if header_index is None:
        return []
    caption_start = lines[first - 2][0] if first >= 2 else (lines[first - 1][0] if first >= 1 else lines[first][0])
    caption = text[caption_start : lines[header_index][1]]
    scale = _scale(caption)
    company = company_at(caption_start, lines[header_index][1])
    if scale is None or company is None:
        return []
    commodity = commodity_of(company)
    if commodity is None:
        return []
    header = _cells(text, *lines[header_index])
    forecast_caption = bool(_FORECAST_CAPTION.search(caption))
    out: list[Fact] = []
    for k in range(header_index + 1, last):
        cells = _cells(text, *lines[k])
        if not cells:
            continue
        label_cues = find_cues(text[cells[0][0] : cells[0][1]])
        kind = label_cues[0].kind if label_cues else None
        if kind not in ("revenue", "net_profit", "net_loss"):
            continue
        metric = "revenue" if kind == "revenue" else "net_profit"
        for c, period in periods.items():
            if c >= len(cells) or c >= len(header):
                continue
            s, e = cells[c]
            if any(a < e and s < b for a, b in taken):
                continue
            m = _CELL_VALUE.match(text[s:e])
            if m is None:
                continue
            value = float(m.group("num").replace(",", "")) * scale[1]
            if m.group("neg") or (kind == "net_loss" and value > 0):
                value = -value
            column = text[header[c][0] : header[c][1]]
            reported = _ACTUAL_COLUMN.search(column)  # 2024A: the year already reported, under a forecast caption
            forecast = _FORECAST_COLUMN.search(column) or (forecast_caption and not reported)
            basis = Basis.FORECAST if forecast else Basis.ACTUAL
            lead = len(text[s:e]) - len(text[s:e].lstrip())
            tail = len(text[s:e]) - len(text[s:e].rstrip())
            out.append(
                Fact(
                    doc="",
                    commodity=commodity,
                    metric=metric,
                    geo=company,
                    period=period,
                    value=round(value, 6),
                    unit=scale[0],
                    basis=basis,
                    quote="",
                    start=s + lead,
                    end=e - tail,
                    rule=f"results_table.{metric}",
                    rule_version=FACT_RULES_VERSION,
                )
            )
    return out
