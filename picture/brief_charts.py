"""The weekly brief's two charts as PNG bytes (pure: plain data in, no Django).

Drawn with matplotlib's Agg canvas (no display, no pyplot global state, so it is safe in a
threaded worker or a page view) in DejaVu Sans, which matplotlib ships and which has every
Vietnamese letter. The same PNGs go into the DOCX and, inline, into the brief's page.

- :func:`topics_by_attitude_png`: the period's main topics, one stacked bar each, split by
  attitude (agree / worried / aggrieved / oppose / no attitude recorded).
- :func:`weekly_volume_png`: opinions heard per week over the recent weeks, the main topics as
  lines, and each forecast topic's expected volume with its interval as a shaded band.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import textwrap
from collections.abc import Mapping, Sequence

FONT = "DejaVu Sans"
# The DOCX places the two charts side by side, each about 80 mm wide (half the text block):
# drawn at that size, their 6.5-7 pt letters print at that size too.
WIDTH_IN = 3.2
HEIGHT_IN = 2.2
DPI = 200
# The attitudes in the order they stack, with their labels and colours (green to dark red).
ATTITUDES = (
    ("dong_tinh", "Đồng tình", "#3a8f4b"),
    ("ban_khoan", "Băn khoăn", "#e0a526"),
    ("buc_xuc", "Bức xúc", "#d9602b"),
    ("phan_doi", "Phản đối", "#9c1c1c"),
)
NO_ATTITUDE = ("Chưa rõ thái độ", "#b9bec6")
TOTAL_COLOUR = "#c9d6ea"
LINE_COLOURS = ("#0b4f9c", "#b0306a", "#2f7f6f")


def _figure(height_in: float = HEIGHT_IN):
    # matplotlib keeps a font cache in MPLCONFIGDIR; a service account's home may not be
    # writable. The app sets it to its var directory; a bare caller gets the temp directory.
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "longdan-mpl"))
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _count(value) -> int:
    """Frozen figures read by the office are plain counts; a hidden "< 3" draws as nothing."""
    return value if isinstance(value, int) else 0


def topics_by_attitude_png(topics: Sequence[Mapping], *, limit: int = 6) -> bytes:
    """Horizontal stacked bars: the ``limit`` largest topics, split by attitude."""
    rows = [t for t in topics if _count(t.get("count")) > 0][:limit]
    figure = _figure()
    axes = figure.add_subplot(1, 1, 1)
    axes.set_title("Ý kiến theo lĩnh vực và thái độ", fontsize=8, fontfamily=FONT, loc="left")
    if not rows:
        axes.text(0.5, 0.5, "Không có ý kiến nào trong kỳ", ha="center", va="center",
                  fontsize=9, fontfamily=FONT, transform=axes.transAxes)
        axes.set_axis_off()
        figure.tight_layout()
        return _png(figure)
    rows = rows[::-1]  # the largest on top
    names = [textwrap.fill(textwrap.shorten(str(t.get("name", "")), 36, placeholder="…"), 18)
             for t in rows]
    positions = range(len(rows))
    left = [0] * len(rows)
    for code, label, colour in ATTITUDES:
        values = [_count((t.get("by_attitude") or {}).get(code)) for t in rows]
        axes.barh(positions, values, left=left, color=colour, height=0.62, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    rest = [max(0, _count(t.get("count")) - done) for t, done in zip(rows, left, strict=True)]
    if any(rest):
        axes.barh(positions, rest, left=left, color=NO_ATTITUDE[1], height=0.62,
                  label=NO_ATTITUDE[0])
    top = max(_count(t.get("count")) for t in rows)
    for index, row in enumerate(rows):
        axes.text(_count(row.get("count")) + top * 0.01, index, str(_count(row.get("count"))),
                  va="center", fontsize=6.5, fontfamily=FONT)
    axes.set_yticks(list(positions), labels=names, fontsize=6.5, fontfamily=FONT)
    axes.set_xlim(0, top * 1.12 + 0.5)
    axes.tick_params(axis="x", labelsize=6.5)
    axes.spines[["top", "right"]].set_visible(False)
    _legend_below(figure, axes)
    return _png(figure)


def _legend_below(figure, axes) -> None:
    """The legend under the plot, where it hides no bar or line."""
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, frameon=False,
                  prop={"family": FONT, "size": 6}, handlelength=1.2, columnspacing=1.0)
    rows = (len(labels) + 2) // 3
    figure.tight_layout(rect=(0, 0.045 * rows + 0.02, 1, 1))


def _week_label(start: str) -> str:
    day = dt.date.fromisoformat(start)
    return f"{day:%d/%m}"


def weekly_volume_png(weekly: Mapping, forecast: Sequence[Mapping] = (), *,
                      topics_shown: int = 3) -> bytes:
    """Weekly opinions heard (bars), the main topics (lines) and their forecast bands.

    ``weekly``: ``{"weeks": [ISO Monday, ...], "total": [n, ...], "topics": [{"code", "name",
    "counts": [n, ...]}]}``; ``forecast``: the picture's ``[{code, name, weeks: [{start,
    expected, low, high}]}]``.
    """
    weeks = list(weekly.get("weeks") or [])
    totals = [_count(n) for n in weekly.get("total") or []]
    figure = _figure()
    axes = figure.add_subplot(1, 1, 1)
    axes.set_title("Ý kiến tiếp nhận theo tuần và dự báo", fontsize=8, fontfamily=FONT,
                   loc="left")
    if not weeks:
        axes.text(0.5, 0.5, "Chưa có số liệu theo tuần", ha="center", va="center", fontsize=9,
                  fontfamily=FONT, transform=axes.transAxes)
        axes.set_axis_off()
        figure.tight_layout()
        return _png(figure)
    future = _forecast_weeks(forecast, after=weeks[-1], topics_shown=topics_shown)
    labels = weeks + future
    index = {week: i for i, week in enumerate(labels)}
    axes.bar(range(len(weeks)), totals, color=TOTAL_COLOUR, width=0.7, label="Cả phường")
    by_code = {str(f.get("code")): f for f in forecast}
    shown = list(weekly.get("topics") or [])[:topics_shown]
    for colour, topic in zip(LINE_COLOURS, shown, strict=False):
        counts = [_count(n) for n in topic.get("counts") or []]
        name = textwrap.shorten(str(topic.get("name", "")), 24, placeholder="…")
        axes.plot(range(len(counts)), counts, color=colour, linewidth=1.4, marker="o",
                  markersize=2.5, label=name)
        _draw_forecast(axes, by_code.get(str(topic.get("code"))), index, colour)
    # Every other week is labelled: thirteen to sixteen dates do not fit under 80 mm.
    axes.set_xticks(range(len(labels)),
                    labels=[_week_label(w) if i % 2 == (len(labels) - 1) % 2 else ""
                            for i, w in enumerate(labels)],
                    fontsize=6, fontfamily=FONT, rotation=0)
    if future:
        axes.axvline(len(weeks) - 0.5, color="#888888", linewidth=0.8, linestyle=":")
        axes.text(len(weeks) - 0.4, axes.get_ylim()[1] * 0.97, "dự báo", fontsize=6,
                  fontfamily=FONT, va="top", color="#555555")
    axes.tick_params(axis="y", labelsize=6.5)
    axes.spines[["top", "right"]].set_visible(False)
    _legend_below(figure, axes)
    return _png(figure)


def _forecast_weeks(forecast: Sequence[Mapping], *, after: str, topics_shown: int) -> list[str]:
    later = sorted({
        str(week.get("start")) for topic in list(forecast)[:topics_shown]
        for week in topic.get("weeks") or [] if str(week.get("start")) > after
    })
    return later


def _draw_forecast(axes, topic: Mapping | None, index: Mapping[str, int], colour: str) -> None:
    """The expected volume (dashed) inside its interval (shaded), for the weeks charted."""
    if not topic:
        return
    points = [
        (index[str(w.get("start"))], float(w.get("expected") or 0), float(w.get("low") or 0),
         float(w.get("high") or 0))
        for w in topic.get("weeks") or [] if str(w.get("start")) in index
    ]
    if not points:
        return
    points.sort()
    xs = [p[0] for p in points]
    axes.fill_between(xs, [p[2] for p in points], [p[3] for p in points], color=colour,
                      alpha=0.15, linewidth=0)
    axes.plot(xs, [p[1] for p in points], color=colour, linewidth=1.1, linestyle="--")
