"""The look every chart shares: one colour per method (the same in every chart), class and series colours, layout.

Colours are assigned by a method's place in the method registry, so `labo` is the same colour on the
Compare page, the Live page, the diagnostics views and the exported slides.
"""

from __future__ import annotations

import functools
import html
import zlib

import plotly.graph_objects as go

from core.i18n import t, words

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
    return words("method", method, lang, method)


def noise_name(kind: str, lang: str = "en") -> str:
    """A noise kind in words ("symmetric", "対称"); its id where no words are given."""
    return words("noise.word", kind, lang, kind)


def method_label(method: str, lang: str = "en") -> str:
    """The method in words with its id as the secondary label, "label smoothing (label_smoothing)": for hovers
    and tables, where the id is what the CLI, the files and the Set up page's checkboxes also show."""
    words = method_name(method, lang)
    return method if words == method else f"{words} ({method})"


def empty(fig: go.Figure, lang: str, note: str | None = None) -> go.Figure:
    """`fig` with the "no data recorded" note (or `note`) and no traces: what a chart shows when its data is missing."""
    text = t("chart.no_data", lang) if note is None else note
    fig.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    # No numbers on an empty chart: plotly's default range (-1 to 4, -1 to 6) read as data to first users.
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    return fig


# A chart shorter than SMALL px is compact (Live page panels, the compact views). Its legend is one entry per row
# under the x-axis title, and the figure grows by the legend's height: how many entries plotly would put on a row
# of a horizontal legend depends on the column's width and on plotly.js' version (Streamlit's and kaleido's
# differ), so a legend sized in advance could outgrow its room, push the plot up and touch the axis title.
# The x-axis tick labels, title and its descent take about AXIS_EM font sizes under the plot area (measured in
# plotly's SVG: the title's baseline sits 3.6-3.7 font sizes down, in English and Japanese); AXIS_GAP px more.
# A vertical legend entry is max(19, 1.3 x font + 3) px high plus 10 px for the legend (measured); a little spare.
SMALL, AXIS_EM, AXIS_GAP, LEGEND_PAD = 400, 4.2, 10, 14


def legend_entries(fig: go.Figure) -> int:
    """How many entries plotly draws in the legend of `fig` (0 when it draws none)."""
    entries = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    if fig.layout.showlegend is False or (len(entries) == 1 and fig.layout.showlegend is not True):
        return 0  # plotly shows no legend for a lone entry unless asked
    return len(entries)


def legend_px(fig: go.Figure, size: float, rows: int = 0) -> float:
    """Height of the vertical legend of `fig`: its entries, and the gap plotly leaves between legend groups.
    `rows` (> 1) reserves room for that many one-entry groups even before their traces exist."""
    n = legend_entries(fig)
    groups = {tr.legendgroup for tr in fig.data if tr.showlegend is not False and tr.name and tr.legendgroup}
    n_groups = len(groups)
    if rows > 1 and rows > n:
        n, n_groups = rows, max(n_groups, rows)
    if not n:
        return 0.0
    gap = fig.layout.legend.tracegroupgap if fig.layout.legend.tracegroupgap is not None else 10
    return n * max(20.0, 1.35 * size + 4) + max(n_groups - 1, 0) * gap + LEGEND_PAD


def compact(fig: go.Figure, height: int, font: int | None = None, legend_rows: int = 0) -> go.Figure:
    """`fig` with `height` px for its title, plot and x-axis (< SMALL), then its legend, one entry per row, under
    the x-axis title, never on it, in whatever language. `font` (px) makes the type smaller too (title one px
    larger, legend one px smaller). `legend_rows` reserves the legend's room for the entries a live chart will
    have (the comparison's methods), so the figure does not grow, and the page below it jump, as runs start."""
    if font:
        fig.update_layout(font=dict(size=font), title_font=dict(size=font + 1), legend=dict(font=dict(size=font - 1)))
    title = fig.layout.title.text
    if title and "<br>" in title:
        # A subtitle does not fit a narrow column (it was cut mid-word); the caption under a compact chart says it.
        fig.update_layout(title_text=title.split("<br>")[0])
    size = fig.layout.legend.font.size or fig.layout.font.size or 12
    axis = AXIS_EM * (fig.layout.font.size or 12) + AXIS_GAP
    top = 60
    plot = max(height - top - round(axis), 40)
    bottom = round(axis + legend_px(fig, size, legend_rows))
    # Fixed margins, so the plot area's height is known and the legend's top sits `axis` px under it.
    fig.update_layout(
        height=top + plot + bottom,
        legend=dict(orientation="v", yref="paper", yanchor="top", y=-axis / plot, x=0, xanchor="left"),
        margin=dict(l=50, r=10, t=top, b=bottom),
    )
    return fig


def legend_below(fig: go.Figure) -> go.Figure:
    """The legend under the x-axis title, so it never covers the chart title in a narrow column."""
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.22, x=0, xanchor="left"), margin=dict(b=90))
    return fig


def metric_axis(metric: str, lang: str) -> str:
    return t(f"metric.{metric}", lang)
