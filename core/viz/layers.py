"""Layer divergence (core/probes/layer_divergence.py): each `probe/layer_divergence/*` scalar against test accuracy."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.store.run_data import RunData, metric_keys, series
from core.viz.registry import chart
from core.viz.style import GRID, empty, layout, legend_below, series_colour

PREFIX = "probe/layer_divergence/"
MAIN = "clid"  # the headline quantity, drawn bold


def pair_words(name: str, lang: str) -> str:
    """'clid' / 'div_h1_h2' (the probe's scalar names) in words: 'last hidden layer vs output' / 'layer 1 vs layer 2'."""
    if name == MAIN:
        return t("ld.clid", lang)
    parts = name.split("_")
    if len(parts) == 3 and parts[0] == "div":
        return t("ld.pair", lang, a=parts[1].lstrip("h"), b=parts[2].lstrip("h"))
    return name


@chart("layer_divergence", scope="run", view="layer_divergence", compact=True)
def layer_divergence(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Every `probe/layer_divergence/*` scalar over epochs (left axis) against test accuracy (right axis)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    keys = sorted(metric_keys(run, PREFIX), key=lambda k: (k != PREFIX + MAIN, k))
    if not keys:
        return layout(
            empty(fig, lang), t("chart.layer_divergence", lang), t("axis.epoch", lang), t("axis.divergence", lang)
        )
    for i, k in enumerate(keys):
        x, y = series(run, k)
        main = k == PREFIX + MAIN
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines+markers" if main else "lines",
                name=pair_words(k[len(PREFIX) :], lang),
                line=dict(color=series_colour(i), width=3 if main else 1.5, dash=None if main else "dot"),
            ),
            secondary_y=False,
        )
    x, y = series(run, "test/acc")
    fig.add_trace(
        go.Scatter(x=x, y=y, mode="lines", name=t("legend.test_acc", lang), line=dict(color="#111", dash="dash")),
        secondary_y=True,
    )
    if epoch is not None:
        fig.add_vline(x=epoch, line=dict(color=GRID, width=1))
    fig.update_yaxes(title_text=t("axis.divergence", lang), secondary_y=False)
    fig.update_yaxes(title_text=t("axis.accuracy", lang), secondary_y=True)
    return legend_below(
        layout(fig, t("chart.layer_divergence", lang), t("axis.epoch", lang), t("axis.divergence", lang))
    )
