"""Noise-detection charts (core/probes/noise_detection.py): estimated vs injected transition matrices, one
sample's out-of-sample class probabilities and its suspicion score over epochs (Samples page)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.noise import injects
from core.store.run_data import RunData, artifact, class_names, data_info
from core.store.suspects import PROBE, most_suspicious, sample_pos, sample_score_history
from core.viz.registry import chart
from core.viz.style import FLIPPED, GRID, empty, layout, plot_text, series_colour


@chart("transition_matrices", scope="run", view="samples")
def transition_matrices(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Heatmaps of the estimated (cleanlab) and the injected noise transition matrices (K, K), rows = true class."""
    est = artifact(run, PROBE, epoch).get("T_estimated")
    noise = data_info(run).get("noise") or {}
    inj = noise.get("transition_matrix")
    inj = np.asarray(inj, float) if inj is not None and injects(noise.get("kind")) else None
    mats = [(t("legend.estimated", lang), est), (t("legend.injected", lang), inj)]
    mats = [(n, np.asarray(m, float)) for n, m in mats if m is not None]
    if not mats:
        return layout(
            empty(go.Figure(), lang),
            t("chart.transition_matrices", lang),
            t("axis.observed", lang),
            t("axis.true", lang),
        )
    names = plot_text(class_names(run))
    fig = make_subplots(rows=1, cols=len(mats), subplot_titles=[n for n, _ in mats], horizontal_spacing=0.08)
    for i, (n, m) in enumerate(mats):
        labels = names if len(names) == len(m) else [str(c) for c in range(len(m))]
        fig.add_trace(
            go.Heatmap(
                z=m,
                x=labels,
                y=labels,
                zmin=0,
                zmax=1,
                colorscale="Blues",
                name=n,
                showscale=i == len(mats) - 1,
                text=np.round(m, 2),
                texttemplate="%{text}",
                hovertemplate="%{y} → %{x}: %{z:.3f}<extra></extra>",
            ),
            row=1,
            col=i + 1,
        )
        fig.update_yaxes(autorange="reversed", title_text=t("axis.true", lang) if i == 0 else None, row=1, col=i + 1)
        fig.update_xaxes(title_text=t("axis.observed", lang), row=1, col=i + 1)
    # Without injected noise (real labels) only the estimate exists: the title says so.
    title = t("chart.transition_matrices" if inj is not None else "chart.transition_estimated", lang)
    fig = layout(fig, title, "", "")
    fig.update_layout(xaxis_title=t("axis.observed", lang))
    # layout() caps every axis at a few round ticks; a class axis must name every class (10 classes showed 5).
    every = dict(tickmode="array", tickvals=labels, ticktext=labels)
    fig.update_xaxes(**every)
    fig.update_yaxes(**every)
    return fig


@chart("sample_topk", scope="run", view="samples")
def sample_topk(
    run: RunData, lang: str = "en", epoch: int | None = None, index: int | None = None, k: int = 5
) -> go.Figure:
    """Top-k out-of-sample probabilities (cleanlab's cross-validated model) of dataset `index`
    (default: the most suspicious sample)."""
    a = artifact(run, PROBE, epoch)
    pos = sample_pos(a, most_suspicious(run, epoch) if index is None else index)
    fig = go.Figure()
    title = t("chart.sample_topk", lang, k=k)
    if "cleanlab_pred_probs" not in a or pos is None:
        return layout(empty(fig, lang), title, t("axis.class", lang), t("axis.probability", lang))
    p = np.asarray(a["cleanlab_pred_probs"][pos], float)
    top = np.argsort(-p, kind="stable")[:k]
    names = plot_text(class_names(run))
    labels = [names[c] if c < len(names) else str(c) for c in top]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=p[top],
            marker_color=[series_colour(int(c)) for c in top],
            text=[f"{v:.2f}" for v in p[top]],
            textposition="outside",
        )
    )
    fig.update_yaxes(range=[0, 1.15])
    fig.update_xaxes(type="category")
    return layout(fig, title, t("axis.class", lang), t("axis.probability", lang))


@chart("sample_history", scope="run", view="samples")
def sample_history(run: RunData, lang: str = "en", epoch: int | None = None, index: int | None = None) -> go.Figure:
    """One sample's suspicion score at every recorded epoch (default: the most suspicious sample)."""
    if index is None:
        index = most_suspicious(run, epoch)
    fig = go.Figure()
    x, y = sample_score_history(run, index) if index is not None else (np.array([]), np.array([]))
    if not len(x):
        return layout(empty(fig, lang), t("chart.sample_history", lang), t("axis.epoch", lang), t("axis.score", lang))
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=str(index), line=dict(color=FLIPPED)))
    if epoch is not None:
        fig.add_vline(x=epoch, line=dict(color=GRID, width=1))
    fig = layout(fig, t("chart.sample_history", lang), t("axis.epoch", lang), t("axis.score", lang))
    # A score pinned near 1 would otherwise get ticks like 0.9999988: show the 0-1 scale, two decimals.
    fig.update_yaxes(range=[min(0.0, float(np.min(y)) - 0.05), max(1.0, float(np.max(y)) + 0.05)], tickformat=".2f")
    return fig
