"""The chart registry: `@chart(id, scope, view)` registers a plotly figure function under one name.

The id is also the chart's title key (`chart.<id>` in core/i18n.py), its export file name and its CLI value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

SCOPES = ("suite", "run")  # "suite" charts take a list of RunData, "run" charts one RunData


@dataclasses.dataclass(frozen=True)
class ChartSpec:
    chart_id: str
    fn: Callable  # (runs | run, lang="en", **options) -> go.Figure
    scope: str
    view: str  # where the dashboard shows it: a page ("compare", "live", "samples") or a diagnostics view id

    @property
    def title_key(self) -> str:
        return f"chart.{self.chart_id}"


CHARTS: dict[str, ChartSpec] = {}


def chart(chart_id: str, scope: str, view: str) -> Callable[[Callable], Callable]:
    if scope not in SCOPES:
        raise ValueError(f"chart '{chart_id}': scope must be one of {SCOPES}, not '{scope}'")

    def deco(fn: Callable) -> Callable:
        if chart_id in CHARTS and CHARTS[chart_id].fn is not fn:
            raise RuntimeError(f"chart '{chart_id}' registered twice")
        CHARTS[chart_id] = ChartSpec(chart_id, fn, scope, view)
        return fn

    return deco
