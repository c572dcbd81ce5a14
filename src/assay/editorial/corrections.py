"""Correcting and rejecting facts: the values are checked against the vocabularies and the
FactSpec formats, the store applies them (store/corrections.py), the audit log records them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from assay.model import Period
from assay.store import audit
from assay.store import corrections as repo
from assay.store.corrections import Correction, CorrectionError
from assay.vocab import commodities, metrics, units

__all__ = ["Correction", "CorrectionError", "correct", "history", "parse_changes", "reject"]

# FactSpec geo: ISO codes, WORLD, EU, a province, a place in one (`CN-LN:Haicheng`), or a company.
_GEO = re.compile(r"^(WORLD|EU|[A-Z]{2}(-[A-Z0-9]{1,3})?(:[^\s:]{1,80})?|company:[a-z0-9]+(-[a-z0-9]+)*)$")


def parse_changes(raw: Mapping[str, str | None]) -> dict[str, Any]:
    """The fields to change, from text (CLI options, form fields); empty or None means unchanged.
    Raises CorrectionError naming the field and the reason."""
    out: dict[str, Any] = {}
    for name, text in raw.items():
        if text is None or not str(text).strip():
            continue
        value = str(text).strip()
        if name in ("value", "value_high"):
            out[name] = _number(name, value)
        elif name == "unit":
            out[name] = _known(name, value, units())
        elif name == "metric":
            out[name] = _known(name, value, metrics())
        elif name == "commodity":
            out[name] = _known(name, value, commodities())
        elif name == "period":
            try:
                Period.parse(value)
            except ValueError:
                raise CorrectionError(
                    f"period: {value!r} is not a FactSpec period (2024, 2024-05, 2024-Q3...)"
                ) from None
            out[name] = value
        elif name in ("geo", "partner"):
            if name == "partner" and value.lower() in ("none", "-"):
                out[name] = None
                continue
            if not _GEO.match(value):
                raise CorrectionError(f"{name}: {value!r} is not a FactSpec place (CN, CN-LN, WORLD, company:slug)")
            out[name] = value
        else:
            raise CorrectionError(f"{name}: not a correctable field; correctable: {', '.join(repo.CORRECTABLE)}")
    return out


def correct(session: Session, fact_id: int, changes: Mapping[str, Any], reason: str, user: str) -> Correction:
    if not changes:
        raise CorrectionError("nothing to correct: give at least one new value")
    correction = repo.correct_fact(session, fact_id, changes, reason, user)
    detail = {"reason": correction.reason, "changes": {k: list(v) for k, v in correction.changes().items()}}
    audit.record(session, user, "fact.correct", f"fact:{fact_id}", detail)
    return correction


def reject(session: Session, fact_id: int, reason: str, user: str) -> Correction:
    correction = repo.reject_fact(session, fact_id, reason, user)
    audit.record(
        session, user, "fact.reject", f"fact:{fact_id}", {"reason": correction.reason, "before": correction.before}
    )
    return correction


def history(session: Session, fact_id: int) -> list[Correction]:
    return repo.history(session, fact_id)


def _number(name: str, text: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise CorrectionError(f"{name}: {text!r} is not a number") from None
    if not math.isfinite(number):
        raise CorrectionError(f"{name}: {text!r} is not a finite number")
    return number


def _known(name: str, value: str, known: Mapping[str, object]) -> str:
    if value not in known:
        raise CorrectionError(f"{name}: unknown {name} {value!r} (see vocab/data/{name}s.csv)")
    return value
