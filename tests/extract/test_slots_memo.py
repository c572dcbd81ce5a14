"""The slot filler works some things out once per sentence; two documents whose sentences share a span
must never see each other's results."""

from __future__ import annotations

from assay.extract.facts.slots import Sentence, geo_roles, near_quantities
from assay.extract.text.gazetteer import GEO, Mention
from assay.extract.text.layout import Span
from assay.model import Quantity, QuantityKind


def _tonnes(start: int, end: int, value: float) -> Quantity:
    return Quantity(text="x", start=start, end=end, value=value, kind=QuantityKind.MASS, unit="t")


def test_near_numbers_come_from_the_sentence_asked_about_not_an_earlier_document() -> None:
    span = Span(0, 80)
    first_doc = Sentence(span, [], [], [_tonnes(0, 3, 1), _tonnes(10, 13, 2)])
    second_doc = Sentence(span, [], [], [_tonnes(50, 53, 3), _tonnes(60, 63, 4)])
    assert near_quantities(first_doc, first_doc.quantities[0], 20) == [first_doc.quantities[1]]
    assert near_quantities(second_doc, second_doc.quantities[0], 20) == [second_doc.quantities[1]]


def test_geo_roles_are_worked_out_for_each_sentence_object() -> None:
    exports = "China exported 5,000 tonnes to Japan."
    imports = "Output in Japan rose to 5,000 tonnes."
    span = Span(0, len(exports))
    to_japan = Sentence(span, [Mention(31, 36, GEO, "JP")], [], [])
    in_japan = Sentence(span, [Mention(10, 15, GEO, "JP")], [], [])
    assert geo_roles(to_japan, exports, "exports") == {31: "partner"}
    assert geo_roles(in_japan, imports, "exports") == {10: "geo"}
