"""The project's vocabularies: commodities, metrics, units, places. Data files plus a loader.

The ids are FactSpec's (../shared/spec/vocab); the project keeps its own copy under
`data/` and may add rows and wordings. This package imports nothing of the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Commodity:
    id: str
    parent: str | None
    name: str
    wordings: tuple[str, ...]  # English and Chinese surface forms, as listed


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    meaning: str
    typical_units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    chinese: str


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV file shipped in `assay/vocab/data`, BOM and blank lines tolerated."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8-sig")
    return [row for row in csv.DictReader(text.splitlines()) if any((v or "").strip() for v in row.values())]


@cache
def commodities() -> dict[str, Commodity]:
    out: dict[str, Commodity] = {}
    for row in read_rows("commodities.csv"):
        words = tuple(w.strip() for w in row["examples of wording (English; Chinese)"].split(";") if w.strip())
        out[row["id"]] = Commodity(row["id"], row["parent"] or None, row["name"], words)
    return out


@cache
def metrics() -> dict[str, Metric]:
    return {
        row["id"]: Metric(row["id"], row["meaning"], tuple(u.strip() for u in row["typical units"].split(";")))
        for row in read_rows("metrics.csv")
    }


@cache
def units() -> dict[str, Unit]:
    return {row["id"]: Unit(row["id"], row["meaning"]) for row in read_rows("units.csv")}


@cache
def places() -> dict[str, Place]:
    return {row["code"]: Place(row["code"], row["name"], row["Chinese"]) for row in read_rows("geo.csv")}


def ancestors(commodity_id: str) -> list[str]:
    """The commodity and its parents, nearest first: prnd → [prnd, rare_earths]."""
    table = commodities()
    chain: list[str] = []
    current: str | None = commodity_id
    while current and current in table and current not in chain:
        chain.append(current)
        current = table[current].parent
    return chain
