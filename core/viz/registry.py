"""The chart registry: `@chart(id, scope, view, ...)` registers a plotly figure function under one name.

The id is also the chart's title key (`chart.<id>` in core/i18n.py), its export file name and its CLI value.
A view that is not a page is a Diagnostics view (title `diag.v.<view>`, caption `diag.cap.<view>`), built from
the charts that name it and what they declare here; the dashboard keeps no list of views.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

SCOPES = ("suite", "run")  # "suite" charts take a list of RunData, "run" charts one RunData
PAGES = ("compare", "live", "samples")  # views that are whole pages; any other view is a Diagnostics view
TRUTH = ("", "uses", "needs")  # how a chart depends on knowing which labels were flipped


@dataclasses.dataclass(frozen=True)
class ChartSpec:
    chart_id: str
    fn: Callable  # (runs | run, lang="en", **options) -> go.Figure
    scope: str
    view: str  # where the dashboard shows it: a page ("compare", "live", "samples") or a diagnostics view id
    compact: bool = False  # also drawn small on the Live page
    truth: str = ""  # "needs": left out without ground truth (the view says why); "uses": drawn, with that note
    missing: str = "diag.missing"  # i18n key said instead of the chart when the run recorded nothing for it
    shown: Callable | None = None  # (run) -> bool: whether a run gets this chart at all; None: every run
    note: Callable | None = None  # (run, lang) -> str | None: the run's own reading guide, above the chart
    choices: Callable | None = None  # (run, epoch) -> names it draws one at a time (`value=`); the page offers them
    umap: bool = False  # takes `umap=`, a UMAP map computed on request (core/analysis/umap_map.py)

    @property
    def title_key(self) -> str:
        return f"chart.{self.chart_id}"


CHARTS: dict[str, ChartSpec] = {}


def chart(chart_id: str, scope: str, view: str, **declared) -> Callable[[Callable], Callable]:
    """`declared`: the optional ChartSpec fields (compact, truth, missing, shown, note, choices, umap)."""
    if scope not in SCOPES:
        raise ValueError(f"chart '{chart_id}': scope must be one of {SCOPES}, not '{scope}'")
    if declared.get("truth", "") not in TRUTH:
        raise ValueError(f"chart '{chart_id}': truth must be one of {TRUTH}, not '{declared['truth']}'")

    def deco(fn: Callable) -> Callable:
        if chart_id in CHARTS and CHARTS[chart_id].fn is not fn:
            raise RuntimeError(f"chart '{chart_id}' registered twice")
        CHARTS[chart_id] = ChartSpec(chart_id, fn, scope, view, **declared)
        return fn

    return deco


def diagnostics_views() -> dict[str, list[ChartSpec]]:
    """Diagnostics view id -> its charts in registration order; views with a compact chart (the Live page's)
    come first."""
    views: dict[str, list[ChartSpec]] = {}
    for spec in CHARTS.values():
        if spec.view not in PAGES:
            views.setdefault(spec.view, []).append(spec)
    return dict(sorted(views.items(), key=lambda kv: not any(s.compact for s in kv[1])))
