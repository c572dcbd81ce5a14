"""Reference data: USGS MCS world tables read as facts, and China customs (HS) codes.

USGS Mineral Commodity Summaries world tables become facts with dataset provenance.

A world table (`mcs2024-mgmet_world.csv`) has one row per country: `Source` (the edition),
`Country`, `Type` (what is measured, free text) and columns `Prod_<kt|t>[_est]_<year>`,
`Reserves_<kt|t>`. Quirks handled: a UTF-8 byte-order mark, `W` (withheld), `NA`, `E`, `XX`,
`>50`, `Included in World total.`, thousands separators, non-breaking spaces, footnote digits
glued to names (`World total (rounded)8`), empty trailing columns and rows. Each fact's quote
is the table cell as a sentence (edition, country, type, column = cell), so it stays traceable.

China customs codes of our commodities: `commodity_for_hs("8104.11.00") == "magnesium"`. The
mapping ships in `assay/vocab/data/hs8_codes.csv` (see hs8_codes.PROVENANCE.md): 2023 GACC
8-digit codes with their English and Chinese names, and our commodity and form for each.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry
from sqlalchemy.orm import Session

from assay.model import Approx, Basis, Fact
from assay.store.reference import DatasetSpec, ImportResult, import_dataset
from assay.vocab import ancestors, read_rows

RULE = "usgs-mcs-world"
RULE_VERSION = "1"
MAX_FILE_BYTES = 20 * 1024 * 1024

# Country names in MCS tables that ISO 3166 spells otherwise.
COUNTRY_ALIASES = {
    "burma": "MM",
    "korea, north": "KP",
    "north korea": "KP",
    "korea, republic of": "KR",
    "south korea": "KR",
    "russia": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "iran": "IR",
    "vietnam": "VN",
    "laos": "LA",
    "congo (kinshasa)": "CD",
    "congo (brazzaville)": "CG",
    "bolivia": "BO",
    "tanzania": "TZ",
    "united states": "US",
}
NOT_A_VALUE = {"", "W", "NA", "E", "XX", "--", "—", "-", "NAN"}
_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d{1,2}$")
_PRODUCTION = re.compile(r"^Prod_(?P<unit>kt|t)(?:_(?P<est>est))?_(?P<year>\d{4})$", re.IGNORECASE)
_RESERVES = re.compile(r"^Reserves_(?P<unit>kt|t)$", re.IGNORECASE)
_EDITION = re.compile(r"MCS\s*(\d{4})", re.IGNORECASE)
_FILE_CODE = re.compile(r"(mgmet|mgcomp|graph|raree)", re.IGNORECASE)


class ReferenceImportError(Exception):
    """A reference file that cannot be imported: str(e) == f"{source}: {reason}"."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class ParsedDataset:
    spec: DatasetSpec
    facts: list[Fact]
    notes: list[str] = field(default_factory=list)  # cells left out, and why


def read_table(path: Path) -> tuple[bytes, list[list[str]]]:
    """The file's bytes and its CSV rows (BOM removed, fully empty rows dropped)."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReferenceImportError(source, f"cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ReferenceImportError(source, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReferenceImportError(source, "not UTF-8 or GB18030 text")
    rows = [[cell.replace("\xa0", " ").strip() for cell in row] for row in csv.reader(text.splitlines())]
    return data, [row for row in rows if any(row)]


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for an MCS country name; WORLD for world totals; None for aggregates."""
    clean = _FOOTNOTE.sub("", " ".join(name.split())).strip()
    lowered = clean.lower()
    if lowered.startswith("world total"):
        return "WORLD"
    if lowered in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[lowered]
    try:
        return str(pycountry.countries.lookup(clean).alpha_2)
    except LookupError:
        return None


def parse_number(cell: str) -> tuple[float, Approx | None] | None:
    """`"72,000"` → 72000; `>50` → (50, >); W, NA, E and text → None."""
    text = cell.strip().replace(",", "")
    if text.upper() in NOT_A_VALUE:
        return None
    approx = None
    if text[:1] in "><":
        approx = Approx.OVER if text[0] == ">" else Approx.UNDER
        text = text[1:].strip()
    try:
        return float(text), approx
    except ValueError:
        return None


def commodity_of(code: str | None, type_text: str, metric: str) -> str:
    """The commodity a table measures, from its file code or its Type text.

    No form is set: news says "magnesium production" of the metal and "rare earth output" in REO
    without naming a form, and USGS must share those series to stand beside them.
    """
    lowered = type_text.lower()
    if code == "mgmet" or "magnesium smelter" in lowered or "magnesium metal" in lowered:
        return "magnesium"
    if code == "mgcomp" or "magnesite" in lowered:
        # MCS2024 counts contained MgO, MCS2023 the magnesite ore's gross weight: two series on purpose
        if metric == "production" and "magnesium oxide" in lowered:
            return "magnesia"
        return "magnesite"
    if code == "graph" or "graphite" in lowered:
        return "graphite"
    if code == "raree" or "rare earth" in lowered or "rare-earth" in lowered:
        return "rare_earths"
    raise ValueError(f"unknown commodity in Type {type_text!r}")


def parse_usgs_world(path: Path) -> ParsedDataset:
    """Facts from one MCS world table; raises ReferenceImportError on a file of another shape."""
    source = str(path)
    data, rows = read_table(path)
    if not rows:
        raise ReferenceImportError(source, "the file is empty")
    header = rows[0]
    index = {name: i for i, name in enumerate(header) if name}
    if not {"Country", "Type"} <= index.keys():
        raise ReferenceImportError(source, "not a USGS MCS world table (no Country and Type columns)")
    value_columns = [(name, i) for name, i in index.items() if _PRODUCTION.match(name) or _RESERVES.match(name)]
    if not value_columns:
        raise ReferenceImportError(source, "not a USGS MCS world table (no Prod_<unit>_<year> column)")
    years = [int(m["year"]) for name, _ in value_columns if (m := _PRODUCTION.match(name))]
    latest_year = max(years) if years else None
    file_code = m.group(1).lower() if (m := _FILE_CODE.search(path.name)) else None
    edition = _edition(rows, index, path)
    facts: list[Fact] = []
    notes: list[str] = []
    for line_no, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        country, type_text = cells[index["Country"]], cells[index["Type"]]
        if not country:
            continue
        geo = country_code(country)
        if geo is None:
            notes.append(f"line {line_no}: {country!r} is not a country; left out")
            continue
        for column, i in value_columns:
            cell = cells[i]
            number = parse_number(cell)
            if number is None:
                if cell and not cell.lower().startswith("included in world"):
                    notes.append(f"line {line_no}: {country} {column} = {cell!r} (no value)")
                continue
            value, approx = number
            production = _PRODUCTION.match(column)
            metric = "production" if production else "reserves"
            unit_match = production or _RESERVES.match(column)
            assert unit_match is not None
            scale = 1000.0 if unit_match["unit"].lower() == "kt" else 1.0
            try:
                commodity = commodity_of(file_code, type_text, metric)
            except ValueError as exc:
                raise ReferenceImportError(source, f"line {line_no}: {exc}") from exc
            period = production["year"] if production else (str(latest_year) if latest_year else None)
            estimate = bool(production and production["est"]) or metric == "reserves"
            if geo == "WORLD" and approx is None and "rounded" in country.lower():
                approx = Approx.ABOUT
            facts.append(
                Fact(
                    doc=edition,
                    commodity=commodity,
                    metric=metric,
                    geo=geo,
                    period=period,
                    value=value * scale,
                    unit="t",
                    basis=Basis.ESTIMATE if estimate else Basis.ACTUAL,
                    quote=f"{edition}, {country}, {type_text}: {column} = {cell}",
                    approx=approx,
                    rule=RULE,
                    rule_version=RULE_VERSION,
                )
            )
    table = f"{file_code}_world" if file_code else re.sub(r"[^a-z0-9_]+", "-", path.stem.lower())
    spec = DatasetSpec(
        name=f"usgs-{edition.lower()}-{table}",
        kind="usgs-mcs",
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        published=_published(edition),
        official=True,
    )
    return ParsedDataset(spec, facts, notes)


def import_usgs_mcs(session: Session, path: Path) -> tuple[ImportResult, ParsedDataset]:
    parsed = parse_usgs_world(path)
    return import_dataset(session, parsed.spec, parsed.facts), parsed


def _edition(rows: list[list[str]], index: dict[str, int], path: Path) -> str:
    if "Source" in index:
        for row in rows[1:]:
            if len(row) > index["Source"] and (m := _EDITION.search(row[index["Source"]])):
                return f"MCS{m.group(1)}"
    if m := _EDITION.search(path.name):
        return f"MCS{m.group(1)}"
    return "MCS"


def _published(edition: str) -> str | None:
    # USGS releases each MCS edition at the end of January of its year
    m = _EDITION.search(edition)
    return f"{m.group(1)}-01-31" if m else None


@dataclass(frozen=True, slots=True)
class HsCode:
    code: str  # 8 digits
    commodity: str
    form: str | None
    en: str
    zh: str


@cache
def hs_codes() -> dict[str, HsCode]:
    return {
        row["code"]: HsCode(row["code"], row["commodity"], row["form"] or None, row["en"], row["zh"])
        for row in read_rows("hs8_codes.csv")
    }


def normalise_code(code: str) -> str:
    """Digits only: `8104.11.00` and `8104 11 00` are `81041100`."""
    return re.sub(r"[\s.\-]", "", code.strip())


def hs_entry(code: str) -> HsCode | None:
    return hs_codes().get(normalise_code(code))


def commodity_for_hs(code: str) -> str | None:
    """Our commodity for an HS code: 8 digits exactly; 4 or 6 digits give the commodity every code
    under them shares (the nearest common parent), or None when they do not share one."""
    digits = normalise_code(code)
    if not digits.isdigit() or len(digits) not in (4, 6, 8):
        return None
    if len(digits) == 8:
        entry = hs_codes().get(digits)
        return entry.commodity if entry else None
    chains = [ancestors(e.commodity) for c, e in hs_codes().items() if c.startswith(digits)]
    if not chains:
        return None
    common = [c for c in chains[0] if all(c in chain for chain in chains[1:])]
    return common[0] if common else None


def codes_for_commodity(commodity: str) -> list[HsCode]:
    """The codes of a commodity and of every commodity below it (rare_earths: all oxides, metals...)."""
    return [e for e in hs_codes().values() if commodity in ancestors(e.commodity)]
