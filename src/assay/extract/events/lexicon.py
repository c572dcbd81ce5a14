"""Trigger wordings for each EventSpec type, in English and Chinese (data in `data/triggers.toml`).

Each trigger belongs to a class of wording (`export_licence`, `mining_quota`, ...): classes
are what the rules are about, so a new article that says "permits for exports" instead of
"export licences" is caught by the class, not by a copy of a sentence. A trigger's weight
says how sure it is on its own: 3 states the event, 2 usually does, 1 only with a named
government actor beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assay.extract.events.words import read_data

EVENT_TYPES = (
    "export_control",
    "technology_restriction",
    "production_quota",
    "consolidation",
    "stockpiling",
    "environmental_enforcement",
    "capacity_plan",
    "industrial_policy",
    "trade_measure",
    "subsidy",
    "recycling_mandate",
    "supply_disruption",
)

# When two triggers of equal weight compete in one statement, the earlier type here wins:
# the more specific measure before the general one.
TYPE_PRIORITY = {name: rank for rank, name in enumerate(EVENT_TYPES)}
TYPE_PRIORITY["technology_restriction"] = -1


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    wording_class: str
    weight: int
    pattern: re.Pattern[str]


_W = r"(?:[\w'’\"“”-]+\s+)"  # one word and the space after it


def _en(source: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + source.replace(" ", r"\s+") + r")(?![\w])", re.IGNORECASE)


def _zh(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _compile(lang: str, source: str) -> re.Pattern[str]:
    if lang == "en":
        return _en(source)
    if lang == "en_cased":
        return re.compile(r"(?<![\w-])(?:" + source + r")(?![\w])")
    return _zh(source)


def load_triggers() -> tuple[Trigger, ...]:
    """The trigger table of `data/triggers.toml`, compiled."""
    table = read_data("triggers.toml")["trigger"]
    return tuple(
        Trigger(row["type"], row["class"], row["weight"], _compile(row["lang"], row["pattern"].replace("<W>", _W)))
        for row in table
    )


TRIGGERS: tuple[Trigger, ...] = load_triggers()
