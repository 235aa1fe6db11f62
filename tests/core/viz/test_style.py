"""Compact charts (core.viz.style.compact) laid out by plotly.js itself in a headless browser: the legend sits under
the x-axis title, never on it, and inside the figure, for every chart a compact slot shows, in English and Japanese,
at the narrowest and a wide column. Also the legend entries the figure grows by."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from core.i18n import LANGS
from core.viz import CHARTS
from core.viz.style import compact, legend_entries

# (chart id, options, compact font): the Live page's four curve panels (330 px) and its compact views (340 px, 11 px
# type, dashboard/components/probe_views.py).
LIVE_PANELS = [("live_metric", {"metric": "test/acc"}, None), ("train_clean_vs_observed", {}, None)]
COMPACT_VIEWS = [
    ("gram_spectrum", {}, 11),
    ("rlp_heads", {}, 11),
    ("smoothing_hist", {}, 11),
    ("layer_divergence", {}, 11),
]


def _svg_boxes(svg: str) -> dict:
    """The x-axis title's baseline and font size, the legend's top and height, the figure's height (px)."""
    title = re.search(r'<text class="xtitle"[^>]*?y="([\d.]+)"[^>]*?style="[^"]*?font-size: ?([\d.]+)px', svg)
    legend = re.search(r'<g class="legend"[^>]*?transform="translate\(([\d.]+), ?([\d.]+)\)"', svg)
    bg = re.search(r'<g class="legend".*?<rect class="bg"[^>]*?height="([\d.]+)"', svg, re.S)
    height = re.search(r'<svg[^>]*?height="([\d.]+)"', svg)
    return {
        "title_y": float(title.group(1)) if title else None,
        "title_px": float(title.group(2)) if title else None,
        "legend_top": float(legend.group(2)) if legend else None,
        "legend_h": float(bg.group(1)) if bg else None,
        "height": float(height.group(1)),
    }


@pytest.fixture(scope="module")
def drawn(tiny_suite):
    """(chart id, lang, width) -> SVG of the chart drawn compact, every chart rendered in one browser batch."""
    from core.export.images import render_images
    from core.store.run_data import load_run

    runs = [load_run(tiny_suite["runs_dir"], rid) for rid in tiny_suite["run_ids"]]
    keys, figs = [], []
    for chart_id, options, font in LIVE_PANELS + COMPACT_VIEWS:
        spec = CHARTS[chart_id]
        for lang in LANGS:
            for width in (360, 620):
                fig = spec.fn(runs if spec.scope == "suite" else runs[0], lang, **options)
                compact(fig, 330 if font is None else 340, font)
                fig.update_layout(width=width)
                keys.append((chart_id, lang, width))
                figs.append(fig)
    return {k: b.decode() for k, b in zip(keys, render_images([(f, "svg") for f in figs]))}


@pytest.mark.parametrize("chart_id", [c for c, _, _ in LIVE_PANELS + COMPACT_VIEWS])
@pytest.mark.parametrize("lang", LANGS)
def test_compact_legend_sits_under_the_x_axis_title(drawn, chart_id, lang):
    for width in (360, 620):
        box = _svg_boxes(drawn[(chart_id, lang, width)])
        assert box["legend_top"] is not None, f"{chart_id} ({lang}, {width} px) lost its legend"
        assert box["title_y"] is not None, f"{chart_id} ({lang}, {width} px): no x-axis title found"
        # the baseline plus the glyphs' descent must clear the legend's top
        assert box["legend_top"] >= box["title_y"] + 0.3 * box["title_px"], (chart_id, lang, width, box)
        assert box["legend_top"] + box["legend_h"] <= box["height"] + 1, (chart_id, lang, width, box)  # not cut


def test_legend_entries_count_what_plotly_draws():
    two = go.Figure([go.Scatter(x=[0], y=[0], name="plain training"), go.Scatter(x=[0], y=[0], name="LaBo")])
    assert legend_entries(two) == 2
    hidden = go.Figure([go.Scatter(x=[0], y=[0], name="a", showlegend=False), go.Scatter(x=[0], y=[0], name="b")])
    assert legend_entries(hidden) == 0  # one entry left: plotly draws no legend for it
    assert legend_entries(go.Figure(go.Scatter(x=[0], y=[0], name="lone"))) == 0


def test_compact_grows_the_figure_by_its_legend_and_keeps_the_plot():
    fig = go.Figure([go.Scatter(x=[0], y=[0], name=f"run {i}") for i in range(3)])
    compact(fig, 340, font=11)
    bare = compact(go.Figure(go.Scatter(x=[0], y=[0])), 340, font=11)
    assert bare.layout.height == 340 and fig.layout.height > 340
    plot = lambda f: f.layout.height - f.layout.margin.t - f.layout.margin.b  # noqa: E731
    assert plot(fig) == plot(bare)
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.yanchor == "top" and fig.layout.legend.y < 0
    assert fig.layout.font.size == 11 and fig.layout.legend.font.size == 10


def test_reserved_legend_rows_keep_a_live_panel_at_one_height():
    """A Live panel is as tall before its runs start as after: the legend's room is reserved for every method."""
    import plotly.graph_objects as go

    from core.viz.style import compact

    def panel(n_methods_drawn: int) -> int:
        fig = go.Figure(
            [go.Scatter(x=[1, 2], y=[0, 1], name=f"m{i}", legendgroup=f"m{i}") for i in range(n_methods_drawn)]
        )
        return compact(fig, 330, legend_rows=3).layout.height

    assert panel(0) == panel(1) == panel(2) == panel(3)
    assert compact(go.Figure(), 330).layout.height < panel(3)  # without the reservation an empty panel is shorter


def test_a_compact_chart_drops_the_subtitle_its_caption_repeats():
    import plotly.graph_objects as go

    from core.viz.style import compact

    fig = go.Figure(layout=dict(title_text="Train accuracy<br><sup>solid: true labels · dotted: observed</sup>"))
    assert compact(fig, 330).layout.title.text == "Train accuracy"
