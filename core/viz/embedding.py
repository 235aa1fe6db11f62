"""The embedding map (core/probes/embedding.py; UMAP from core/analysis/umap_map.py): probe samples' features in
2-D, coloured by observed label, flipped samples drawn as crosses."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import t
from core.store.run_data import RunData, artifact, class_names, truth_known
from core.viz.registry import chart
from core.viz.style import empty, layout, plot_text, series_colour


@chart("embedding", scope="run", view="embedding", truth="uses", umap=True)
def embedding(run: RunData, lang: str = "en", epoch: int | None = None, umap: dict | None = None) -> go.Figure:
    """2-D map of the probe samples' features coloured by observed label; flipped samples drawn as crosses.

    Draws the embedding probe's PCA (P, 2), or `umap` (a `core.analysis.umap_map.umap_map` result: xy, y_obs, flipped).
    """
    a = umap if umap is not None else artifact(run, "embedding", epoch)
    xy = a.get("xy" if umap is not None else "pca")
    fig = go.Figure()
    title = t("chart.embedding", lang, map="UMAP" if umap is not None else "PCA")
    if xy is None or len(xy) == 0:
        return layout(empty(fig, lang), title, t("axis.pc1", lang), t("axis.pc2", lang))
    xy = np.asarray(xy, float)
    y_obs = np.asarray(a["y_obs"]).astype(int) if "y_obs" in a else np.zeros(len(xy), int)
    flipped = np.asarray(a["flipped"]).astype(bool) if "flipped" in a and truth_known(run) else np.zeros(len(xy), bool)
    names = plot_text(class_names(run))
    for c in np.unique(y_obs):
        for fl in (False, True):
            m = (y_obs == c) & (flipped == fl)
            if not m.any():
                continue
            label = names[c] if c < len(names) else str(c)
            fig.add_trace(
                go.Scattergl(
                    x=xy[m, 0],
                    y=xy[m, 1],
                    mode="markers",
                    legendgroup=str(c),
                    showlegend=not fl,
                    name=t("legend.label", lang, name=label) if not fl else f"{label} ({t('legend.flipped', lang)})",
                    marker=dict(
                        color=series_colour(int(c)),
                        size=9 if fl else 6,
                        symbol="x" if fl else "circle",
                        opacity=1.0 if fl else 0.6,
                    ),
                )
            )
    fig = layout(fig, title, t("axis.pc1", lang), t("axis.pc2", lang))
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1.0, x=1.02, xanchor="left"))
    return fig
