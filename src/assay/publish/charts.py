"""Report charts drawn with matplotlib (Agg, no display) as SVG text to embed in HTML and PDF.

Text stays text in the SVG (svg.fonttype "none"), so the PDF carries the chart's words and a
reader (or pdftotext) can find them; Chinese labels use a Noto CJK font when one is installed.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display is ever needed

import matplotlib.pyplot as plt  # after matplotlib.use
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

COLOURS = ("#1f4e79", "#2e75b6", "#9dc3e6", "#c55a11", "#f4b183", "#70ad47", "#a9d18e", "#7f7f7f")
FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP"]
SIZE = (6.4, 3.0)
EPOCH = date(1970, 1, 1).toordinal()
MAX_PRICE_DATES = 120


def _figure() -> tuple[Figure, Axes]:
    plt.rcParams.update(
        {
            "font.family": FONTS,
            "svg.fonttype": "none",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    fig = Figure(figsize=SIZE)
    return fig, fig.add_subplot()


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype, so the SVG can sit inside HTML


def _x(day: date) -> float:
    """Days since matplotlib's date epoch, the number its date axis reads."""
    return float(day.toordinal() - EPOCH)


def share_chart(title: str, labels: Sequence[str], shares: Sequence[float], others: str) -> str:
    """A horizontal bar per country, percent of the total; the long tail folded into `others`."""
    shown_labels, shown = list(labels[:6]), list(shares[:6])
    rest = 100.0 - sum(shares[:6]) if len(shares) > 6 else 0.0
    if rest > 0.05:
        shown_labels.append(others)
        shown.append(rest)
    fig, ax = _figure()
    bars = ax.barh(shown_labels[::-1], shown[::-1], color=COLOURS[1])
    ax.bar_label(bars, labels=[f"{v:.1f}%" for v in shown[::-1]], padding=3)
    ax.set_xlim(0, max(shown) * 1.18)
    ax.set_title(title)
    return _svg(fig)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], unit: str) -> str:
    fig, ax = _figure()
    ax.bar(list(labels), list(values), color=COLOURS[0])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.set_ylabel(unit)
    ax.set_title(title)
    if len(labels) > 6 or sum(len(label) for label in labels) > 60:  # long names would run into each other
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    return _svg(fig)


def price_chart(
    title: str, points: Sequence[tuple[date, float]], band: tuple[float, float] | None, band_label: str, unit: str
) -> str:
    """The median quote of each date (of each month, when there are many dates) as a line with dots, each
    date's lowest and highest quote as a thin bar; the assessment band shaded across the chart."""
    fig, ax = _figure()
    by_day: dict[date, list[float]] = {}
    for day, value in points:
        by_day.setdefault(day, []).append(value)
    if len(by_day) > MAX_PRICE_DATES:  # a chart of thousands of dates is a blur, and slow to lay out
        by_month: dict[date, list[float]] = {}
        for day, values in by_day.items():
            by_month.setdefault(day.replace(day=1), []).extend(values)
        by_day = by_month
    days = sorted(by_day)[-MAX_PRICE_DATES:]
    xs = [_x(d) for d in days]
    ax.xaxis_date()
    ax.vlines(xs, [min(by_day[d]) for d in days], [max(by_day[d]) for d in days], color=COLOURS[2], linewidth=1)
    medians = [statistics.median(by_day[d]) for d in days]
    ax.plot(xs, medians, color=COLOURS[0], linewidth=1.2, marker="o", markersize=2.5)
    if band is not None:
        ax.axhspan(band[0], band[1], color=COLOURS[4], alpha=0.45, label=band_label)
        ax.legend(loc="best", frameon=False)
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.set_title(title)
    fig.autofmt_xdate()
    return _svg(fig)
