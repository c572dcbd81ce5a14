"""Market reports: one commodity's figures, charts, events and contradictions, every number cited.

    data = gather_report(session, "magnesium", ReportOptions(lang="en"))
    html = report_html(data)            # charts inline as SVG
    pdf = report_pdf(data)              # WeasyPrint renders the HTML
    text = report_markdown(data)        # the same report without charts, chart data as tables

`render_report(store, commodity, options)` does all of it for the CLI and the portal.
"""

from __future__ import annotations

import base64
import html
import logging
import re
from collections.abc import Sequence
from typing import Any

from assay.publish import charts, i18n
from assay.publish.report_data import KeyFigure, ReportData, ReportOptions, gather_report, marks
from assay.store.db import Store

FORMATS = ("pdf", "html", "md")
_MARK = re.compile(r"\[(\d+)\]")
CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", sans-serif; font-size: 9.5pt; line-height: 1.45; color: #222; }
html[lang="zh"] body { font-family: "Noto Sans CJK SC", "DejaVu Sans", sans-serif; }
h1 { font-size: 20pt; color: #1f4e79; margin-bottom: 2pt; }
h2 { font-size: 13pt; color: #1f4e79; border-bottom: 1px solid #9dc3e6; margin-top: 16pt; }
p.note { color: #666; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 8.5pt; }
th, td { border-bottom: 1px solid #ddd; padding: 3pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef3f9; }
td.num { text-align: right; white-space: nowrap; }
sup a { color: #2e75b6; text-decoration: none; font-size: 7pt; }
figure { margin: 8pt 0; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
ol.sources li { margin-bottom: 4pt; font-size: 8pt; word-wrap: break-word; }
ol.sources .quote { color: #444; font-style: italic; }
@media screen { body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; } }
"""


def render_report(store: Store, commodity: str, options: ReportOptions) -> bytes | str:
    """The report in `options.format`: PDF bytes, or HTML or Markdown text."""
    if options.format not in FORMATS:
        raise ValueError(f"format {options.format!r}: one of {', '.join(FORMATS)}")
    if options.lang not in i18n.LANGS:
        raise ValueError(f"language {options.lang!r}: one of {', '.join(i18n.LANGS)}")
    with store.session() as session:
        data = gather_report(session, commodity, options)
    if options.format == "md":
        return report_markdown(data)
    if options.format == "html":
        return report_html(data)
    return report_pdf(data)


def report_pdf(data: ReportData) -> bytes:
    import weasyprint  # imported here: loading pango costs time that md and html reports need not pay

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-matching chatter, not problems
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = weasyprint.HTML(string=report_html(data)).write_pdf()
    assert isinstance(pdf, bytes)  # write_pdf returns bytes when no target is given
    return pdf


def _title(data: ReportData) -> str:
    return i18n.text(data.options.lang, "report_title", name=i18n.commodity_name(data.commodity, data.options.lang))


def _meta(data: ReportData) -> str:
    lang = data.options.lang
    since = data.options.since or i18n.text(lang, "all_time")
    return i18n.text(lang, "generated", date=data.today.isoformat(), n_docs=data.n_documents, since=since)


def _figure_label(data: ReportData, figure: KeyFigure) -> str:
    lang = data.options.lang
    name = i18n.commodity_name(figure.commodity, lang) + (f" ({figure.form})" if figure.form else "")
    return f"{name}: {i18n.metric_name(figure.metric, lang)}, {i18n.place_name(figure.geo, lang)}"


def _more_events(data: ReportData) -> str:
    return i18n.text(data.options.lang, "more_events", shown=len(data.timeline), n=data.n_events)


def _more_contradictions(data: ReportData) -> str:
    return i18n.text(data.options.lang, "more_contradictions", shown=len(data.contradictions), n=data.n_contradictions)


def _stance_events(data: ReportData) -> list[tuple[str, str, str, str, str]]:
    lang = data.options.lang
    return [
        (e.date or i18n.text(lang, "undated"), i18n.event_name(e.type, lang), e.actor, e.stance, marks(e.cites))
        for e in data.timeline
    ]


# ---- HTML ----


def _cited_html(text: str) -> str:
    return _MARK.sub(lambda m: f'<sup><a href="#src-{m.group(1)}">[{m.group(1)}]</a></sup>', html.escape(text))


def _table_html(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{_cited_html(c)}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(data: ReportData) -> str:
    """A standalone page (its own styles, charts inline as SVG): what `--format html` writes and PDFs render."""
    lang = data.options.lang
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(_title(data))}</title>'
        f"<style>{CSS}</style></head><body>\n{report_body_html(data)}\n</body></html>"
    )


def report_body_html(data: ReportData, charts_as_images: bool = False) -> str:
    """The report's content for a page that brings its own layout; `charts_as_images` puts each chart in an
    <img> with a data: URL, for pages whose Content-Security-Policy forbids inline styles."""
    lang = data.options.lang
    t = i18n.text
    parts = [
        f"<h1>{html.escape(_title(data))}</h1><p class=note>{html.escape(_meta(data))}</p>",
        f"<h2>{t(lang, 'summary')}</h2>",
    ]
    parts += [f"<p>{_cited_html(sentence)}</p>" for sentence in data.summary]
    parts.append(f"<h2>{t(lang, 'key_figures')}</h2>")
    parts.append(_key_figures_html(data) if data.key_figures else f"<p>{t(lang, 'no_data')}</p>")
    chart_svgs = chart_images(data)
    if chart_svgs:
        parts.append(f"<h2>{t(lang, 'charts')}</h2>")
        if charts_as_images:
            parts += [
                f'<figure><img alt="" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
                "</figure>"
                for svg in chart_svgs
            ]
        else:
            parts += [f"<figure>{svg}</figure>" for svg in chart_svgs]
    parts.append(f"<h2>{t(lang, 'events')}</h2>")
    if data.timeline:
        headers = [t(lang, k) for k in ("date", "event", "actor", "stance", "cited")]
        parts.append(_table_html(headers, _stance_events(data)))
        if data.n_events > len(data.timeline):
            parts.append(f"<p class=note>{html.escape(_more_events(data))}</p>")
    else:
        parts.append(f"<p>{t(lang, 'no_data')}</p>")
    parts.append(f"<h2>{t(lang, 'contradictions')}</h2>")
    if data.contradictions:
        parts.append(
            "<ul>"
            + "".join(f"<li>{_cited_html(c.message + ' ' + marks(c.cites))}</li>" for c in data.contradictions)
            + "</ul>"
        )
        if data.n_contradictions > len(data.contradictions):
            parts.append(f"<p class=note>{html.escape(_more_contradictions(data))}</p>")
    else:
        parts.append(f"<p>{t(lang, 'no_data')}</p>")
    parts.append(f"<h2>{t(lang, 'sources')}</h2><ol class=sources>")
    for c in data.citations:
        link = f' <a href="{html.escape(c.url)}">{html.escape(c.url)}</a>' if c.url and _linkable(c.url) else ""
        when = f" ({t(lang, 'published')} {html.escape(c.published)})" if c.published else ""
        parts.append(
            f'<li id="src-{c.number}"><b>{html.escape(c.title or c.doc)}</b> [{html.escape(c.doc)}]{when}{link}'
            f"<br><span class=quote>“{html.escape(c.quote)}”</span></li>"
        )
    parts.append("</ol>")
    return "\n".join(parts)


def _linkable(url: str) -> bool:
    """Only web addresses become links (a document's URL comes from its metadata, which anyone may write)."""
    return url.lower().startswith(("http://", "https://"))


def _key_figures_html(data: ReportData) -> str:
    lang = data.options.lang
    headers = [i18n.text(lang, k) for k in ("figure", "period", "value", "sources_n", "spread", "cited")]
    return _table_html(headers, _key_figure_rows(data), numeric={2, 3, 4})


def _key_figure_rows(data: ReportData) -> list[list[str]]:
    lang = data.options.lang
    return [
        [
            _figure_label(data, f),
            f.period,
            i18n.number(f.value, f.unit, lang),
            str(f.n_sources),
            f"{f.spread:.1%}" if f.spread != float("inf") else "-",
            marks(f.cites),
        ]
        for f in data.key_figures
    ]


def chart_images(data: ReportData) -> list[str]:
    """The report's charts as SVG texts: production shares, exports by period and destination, prices."""
    lang = data.options.lang
    t = i18n.text
    out: list[str] = []
    if data.shares is not None:
        title = t(lang, "chart_shares", metric=i18n.metric_name("production", lang), year=data.shares.year)
        labels = [i18n.place_name(row.geo, lang) for row in data.shares.rows]
        out.append(charts.share_chart(title, labels, [row.share for row in data.shares.rows], t(lang, "others")))
    if len(data.exports) >= 2:
        out.append(
            charts.bar_chart(
                t(lang, "chart_exports"), [p.label for p in data.exports], [p.value for p in data.exports], "t"
            )
        )
    if data.destinations:
        title = t(lang, "chart_destinations", period=data.destinations_period)
        labels = [i18n.place_name(p.label, lang) for p in data.destinations]
        out.append(charts.bar_chart(title, labels, [p.value for p in data.destinations], "t"))
    if data.products:
        title = t(lang, "chart_products", period=data.products_period)
        labels = [i18n.commodity_name(p.label, lang) for p in data.products]
        out.append(charts.bar_chart(title, labels, [p.value for p in data.products], "t"))
    if data.history is not None:
        figure, points = data.history
        title = t(lang, "chart_history", figure=_figure_label(data, figure))
        out.append(charts.bar_chart(title, [p.label for p in points], [p.value for p in points], figure.unit))
    prices = data.prices
    if prices is not None and len(prices.points) >= 2:
        a = prices.assessment
        band = (a.low, a.high) if a is not None and a.low is not None and a.high is not None else None
        label = t(lang, "band", low=f"{band[0]:,.0f}", high=f"{band[1]:,.0f}") if band else ""
        title = t(lang, "chart_prices", commodity=i18n.commodity_name(prices.commodity, lang), unit="CNY/t")
        out.append(charts.price_chart(title, prices.points, band, label, "CNY/t"))
    return out


def report_json(data: ReportData) -> dict[str, Any]:
    """The report's content as JSON (for the API): sentences with their marks, figures, timeline, sources."""
    return {
        "commodity": data.commodity,
        "lang": data.options.lang,
        "since": data.options.since,
        "title": _title(data),
        "written": data.today.isoformat(),
        "documents": data.n_documents,
        "summary": list(data.summary),
        "key_figures": [
            {
                "commodity": f.commodity,
                "form": f.form,
                "metric": f.metric,
                "geo": f.geo,
                "period": f.period,
                "value": f.value,
                "value_high": f.value_high,
                "unit": f.unit,
                "sources": f.n_sources,
                "spread": f.spread if f.spread != float("inf") else None,
                "cites": list(f.cites),
            }
            for f in data.key_figures
        ],
        "production_shares": None
        if data.shares is None
        else {
            "commodity": data.shares.commodity,
            "year": data.shares.year,
            "unit": data.shares.unit,
            "of_world_total": data.shares.total_is_world,
            "rows": [
                {"geo": r.geo, "value": r.value, "share": round(r.share, 3), "cites": list(r.cites)}
                for r in data.shares.rows
            ],
        },
        "exports": [{"period": p.label, "value": p.value, "cites": list(p.cites)} for p in data.exports],
        "destinations": [{"partner": p.label, "value": p.value, "cites": list(p.cites)} for p in data.destinations],
        "price_assessment": None
        if data.prices is None or data.prices.assessment is None
        else {
            "commodity": data.prices.commodity,
            "form": data.prices.form,
            "unit": data.prices.assessment.unit,
            "low": data.prices.assessment.low,
            "high": data.prices.assessment.high,
            "mid": data.prices.assessment.mid,
            "cites": list(data.prices.cites),
        },
        "timeline": [
            {"date": e.date, "type": e.type, "actor": e.actor, "stance": e.stance, "cites": list(e.cites)}
            for e in data.timeline
        ],
        "events_on_record": data.n_events,
        "contradictions_open": data.n_contradictions,
        "contradictions": [
            {"message": c.message, "period": c.period, "cites": list(c.cites)} for c in data.contradictions
        ],
        "sources": [
            {
                "number": c.number,
                "doc": c.doc,
                "title": c.title,
                "url": c.url,
                "published": c.published,
                "quote": c.quote,
            }
            for c in data.citations
        ],
    }


# ---- Markdown ----


def _table_md(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def report_markdown(data: ReportData) -> str:
    lang = data.options.lang
    t = i18n.text
    out = [f"# {_title(data)}", "", f"_{_meta(data)}_", "", f"## {t(lang, 'summary')}", ""]
    out += [f"{sentence}\n" for sentence in data.summary]
    out += [f"## {t(lang, 'key_figures')}", ""]
    if data.key_figures:
        headers = [t(lang, k) for k in ("figure", "period", "value", "sources_n", "spread", "cited")]
        out += [_table_md(headers, _key_figure_rows(data)), ""]
    else:
        out += [t(lang, "no_data"), ""]
    out += _chart_tables_md(data)
    out += [f"## {t(lang, 'events')}", ""]
    if data.timeline:
        out += [
            _table_md([t(lang, k) for k in ("date", "event", "actor", "stance", "cited")], _stance_events(data)),
            "",
        ]
        if data.n_events > len(data.timeline):
            out += [f"_{_more_events(data)}_", ""]
    else:
        out += [t(lang, "no_data"), ""]
    out += [f"## {t(lang, 'contradictions')}", ""]
    out += [f"- {c.message} {marks(c.cites)}" for c in data.contradictions] or [t(lang, "no_data")]
    if data.n_contradictions > len(data.contradictions):
        out += ["", f"_{_more_contradictions(data)}_"]
    out += ["", f"## {t(lang, 'sources')}", ""]
    for c in data.citations:
        where = f" <{c.url}>" if c.url else ""
        when = f" ({t(lang, 'published')} {c.published})" if c.published else ""
        out.append(f"{c.number}. **{c.title or c.doc}** [{c.doc}]{when}{where}  \n   “{c.quote}”")
    return "\n".join(out) + "\n"


def _chart_tables_md(data: ReportData) -> list[str]:
    """Markdown has no charts: each chart's numbers as a small table instead."""
    lang = data.options.lang
    t = i18n.text
    out: list[str] = []
    if data.shares is not None:
        title = t(lang, "chart_shares", metric=i18n.metric_name("production", lang), year=data.shares.year)
        rows = [[i18n.place_name(row.geo, lang), f"{row.share:.1f}%", marks(row.cites)] for row in data.shares.rows]
        out += [f"### {title}", "", _table_md(["", "%", ""], rows), ""]
    if data.exports:
        rows = [[p.label, i18n.number(p.value, "t", lang), marks(p.cites)] for p in data.exports]
        out += [f"### {t(lang, 'chart_exports')}", "", _table_md(["", "t", ""], rows), ""]
    if data.destinations:
        rows = [
            [i18n.place_name(p.label, lang), i18n.number(p.value, "t", lang), marks(p.cites)] for p in data.destinations
        ]
        title = t(lang, "chart_destinations", period=data.destinations_period)
        out += [f"### {title}", "", _table_md(["", "t", ""], rows), ""]
    if data.products:
        rows = [
            [i18n.commodity_name(p.label, lang), i18n.number(p.value, "t", lang), marks(p.cites)] for p in data.products
        ]
        title = t(lang, "chart_products", period=data.products_period)
        out += [f"### {title}", "", _table_md(["", "t", ""], rows), ""]
    if data.history is not None:
        figure, points = data.history
        rows = [[p.label, i18n.number(p.value, figure.unit, lang), marks(p.cites)] for p in points]
        title = t(lang, "chart_history", figure=_figure_label(data, figure))
        out += [f"### {title}", "", _table_md(["", figure.unit, ""], rows), ""]
    return out
