"""Citations in articles: `[[fact:123]]` cites one stored fact, `[[series:magnesium/exports/CN?partner=NL]]`
one series (commodity/metric/geo, then any of partner, form, unit as query parameters).

`resolve` reads each cited fact or series from the store as it is now, so a correction of a
cited fact shows in the article; `render_citation` turns one into HTML with its value and a
link to its sources. A citation that names nothing stored resolves with an `error`, which the
draft shows and which blocks publishing."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.orm import Session

from assay.analyze.series import Series, SeriesQuery, build_series
from assay.store import corrections as corrections_repo
from assay.store.facts import StoredFact, get_facts

CITATION = re.compile(r"\[\[(fact|series):([^\]\s]{1,200})\]\]")
_SERIES_PARAMETERS = ("partner", "form", "unit")


@dataclass(frozen=True)
class Citation:
    token: str  # the text as written, `[[fact:123]]`
    kind: str  # fact, series
    target: str  # 123, magnesium/exports/CN?partner=NL
    fact: StoredFact | None = None
    series: Series | None = None
    query: SeriesQuery | None = None
    rejected: bool = False  # the cited fact was rejected by an analyst
    error: str | None = None

    @property
    def link(self) -> str:
        if self.fact is not None and self.fact.document_id is not None:
            return f"/documents/{self.fact.document_id}#fact-{self.fact.id}"
        if self.query is not None:
            params = {"commodity": self.query.commodity, "metric": self.query.metric, "geo": self.query.geo}
            params.update({k: getattr(self.query, k) for k in _SERIES_PARAMETERS})
            return "/series?" + urlencode({k: v for k, v in params.items() if v})
        return ""


@dataclass(frozen=True)
class CitationStyle:
    """How values and charts look; the portal passes its locale's number format and its sparkline."""

    amount: Callable[[float, str], str] = lambda value, unit: f"{value:,.6g} {unit}"
    chart: Callable[[Sequence[float]], str] | None = None


def find(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, target) of each citation in `text`, in order."""
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in CITATION.finditer(text)]


def resolve(session: Session, text: str) -> dict[str, Citation]:
    """Each distinct citation of `text`, read from the store now, keyed by its token."""
    out: dict[str, Citation] = {}
    wanted: dict[str, int] = {}
    for start, end, kind, target in find(text):
        token = text[start:end]
        if token in out or token in wanted:
            continue
        if kind == "fact":
            if not target.isdigit():
                out[token] = Citation(token, kind, target, error=f"{token}: a fact is cited by its number")
            else:
                wanted[token] = int(target)
        else:
            out[token] = _series_citation(session, token, target)
    facts = get_facts(session, wanted.values())
    rejected = corrections_repo.rejected_fact_ids(session, [i for i in wanted.values() if i not in facts])
    for token, fact_id in wanted.items():
        if fact_id in facts:
            out[token] = Citation(token, "fact", str(fact_id), fact=facts[fact_id])
        elif fact_id in rejected:
            out[token] = Citation(token, "fact", str(fact_id), rejected=True, error=f"fact {fact_id} was rejected")
        else:
            out[token] = Citation(token, "fact", str(fact_id), error=f"no fact {fact_id}")
    return out


def errors(citations: dict[str, Citation]) -> list[str]:
    return [c.error for c in citations.values() if c.error]


def render_citation(citation: Citation, style: CitationStyle) -> str:
    """HTML for one citation (every text escaped)."""
    esc = html.escape
    if citation.error:
        return f'<span class="cite cite-error" title="{esc(citation.token)}">⚠ {esc(citation.error)}</span>'
    if citation.fact is not None:
        fact = citation.fact.fact
        value = style.amount(fact.value, fact.unit)
        mark = ' <span class="badge badge-corrected">corrected</span>' if citation.fact.status == "corrected" else ""
        period = f" ({esc(fact.period)})" if fact.period else ""
        return (
            f'<span class="cite cite-fact" data-fact-id="{citation.fact.id}">{esc(value)}{period}{mark}'
            f' <a class="cite-source" href="{esc(citation.link)}">[{esc(fact.doc)}]</a></span>'
        )
    assert citation.series is not None
    observations = citation.series.observations
    last = observations[-1]
    chart = style.chart([o.value for o in observations]) if style.chart else ""
    return (
        f'<span class="cite cite-series">{chart}{esc(citation.series.label())}: '
        f"{esc(style.amount(last.value, last.unit))} ({esc(last.period)}, {len(last.sources)} sources)"
        f' <a class="cite-source" href="{esc(citation.link)}">[series]</a></span>'
    )


def _series_citation(session: Session, token: str, target: str) -> Citation:
    path, _, query_text = target.partition("?")
    parts = path.split("/")
    if len(parts) != 3 or not all(parts):
        return Citation(token, "series", target, error=f"{token}: write a series as commodity/metric/GEO")
    extra = dict(parse_qsl(query_text))
    unknown = sorted(set(extra) - set(_SERIES_PARAMETERS))
    if unknown:
        return Citation(token, "series", target, error=f"{token}: unknown parameter {', '.join(unknown)}")
    query = SeriesQuery(commodity=parts[0], metric=parts[1], geo=parts[2], **extra)
    found = [s for s in build_series(session, query) if s.observations]
    if "partner" not in extra:  # without a partner, the total and not a flow to one country
        found = [s for s in found if s.fields.get("partner") is None] or found
    if not found:
        return Citation(token, "series", target, query=query, error=f"no stored series {target}")
    best = max(found, key=lambda s: (len(s.observations), s.observations[-1].period))
    return Citation(token, "series", target, series=best, query=query)
