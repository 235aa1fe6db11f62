"""The look every chart shares: one colour per method (the same in every chart), class and series colours, layout.

Colours are assigned by a method's place in the method registry, so `labo` is the same colour on the
Compare page, the Live page, the diagnostics views and the exported slides.
"""

from __future__ import annotations

import functools
import html
import zlib

import plotly.graph_objects as go

from core.i18n import t
from core.text_size import text_em

# Tableau-like palette, then darker variants: 20 distinguishable colours before any repeats.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#ad494a",
    "#637939",
    "#8c6d31",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
)
CLEAN, FLIPPED = "#1f77b4", "#d62728"  # samples whose label is clean / was flipped
NEUTRAL, REFERENCE, GRID = "#444", "#888", "#aaa"  # one-trace series, reference lines (chance), epoch markers
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")  # one per noise setting when a comparison mixes them

# For st.plotly_chart(config=...) and exported HTML: the toolbar's camera icon saves a 3x PNG, sharp on slides.
PLOT_CONFIG: dict = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 3, "filename": "labelscope-chart"},
}


def plot_text(names: list[str]) -> list[str]:
    """User strings (class names) for plotly labels: HTML-escaped, since plotly draws `<b>`, `<a href>`... in them."""
    return [html.escape(str(n), quote=False) for n in names]


@functools.lru_cache(maxsize=1)
def _method_order() -> dict[str, int]:
    from core.registry import METHODS

    return {name: i for i, name in enumerate(METHODS.names())}


def method_colour(method: str) -> str:
    """The one colour of `method` in every chart (registry order; an unregistered name gets a stable hash)."""
    order = _method_order()
    i = order[method] if method in order else len(order) + zlib.crc32(method.encode()) % len(PALETTE)
    return PALETTE[i % len(PALETTE)]


def series_colour(i: int) -> str:
    """Colour of the i-th class or the i-th quantity of one chart (not a method)."""
    return PALETTE[i % len(PALETTE)]


def rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def hover(label: str) -> str:
    return f"{label}<br>%{{x}}: %{{y:.3f}}<extra></extra>"


def layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        font=dict(size=14),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        margin=dict(l=60, r=20, t=80, b=50),
    )
    # Every axis picks its own round ticks: a second y-axis would otherwise sync its ticks to the first
    # one's grid and read "0.068 / 0.444 / 0.82"; a log axis labels only powers of ten, not "2 5 10 2 5".
    fig.update_xaxes(tickmode="auto", nticks=8)
    fig.update_yaxes(tickmode="auto", nticks=7)
    decades = dict(tickmode="linear", dtick=1, exponentformat="power")  # dtick counts decades on a log axis
    fig.for_each_yaxis(lambda a: a.update(**decades) if a.type == "log" else None)
    fig.for_each_xaxis(lambda a: a.update(**decades) if a.type == "log" else None)
    return fig


def method_name(method: str, lang: str = "en") -> str:
    """A method in words for legends ("label smoothing"); its id where no words are given."""
    words = t(f"method.{method}", lang)
    return method if words == f"method.{method}" else words


def method_label(method: str, lang: str = "en") -> str:
    """The method in words with its id as the secondary label, "label smoothing (label_smoothing)": for hovers
    and tables, where the id is what the CLI, the files and the Set up page's checkboxes also show."""
    words = method_name(method, lang)
    return method if words == method else f"{words} ({method})"


def empty(fig: go.Figure, lang: str) -> go.Figure:
    """`fig` with the "no data recorded" note and no traces: what a chart shows when its data is missing."""
    fig.add_annotation(text=t("chart.no_data", lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


# A chart shorter than SMALL px is compact (Live page panels, the compact views): its legend sits at the bottom of
# the figure, under the x-axis title, in a bottom margin sized for the tick labels, the title (a log axis' powers
# and Japanese glyphs included) and the legend's rows counted at the narrowest column such a chart gets.
# The x-axis tick labels, title and its descent take about AXIS_EM font sizes under the plot area (measured in
# plotly's SVG: the title's baseline sits 3.6-3.7 font sizes down, in English and Japanese); AXIS_GAP px more.
SMALL, AXIS_EM, AXIS_GAP, LEGEND_ROW_PX, COMPACT_WIDTH = 400, 4.2, 10, 21, 360


def legend_rows(fig: go.Figure, width: float) -> int:
    """Rows a horizontal legend of `fig` takes in `width` px: each entry is its symbol (40 px), its text and a gap."""
    entries = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    if fig.layout.showlegend is False or not entries or (len(entries) == 1 and fig.layout.showlegend is not True):
        return 0  # plotly shows no legend for a lone entry unless asked
    size = fig.layout.legend.font.size or fig.layout.font.size or 12
    rows, used = 1, 0.0
    for name in entries:
        w = 40 + text_em(name) * size + 10
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def compact(fig: go.Figure, height: int, font: int | None = None) -> go.Figure:
    """`fig` drawn `height` px high (< SMALL): the legend at the bottom of the figure, under the x-axis title, never
    on it, in whatever language; the x-axis title keeps its place above it. `font` (px) makes the type smaller
    too (title one px larger, legend one px smaller)."""
    if font:
        fig.update_layout(font=dict(size=font), title_font=dict(size=font + 1), legend=dict(font=dict(size=font - 1)))
    rows = legend_rows(fig, COMPACT_WIDTH - 60)
    axis = AXIS_EM * (fig.layout.font.size or 12) + AXIS_GAP
    top, bottom = 60, round(axis + rows * LEGEND_ROW_PX + (6 if rows else 0))
    # The legend's top `axis` px under the plot area: the margins are fixed here, so the plot area's height is
    # known; rows the estimate did not need stay as blank space under the legend.
    fig.update_layout(
        height=height,
        legend=dict(orientation="h", yref="paper", yanchor="top", y=-axis / max(height - top - bottom, 1), x=0),
        margin=dict(l=50, r=10, t=top, b=bottom),
    )
    return fig


def legend_below(fig: go.Figure) -> go.Figure:
    """The legend under the x-axis title, so it never covers the chart title in a narrow column."""
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.22, x=0, xanchor="left"), margin=dict(b=90))
    return fig


def metric_axis(metric: str, lang: str) -> str:
    return t(f"metric.{metric}", lang)
