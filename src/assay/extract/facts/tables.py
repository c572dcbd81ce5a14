"""Tables in clean text: rows of `a | b | c`, or one cell per line with `|` lines between them.

A table's header names what its columns hold (a year, a price range, an average, a change, a
unit such as 元/吨 or 万美元) and its first column names the product of each row; the line
above the table (a caption such as "表1 中国镁产品出口量分品种(吨)") gives the metric and unit
when the header does not. Each numeric cell becomes one fact. Columns of absolute changes
(涨跌 in 元/吨) are not facts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from assay.extract.periods.finder import find_periods
from assay.extract.text.gazetteer import COMMODITY, GEO, METRIC, Mention, find_mentions
from assay.extract.text.layout import SPACE_ROW, is_cell_line, next_is_bar, pipe_follows
from assay.model import Basis, Fact, Quantity

_CELL_NUMBER = re.compile(
    r"^\s*(?P<sign>[+\-−])?\s*(?P<low>\d[\d,]*(?:\.\d+)?)\s*(?:[-~～–—]\s*(?P<high>\d[\d,]*(?:\.\d+)?))?\s*(?P<pct>%)?\s*$"
)
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*年?\s*$")
_YEAR_NOTE = re.compile(r"\s*[(（][^)）]{0,20}[)）]\s*$")  # "2023 (estimate)"
_UNIT_HINTS: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"(?:US\$|\$|USD|dollars?)\s*(?:per|/)\s*(?:kilogram|kg)", re.I), "USD/kg", 1.0),
    (re.compile(r"(?:US\$|\$|USD|dollars?)\s*(?:per|/)\s*(?:tonne|ton|t\b|mt)", re.I), "USD/t", 1.0),
    (re.compile(r"(?:yuan|RMB|CNY)\s*(?:per|/)\s*(?:tonne|ton|t\b|mt)", re.I), "CNY/t", 1.0),
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
    (re.compile(r"千吨|kt\b|'000\s*t|thousand (?:metric )?(?:tonnes|tons|t\b)", re.I), "t", 1_000.0),
    (re.compile(r"吨|\btonnes?\b|\btons?\b|\(t\b|（t）|\bmt\b|\bt REO\b", re.I), "t", 1.0),
)  # fmt: skip
_CHANGE_ABS = re.compile(r"涨跌(?!幅)|变动|change(?!\s*%)|\+/-", re.I)
_CHANGE_PCT = re.compile(r"涨跌幅|增幅|增长率|同比|降幅|变化率|change\s*%|%\s*change|yoy|y-o-y", re.I)
_LOW = re.compile(r"最低|低端|\blow\b|\bmin", re.I)
_HIGH = re.compile(r"最高|高端|\bhigh\b|\bmax", re.I)
_SHARE_HEAD = re.compile(r"\bshare\b|占比|比重|份额", re.I)
_SHARES = {"exports": "exports_share", "imports": "imports_share", "production": "production_share",
           "reserves": "reserves_share", "capacity": "capacity_share"}  # fmt: skip
_REVENUE_HEAD = re.compile(r"营收|营业收入|營收|營業收入|\brevenues?\b|\bsales\b", re.I)
_AVERAGE = re.compile(r"均价|平均|average|avg", re.I)
# A price report's columns of this week's and last week's quotes, dated from the page's date
_WEEK = re.compile(r"\b(?P<en>this|last|previous|prior)\s+week\b|(?P<zh>本|上)(?:周|週|星期)", re.I)
# A row that names its own unit ("Terbium Oxide  99.9%  Kg  14000-15000") in a table whose header says
# only "UNIT": the weight of a quote, its currency being the one the page quotes prices in.
_ROW_WEIGHT = re.compile(r"(?:^|\s)(?P<w>tonnes?|tons?|mt|t|kgs?|kilograms?|吨|噸|公斤|千克)\s*$", re.I)
_PRICE_WORD = re.compile(r"\bprices?\b|价格|價格|报价|報價", re.I)
_CURRENCY_WORD = re.compile(r"(?P<cny>yuan|RMB|CNY|元)|(?P<usd>US\$|\$|USD|dollars?)", re.I)


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


def _space_row(line: str) -> re.Match[str] | None:
    """`SPACE_ROW.match(line)`, not tried on a line that cannot end in a value: a row's last value
    ends with a digit, a comma or %, and only spaces and tabs follow it (prose lines mostly fail here)."""
    tail = line.rstrip(" \t")[-1:]
    if not tail or not (tail.isdecimal() or tail in ",%"):
        return None
    return SPACE_ROW.match(line)


class TableReader:
    """Finds tables in a text and reads their numeric cells as facts (doc and version set by the caller)."""

    def __init__(
        self,
        text: str,
        mentions: list[Mention],
        quantities: list[Quantity],
        reference: date | None,
        default_geo: str = "CN",
    ) -> None:
        self.default_geo = default_geo
        self.text = text
        self.mentions = mentions
        self.reference = reference
        self.covered: list[tuple[int, int]] = []
        self._starts = [m.start for m in mentions]
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
        bars = "|" in self.text  # a text without one has neither cells on lines of their own nor pipe rows
        i = 0
        while i < len(lines):
            s, e = lines[i]
            line = self.text[s:e]
            if (
                bars
                and is_cell_line(self.text, lines, i)
                and (line.strip() == "|" or line.strip().endswith("|") or next_is_bar(self.text, lines, i))
            ):
                j = i
                while j < len(lines) and is_cell_line(self.text, lines, j):
                    j += 1
                if j - i >= 8:
                    self._read_cell_per_line(lines, i, j)
                    i = j
                    continue
            if bars and "|" in line.strip()[1:-1] and pipe_follows(self.text, lines, i):
                j = i
                while j < len(lines) and (
                    self.text[lines[j][0] : lines[j][1]].count("|") >= 1
                    or (not self.text[lines[j][0] : lines[j][1]].strip() and pipe_follows(self.text, lines, j))
                ):
                    j += 1
                if j - i >= 2:
                    self._read_pipe_rows(lines, i, j)
                    i = j
                    continue
            if _space_row(line):
                j = i
                while j < len(lines) and _space_row(self.text[lines[j][0] : lines[j][1]]):
                    j += 1
                if j - i >= 2 and i > 0:
                    self._read_space_rows(lines, i, j)
                    i = j
                    continue
            i += 1

    def _caption(self, lines: list[tuple[int, int]], first: int, count: int = 2) -> str:
        """The non-blank lines just above a table (its title, unit and what it counts)."""
        found: list[str] = []
        for k in range(first - 1, max(-1, first - 6), -1):
            s, e = lines[k]
            if self.text[s:e].strip():
                found.insert(0, self.text[s:e])
                if len(found) == count:
                    break
        return "\n".join(found)

    def _read_pipe_rows(self, lines: list[tuple[int, int]], first: int, last: int) -> None:
        rows: list[list[Cell]] = []
        for k in range(first, last):
            s, e = lines[k]
            line = self.text[s:e]
            if not line.strip():
                continue
            cells: list[Cell] = []
            pos = s
            for part in line.split("|"):
                content = part.strip()
                offset = pos + (part.index(content) if content else 0)
                cells.append(Cell(offset, offset + len(content), content))
                pos += len(part) + 1
            if line.strip().startswith("|") and cells and not cells[0].text:
                cells = cells[1:]  # markdown: "| a | b |"
            while cells and not cells[-1].text:
                cells = cells[:-1]
            if not cells or all(re.fullmatch(r"[-:= ]*", c.text) for c in cells):
                continue  # markdown's rule under the header
            rows.append(cells)
        self.covered.append((lines[first][0], lines[last - 1][1]))
        if len(rows) < 2:
            return
        caption = self._caption(lines, first)
        while len(rows) >= 3 and len(rows[0]) < len(rows[1]) <= len(rows[2]):
            caption = caption + "\n" + " ".join(c.text for c in rows[0])  # title or caption lines with pipes
            rows = rows[1:]
        truncated = lines[last - 1][1] == len(self.text)  # the text stops inside this table
        if truncated and rows[-1] and not self.text[lines[last - 1][0] : lines[last - 1][1]].rstrip().endswith("|"):
            rows[-1] = rows[-1][:-1]  # the text was cut inside the last cell
        self._grid([c.text for c in rows[0]], rows[1:], caption)

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
        self.covered.append((lines[first][0], lines[last - 1][1]))
        rows = [cells[r : r + width] for r in range(width, len(cells), width)]
        self._grid([c.text for c in cells[:width]], rows, self._caption(lines, first))

    def _read_space_rows(self, lines: list[tuple[int, int]], first: int, last: int) -> None:
        """A table laid out with spaces (from a PDF): a header line, then `label 140,000 135,000` rows."""
        rows: list[list[Cell]] = []
        for k in range(first, last):
            s, e = lines[k]
            m = _space_row(self.text[s:e])
            if m is None:
                continue
            row = [Cell(s + m.start("label"), s + m.end("label"), m["label"].strip())]
            for n in re.finditer(r"\S+", m["values"]):
                row.append(Cell(s + m.start("values") + n.start(), s + m.start("values") + n.end(), n.group()))
            rows.append(row)
        width = max(len(r) - 1 for r in rows)
        hs, he = lines[first - 1]
        header_text = self.text[hs:he]
        columns = _space_header(header_text, width)
        if columns is None:
            return
        self.covered.append((lines[first][0], lines[last - 1][1]))
        self._grid(["", *columns], rows, self._caption(lines, first - 1) + " " + header_text)

    # --- reading one cell -------------------------------------------------------------------

    def _grid(self, header: list[str], rows: list[list[Cell]], caption: str) -> None:
        """Read every numeric cell of a table whose first column labels the rows."""
        while header and not header[-1]:
            header = header[:-1]
        context = " ".join(header) + " " + caption
        for row in rows:
            if not row:
                continue
            label, values = row[0], row[1:]
            if _is_number(label.text) and len(row) == len(header):
                label, values = Cell(label.start, label.start, ""), row  # a row of values under a header of years
            columns = header[1:] if len(header) == len(values) + 1 else header
            c = 0
            while c < len(values):
                cell, head = values[c], columns[c] if c < len(columns) else ""
                nxt = columns[c + 1] if c + 1 < len(columns) else ""
                if c + 1 < len(values) and _LOW.search(head) and _HIGH.search(nxt):
                    high = values[c + 1]  # 最低价 | 最高价 side by side: one range
                    cell = Cell(cell.start, high.end, f"{cell.text}-{high.text}")
                    c += 1
                self._cell_fact(label, cell, head, context, caption)
                c += 1

    def _column(self, head: str, context: str) -> Column:
        year = _YEAR.match(_YEAR_NOTE.sub("", head))
        years_in_head = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", head)
        if year is None and len(years_in_head) == 1:
            year = re.search(r"((?:19|20)\d\d)", head)  # "First batch 2024"
        unit, scale = _unit_of(head)
        if unit is None:
            unit, scale = _nearest_unit(context)
        period = year.group(1) if year else None
        week = _WEEK.search(head)
        if period is None and week and self.reference is not None:
            last = (week["en"] or "").lower() in ("last", "previous", "prior") or week["zh"] == "上"
            period = (self.reference - timedelta(days=7 if last else 0)).isoformat()
        return Column(
            period=period,
            unit=unit,
            scale=scale,
            change_abs=bool(_CHANGE_ABS.search(head)),
            change_pct=bool(_CHANGE_PCT.search(head)),
        )

    def _cell_fact(self, label: Cell, cell: Cell, head: str, context: str, caption: str) -> None:
        m = _CELL_NUMBER.match(cell.text)
        if not m or _is_number(label.text):
            return
        column = self._column(head, context)
        low = float(m["low"].replace(",", ""))
        high = float(m["high"].replace(",", "")) if m["high"] else None
        negative = m["sign"] in ("-", "−")
        row_year = _YEAR.match(_YEAR_NOTE.sub("", label.text))
        row_date = None
        if not row_year and label.text and len(label.text) <= 20:
            dated = [p for p in find_periods(label.text, self.reference) if p.end - p.start >= len(label.text) - 1]
            row_date = dated[0].period if dated else None
        commodity = (
            self._commodity(label)
            or _commodity_in(head)
            or _commodity_in(caption.rsplit("\n", 1)[-1])
            or _commodity_in(caption)
            or _commodity_in(context)
            or self._commodity_before(label.start)
        )
        if commodity is None or commodity[0] == "-":
            return
        metric = _metric_in(label.text, column) or _metric_in(head, column)
        if metric is None and re.search(r"quota|指标|配额", context, re.I):
            if re.search(r"smelt|separat|冶炼|分离", label.text, re.I):
                metric = "smelting_quota"  # a row per quota: "Mining | 135,000", "Smelting and separation | …"
            elif re.search(r"min(?:e|ing)|开采|矿", label.text, re.I):
                metric = "mining_quota"
        metric = metric or self._metric(context, column)
        if metric is None:
            return
        geo = _geo_in(caption.rsplit("\n", 1)[-1]) or self.default_geo  # the line right above names the table's place
        partner = None
        named = _geo_in(label.text) or _geo_in(head)
        if named and metric in ("exports", "imports", "trade_value") and named not in (geo, "WORLD"):
            partner = named  # a row per destination or origin
        elif named:
            geo = named
        if m["pct"] and _REVENUE_HEAD.search(head):
            return  # "营收占比", "share of revenue": a share of sales, not of output
        if m["pct"] and _SHARE_HEAD.search(head) and metric in _SHARES:
            share = _SHARES[metric]
            self._add(
                cell,
                commodity,
                share,
                low,
                None,
                "%",
                column.period or self._caption_year(caption),
                geo,
                partner,
                share_of=geo,
            )
            return
        if m["pct"]:
            if not (column.change_pct or column.change_abs):
                return
            value = -low if negative else low
            unit = (
                "pct_yoy" if _consecutive_years(context) or re.search(r"同比|yoy|y-o-y", head, re.I) else "pct_change"
            )
            self._add(cell, commodity, metric, value, None, unit, self._latest_year(context), geo, partner)
            return
        if column.unit is None and (metric == "price" or _PRICE_WORD.search(head)):
            column = self._row_priced(label, column)
            metric = "price" if column.unit else metric
        if column.change_abs or column.change_pct or negative or column.unit is None or low == 0:
            return
        if high is not None and high < low:
            return  # a range cut short ("850000-9500" where the page was truncated)
        if metric == "price" and "/" not in column.unit:
            return
        if metric != "price" and "/" in column.unit:
            return
        value = low * column.scale
        value_high = high * column.scale if high is not None else None
        period = (row_year.group(1) if row_year else row_date) or column.period or self._caption_year(caption)
        if period is None and metric == "price" and self.reference is not None:
            period = self.reference.isoformat()
        self._add(cell, commodity, metric, value, value_high, column.unit, period, geo, partner)

    def _row_priced(self, label: Cell, column: Column) -> Column:
        """The unit of a price column from its row's weight word and the currency the page last named."""
        weight = _ROW_WEIGHT.search(label.text)
        if weight is None:
            return column
        currencies = list(_CURRENCY_WORD.finditer(self.text, max(0, label.start - 3000), label.start))
        if not currencies:
            return column
        currency = "CNY" if currencies[-1]["cny"] else "USD"
        per = "kg" if weight["w"].lower().startswith("k") or weight["w"] in ("公斤", "千克") else "t"
        return Column(column.period, f"{currency}/{per}", 1.0, column.change_abs, column.change_pct)

    def _add(
        self,
        cell: Cell,
        commodity: tuple[str, str | None],
        metric: str,
        value: float,
        value_high: float | None,
        unit: str,
        period: str | None,
        geo: str = "CN",
        partner: str | None = None,
        share_of: str | None = None,
    ) -> None:
        self._facts.append(
            Fact(
                doc="",
                commodity=commodity[0],
                metric=metric,
                geo=geo,
                period=period,
                value=value,
                unit=unit,
                basis=Basis.ACTUAL,
                quote=cell.text,
                start=cell.start,
                end=cell.end,
                value_high=value_high,
                partner=partner,
                share_of=share_of,
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

    def _commodity_before(self, at: int) -> tuple[str, str | None] | None:
        """The commodity the text named last before a table (its section heading, its paragraph)."""
        for m in reversed(self.mentions[: bisect.bisect_left(self._starts, at)]):
            if m.kind == COMMODITY and at - m.start < 3000:
                return (m.value, m.form) if m.value != "-" else None
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
        """The period a caption gives its table: one year in the whole caption, else the one period of the
        line nearest the table ("Top destinations, October 2022" under a paragraph with other years)."""
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", caption)
        if len(years) == 1:
            return str(years[0])
        nearest = next((line for line in reversed(caption.split("\n")) if line.strip()), "")
        if len(nearest) > 80:
            return None  # a paragraph of prose, not a caption
        periods = {p.period for p in find_periods(nearest, self.reference) if not p.relative and not p.target}
        if len(periods) == 1:
            return periods.pop()
        in_line = {str(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", nearest)}
        return in_line.pop() if len(in_line) == 1 and not periods else None


@lru_cache(maxsize=256)
def _mentions_of(context: str) -> tuple[Mention, ...]:
    """Mentions in a table's header and caption, read once per table rather than once per cell."""
    return tuple(find_mentions(context))


def _commodity_in(text: str) -> tuple[str, str | None] | None:
    for m in _mentions_of(text):
        if m.kind == COMMODITY:
            return m.value, m.form
    return None


def _geo_in(label: str) -> str | None:
    """A row named after a country or province (`United States 42,000`, `World total 300,000`)."""
    for m in _mentions_of(label):
        if m.kind == GEO:
            return m.value
    return None


def _metric_in(head: str, column: Column) -> str | None:
    """A column named after a measure (`Mining quota (t REO)`, `出口金额`)."""
    for m in _mentions_of(head):
        if m.kind == METRIC and m.value in (
            "exports",
            "imports",
            "production",
            "consumption",
            "reserves",
            "capacity",
            "mining_quota",
            "smelting_quota",
            "price",
        ):
            if column.unit in ("USD", "CNY", "EUR") and m.value in ("exports", "imports"):
                return "trade_value"
            return m.value
    return None


def _space_header(header: str, width: int) -> list[str] | None:
    """Column names of a space-laid table: its years, or the measures it names, one per value column."""
    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)(?:\s*\([^)]*\))?", header)
    if len(years) == width:
        return years
    cues = [m for m in _mentions_of(header) if m.kind == METRIC]
    # columns set apart by wide gaps, each naming its measure: a word before the measure ("上周價格")
    # belongs to that column, not to the one before it
    chunks = [c for c in re.split(r"\s{2,}|\t", header.strip()) if any(m.kind == METRIC for m in _mentions_of(c))]
    if len(cues) == width and len(chunks) == width:
        return chunks
    if len(cues) == width:
        bounds = [m.start for m in cues] + [len(header)]
        return [header[bounds[k] : bounds[k + 1]] for k in range(width)]
    return None


def _is_number(cell: str) -> bool:
    return bool(_CELL_NUMBER.match(cell)) and not _YEAR.match(cell)


@lru_cache(maxsize=4096)  # a pure function of a header, and headers repeat column after column
def _unit_of(text: str) -> tuple[str | None, float]:
    for pattern, unit, scale in _UNIT_HINTS:
        if pattern.search(text):
            return unit, scale
    return None, 1.0


def _nearest_unit(context: str) -> tuple[str | None, float]:
    """The unit of a table from its header and caption lines, the line nearest the table first, so that a
    paragraph above ("出口24.3万吨") does not override the caption "表1 出口量（吨）"."""
    for part in reversed(context.split("\n")):
        unit, scale = _unit_of(part)
        if unit is not None:
            return unit, scale
    return None, 1.0


def _consecutive_years(context: str) -> bool:
    years = sorted({int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", context)})
    return len(years) >= 2 and years[-1] - years[-2] == 1
