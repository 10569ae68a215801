"""The 6-month and annual reports' charts as PNG bytes (plain data in: ``reporting.figures.Chart``).

Drawn like the weekly brief's (``picture.brief_charts``): matplotlib's Agg canvas, no pyplot
global state, DejaVu Sans (every Vietnamese letter). One horizontal bar chart a figure block,
sized for the text block of an A4 page (160 mm) so its letters print at about 9 pt.
"""

from __future__ import annotations

import io
import os
import tempfile
import textwrap

from reporting.figures import Chart

FONT = "DejaVu Sans"
WIDTH_IN = 6.0
BAR_IN = 0.32
DPI = 160
COLOUR = "#0b4f9c"
WIDTH_MM = 150


def chart_png(chart: Chart) -> bytes:
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "longdan-mpl"))
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = [textwrap.shorten(str(x), 40, placeholder="…") for x in chart.labels][::-1]
    values = list(chart.values)[::-1]
    figure = Figure(figsize=(WIDTH_IN, 0.7 + BAR_IN * max(1, len(labels))), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    bars = axes.barh(range(len(values)), values, color=COLOUR, height=0.6)
    axes.set_yticks(range(len(labels)), labels, fontsize=9, fontfamily=FONT)
    axes.tick_params(axis="x", labelsize=8)
    top = max(values, default=0) or 1
    axes.set_xlim(0, top * 1.15)
    for bar, value in zip(bars, values, strict=True):
        axes.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2,
                  f"{value:,.0f}".replace(",", "."), va="center", fontsize=8, fontfamily=FONT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
