"""The server-drawn SVG line chart (hearth.core.charts) used by the reports page's trends
(F1, V13): well-formed XML, accessible, its points, standard line and labels escaped."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from hearth.core.charts import MAX_LINES, Series, line_chart, month_labels, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def draw(**kw):
    args = dict(
        chart_id="chart-f1",
        title="Full months visited (F1)",
        description="One line per unit.",
        x_labels=month_labels([date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]),
        series=[
            Series("Unit A", [100.0, 50.0, None]),
            Series("<script>alert(1)</script>", [80.0, 90.0, 97.5]),
            Series("All", [90.0, 70.0, 97.5], total=True),
        ],
        threshold=95,
        threshold_label="Federal standard 95%",
    )
    args.update(kw)
    return ET.fromstring(str(line_chart(**args)))


def test_f1_chart_is_well_formed_svg_with_title_desc_and_aria():
    svg = draw()
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-f1-title chart-f1-desc"
    assert svg.find(f"{SVG}title").text == "Full months visited (F1)"
    assert svg.find(f"{SVG}title").get("id") == "chart-f1-title"
    assert svg.find(f"{SVG}desc").text == "One line per unit."


def test_f1_chart_draws_each_point_and_breaks_a_line_at_a_missing_value():
    svg = draw()
    groups = svg.findall(f"{SVG}g[@class='hearth-chart-series']")
    # The total is drawn first, under the groups' lines.
    assert [g.get("data-label") for g in groups] == ["All", "Unit A", "<script>alert(1)</script>"]
    tips = [t.text for g in groups for t in g.iter(f"{SVG}title")]
    assert "Unit A, Nov 2025: 100%" in tips and "Unit A, Dec: 50%" in tips
    assert "All, Jan 2026: 97.5%" in tips
    assert len([t for t in tips if t.startswith("Unit A")]) == 2  # January has no value
    path = groups[1].find(f"{SVG}path").get("d")
    assert path.count("M") == 1 and path.count("L") == 1
    # 100% at the top of the plot, 50% half way down.
    ys = [float(p.split()[1]) for p in path.replace("M", "|").replace("L", "|").split("|")[1:]]
    assert ys[0] == 16.0 and ys[1] == 16.0 + 120


def test_f1_chart_draws_the_standard_as_a_dashed_line_with_its_label():
    svg = draw()
    threshold = svg.find(f"{SVG}g[@class='hearth-chart-threshold']")
    line = threshold.find(f"{SVG}line")
    assert line.get("stroke-dasharray") and line.get("y1") == line.get("y2")
    assert float(line.get("y1")) == pytest.approx(16 + 240 * 0.05)
    assert threshold.find(f"{SVG}text").text == "Federal standard 95%"
    assert draw(threshold=None).find(f"{SVG}g[@class='hearth-chart-threshold']") is None


def test_chart_labels_are_escaped_never_markup():
    text = str(
        line_chart(
            chart_id='x"><script>',
            title="<script>alert(1)</script>",
            description="A & B",
            x_labels=["<b>Jan</b>"],
            series=[Series("<script>", [1.0])],
        )
    )
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text and "A &amp; B" in text
    svg = ET.fromstring(text)
    assert svg.find(f"{SVG}title").text == "<script>alert(1)</script>"
    legend = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<script>" in legend and "<b>Jan</b>" in legend


def test_a_rate_axis_runs_to_the_largest_value_or_the_standard():
    """F3 is a rate per 1,000 days: no 100% ceiling, the axis names its unit."""
    svg = draw(
        unit="per 1,000 days",
        series=[Series("All", [3.1, 6.2, 4.0], total=True)],
        threshold=4.48,
        threshold_label="National performance 4.48",
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "per 1,000 days" in texts and "8" in texts and "100%" not in texts


def test_more_lines_than_a_chart_can_tell_apart_are_refused():
    many = [Series(f"Unit {i}", [1.0]) for i in range(MAX_LINES + 2)]
    with pytest.raises(ValueError):
        draw(series=many)


def test_nice_ticks_and_month_labels():
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(4.48) == [0, 1, 2, 3, 4, 5]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert month_labels([date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]) == [
        "Dec 2025",
        "Jan 2026",
        "Feb",
    ]


def test_f1_chart_goes_into_a_pdf_as_it_is(tmp_path):
    """WeasyPrint (hearth.core.documents) draws the inline SVG: the PDF has its text."""
    from hearth.core.documents import pdf_from_html

    chart = line_chart(
        chart_id="pdf",
        title="Full months visited (F1)",
        description="One line.",
        x_labels=["Jan 2026", "Feb"],
        series=[Series("Unit A", [96.0, 94.0])],
        threshold=95,
        threshold_label="Federal standard 95%",
    )
    pdf = pdf_from_html(f"<html><body><h1>Trend</h1>{chart}</body></html>")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "chart.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils
        text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout
        assert "Federal standard 95%" in text and "Unit A" in text
