"""The events package's word tables, read from its data files (`data/*.toml`) once.

Wordings are data, not code: a linguist adds a trigger or a cue by editing a TOML file, and
the rules read them by name. `cue(name)` compiles one named regular expression of
`data/cues.toml`; `table(name)` returns one of its plain tables.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from assay.extract.events.prefilter import Gated
from assay.extract.text.openers import fast_start

_PACKAGE = "assay.extract.events"


@cache
def read_data(name: str) -> dict[str, Any]:
    """One TOML file of the package's `data/` folder, parsed once per process."""
    source = resources.files(_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(source)


def cue(name: str) -> re.Pattern[str]:
    """The named cue of `data/cues.toml`, compiled; its `flags` may say `i` (ignore case). A search
    skips fast to where a match can open (`fast_start`: what it finds is what the cue finds)."""
    entry = read_data("cues.toml")["pattern"][name]
    flags = re.IGNORECASE if "i" in entry.get("flags", "") else 0
    regex: str = entry["regex"]
    if regex.startswith("(?i)"):  # the same flag, given apart, so that `fast_start` can wrap the pattern
        regex, flags = regex[len("(?i)") :], flags | re.IGNORECASE
    return fast_start(re.compile(regex, flags))


def table(name: str) -> dict[str, Any]:
    """A plain table of `data/cues.toml` (company names, month names...)."""
    found: dict[str, Any] = read_data("cues.toml")["table"][name]
    return found


def gated_cue(name: str) -> Gated:
    """`cue(name)`, run only on text that holds the words its matches need: for cues read over
    whole statements, most of which hold none of them."""
    return Gated(cue(name))
