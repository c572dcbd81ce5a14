"""select_facts: filters, provenance and duplicate origins, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from datetime import date

import pytest
from sqlalchemy import text

from assay.model import Basis, Document, Fact
from assay.store.db import Store
from assay.store.documents import save_document
from assay.store.facts import replace_facts
from assay.store.records import StoredFactRecord, is_official_url, select_facts
from assay.store.reference import DatasetSpec, import_dataset
from assay.store.schema import FactRow
from assay.store.series import FactSelection, fact_select, gc_paused
from assay.store.statements import origins


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


def test_records_are_whole_frozen_dataclasses(store: Store) -> None:
    # select_facts builds records without their __init__: they must still be complete and frozen
    with store.session() as session:
        doc = _doc(session, "one")
        replace_facts(session, doc, [_fact(7, "2024-05")])
        session.commit()
        (record,) = select_facts(session, FactSelection(commodity="magnesium"))
    assert set(vars(record)) == {f.name for f in dataclasses.fields(StoredFactRecord)}
    assert StoredFactRecord(**vars(record)) == record
    assert hash(StoredFactRecord(**vars(record))) == hash(record)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.official = True  # type: ignore[misc]


def test_limit_and_dataset_kind_pick_the_same_facts_with_their_documents(any_store: Store) -> None:
    with any_store.session() as session:
        for name, period in (("early", "2021"), ("middle", "2022"), ("late", "2023")):
            replace_facts(session, _doc(session, name), [_fact(1, period)])
        import_dataset(
            session,
            DatasetSpec("usgs-kind", "usgs-mcs", "t.csv", "1" * 64, "2024-01-31"),
            [Fact("usgs", "magnesium", "exports", "CN", "2020", 5, "t", Basis.ESTIMATE, "row")],
        )
        session.commit()
        first_two = select_facts(session, FactSelection(commodity="magnesium", limit=2))
        assert [(r.doc, r.dataset, r.fact.period) for r in first_two] == [
            (None, "usgs-kind", "2020"),
            ("early", None, "2021"),
        ]
        (usgs,) = select_facts(session, FactSelection(dataset_kind="usgs-mcs"))
        assert (usgs.fact.doc, usgs.official, usgs.independence_key) == ("usgs-kind", True, "dataset:usgs-mcs")


def test_sqlite_series_queries_read_only_the_covering_index(store: Store) -> None:
    # every column select_facts reads must be in ix_facts_series_covering, or each fact costs a table lookup
    with store.session() as session:
        for i, partner in enumerate(("NL", "JP", "KR", None)):
            replace_facts(session, _doc(session, f"d{i}"), [_fact(i, f"202{i}", partner=partner) for _ in range(5)])
        session.commit()
    with store.engine.begin() as connection:
        for index in FactRow.__table__.indexes:
            index.create(connection, checkfirst=True)
        connection.exec_driver_sql("ANALYZE")
    selection = FactSelection(commodity="magnesium", metric="exports", geo="CN", partner="NL")
    with store.session() as session:
        compiled = fact_select(selection).compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_facts_series_covering" in plan, plan


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one in force
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("query failed")
    assert gc.isenabled()
