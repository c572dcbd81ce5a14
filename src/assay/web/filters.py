"""Query parameters checked the same way for pages and the API: an unknown id or a malformed
date is a 400 that says which parameter and why, never a 500."""

from __future__ import annotations

import difflib
import re

from assay.extract.event_lexicon import EVENT_TYPES
from assay.model import Period
from assay.pipeline import FAMILY_OF_ROOT, families_of
from assay.store.facts import FACT_ORDERS
from assay.vocab import commodities, metrics, units
from assay.web.errors import BadFilter

LANGS = ("en", "zh", "mixed")
MAX_PAGE = 100_000
# Control characters (NUL above all) never reach a query: PostgreSQL rejects them in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: str | None, limit: int = 300) -> str | None:
    """A free-text parameter, control characters removed, at most `limit` characters; None when blank."""
    if value is None:
        return None
    cleaned = _CONTROL.sub(" ", value).strip()[:limit]
    return cleaned or None


def _known(name: str, value: str | None, known: list[str]) -> str | None:
    value = text(value, 120)
    if value is None or value in known:
        return value
    close = difflib.get_close_matches(value, known, n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known[:10])}, ..."
    raise BadFilter(f"{name} {value!r}: unknown {name}{hint}")


def commodity(value: str | None) -> str | None:
    return _known("commodity", value, sorted(commodities()))


def family(value: str | None) -> str | None:
    """A document family (magnesia, magnesium, graphite, rare_earths, magnets), also given as any
    commodity id of it: `prnd` and `rare_earths` both select rare-earth documents."""
    value = text(value, 120)
    if value is None or value in FAMILY_OF_ROOT.values():
        return value
    if value in commodities():
        return families_of([value])[0]
    known = sorted(set(FAMILY_OF_ROOT.values()))
    raise BadFilter(f"commodity {value!r}: neither a commodity id nor a family ({', '.join(known)})")


def metric(value: str | None) -> str | None:
    return _known("metric", value, sorted(metrics()))


def unit(value: str | None) -> str | None:
    return _known("unit", value, sorted(units()))


def event_type(value: str | None) -> str | None:
    return _known("type", value, list(EVENT_TYPES))


def lang(value: str | None) -> str | None:
    return _known("lang", value, list(LANGS))


def order(value: str | None) -> str:
    return _known("sort", value, list(FACT_ORDERS)) or "series"


def period(name: str, value: str | None) -> str | None:
    value = text(value, 40)
    if value is None:
        return None
    try:
        Period.parse(value)
    except ValueError as exc:
        raise BadFilter(f"{name} {value!r}: not a period or date (2024, 2024-05, 2024-Q3, 2024-05-31)") from exc
    return value


def page_offset(page: int, size: int) -> int:
    if page < 1 or page > MAX_PAGE:
        raise BadFilter(f"page {page}: give a page from 1 to {MAX_PAGE}")
    return (page - 1) * size
