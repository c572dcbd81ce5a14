"""A store with documents and facts built by hand, for tests of analysis and publishing.

Tests build their Fact objects themselves, so they do not depend on the extractor's accuracy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from assay.model import Basis, Document, Fact
from assay.store.db import Store
from assay.store.documents import save_document
from assay.store.facts import replace_facts


@dataclass
class KnowledgeBase:
    """Adds documents with facts to a real store; `session` reads them back."""

    store: Store
    session: Session
    _count: int = field(default=0)

    def doc(
        self,
        name: str,
        *facts: Fact,
        published: str | None = None,
        duplicate_of: int | None = None,
        url: str | None = None,
        source_name: str | None = None,
    ) -> int:
        self._count += 1
        text = f"{name} {self._count}"
        document = Document(
            name=name,
            source=url or f"/corpus/{name}.txt",
            raw_sha256=hashlib.sha256(text.encode()).hexdigest(),
            clean_text=" ".join(f.quote for f in facts) or text,
            published=published,
            duplicate_of=duplicate_of,
            url=url,
            source_name=source_name,
        )
        doc_id = save_document(self.session, document, hashlib.sha256(text.encode()).hexdigest())
        replace_facts(self.session, doc_id, [Fact(**{**_fields(f), "doc": name}) for f in facts])
        self.session.commit()
        return doc_id


def _fields(fact: Fact) -> dict[str, Any]:
    return {name: getattr(fact, name) for name in fact.__slots__}  # type: ignore[attr-defined]


def make_fact(
    value: float,
    quote: str,
    *,
    commodity: str = "magnesium",
    metric: str = "exports",
    geo: str = "CN",
    period: str | None = "2024-05",
    unit: str = "t",
    partner: str | None = None,
    share_of: str | None = None,
    form: str | None = None,
    basis: Basis = Basis.ACTUAL,
    value_high: float | None = None,
    **extra: Any,
) -> Fact:
    return Fact(
        doc="",
        commodity=commodity,
        metric=metric,
        geo=geo,
        period=period,
        value=value,
        unit=unit,
        basis=basis,
        quote=quote,
        partner=partner,
        share_of=share_of,
        form=form,
        value_high=value_high,
        **extra,
    )
