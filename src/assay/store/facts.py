"""The facts repository: store a document's facts, and list stored facts by filter.

A document's facts are replaced as a whole, so that re-extraction after a rule change
leaves exactly what the current rules read. Facts imported from reference datasets
(`dataset_id` set) live in the same table and come back from `query_facts` too.

Filter semantics (also in docs/extraction.md):
- `commodity` includes its descendants in the vocabulary: `rare_earths` lists `prnd`,
  `neodymium`, ... too, since a user asking for rare earths wants every rare-earth figure;
- `period` matches the period itself and every period that starts with it as a prefix at a
  boundary: `2024` matches `2024`, `2024-05`, `2024-Q3`, `2024-01/2024-09`; `2024-01`
  matches `2024-01` and `2024-01/2024-09` but not `2024-10`;
- `geo`, `partner`, `metric`, `unit` and `doc` match exactly.
Results are ordered by commodity, metric, period start (undated last), period, geo and id,
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, insert, literal_column, or_, select
from sqlalchemy.orm import Session

from assay.model import Approx, Basis, Fact, Period
from assay.store.corrections import apply_corrections, period_bounds, status_of
from assay.store.documents import superseded_document_ids
from assay.store.price_products import add_price_facts, lock_fact_writers, price_statements_of, touch_changed
from assay.store.schema import DatasetRow, DocumentRow, FactRow
from assay.store.series import stored_commodities
from assay.store.series_points import touch_documents as touch_points_of_documents
from assay.store.series_points import touch_rows as touch_points_of_rows
from assay.vocab import commodities


class FactStoreError(ValueError):
    """A fact that cannot be stored as given; str() names the document and the reason."""


@dataclass(frozen=True)
class FactFilter:
    """What `query_facts` selects; None means any."""

    commodity: str | None = None
    metric: str | None = None
    geo: str | None = None
    period: str | None = None
    partner: str | None = None
    unit: str | None = None
    doc: str | None = None
    ids: tuple[int, ...] | None = None  # these facts only
    limit: int | None = None
    document_id: int | None = None
    fact_id: int | None = None
    text: str | None = None  # every word of it in the quote, case-insensitively
    offset: int = 0  # skip this many (pages of a list)
    order: str = "series"  # one of FACT_ORDERS


# How `query_facts` may sort: by series key (the default above), newest document first, or largest value first.
FACT_ORDERS = ("series", "newest", "value")


@dataclass(frozen=True)
class StoredFact:
    """A fact as stored, with where it came from: a document (`document_id`, `url`,
    `published`) or a reference dataset (`dataset`, `official`)."""

    id: int
    fact: Fact
    document_id: int | None
    dataset: str | None
    url: str | None
    published: str | None
    official: bool
    status: str = "extracted"  # or "corrected" by an analyst (rejected facts are not listed)


# Column widths of FactRow: checked before anything is deleted, so that PostgreSQL (which
# enforces them) never fails half-way and SQLite (which does not) stores the same data.
_WIDTHS = {
    "commodity": 40,
    "form": 20,
    "metric": 40,
    "geo": 120,
    "partner": 120,
    "share_of": 120,
    "period": 24,
    "unit": 16,
    "rule": 80,
    "rule_version": 20,
}

# Core executemany on the session's connection: the ORM's bulk insert machinery costs more than the rows.
_INSERT_FACT = insert(FactRow)


def replace_facts(session: Session, document_id: int, facts: Sequence[Fact]) -> int:
    """Replace every fact of document `document_id` with `facts`; returns how many were stored.

    Analysts' standing corrections of the document are applied again to the new rows
    (store/corrections.py). Raises FactStoreError (before deleting anything) when a fact cannot
    be stored. The caller commits.
    """
    rows = [_row_values(document_id, fact) for fact in facts]
    lock_fact_writers(session)
    stated = price_statements_of(session, document_id)  # the price products it states now, and after
    touch_points_of_documents(session, [document_id])  # its series points now, and (below) after
    # The delete goes through the session, so FactRows it already holds for this document are dropped too.
    session.execute(delete(FactRow).where(FactRow.document_id == document_id))
    if rows:
        session.connection().execute(_INSERT_FACT, rows)
    apply_corrections(session, document_id)
    # only keys whose statements changed are recomputed: a re-extraction mostly states the same prices
    touch_changed(session, stated, price_statements_of(session, document_id))
    touch_points_of_documents(session, [document_id])
    return len(rows)


def insert_facts(session: Session, document_id: int, facts: Sequence[Fact]) -> int:
    """Store the facts of a document saved moments ago in this transaction (so it has no facts
    and no corrections yet): `replace_facts` without its delete and corrections lookup."""
    return insert_facts_of_documents(session, [(document_id, facts)])


def insert_facts_of_documents(session: Session, facts_of: Sequence[tuple[int, Sequence[Fact]]]) -> int:
    """`insert_facts` for several new documents at once, each (document id, its facts), in one statement.
    Raises FactStoreError naming the first fact that cannot be stored, before writing any."""
    rows = [_row_values(document_id, fact) for document_id, facts in facts_of for fact in facts]
    if rows:
        session.connection().execute(_INSERT_FACT, rows)
        add_price_facts(session, rows)
        touch_points_of_rows(session, rows)
    return len(rows)


PAGE_READ_MAX = 1000  # a page up to this size is read by its ids (one IN list), a longer list in one query


def query_facts(session: Session, flt: FactFilter) -> list[StoredFact]:
    """Stored facts that pass `flt`, in a stable order (see the module docstring)."""
    if flt.limit is not None and flt.limit < 0:
        raise ValueError(f"limit must be 0 or more, not {flt.limit}")
    if flt.limit is not None and flt.limit <= PAGE_READ_MAX and flt.ids is None and flt.fact_id is None:
        found = _page(session, flt)
    else:
        found = [_stored(row) for row in session.execute(_select(session, flt))]
    marks = status_of(session, (item.id for item in found if item.document_id is not None))
    if not marks:
        return found
    return [replace(item, status=marks[item.id]) if item.id in marks else item for item in found]


# A list counts its facts exactly up to this many (or its page's end, if further), then says "more than".
COUNT_CAP = 10_000


def count_facts(session: Session, flt: FactFilter, at_most: int | None = None) -> int:
    """How many facts pass `flt`, ignoring its limit and offset (for pages of a list); with
    `at_most`, counting stops there: the answer is min(how many, at_most)."""
    # `1`, not the id: the index that holds the filtered columns serves the count alone on PostgreSQL
    matching: Select[Any] = select(literal_column("1")).select_from(FactRow)
    if flt.doc is not None:  # the only condition that needs the document or dataset
        matching = matching.outerjoin(DocumentRow, FactRow.document_id == DocumentRow.id).outerjoin(
            DatasetRow, FactRow.dataset_id == DatasetRow.id
        )
    # as the list does, leave out the facts of superseded versions
    return _count(session, matching.where(_current_document(), *_conditions(flt)), at_most)


def _count(session: Session, matching: Select[Any], at_most: int | None) -> int:
    """How many rows `matching` gives, counting no further than `at_most`."""
    if at_most is not None:
        matching = matching.limit(at_most)
    return int(session.scalar(select(func.count()).select_from(matching.subquery())) or 0)


def list_count_cap(flt: FactFilter) -> int:
    """Where a page of `flt` stops counting: one past `COUNT_CAP` or past the page's end, so a
    count at the cap means "more than cap - 1", and whether a next page exists is always known."""
    return max(COUNT_CAP, flt.offset + (flt.limit or 0)) + 1


def stored_fact_json(item: StoredFact) -> dict[str, Any]:
    """FactSpec plus where the fact is stored and where it came from (`assay facts --json`, the API)."""
    out: dict[str, Any] = {"id": item.id, **item.fact.to_factspec()}
    out["document_id"] = item.document_id
    if item.dataset is not None:
        out["dataset"] = item.dataset
        out["official"] = item.official
    out["url"] = item.url
    out["published"] = item.published
    out["span"] = [item.fact.start, item.fact.end]
    out["rule"] = out.get("rule", "")
    if item.status != "extracted":
        out["status"] = item.status
    return out


def get_facts(session: Session, fact_ids: Iterable[int]) -> dict[int, StoredFact]:
    """The stored facts with these ids (absent ids are left out), by id."""
    ids = tuple(sorted(set(fact_ids)))
    if not ids:
        return {}
    return {item.id: item for item in query_facts(session, FactFilter(ids=ids))}


def commodity_and_descendants(commodity_id: str) -> list[str]:
    """The commodity and every commodity below it in the vocabulary: rare_earths → [rare_earths, prnd, ...]."""
    children: dict[str, list[str]] = {}
    for item in commodities().values():
        if item.parent:
            children.setdefault(item.parent, []).append(item.id)
    found = [commodity_id]
    for current in found:  # breadth first; the list grows while it is walked
        found.extend(child for child in children.get(current, ()) if child not in found)
    return found


def period_filter(column: Any, period: str) -> ColumnElement[bool]:
    """`period` itself, or a period that continues it after `-` or `/` (see the module docstring)."""
    Period.parse(period)  # raises ValueError on anything that is not a FactSpec period
    # A valid period holds only digits, Q, H, '-' and '/', so no LIKE wildcard needs escaping.
    return or_(column == period, column.like(f"{period}-%"), column.like(f"{period}/%"))


def _row_values(document_id: int, fact: Fact) -> dict[str, Any]:
    where = f"document {document_id}, fact {fact.metric!r} {fact.value!r} from {fact.quote[:60]!r}"
    if not math.isfinite(fact.value) or (fact.value_high is not None and not math.isfinite(fact.value_high)):
        raise FactStoreError(f"{where}: value is not a finite number")
    values: dict[str, Any] = {
        "document_id": document_id,
        "dataset_id": None,
        "commodity": fact.commodity,
        "form": fact.form,
        "metric": fact.metric,
        "geo": fact.geo,
        "partner": fact.partner,
        "share_of": fact.share_of,
        "period": fact.period,
        "value": fact.value,
        "value_high": fact.value_high,
        "unit": fact.unit,
        "basis": Basis(fact.basis).value,
        "approx": Approx(fact.approx).value if fact.approx is not None else None,
        "quote": fact.quote,
        "span_start": fact.start,
        "span_end": fact.end,
        "rule": fact.rule,
        "rule_version": fact.rule_version,
    }
    for name, width in _WIDTHS.items():
        text = values[name]
        if text is not None and len(text) > width:
            raise FactStoreError(f"{where}: {name} is longer than {width} characters: {text[:40]!r}…")
    values["period_start"], values["period_end"] = period_bounds(fact.period)
    return values


def _conditions(flt: FactFilter) -> list[ColumnElement[bool]]:
    """The filter's conditions on facts (and, for `doc`, on the joined document or dataset)."""
    where: list[ColumnElement[bool]] = []
    if flt.commodity is not None:
        where.append(FactRow.commodity.in_(commodity_and_descendants(flt.commodity)))
    for column, wanted in (
        (FactRow.metric, flt.metric),
        (FactRow.geo, flt.geo),
        (FactRow.partner, flt.partner),
        (FactRow.unit, flt.unit),
    ):
        if wanted is not None:
            where.append(column == wanted)
    if flt.period is not None:
        where.append(period_filter(FactRow.period, flt.period))
    if flt.doc is not None:
        where.append(or_(DocumentRow.name == flt.doc, DatasetRow.name == flt.doc))
    if flt.document_id is not None:
        where.append(FactRow.document_id == flt.document_id)
    if flt.fact_id is not None:
        where.append(FactRow.id == flt.fact_id)
    if flt.ids is not None:
        where.append(FactRow.id.in_(flt.ids))
    for word in (flt.text or "").split():
        where.append(FactRow.quote.icontains(word, autoescape=True))
    return where


def _page(session: Session, flt: FactFilter) -> list[StoredFact]:
    """One page of a list: the page's ids sorted and cut in SQL on the narrow columns the order
    needs (an index holds them: no fact row or quote is read for the rows skipped), then those
    facts read whole."""
    if flt.doc is None and flt.order == "series":
        ids = _series_page_ids(session, flt)
    elif flt.doc is None and flt.order != "newest":
        current = _current_document()  # of the document, only whether it is current
        ids = list(session.scalars(_order_and_cut(session, flt, select(FactRow.id).where(current, *_conditions(flt)))))
    else:
        ids = list(session.scalars(_ordered(session, flt, select(FactRow.id))))
    if not ids:
        return []
    rows = session.execute(_select(session, FactFilter(ids=tuple(ids))))
    by_id = {item.id: item for item in map(_stored, rows)}
    return [by_id[fact_id] for fact_id in ids if fact_id in by_id]


def _series_page_ids(session: Session, flt: FactFilter) -> list[int]:
    """A page's ids in series order, walked block by block: a block is one (commodity, metric),
    both in code-point order as the list sorts them. A block before the page is only counted (up
    to what the page still skips, from index entries); the page's blocks are read in period order
    from an index on (commodity, period_start), so PostgreSQL visits the table rows of the facts
    up to the page's end in those blocks, not of every matching fact (magnesium exports: 88,000,
    nearly every page of the table, for any page of its list)."""
    skip, wanted = flt.offset, flt.limit or 0
    rest = _conditions(replace(flt, commodity=None, metric=None))
    current = _current_document()
    chosen = sorted(commodity_and_descendants(flt.commodity)) if flt.commodity else stored_commodities(session)
    ids: list[int] = []
    for commodity in chosen:
        for metric in [flt.metric] if flt.metric else _metrics_of(session, commodity):
            if wanted == len(ids):
                return ids
            block = (FactRow.commodity == commodity, FactRow.metric == metric, current, *rest)
            if skip:
                found = _count(session, select(literal_column("1")).select_from(FactRow).where(*block), skip + wanted)
                if found <= skip:
                    skip -= found
                    continue
            # NULLS LAST: the list's "undated last", in the order PostgreSQL's index holds it
            in_block = select(FactRow.id).where(*block).order_by(*_ordering(session, within_block=True))
            ids += session.scalars(in_block.offset(skip).limit(wanted - len(ids)))
            skip = 0
    return ids


def _metrics_of(session: Session, commodity: str) -> list[str]:
    """The distinct metrics of a commodity's facts in code-point order, one index seek each."""
    found: list[str] = []
    while True:
        following = select(FactRow.metric).where(FactRow.commodity == commodity)
        if found:
            following = following.where(FactRow.metric > found[-1])
        metric = session.scalar(following.order_by(FactRow.metric).limit(1))
        if metric is None:
            return sorted(found)
        found.append(str(metric))


def _current_document() -> ColumnElement[bool]:
    """A fact of a dataset or of a current document: the few superseded documents are read once,
    where a join would look up the document of every matching fact."""
    return or_(FactRow.document_id.is_(None), FactRow.document_id.not_in(superseded_document_ids()))


def _select(session: Session, flt: FactFilter) -> Select[FactRow, str, str | None, str | None, str, bool]:
    stmt = select(
        FactRow,
        DocumentRow.name,
        DocumentRow.url,
        DocumentRow.published,
        DatasetRow.name,
        DatasetRow.official,
    )
    return _ordered(session, flt, stmt)


def _ordered(session: Session, flt: FactFilter, stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """`stmt` joined, filtered, ordered and cut as `flt` says."""
    stmt = (
        stmt.outerjoin(DocumentRow, FactRow.document_id == DocumentRow.id)
        .outerjoin(DatasetRow, FactRow.dataset_id == DatasetRow.id)
        # a superseded version's facts are history: `superseded_by` is NULL for current ones and datasets
        .where(DocumentRow.superseded_by.is_(None))
    )
    return _order_and_cut(session, flt, stmt.where(*_conditions(flt)))


def _order_and_cut(session: Session, flt: FactFilter, stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    if flt.order not in FACT_ORDERS:
        raise ValueError(f"order must be one of {', '.join(FACT_ORDERS)}, not {flt.order!r}")
    if flt.order == "newest":
        stmt = stmt.order_by(DocumentRow.published.desc().nulls_last(), FactRow.id.desc())
    elif flt.order == "value":
        stmt = stmt.order_by(FactRow.value.desc(), FactRow.id)
    else:
        stmt = stmt.order_by(*_ordering(session))
    if flt.offset:
        stmt = stmt.offset(flt.offset)
    if flt.limit is not None:
        stmt = stmt.limit(flt.limit)
    return stmt


def _ordering(session: Session, within_block: bool = False) -> list[Any]:
    # PostgreSQL's default collation sorts `rare_earths` after `rare_earth_magnets` differently from
    # SQLite's byte order; collating by code point gives one order on both.
    def text(column: Any) -> Any:
        return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column

    start = FactRow.period_start
    dated = [start.nulls_last()] if within_block else [start.is_(None), start]
    block = [] if within_block else [text(FactRow.commodity), text(FactRow.metric)]
    return [*block, *dated, FactRow.period_end, text(FactRow.period), text(FactRow.geo), FactRow.id]


def _stored(row: Any) -> StoredFact:
    fact_row: FactRow = row[0]
    document_name, url, published, dataset_name, official = row[1:]
    fact = Fact(
        doc=document_name or dataset_name or "",
        commodity=fact_row.commodity,
        metric=fact_row.metric,
        geo=fact_row.geo,
        period=fact_row.period,
        value=fact_row.value,
        unit=fact_row.unit,
        basis=Basis(fact_row.basis),
        quote=fact_row.quote,
        start=fact_row.span_start,
        end=fact_row.span_end,
        partner=fact_row.partner,
        share_of=fact_row.share_of,
        value_high=fact_row.value_high,
        form=fact_row.form,
        approx=Approx(fact_row.approx) if fact_row.approx else None,
        rule=fact_row.rule,
        rule_version=fact_row.rule_version,
    )
    return StoredFact(
        id=fact_row.id,
        fact=fact,
        document_id=fact_row.document_id,
        dataset=dataset_name,
        url=url,
        published=published,
        official=bool(official) if fact_row.dataset_id is not None else False,
    )
