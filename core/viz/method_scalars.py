"""A method's own `method/*` scalars over epochs, one panel per quantity (e.g. DRIFT's teacher statistics)."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.store.run_data import RunData, metric_keys, series
from core.viz.registry import chart
from core.viz.style import empty, layout, series_colour

PREFIX = "method/"


@chart("drift_teacher", scope="run", view="drift")
def drift_teacher(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Every numeric `method/*` scalar of the run over epochs, one panel per quantity."""
    keys = metric_keys(run, PREFIX)
    if not keys:
        return layout(empty(go.Figure(), lang), t("chart.drift_teacher", lang), t("axis.epoch", lang),
                      t("axis.value", lang))
    cols = 2 if len(keys) > 1 else 1
    rows = -(-len(keys) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[k[len(PREFIX):] for k in keys],
                        vertical_spacing=0.12 if rows > 1 else 0.1)
    for i, k in enumerate(keys):
        x, y = series(run, k)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=k[len(PREFIX):], showlegend=False,
                                 line=dict(color=series_colour(i))), row=i // cols + 1, col=i % cols + 1)
    fig = layout(fig, t("chart.drift_teacher", lang), "", "")
    fig.update_layout(height=max(360, 260 * rows))
    return fig
