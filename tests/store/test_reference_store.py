"""Reference datasets: re-imports add nothing, a new version replaces, a failure loses nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assay.model import Basis, Fact
from assay.store.db import Store
from assay.store.reference import DatasetSpec, ReferenceError, import_dataset, list_datasets
from assay.store.schema import FactRow


def _facts(*values: float, period: str = "2023") -> list[Fact]:
    return [Fact("ds", "graphite", "production", "CN", period, v, "t", Basis.ESTIMATE, f"row {v}") for v in values]


def _count(session) -> int:
    return int(session.scalar(select(func.count()).select_from(FactRow)) or 0)


def test_reimport_replace_and_failure(any_store: Store) -> None:
    with any_store.session() as session:
        spec = DatasetSpec("usgs-mcs2024-graph_world", "usgs-mcs", "a.csv", "a" * 64, "2024-01-31")
        first = import_dataset(session, spec, _facts(1, 2, 3))
        session.commit()
        assert (first.added, first.removed, first.unchanged) == (3, 0, False)
        same = import_dataset(session, DatasetSpec("other-name", "usgs-mcs", "b.csv", "a" * 64), _facts(9))
        assert same.unchanged and same.same_as == "usgs-mcs2024-graph_world" and _count(session) == 3
        newer = import_dataset(session, DatasetSpec(spec.name, "usgs-mcs", "a2.csv", "c" * 64), _facts(4, 5))
        session.commit()
        assert (newer.added, newer.removed) == (2, 3) and _count(session) == 2
        with pytest.raises(ReferenceError, match="not a period"):
            import_dataset(session, DatasetSpec(spec.name, "usgs-mcs", "a3.csv", "d" * 64), _facts(6, period="soon"))
        session.rollback()
        assert _count(session) == 2
        (info,) = list_datasets(session)
        assert (info.name, info.facts, info.source, info.official) == (spec.name, 2, "a2.csv", True)
