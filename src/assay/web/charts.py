"""Charts drawn on the server as SVG: a line with a low–high band, horizontal bars, a sparkline.

No script and no inline style: colours come from classes in static/style.css, so the pages keep
a Content-Security-Policy without 'unsafe-inline'. Every label passes through `escape`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class LinePoint:
    label: str  # the x axis label, e.g. a period
    value: float
    low: float | None = None
    high: float | None = None
    tip: str = ""  # shown on hover (an SVG <title>)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    normalised = raw / power  # rounded to 1, 2, 5 or 10: the nearest round step, not the next larger
    step = power * (1 if normalised < 1.5 else 2 if normalised < 3 else 5 if normalised < 7 else 10)
    first = math.floor(low / step) * step
    ticks: list[float] = []
    value = first
    while (not ticks or ticks[-1] < high) and len(ticks) < 12:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _short(value: float) -> str:
    size = abs(value)
    for step, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= step:
            return f"{value / step:.3g}{suffix}"
    return f"{value:.3g}"


def line_chart(points: Sequence[LinePoint], y_label: str, title: str, width: int = 640, height: int = 260) -> Markup:
    """A line through the points' values over a shaded band from their lows to their highs."""
    if not points:
        return Markup("")
    left, right, top, bottom = 64, 16, 28, 40
    lows = [p.low if p.low is not None else p.value for p in points]
    highs = [p.high if p.high is not None else p.value for p in points]
    ticks = nice_ticks(min(0.0, *lows) if min(lows) >= 0 and min(lows) < max(highs) * 0.2 else min(lows), max(highs))
    y0, y1 = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - y0) / ((y1 - y0) or 1))

    parts = [
        f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in ticks:
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_short(tick)}</text>')
    parts.append(f'<text class="axis-label" x="{left}" y="{top - 10}">{escape(y_label)}</text>')
    if any(p.low is not None and p.high is not None and p.high > p.low for p in points):
        upper = [f"{x(i):.1f},{y(h):.1f}" for i, h in enumerate(highs)]
        lower = [f"{x(i):.1f},{y(lo):.1f}" for i, lo in reversed(list(enumerate(lows)))]
        parts.append(f'<polygon class="band" points="{" ".join(upper + lower)}"/>')
    line = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline class="line" points="{line}"/>')
    label_every = max(1, math.ceil(len(points) / 8))
    for i, p in enumerate(points):
        parts.append(
            f'<circle class="dot" cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3.5">'
            f"<title>{escape(p.tip or p.label)}</title></circle>"
        )
        if i % label_every == 0 or i == len(points) - 1:
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{height - bottom + 18}" text-anchor="middle">'
                f"{escape(p.label)}</text>"
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
        f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/></svg>'
    )
    return Markup("".join(parts))


def bar_chart(bars: Sequence[tuple[str, float, str]], title: str, width: int = 640) -> Markup:
    """Horizontal bars, largest first as given: (label, value, value as text) each."""
    if not bars:
        return Markup("")
    label_w, value_w, row_h, top = 150, 110, 26, 8
    height = top + row_h * len(bars) + 8
    biggest = max(v for _, v, _ in bars) or 1.0
    plot_w = width - label_w - value_w
    parts = [
        f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value, shown) in enumerate(bars):
        y = top + i * row_h
        w = max(1.0, plot_w * max(value, 0.0) / biggest)
        parts.append(f'<text class="bar-label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="3">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
        )
        parts.append(f'<text class="bar-value" x="{label_w + w + 6:.1f}" y="{y + 17}">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[float], width: int = 96, height: int = 24) -> Markup:
    """A small line of the values, its last point marked; nothing for fewer than two values."""
    if len(values) < 2:
        return Markup("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    pts = [
        (2 + (width - 4) * i / (len(values) - 1), 2 + (height - 4) * (1 - (v - low) / span))
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
    trend = "up" if values[-1] > values[0] else "down" if values[-1] < values[0] else "flat"
    last_x, last_y = pts[-1]
    return Markup(
        f'<svg class="spark spark-{trend}" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><polyline points="{line}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2"/></svg>'
    )
