"""Memorization measured by random-label heads (core/monitors/rlp.py): their train accuracy against chance."""
from __future__ import annotations

import plotly.graph_objects as go

from core.i18n import t
from core.store.run_data import RunData, series
from core.viz.registry import chart
from core.viz.style import REFERENCE, empty, layout, legend_below, method_colour


def _rlp_chance(run: RunData) -> float | None:
    classes = ((run.config.get("monitor_options") or {}).get("rlp") or {}).get("classes")
    if classes is None:
        try:
            from core.registry import MONITORS

            classes = MONITORS.get("rlp").Config().classes
        except Exception:  # the monitor may be absent in a stripped-down install
            return None
    return 1.0 / float(classes)


@chart("rlp_heads", scope="suite", view="rlp")
def rlp_heads(runs: list[RunData], lang: str = "en") -> go.Figure:
    """Random-label head train accuracy per run over epochs, one colour per method, with the chance line."""
    fig = go.Figure()
    chance = None
    for r in runs:
        x, y = series(r, "rlp/acc_train")
        if not len(x):
            continue
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=r.label, legendgroup=r.method,
                                 line=dict(color=method_colour(r.method))))
        chance = chance or _rlp_chance(r)
    if not fig.data:
        return layout(empty(fig, lang), t("chart.rlp_heads", lang), t("axis.epoch", lang), t("axis.accuracy", lang))
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color=REFERENCE, dash="dash"), annotation_text=t("legend.chance", lang),
                      annotation_position="bottom right")
    return legend_below(layout(fig, t("chart.rlp_heads", lang), t("axis.epoch", lang), t("axis.accuracy", lang)))
