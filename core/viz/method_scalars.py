"""A method's own `method/*` scalars over epochs, one panel per quantity, titled and scaled as the method declares
them (core/outputs.py `Scalar`: label in English and Japanese, "share" fixes the axis to [0, 1])."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.outputs import Produces, produces_of
from core.store.run_data import RunData, metric_keys, series
from core.viz.registry import chart
from core.viz.style import empty, layout, method_colour, method_label

PREFIX = "method/"


def declared(run: RunData) -> Produces:
    """What the run's method declares it produces (nothing when the method is not registered here)."""
    from core.registry import METHODS

    return produces_of(METHODS.get(run.method)) if run.method in METHODS else Produces()


@chart(
    "method_scalars",
    scope="run",
    view="method_scalars",
    shown=lambda run: bool(declared(run).scalars),  # for any method that declares scalars of its own
    note=lambda run, lang: declared(run).caption.get(lang),  # the method's own reading guide
)
def method_scalars(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Every numeric `method/*` scalar of the run over epochs, one panel per quantity, in the method's colour."""
    keys = metric_keys(run, PREFIX)
    title = t("chart.method_scalars", lang, method=method_label(run.method, lang))
    if not keys:
        return layout(empty(go.Figure(), lang), title, t("axis.epoch", lang), t("axis.value", lang))
    decl = declared(run)
    specs = [decl.scalar(k[len(PREFIX) :]) for k in keys]
    names = [s.label.get(lang) or s.label["en"] if s else k[len(PREFIX) :] for k, s in zip(keys, specs)]
    cols = 2 if len(keys) > 1 else 1
    rows = -(-len(keys) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, vertical_spacing=0.12 if rows > 1 else 0.1)
    for i, (k, spec, name) in enumerate(zip(keys, specs, names)):
        x, y = series(run, k)
        r, c = i // cols + 1, i % cols + 1
        fig.add_trace(
            go.Scatter(
                x=x, y=y, mode="lines+markers", name=name, showlegend=False, line=dict(color=method_colour(run.method))
            ),
            row=r,
            col=c,
        )
        if spec is not None and spec.unit == "share":
            fig.update_yaxes(range=[0, 1.02], row=r, col=c)
    fig = layout(fig, title, "", "")
    fig.update_layout(height=max(360, 260 * rows))
    return fig
