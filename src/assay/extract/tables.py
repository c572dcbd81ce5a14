"""Tables in clean text: rows of `a | b | c`, or one cell per line with `|` lines between them.

A table's header names what its columns hold (a year, a price range, an average, a change, a
unit such as 元/吨 or 万美元) and its first column names the product of each row; the line
above the table (a caption such as "表1 中国镁产品出口量分品种(吨)") gives the metric and unit
when the header does not. Each numeric cell becomes one fact. Columns of absolute changes
(涨跌 in 元/吨) are not facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from assay.extract.gazetteer import COMMODITY, METRIC, Mention, find_mentions
from assay.model import Basis, Fact, Quantity

_CELL_NUMBER = re.compile(
    r"^\s*(?P<sign>[+\-−])?\s*(?P<low>\d[\d,]*(?:\.\d+)?)\s*(?:[-~～–—]\s*(?P<high>\d[\d,]*(?:\.\d+)?))?\s*(?P<pct>%)?\s*$"
)
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*年?\s*$")
_UNIT_HINTS: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"万元/吨|万元/t", re.I), "CNY/t", 10_000.0),
    (re.compile(r"元/吨|元/t|元/公吨|RMB/t|CNY/t|yuan/t", re.I), "CNY/t", 1.0),
    (re.compile(r"元/千克|元/公斤|元/kg|CNY/kg", re.I), "CNY/kg", 1.0),
    (re.compile(r"美元/吨|USD/t|\$/t|US\$/t", re.I), "USD/t", 1.0),
    (re.compile(r"美元/千克|美元/公斤|USD/kg|\$/kg", re.I), "USD/kg", 1.0),
    (re.compile(r"亿美元"), "USD", 100_000_000.0),
    (re.compile(r"万美元"), "USD", 10_000.0),
    (re.compile(r"千美元|USD\s*'?000|US\$\s*'?000|thousand (?:US )?dollars", re.I), "USD", 1_000.0),
    (re.compile(r"美元|USD|US\$", re.I), "USD", 1.0),
    (re.compile(r"亿元"), "CNY", 100_000_000.0),
    (re.compile(r"万元"), "CNY", 10_000.0),
    (re.compile(r"万吨"), "t", 10_000.0),
    (re.compile(r"千吨|kt\b|'000\s*t", re.I), "t", 1_000.0),
    (re.compile(r"吨|\btonnes?\b|\btons?\b|\(t\)|（t）|\bmt\b", re.I), "t", 1.0),
)  # fmt: skip
_CHANGE_ABS = re.compile(r"涨跌(?!幅)|变动|change(?!\s*%)|\+/-", re.I)
_CHANGE_PCT = re.compile(r"涨跌幅|增幅|增长率|同比|降幅|变化率|change\s*%|%\s*change|yoy|y-o-y", re.I)
_AVERAGE = re.compile(r"均价|平均|average|avg", re.I)


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Column:
    period: str | None
    unit: str | None
    scale: float
    change_abs: bool
    change_pct: bool


class TableReader:
    """Finds tables in a text and reads their numeric cells as facts (doc and version set by the caller)."""

    def __init__(self, text: str, mentions: list[Mention], quantities: list[Quantity], reference: date | None) -> None:
        self.text = text
        self.mentions = mentions
        self.reference = reference
        self.covered: list[tuple[int, int]] = []
        self._facts: list[Fact] = []
        self._read()

    def facts(self) -> list[Fact]:
        return list(self._facts)

    # --- finding tables --------------------------------------------------------------------

    def _lines(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        pos = 0
        for line in self.text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans

    def _read(self) -> None:
        lines = self._lines()
        i = 0
        while i < len(lines):
            s, e = lines[i]
            line = self.text[s:e]
            if _is_cell_line(self.text, lines, i) and (
                line.strip() == "|" or line.strip().endswith("|") or _next_is_bar(self.text, lines, i)
            ):
                j = i
                while j < len(lines) and _is_cell_line(self.text, lines, j):
                    j += 1
                if j - i >= 8:
                    self._read_cell_per_line(lines, i, j)
                    i = j
                    continue
            if line.count("|") >= 2 and "|" in line.strip()[1:]:
                j = i
                while j < len(lines) and self.text[lines[j][0] : lines[j][1]].count("|") >= 1:
                    j += 1
                if j - i >= 2:
                    self._read_pipe_rows(lines, i, j)
                    i = j
                    continue
            i += 1

    def _caption(self, lines: list[tuple[int, int]], first: int) -> str:
        for k in range(first - 1, max(-1, first - 3), -1):
            s, e = lines[k]
            if self.text[s:e].strip():
                return self.text[s:e]
        return ""

    def _read_pipe_rows(self, lines: list[tuple[int, int]], first: int, last: int) -> None:
        rows: list[list[Cell]] = []
        for k in range(first, last):
            s, e = lines[k]
            cells: list[Cell] = []
            pos = s
            line = self.text[s:e]
            for part in line.split("|"):
                content = part.strip()
                offset = pos + (part.index(content) if content else 0)
                cells.append(Cell(offset, offset + len(content), content))
                pos += len(part) + 1
            if line.strip().startswith("|") and cells and not cells[0].text:
                cells = cells[1:]  # markdown: "| a | b |"
            if all(re.fullmatch(r"[-:= ]*", c.text) for c in cells):
                continue  # markdown's rule under the header
            rows.append(cells)
        self.covered.append((lines[first][0], lines[last - 1][1]))
        header = [c.text for c in rows[0]]
        label_in_header = not _is_number(header[0]) and not _YEAR.match(header[0]) and header[0] != ""
        columns = header[1:] if label_in_header else header
        caption = self._caption(lines, first)
        truncated_end = lines[last - 1][1] >= len(self.text.rstrip())
        for r, row in enumerate(rows[1:], start=1):
            if not row or _is_number(row[0].text):
                continue
            values = row[1:]
            for c, cell in enumerate(values):
                if r == len(rows) - 1 and truncated_end and c == len(values) - 1 and cell.text:
                    continue  # the text was cut inside this cell
                head = columns[c] if c < len(columns) else ""
                self._cell_fact(row[0], cell, head, " ".join(header) + " " + caption, caption)

    def _read_cell_per_line(self, lines: list[tuple[int, int]], first: int, last: int) -> None:
        cells: list[Cell] = []
        for k in range(first, last):
            s, e = lines[k]
            raw = self.text[s:e]
            content = raw.strip().strip("|").strip()
            if content:
                offset = s + raw.index(content)
                cells.append(Cell(offset, offset + len(content), content))
        first_number = next((i for i, c in enumerate(cells) if _is_number(c.text)), None)
        if first_number is None or first_number < 3:
            return
        width = first_number - 1  # the header, then the first row's label
        header, body = cells[:width], cells[width:]
        self.covered.append((lines[first][0], lines[last - 1][1]))
        caption = self._caption(lines, first)
        context = " ".join(c.text for c in header) + " " + caption
        for r in range(0, len(body), width):
            row = body[r : r + width]
            if len(row) < 2 or _is_number(row[0].text):
                continue
            for c, cell in enumerate(row[1:], start=1):
                head = header[c].text if c < len(header) else ""
                self._cell_fact(row[0], cell, head, context, caption)

    # --- reading one cell -------------------------------------------------------------------

    def _column(self, head: str, context: str) -> Column:
        year = _YEAR.match(head)
        unit, scale = _unit_of(head)
        if unit is None:
            unit, scale = _unit_of(context)
        return Column(
            period=year.group(1) if year else None,
            unit=unit,
            scale=scale,
            change_abs=bool(_CHANGE_ABS.search(head)),
            change_pct=bool(_CHANGE_PCT.search(head)),
        )

    def _cell_fact(self, label: Cell, cell: Cell, head: str, context: str, caption: str) -> None:
        m = _CELL_NUMBER.match(cell.text)
        if not m:
            return
        column = self._column(head, context)
        low = float(m["low"].replace(",", ""))
        high = float(m["high"].replace(",", "")) if m["high"] else None
        negative = m["sign"] in ("-", "−")
        commodity = self._commodity(label) or self._commodity_in(caption)
        if commodity is None or commodity[0] == "-":
            return
        metric = self._metric(context, column)
        if metric is None:
            return
        if m["pct"]:
            if column.change_abs and not column.change_pct and not head:
                return
            if not column.change_pct:
                return
            value = -low if negative else low
            unit = (
                "pct_yoy" if _consecutive_years(context) or re.search(r"同比|yoy|y-o-y", head, re.I) else "pct_change"
            )
            period = self._latest_year(context)
            self._add(label, cell, commodity, metric, value, None, unit, period)
            return
        if column.change_abs or column.change_pct or negative or column.unit is None or low == 0:
            return
        if metric == "price" and "/" not in column.unit:
            return
        if metric != "price" and "/" in column.unit:
            return
        value = low * column.scale
        value_high = high * column.scale if high is not None else None
        period = column.period or self._caption_year(caption)
        if period is None and metric == "price" and self.reference is not None:
            period = self.reference.isoformat()
        self._add(label, cell, commodity, metric, value, value_high, column.unit, period)

    def _add(
        self,
        label: Cell,
        cell: Cell,
        commodity: tuple[str, str | None],
        metric: str,
        value: float,
        value_high: float | None,
        unit: str,
        period: str | None,
    ) -> None:
        self._facts.append(
            Fact(
                doc="",
                commodity=commodity[0],
                metric=metric,
                geo="CN",
                period=period,
                value=value,
                unit=unit,
                basis=Basis.ACTUAL,
                quote=cell.text,
                start=cell.start,
                end=cell.end,
                value_high=value_high,
                form=commodity[1],
                rule=f"table.{metric}",
            )
        )

    def _commodity(self, label: Cell) -> tuple[str, str | None] | None:
        found = [m for m in self.mentions if m.kind == COMMODITY and label.start <= m.start < label.end]
        if not found:
            return None
        best = max(found, key=lambda m: m.end - m.start)
        return best.value, best.form

    def _commodity_in(self, caption: str) -> tuple[str, str | None] | None:
        for m in _mentions_of(caption):
            if m.kind == COMMODITY:
                return m.value, m.form
        return None

    def _metric(self, context: str, column: Column) -> str | None:
        if column.unit and "/" in column.unit:
            return "price"
        metrics = [m.value for m in _mentions_of(context) if m.kind == METRIC]
        if column.unit in ("USD", "CNY", "EUR"):
            if any(v in ("exports", "imports", "trade_value", "value") for v in metrics):
                return "trade_value"
            money = [v for v in metrics if v in ("revenue", "net_profit", "investment", "output_value")]
            return money[0] if money else None
        for v in metrics:
            if v in ("exports", "imports", "production", "consumption", "reserves", "capacity", "price"):
                return v
        return None

    def _latest_year(self, context: str) -> str | None:
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", context)
        return max(years) if years else None

    def _caption_year(self, caption: str) -> str | None:
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", caption)
        return years[-1] if len(years) == 1 else None


@lru_cache(maxsize=256)
def _mentions_of(context: str) -> tuple[Mention, ...]:
    """Mentions in a table's header and caption, read once per table rather than once per cell."""
    return tuple(find_mentions(context))


def _is_cell_line(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    s, e = lines[k]
    stripped = text[s:e].strip()
    return stripped == "|" or (0 < len(stripped) <= 40 and (stripped.endswith("|") or _next_is_bar(text, lines, k)))


def _next_is_bar(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    if k + 1 >= len(lines):
        return False
    s, e = lines[k + 1]
    return text[s:e].strip() == "|"


def _is_number(cell: str) -> bool:
    return bool(_CELL_NUMBER.match(cell)) and not _YEAR.match(cell)


def _unit_of(text: str) -> tuple[str | None, float]:
    for pattern, unit, scale in _UNIT_HINTS:
        if pattern.search(text):
            return unit, scale
    return None, 1.0


def _consecutive_years(context: str) -> bool:
    years = sorted({int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", context)})
    return len(years) >= 2 and years[-1] - years[-2] == 1
