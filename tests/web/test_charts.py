"""The SVG charts: labels escaped, axes with round ticks, bands drawn only where lows and highs differ."""

from __future__ import annotations

from xml.etree import ElementTree

from assay.web.charts import LinePoint, bar_chart, line_chart, nice_ticks, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def test_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(0, 95) == [0, 20, 40, 60, 80, 100]
    ticks = nice_ticks(310_000, 1_235_000)
    assert ticks[0] <= 310_000 and ticks[-1] >= 1_235_000 and len(ticks) <= 8
    assert nice_ticks(5, 5)[0] <= 5 <= nice_ticks(5, 5)[-1]


def test_line_chart_has_axes_a_band_and_escaped_labels() -> None:
    points = [LinePoint("2023", 10, 8, 12), LinePoint("<b>2024</b>", 14, 13, 15, tip="2024: 14 t")]
    svg = ElementTree.fromstring(str(line_chart(points, "t", 'Exports "&" <things>')))
    assert svg.find(f"{SVG}polygon[@class='band']") is not None
    assert svg.find(f"{SVG}polyline[@class='line']") is not None
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<b>2024</b>" in labels and "t" in labels  # escaped in the markup, read back as text
    assert len(svg.findall(f"{SVG}line[@class='axis']")) == 2
    flat = str(line_chart([LinePoint("a", 1), LinePoint("b", 2)], "t", "x"))
    assert "band" not in flat


def test_bar_chart_and_sparkline() -> None:
    svg = ElementTree.fromstring(str(bar_chart([("China", 900, "900 t"), ("<Israel>", 100, "100 t")], "Production")))
    widths = [float(r.get("width", 0)) for r in svg.iter(f"{SVG}rect")]
    assert abs(widths[0] - 9 * widths[1]) < 1
    assert "<Israel>" in [t.text for t in svg.iter(f"{SVG}text")]
    assert str(sparkline([1])) == ""
    assert "spark-up" in str(sparkline([1, 2, 3])) and "spark-down" in str(sparkline([3, 2, 1]))
