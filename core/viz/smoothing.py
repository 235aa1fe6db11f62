"""Per-instance smoothing (core/probes/smoothing.py): one per-sample value's histogram, clean vs flipped samples."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import t
from core.store.run_data import RunData, artifact, truth_known
from core.viz.registry import chart
from core.viz.style import CLEAN, FLIPPED, REFERENCE, empty, layout, legend_below


def smoothing_names(a: dict) -> list[str]:
    """Names of the per-sample values of a smoothing artifact ("entropy", "method_<key>", ...)."""
    return [str(n) for n in a.get("names", ())]


@chart(
    "smoothing_hist",
    scope="run",
    view="smoothing",
    compact=True,
    truth="uses",
    choices=lambda run, epoch: smoothing_names(artifact(run, "smoothing", epoch)),
)
def smoothing_hist(run: RunData, lang: str = "en", epoch: int | None = None, value: str | None = None) -> go.Figure:
    """The probe's histogram of one per-sample value on clean vs flipped samples, its AUROC in the title.

    Without truth only the all-sample histogram is drawn (clean + flipped counts, which are then all clean).
    """
    a = artifact(run, "smoothing", epoch)
    names = smoothing_names(a)
    fig = go.Figure()
    if not names:
        return layout(
            empty(fig, lang), t("chart.smoothing_hist", lang, name=""), t("axis.value", lang), t("axis.count", lang)
        )
    i = names.index(value) if value in names else 0
    name = names[i]
    edges = np.asarray(a["hist_edges"][i], float)
    centers, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    clean, flipped = np.asarray(a["hist_clean"][i]), np.asarray(a["hist_flipped"][i])
    if truth_known(run):
        fig.add_trace(
            go.Bar(x=centers, y=clean, width=widths, name=t("legend.clean", lang), marker_color=CLEAN, opacity=0.6)
        )
        fig.add_trace(
            go.Bar(
                x=centers, y=flipped, width=widths, name=t("legend.flipped", lang), marker_color=FLIPPED, opacity=0.6
            )
        )
        au = float(a["auroc"][i]) if "auroc" in a else float("nan")
        title = t("chart.smoothing_hist.auroc", lang, name=name, auroc=f"{au:.2f}" if np.isfinite(au) else "–")
    else:
        fig.add_trace(
            go.Bar(
                x=centers,
                y=clean + flipped,
                width=widths,
                name=t("legend.all", lang),
                marker_color=REFERENCE,
                opacity=0.8,
            )
        )
        title = t("chart.smoothing_hist", lang, name=name)
    fig.update_layout(barmode="overlay", bargap=0)
    return legend_below(layout(fig, title, name, t("axis.count", lang)))
