"""Label-averaging charts from the Gram probe (core/probes/gram.py): the feature spectrum and what each
self-distillation round keeps of it, and the predicted accuracy per round on clean and flipped samples."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.store.run_data import RunData, artifact
from core.viz.registry import chart
from core.viz.style import CLEAN, FLIPPED, NEUTRAL, empty, layout, legend_below, series_colour

RANK_TOL = 1e-10  # eigenvalues below this share of the largest are round-off


@chart("gram_spectrum", scope="run", view="gram", compact=True)
def gram_spectrum(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Eigenvalues σ_j (log scale, left) and the kept share shrink_j^(t+1) after round t (right), t = 0 the teacher."""
    a = artifact(run, "gram", epoch)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    if "spectrum" not in a:
        return layout(empty(fig, lang), t("chart.gram_spectrum", lang), t("axis.eigen_index", lang), "")
    sigma = np.asarray(a["spectrum"], float)
    # Directions at round-off level (beyond the features' rank) would stretch the log axis over 30 decades.
    sigma = sigma[sigma > (sigma.max(initial=0.0) * RANK_TOL)]
    j = np.arange(1, len(sigma) + 1)
    fig.add_trace(
        go.Scatter(
            x=j,
            y=sigma,
            mode="lines+markers",
            name=t("legend.spectrum", lang),
            marker=dict(size=4),
            line=dict(color=NEUTRAL),
        ),
        secondary_y=False,
    )
    if "shrink" in a:
        shrink = np.asarray(a["shrink"], float)
        rounds = len(a.get("acc_observed", ())) or 1
        for r in range(rounds):
            fig.add_trace(
                go.Scatter(
                    x=j,
                    y=shrink[: len(j)] ** (r + 1),
                    mode="lines",
                    name=t("legend.round", lang, n=r),
                    line=dict(color=series_colour(r + 1), dash="dot"),
                ),
                secondary_y=True,
            )
    fig.update_yaxes(type="log", title_text=t("axis.eigenvalue", lang), secondary_y=False)
    fig.update_yaxes(range=[0, 1.05], title_text=t("axis.shrink", lang), secondary_y=True)
    fig.update_xaxes(type="log")
    return legend_below(
        layout(fig, t("chart.gram_spectrum", lang), t("axis.eigen_index", lang), t("axis.eigenvalue", lang))
    )


@chart("gram_rounds", scope="run", view="gram", truth="needs")
def gram_rounds(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Label-averaging predicted accuracy after round t (0 = teacher) on clean and on flipped probe samples."""
    a = artifact(run, "gram", epoch)
    fig = go.Figure()
    if "acc_clean" not in a:
        return layout(empty(fig, lang), t("chart.gram_rounds", lang), t("axis.round", lang), t("axis.accuracy", lang))
    for key, name, colour in (("acc_clean", "legend.clean", CLEAN), ("acc_flipped", "legend.flipped", FLIPPED)):
        if key in a:
            y = np.asarray(a[key], float)
            fig.add_trace(
                go.Scatter(x=np.arange(len(y)), y=y, mode="lines+markers", name=t(name, lang), line=dict(color=colour))
            )
    fig.update_yaxes(range=[0, 1.02])
    fig = legend_below(layout(fig, t("chart.gram_rounds", lang), t("axis.round", lang), t("axis.accuracy", lang)))
    # Rounds are whole numbers; after layout(), whose automatic ticks read "0, 0.5, 1, 1.5".
    fig.update_xaxes(tickmode="linear", tick0=0, dtick=1)
    return fig
