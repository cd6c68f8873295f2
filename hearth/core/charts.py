"""Line charts drawn on the server as SVG: no script, they print, and WeasyPrint puts them
into PDFs (hearth.core.documents) as they are.

Plain Python writing SVG text, not a charting library: the few shapes a trend needs (an
axis with ticks, a line per group, a dashed standard line, a legend) are a page of
code, every label is escaped here, and the chart carries what a screen reader needs
(role="img", aria-labelledby its <title> and <desc>). The page shows each chart's data
in a real table beside it (see hearth/reports/templates/reports/_trend.html).

A chart draws at most MAX_LINES lines: the caller folds the rest into one (the trends
sum their numerators and denominators) or offers a filter.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_LINES = 8
# Okabe and Ito's palette (told apart with the common colour-vision deficiencies), less
# its yellow, too pale on white; each line also has its own marker, for print in grey.
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6f3b00", "#5c5c5c")
TOTAL_COLOUR = "#1b1b1b"
MARKERS = ("circle", "square", "diamond", "triangle")
WIDTH, LEFT, RIGHT, TOP, PLOT_HEIGHT, AXIS_HEIGHT = 720, 56, 24, 16, 240, 44
LEGEND_COLUMNS, LEGEND_ROW, LEGEND_LABEL = 3, 20, 30


@dataclass(frozen=True)
class Series:
    """One line: its label and one value per point of the x axis (None: no value, the
    line breaks). `total` draws it thicker, in black (the whole scope's figure)."""

    label: str
    values: Sequence[float | None]
    total: bool = False


def month_labels(months: Sequence[date]) -> list[str]:
    """x-axis labels for months: "Jan 2026" on a January and on the first month, else
    "Feb"."""
    return [f"{m:%b %Y}" if i == 0 or m.month == 1 else f"{m:%b}" for i, m in enumerate(months)]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`: steps of 1, 2, 2.5 or 5 times a power
    of ten, about `count` of them."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    return [round(i * step, 10) for i in range(math.ceil(top / step - 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}".rstrip("0").rstrip(".")


# Each marker as its outline around the point: (dx, dy) pairs; a circle is drawn as one.
SHAPES = {
    "square": ((-3, -3), (3, -3), (3, 3), (-3, 3)),
    "diamond": ((0, -4.5), (4.5, 0), (0, 4.5), (-4.5, 0)),
    "triangle": ((0, -4.5), (4, 3), (-4, 3)),
}


def _marker(kind: str, x: float, y: float, colour: str, tip: str) -> str:
    tip = f"<title>{escape(tip)}</title>"
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">{tip}</circle>'
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in SHAPES[kind])
    return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'


def _short(label: str) -> str:
    return label if len(label) <= LEGEND_LABEL else label[: LEGEND_LABEL - 1] + "…"


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "%",
    y_max: float | None = None,
    threshold: float | None = None,
    threshold_label: str = "",
) -> SafeString:
    """An SVG line chart: a line per series over `x_labels`, a y axis from 0 (to 100 for
    a percent, else to the largest value or the threshold, rounded up), the threshold as a
    dashed line with its label, a legend below. `chart_id` makes the ids of its title and
    description unique on the page. Every text is escaped."""
    if len(series) > MAX_LINES + 1:  # the lines and a total
        raise ValueError(f"At most {MAX_LINES} lines and a total: fold the others into one.")
    values = [v for s in series for v in s.values if v is not None]
    if y_max is None:
        y_max = 100 if unit == "%" else max([*values, threshold or 0, 1])
    ticks = nice_ticks(y_max)
    top = ticks[-1]
    plot_width = WIDTH - LEFT - RIGHT
    n = len(x_labels)
    step = plot_width / max(n - 1, 1)

    def x_at(i: int) -> float:
        return LEFT + (i * step if n > 1 else plot_width / 2)

    def y_at(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - min(value, top) / top)

    legend_rows = math.ceil(len(series) / LEGEND_COLUMNS)
    height = TOP + PLOT_HEIGHT + AXIS_HEIGHT + legend_rows * LEGEND_ROW + 8
    suffix = "%" if unit == "%" else ""
    cid = escape(chart_id)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hearth-chart" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]
    # The y axis: a grid line and a label per tick, the unit beside the axis.
    for t in ticks:
        y = y_at(t)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe1e2"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(t)}{suffix}</text>'
        )
    if unit != "%":
        out.append(
            f'<text x="12" y="{TOP + PLOT_HEIGHT / 2:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 12 {TOP + PLOT_HEIGHT / 2:.1f})">{escape(unit)}</text>'
        )
    # The x axis: a tick per point, a label on every k-th so that about 12 show.
    base = TOP + PLOT_HEIGHT
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="#565c65"/>')
    every = math.ceil(n / 12) or 1
    for i, label in enumerate(x_labels):
        x = x_at(i)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 4}" stroke="#565c65"/>'
        )
        if i % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle">{escape(label)}</text>'
            )
    # The standard: a dashed line across, its label at the right end.
    if threshold is not None:
        y = y_at(threshold)
        out.append(
            f'<g class="hearth-chart-threshold"><line x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#1b1b1b" stroke-width="1.5" '
            f'stroke-dasharray="6 4"/><text x="{WIDTH - RIGHT}" y="{y - 5:.1f}" '
            f'text-anchor="end">{escape(threshold_label or f"{_number(threshold)}{suffix}")}'
            f"</text></g>"
        )
    # The lines, each broken where a value is missing, with a marker per point.
    legend_top = base + AXIS_HEIGHT
    column = plot_width / LEGEND_COLUMNS
    drawn, legend = [], []
    for k, s in enumerate(series):
        colour = TOTAL_COLOUR if s.total else COLOURS[k % len(COLOURS)]
        marker = MARKERS[k % len(MARKERS)]
        path, pen_down, marks = [], False, []
        for i, v in enumerate(s.values[:n]):
            if v is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x_at(i):.1f} {y_at(v):.1f}")
            pen_down = True
            tip = f"{s.label}, {x_labels[i]}: {_number(v)}{suffix}"
            marks.append(_marker(marker, x_at(i), y_at(v), colour, tip))
        line = (
            f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
            f'stroke-width="{3 if s.total else 2}"/>'
            if path
            else ""
        )
        group = f'<g class="hearth-chart-series" data-label="{escape(s.label)}">{line}'
        drawn.append((s.total, group + "".join(marks) + "</g>"))
        lx = LEFT + (k % LEGEND_COLUMNS) * column
        ly = legend_top + (k // LEGEND_COLUMNS) * LEGEND_ROW
        legend.append(
            f'<line x1="{lx:.1f}" x2="{lx + 22:.1f}" y1="{ly:.1f}" y2="{ly:.1f}" '
            f'stroke="{colour}" stroke-width="{3 if s.total else 2}"/>'
            + _marker(marker, lx + 11, ly, colour, s.label)
            + f'<text x="{lx + 28:.1f}" y="{ly + 4:.1f}">{escape(_short(s.label))}</text>'
        )
    # The total first, so that a group's line on the same values stays visible over it.
    out.extend(markup for _, markup in sorted(drawn, key=lambda d: not d[0]))
    out.extend(legend)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)
