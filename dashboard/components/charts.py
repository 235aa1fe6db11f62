"""Chart helpers shared by the pages: build a registered figure from `core.viz.CHARTS` and show it."""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.store.run_data import RunData
from core.viz import CHARTS, PLOT_CONFIG
from dashboard.components import run_cache

SMALL = 400  # below this height the legend moves under the plot, where it cannot cover the title


def show(fig, key: str, height: int | None = None) -> None:
    if height:
        fig.update_layout(height=height)
        if height < SMALL:
            # below the x-axis title, with room for two legend rows (a log axis' labels included)
            fig.update_layout(
                legend=dict(orientation="h", yanchor="top", y=-0.3, x=0), margin=dict(l=50, r=10, t=60, b=95)
            )
    st.plotly_chart(fig, key=key, config=PLOT_CONFIG)


_FIGS: dict[str, tuple[tuple, object]] = {}  # widget key -> (inputs, figure): unchanged inputs are not rebuilt


def chart(chart_id: str, runs: list[RunData], lang: str, key: str, height: int | None = None, **options) -> None:
    """Draw chart `chart_id` of the figure registry for `runs` (options go to the chart function).

    Figures are rebuilt only when a run's files, the language or the options changed, so moving
    one control on a page of many runs rebuilds only the chart it affects."""
    inputs = (
        chart_id,
        tuple((r.run_id, run_cache.version(r)) for r in runs),
        lang,
        height,
        tuple(sorted(options.items())),
    )
    hit = _FIGS.get(key)
    if hit and hit[0] == inputs:
        fig = hit[1]
    else:
        fig = CHARTS[chart_id].fn(runs, lang, **options)
        _FIGS[key] = (inputs, fig)
    show(fig, key=key, height=height)
    read = t(f"read.{chart_id}", lang)
    if read != f"read.{chart_id}":  # one line on how to read the chart, for charts that have one
        st.caption(read)
