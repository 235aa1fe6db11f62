"""Every chart of labelscope, built from run-store data; the dashboard and export call the same functions.

A chart is registered with `@chart(id, scope)`: scope "suite" charts take several runs, "run" charts
take one. Each returns a plotly Figure whose traces hold all plotted data (export derives CSV from them).
"""
from __future__ import annotations

import dataclasses
import os
from typing import Callable

import numpy as np
import plotly.graph_objects as go

from core.i18n import t
from core.store.reader import RunReader

CHARTS: dict[str, dict] = {}


def chart(chart_id: str, scope: str, title_key: str):
    def deco(fn: Callable) -> Callable:
        CHARTS[chart_id] = {"fn": fn, "scope": scope, "title_key": title_key}
        return fn

    return deco


@dataclasses.dataclass
class RunData:
    run_id: str
    config: dict
    summary: dict | None
    metrics: list[dict]
    reader: RunReader

    @property
    def label(self) -> str:
        return f"{self.config.get('method')} s{self.config.get('seed')}"


def load_run(runs_dir: str, run_id: str) -> RunData:
    r = RunReader(os.path.join(runs_dir, run_id))
    return RunData(run_id, r.config, r.summary(), list(r.metrics()), r)


def series(run: RunData, key: str) -> tuple[np.ndarray, np.ndarray]:
    rows = [m for m in run.metrics if key in m and m[key] is not None]
    return np.array([m["epoch"] for m in rows]), np.array([m[key] for m in rows], dtype=float)


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, template="plotly_white",
                      font=dict(size=14), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
                      margin=dict(l=60, r=20, t=80, b=50))
    return fig


# --- curves and comparison charts ---


@chart("test_acc", scope="suite", title_key="chart.test_acc")
def test_acc_curves(runs: list[RunData], lang: str = "en") -> go.Figure:
    fig = go.Figure()
    for r in runs:
        x, y = series(r, "test/acc")
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=r.label))
    return _layout(fig, t("chart.test_acc", lang), t("axis.epoch", lang), t("axis.accuracy", lang))


@chart("final_acc", scope="suite", title_key="chart.final_acc")
def final_acc_bars(runs: list[RunData], lang: str = "en") -> go.Figure:
    by: dict[str, list[float]] = {}
    for r in runs:
        if r.summary and r.summary.get("test_acc_final") is not None:
            by.setdefault(r.config.get("method"), []).append(r.summary["test_acc_final"])
    names = list(by)
    means = [float(np.mean(v)) for v in by.values()]
    stds = [float(np.std(v, ddof=1)) if len(v) > 1 else 0.0 for v in by.values()]
    fig = go.Figure(go.Bar(x=names, y=means, error_y=dict(type="data", array=stds), name="test acc"))
    return _layout(fig, t("chart.final_acc", lang), t("axis.method", lang), t("axis.accuracy", lang))


# --- diagnostics charts (probes, per-sample views) ---
