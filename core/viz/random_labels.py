"""Memorization measured by random-label heads (core/monitors/rlp.py): their train accuracy against chance."""

from __future__ import annotations

import plotly.graph_objects as go

from core.i18n import t
from core.store.run_data import RunData, series
from core.viz.registry import chart
from core.viz.style import DASHES, REFERENCE, empty, layout, legend_below, method_colour, method_name


def _rlp_chance(run: RunData) -> float | None:
    """The chance accuracy the monitor logs beside its heads (`rlp/chance`, 1/M), None before it has."""
    _, y = series(run, "rlp/chance")
    return float(y[-1]) if len(y) else None


@chart("rlp_heads", scope="suite", view="rlp", compact=True, missing="diag.no_rlp")
def rlp_heads(runs: list[RunData], lang: str = "en") -> go.Figure:
    """Random-label head train accuracy per run over epochs, one colour per method and one dash per seed
    (so every run is told apart), with the chance line."""
    fig = go.Figure()
    chance = None
    seeds = sorted({int(r.config.get("seed") or 0) for r in runs})
    for r in runs:
        x, y = series(r, "rlp/acc_train")
        if not len(x):
            continue
        seed = int(r.config.get("seed") or 0)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                legendgroup=r.method,
                name=t("legend.seed", lang, method=method_name(r.method, lang), seed=seed),
                line=dict(color=method_colour(r.method), dash=DASHES[seeds.index(seed) % len(DASHES)]),
            )
        )
        chance = chance or _rlp_chance(r)
    if not fig.data:
        return layout(empty(fig, lang), t("chart.rlp_heads", lang), t("axis.epoch", lang), t("axis.accuracy", lang))
    if chance is not None:
        fig.add_hline(
            y=chance,
            line=dict(color=REFERENCE, dash="dash"),
            annotation_text=t("legend.chance", lang),
            annotation_position="bottom right",
        )
    return legend_below(layout(fig, t("chart.rlp_heads", lang), t("axis.epoch", lang), t("axis.accuracy", lang)))
