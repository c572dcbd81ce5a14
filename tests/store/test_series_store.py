"""select_facts: filters, provenance and duplicate origins, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date

from assay.model import Basis, Document, Fact
from assay.store.db import Store
from assay.store.documents import save_document
from assay.store.facts import replace_facts
from assay.store.reference import DatasetSpec, import_dataset
from assay.store.series import FactSelection, is_official_url, origins, select_facts


def _fact(value: float, period: str | None, **kw: object) -> Fact:
    base: dict[str, object] = {"doc": "", "commodity": "magnesium", "metric": "exports", "geo": "CN", "unit": "t"}
    base.update(kw)
    return Fact(period=period, value=value, basis=Basis.ACTUAL, quote=f"{value} t in {period}", **base)  # type: ignore[arg-type]


def _doc(session, name: str, duplicate_of: int | None = None, url: str | None = None) -> int:
    digest = hashlib.sha256(name.encode()).hexdigest()
    doc = Document(name=name, source=f"/c/{name}.txt", raw_sha256=digest, clean_text=name,
                   duplicate_of=duplicate_of, url=url, published="2024-06-01")  # fmt: skip
    return save_document(session, doc, digest)


def test_filters_provenance_and_origins(any_store: Store) -> None:
    with any_store.session() as session:
        first = _doc(session, "first")
        copy = _doc(session, "copy", duplicate_of=first)
        copy_of_copy = _doc(session, "copy2", duplicate_of=copy)
        gov = _doc(session, "gov", url="http://www.customs.gov.cn/x")
        replace_facts(session, first, [_fact(1, "2024-05", partner="NL"), _fact(2, "2024-06"), _fact(3, None)])
        replace_facts(session, copy_of_copy, [_fact(1, "2024-05", partner="NL")])
        replace_facts(session, gov, [_fact(4, "2023", metric="production")])
        import_dataset(
            session,
            DatasetSpec("usgs-test", "usgs-mcs", "t.csv", "0" * 64, "2024-01-31"),
            [Fact("usgs", "magnesium", "production", "CN", "2023", 830000, "t", Basis.ESTIMATE, "row")],
        )
        session.commit()
        nl = select_facts(session, FactSelection(commodity="magnesium", metric="exports", partner="NL"))
        assert [(r.doc, r.origin_id) for r in nl] == [("first", first), ("copy2", first)]
        assert len({r.independence_key for r in nl}) == 1
        dated = select_facts(session, FactSelection(metric="exports"))
        assert [r.fact.value for r in dated] == [1, 1, 2]  # the undated fact is left out
        everything = select_facts(session, FactSelection(metric="exports", with_period_only=False))
        assert len(everything) == 4
        window = select_facts(
            session, FactSelection(starts_on_or_after=date(2023, 1, 1), ends_on_or_before=date(2023, 12, 31))
        )
        by_origin = {r.fact.value: (r.official, r.dataset, r.published) for r in window}
        assert by_origin == {4: (True, None, "2024-06-01"), 830000: (True, "usgs-test", "2024-01-31")}
        assert origins(session, [copy_of_copy, copy]) == {copy_of_copy: first, copy: first, first: first}


def test_official_hosts() -> None:
    assert is_official_url("http://www.customs.gov.cn/customs/302249/index.html")
    assert is_official_url("https://pubs.usgs.gov/periodicals/mcs2024/mcs2024.pdf")
    assert not is_official_url("https://www.smm.cn/news") and not is_official_url(None)
