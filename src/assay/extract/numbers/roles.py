"""Whether a bare number is a label rather than a measurement: a year, a date, a grade, a code, an ordinal.

`read_quantities` still reads such numbers (a peer's suite expects them, and an analyst wants to see
them); the slot filler asks `number_role(text, q)` before it lets a number become a fact.
"""

from __future__ import annotations

import re
from enum import StrEnum

from assay.model import Quantity, QuantityKind


class NumberRole(StrEnum):
    """What a bare number is when it is not a measurement (see `number_role`)."""

    YEAR = "year"
    DATE = "date"
    GRADE = "grade"
    CODE = "code"
    ORDINAL = "ordinal"


_YEAR = re.compile(r"(?:19|20)\d{2}|2100")
_DATE_AROUND = re.compile(r"[-/.年月]\s*\d|\d\s*[-/.]$")
_ORDINAL_AFTER = re.compile(r"(?i)(?:st|nd|rd|th)\b")
_CODE_BEFORE = re.compile(r"(?i)(?:\bHS|\bHTS|\bCN|code|No\.|#|税号|税则号?|编码)[\s:：]*(?:code)?[\s:：]*$")
_GRADE_WORDS = re.compile(r"(?i)(?:purity|pure|grade|min\.?|纯度|品位|含量)")
# 94-97% C, 99.95% MgO, +80 mesh, 200目: a specification, not an amount
_SPEC_AFTER = re.compile(r"(?:\s*(?:C|FC|TGC|MgO|REO|TREO|Mg|Nd|Dy|Tb)\b|\s*(?i:mesh|min\b|purity|grade)|\s*目)")
_TICKER_AFTER = re.compile(r"\.(?:SZ|SH|SS|HK|BJ|T|AX|TO|V)\b")


def number_role(text: str, q: Quantity) -> NumberRole | None:
    """Whether a bare number read from `text` is a label rather than a measurement.

    YEAR: a four-digit number 1900–2100 with no unit (`in 2024`, `2024年`); DATE: a number inside a
    date (`2025-09-16`, `9月16日`); GRADE: digits glued to letters (`N52SH`), a mesh size (`+80 mesh`)
    or a purity percent (`99.95% purity`, `94-97% C`); CODE: after HS/税号, eight digits and more, or
    a stock ticker (`300224.SZ`); ORDINAL: `3rd`, `第3`.
    """
    before = text[max(0, q.start - 12) : q.start]
    after = text[q.end : q.end + 12]
    if q.kind is QuantityKind.PERCENT:
        near = text[max(0, q.start - 20) : q.end + 20]
        if _SPEC_AFTER.match(after) or (q.value >= 90 and _GRADE_WORDS.search(near)):
            return NumberRole.GRADE
        return None
    if q.kind is not QuantityKind.NUMBER or (q.value_high is not None and not _YEAR.fullmatch(q.text[-4:])):
        return None
    if _CODE_BEFORE.search(before) or (q.text.isdigit() and len(q.text) >= 8) or _TICKER_AFTER.match(after):
        return NumberRole.CODE
    if _SPEC_AFTER.match(after) and re.match(r"\s*(?i:mesh)|\s*目", after):
        return NumberRole.GRADE
    glued_before = before[-1:].isalpha() and before[-1:].isascii()
    glued_after = after[:1].isalpha() and after[:1].isascii() and after[:2].isupper()
    if (glued_before or glued_after) and not _ORDINAL_AFTER.match(after):
        return NumberRole.GRADE
    if _ORDINAL_AFTER.match(after) or before.endswith("第"):
        return NumberRole.ORDINAL
    if _YEAR.fullmatch(q.text):
        return NumberRole.YEAR
    if _DATE_AROUND.search(after[:3]) or _DATE_AROUND.search(before[-3:]) or after.startswith(("日", "号", "號")):
        return NumberRole.DATE
    return None
