"""China customs (HS) codes of our commodities: `commodity_for_hs("8104.11.00") == "magnesium"`.

The mapping ships in `assay/vocab/data/hs8_codes.csv` (see hs8_codes.PROVENANCE.md): 2023 GACC
8-digit codes with their English and Chinese names, and our commodity and form for each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assay.vocab import ancestors, read_rows


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
