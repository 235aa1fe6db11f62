"""Chart helpers shared by the pages: build a registered figure from `core.viz.CHARTS` and show it."""

from __future__ import annotations

import streamlit as st

from core.i18n import words
from core.store.run_data import RunData
from core.viz import CHARTS, PLOT_CONFIG
from core.viz.style import SMALL, compact
from dashboard.components import run_cache


def show(fig, key: str, height: int | None = None, font: int | None = None, legend_rows: int = 0) -> None:
    """Draw `fig`; a `height` under SMALL draws it compact (core.viz.style.compact), with `font` px type if given
    and room for `legend_rows` legend entries."""
    if height:
        fig.update_layout(height=height)
        if height < SMALL:  # the legend under the x-axis title, where it covers neither the title nor the axis
            compact(fig, height, font, legend_rows)
    st.plotly_chart(fig, key=key, config=PLOT_CONFIG)


_FIGS: dict[str, tuple[tuple, object]] = {}  # widget key -> (inputs, figure): unchanged inputs are not rebuilt


def chart(
    chart_id: str,
    runs: list[RunData],
    lang: str,
    key: str,
    height: int | None = None,
    legend_rows: int = 0,
    **options,
) -> None:
    """Draw chart `chart_id` of the figure registry for `runs` (options go to the chart function; `legend_rows`
    to `show`).

    Figures are rebuilt only when a run's files, the language or the options changed, so moving
    one control on a page of many runs rebuilds only the chart it affects."""
    inputs = (
        chart_id,
        tuple((r.run_id, run_cache.version(r)) for r in runs),
        lang,
        height,
        legend_rows,
        tuple(sorted(options.items())),
    )
    hit = _FIGS.get(key)
    if hit and hit[0] == inputs:
        fig = hit[1]
    else:
        fig = CHARTS[chart_id].fn(runs, lang, **options)
        _FIGS[key] = (inputs, fig)
    show(fig, key=key, height=height, legend_rows=legend_rows)
    read = words("read", chart_id, lang, "")
    if read:  # one line on how to read the chart, for charts that have one
        st.caption(read)
