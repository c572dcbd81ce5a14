"""Daily price tables read as price facts (`assay import prices FILE.csv`).

Two shapes are read:
- wide: a date column (`日期`/`date`) and, per product, low/high/average columns named
  `<product>最低价`, `<product>最高价`, `<product>平均价` (or `<product> low|high|avg`);
- long: columns `date, commodity, form, price, price_high, unit` (price_high and form optional).

A product name maps to our commodity and form through the vocabulary (`氧化钕` is neodymium
oxide, `金属镨钕` PrNd metal). Wide files rarely state their unit: each product's scale
(1, 1,000 or 10,000 CNY/t, i.e. 元/吨, 千元/吨, 万元/吨) is the one that puts its median price
inside the product's plausible band, unless `scales` says otherwise; the import names the scale
it used. A row's low and high become one fact (value, value_high); the quote gives the cells.
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from assay.analyze.bands import price_band
from assay.analyze.money import PriceUnitError, split_price_unit
from assay.analyze.reference import ParsedDataset, ReferenceImportError, read_table
from assay.model import Basis, Fact, Period
from assay.store.reference import DatasetSpec, ImportResult, import_dataset
from assay.vocab import commodities

RULE = "price-table"
RULE_VERSION = "1"
SCALES = {1.0: "CNY/t", 1000.0: "千元/吨 (1,000 CNY/t)", 10000.0: "万元/吨 (10,000 CNY/t)"}
_WIDE = re.compile(
    r"^(?P<product>.+?)\s*[(（]?(?P<kind>最低价|最高价|平均价|均价|low|high|avg|average|mid)[)）]?$", re.I
)
_KIND = {"最低价": "low", "最高价": "high", "平均价": "avg", "均价": "avg", "average": "avg", "mid": "avg"}
_FORMS = (("氧化", "oxide"), ("金属", "metal"), ("碳酸", "carbonate"), ("oxide", "oxide"), ("metal", "metal"))


@dataclass(frozen=True)
class PriceTableOptions:
    scales: Mapping[str, float] = field(default_factory=dict)  # product -> CNY/t per table unit
    geo: str = "CN"
    official: bool = False


def product_commodity(product: str) -> tuple[str, str | None] | None:
    """(commodity, form) for a product name such as `氧化镨钕` or `NdPr oxide`; None when unknown."""
    lowered = product.lower()
    best: tuple[int, str] | None = None
    for commodity in commodities().values():
        for wording in (*commodity.wordings, commodity.id):
            w = wording.lower()
            if len(w) < 2 and not re.search(r"[\u4e00-\u9fff]", w):
                continue  # one-letter symbols (Nd, Dy) only count inside longer names
            if w and w in lowered and (best is None or len(w) > best[0]):
                best = (len(w), commodity.id)
    if best is None:
        return None
    form = next((f for marker, f in _FORMS if marker in lowered), None)
    return best[1], form


def choose_scale(product: str, commodity: str, form: str | None, values: list[float]) -> float:
    """The table unit (1, 1,000 or 10,000 CNY/t) that puts the median inside the plausible band."""
    band = price_band(commodity, form)
    if band is None or not values:
        raise ValueError(f"no plausible price band for {product!r}: give its scale (e.g. {product}=10000)")
    middle = statistics.median(values)
    fits = [scale for scale in SCALES if band[0] <= middle * scale <= band[1]]
    if not fits or middle <= 0:
        raise ValueError(f"cannot tell the unit of {product!r} (median {middle:g}): give its scale")
    # several fit a wide band: the one nearest the band's middle on a log scale
    centre = math.log(band[0] * band[1]) / 2
    return min(fits, key=lambda scale: abs(math.log(middle * scale) - centre))


def parse_price_table(path: Path, options: PriceTableOptions | None = None) -> ParsedDataset:
    options = options or PriceTableOptions()
    source = str(path)
    data, rows = read_table(path)
    if len(rows) < 2:
        raise ReferenceImportError(source, "no price rows")
    header = [h.strip() for h in rows[0]]
    lowered = [h.lower() for h in header]
    if {"date", "commodity", "price", "unit"} <= set(lowered):
        facts, notes = _long_rows(source, lowered, rows[1:], options)
    else:
        facts, notes = _wide_rows(source, header, rows[1:], options)
    if not facts:
        raise ReferenceImportError(source, "no prices could be read (see the notes)" + "; ".join(notes[:3]))
    stem = re.sub(r"[^a-z0-9_]+", "-", path.stem.lower()).strip("-") or "table"
    last = max(f.period for f in facts if f.period)
    spec = DatasetSpec(
        name=f"prices-{stem}",
        kind="prices",
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        published=last,
        official=options.official,
    )
    return ParsedDataset(spec, facts, notes)


def import_price_table(
    session: Session, path: Path, options: PriceTableOptions | None = None
) -> tuple[ImportResult, ParsedDataset]:
    parsed = parse_price_table(path, options)
    return import_dataset(session, parsed.spec, parsed.facts), parsed


def _date(cell: str) -> str | None:
    text = cell.strip().replace("/", "-").replace(".", "-")
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        return None
    period = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    try:
        Period.parse(period)
    except ValueError:
        return None
    return period


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", "").strip())
    except ValueError:
        return None


def _wide_rows(
    source: str, header: list[str], rows: list[list[str]], options: PriceTableOptions
) -> tuple[list[Fact], list[str]]:
    date_col = next((i for i, h in enumerate(header) if h.lower() in ("日期", "date", "day")), None)
    if date_col is None:
        raise ReferenceImportError(source, "no date column (日期 or date)")
    products: dict[str, dict[str, int]] = {}
    for i, name in enumerate(header):
        if m := _WIDE.match(name):
            kind = _KIND.get(m["kind"].lower(), m["kind"].lower())
            products.setdefault(m["product"].strip(), {})[kind] = i
    if not products:
        raise ReferenceImportError(source, "no price columns (<product>最低价/最高价/平均价 or <product> low/high/avg)")
    facts: list[Fact] = []
    notes: list[str] = []
    for product, cols in products.items():
        mapped = product_commodity(product)
        if mapped is None:
            notes.append(f"{product}: not one of our commodities; left out")
            continue
        commodity, form = mapped
        values = [v for row in rows for c in cols.values() if c < len(row) and (v := _number(row[c])) is not None]
        try:
            scale = options.scales.get(product) or choose_scale(product, commodity, form, values)
        except ValueError as exc:
            raise ReferenceImportError(source, str(exc)) from exc
        notes.append(
            f"{product}: {commodity} {form or ''} in {SCALES.get(scale, f'{scale:g} CNY/t')}".replace("  ", " ")
        )
        odd = 0
        for line_no, row in enumerate(rows, start=2):
            day = _date(row[date_col]) if date_col < len(row) else None
            cells = {k: (row[c] if c < len(row) else "") for k, c in cols.items()}
            got = {k: _number(v) for k, v in cells.items()}
            low, high, avg = got.get("low"), got.get("high"), got.get("avg")
            if day is None or (low is None and avg is None):
                if any(cells.values()):
                    notes.append(f"line {line_no}: {product} has no date or price; left out")
                continue
            if low is not None and high is not None and high < low:
                notes.append(f"line {line_no}: {product} high {high:g} is below low {low:g}; left out")
                continue
            if avg is not None and low is not None and high is not None and not low <= avg <= high:
                odd += 1
            value, value_high = (low, high) if low is not None else (avg, None)
            assert value is not None
            quote = f"{day}: " + ", ".join(f"{header[cols[k]]} {cells[k]}" for k in ("low", "high", "avg") if k in cols)
            facts.append(_price_fact(source, commodity, form, day, value * scale, value_high, scale, quote, options))
        if odd:
            notes.append(f"{product}: {odd} rows give an average outside their low-high range (kept; range used)")
    return facts, notes


def _price_fact(
    source: str,
    commodity: str,
    form: str | None,
    day: str,
    value: float,
    value_high: float | None,
    scale: float,
    quote: str,
    options: PriceTableOptions,
    unit: str = "CNY/t",
) -> Fact:
    return Fact(
        doc=Path(source).stem,
        commodity=commodity,
        metric="price",
        geo=options.geo,
        period=day,
        value=value,
        unit=unit,
        basis=Basis.ACTUAL,
        quote=quote,
        value_high=value_high * scale if value_high is not None else None,
        form=form,
        rule=RULE,
        rule_version=RULE_VERSION,
    )


def _long_rows(
    source: str, header: list[str], rows: list[list[str]], options: PriceTableOptions
) -> tuple[list[Fact], list[str]]:
    col = {name: i for i, name in enumerate(header)}
    facts: list[Fact] = []
    notes: list[str] = []
    known = commodities()
    for line_no, row in enumerate(rows, start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
        day, price = _date(cells["date"]), _number(cells["price"])
        commodity, unit = cells["commodity"], cells["unit"]
        if commodity not in known:
            mapped = product_commodity(commodity)
            if mapped is None:
                notes.append(f"line {line_no}: commodity {commodity!r} unknown; left out")
                continue
            commodity = mapped[0]
        try:
            split_price_unit(unit)
        except PriceUnitError as exc:
            notes.append(f"line {line_no}: {exc}; left out")
            continue
        if day is None or price is None:
            notes.append(f"line {line_no}: no date or price; left out")
            continue
        high = _number(cells.get("price_high", "")) if cells.get("price_high") else None
        quote = ", ".join(f"{k} {v}" for k, v in cells.items() if v)
        form = cells.get("form") or None
        facts.append(_price_fact(source, commodity, form, day, price, high, 1.0, quote, options, unit))
    return facts, notes
