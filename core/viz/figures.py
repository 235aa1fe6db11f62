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


_GROUP_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                 "#bcbd22", "#7f7f7f")
CURVE_METRICS = ("test/acc", "train/acc_clean", "train/acc_observed", "train/memorized", "train/loss", "val/acc",
                 "rlp/acc_train")


def setting_label(config: dict, lang: str = "en") -> str:
    """The noise setting of a run in words, e.g. 'symmetric 40%' or 'real labels'."""
    if config.get("noise", "none") == "none":
        return t("noise.real", lang)
    return t("noise.desc", lang, kind=config.get("noise"), rate=float(config.get("noise_rate") or 0.0))


def group_runs(runs: list[RunData], lang: str = "en") -> dict[str, list[RunData]]:
    """Runs grouped by method, and by noise setting too when the runs mix settings (insertion-ordered)."""
    settings = {setting_label(r.config, lang) for r in runs}
    out: dict[str, list[RunData]] = {}
    for r in runs:
        name = str(r.config.get("method"))
        if len(settings) > 1:
            name = f"{name} · {setting_label(r.config, lang)}"
        out.setdefault(name, []).append(r)
    return out


def smooth(y: np.ndarray, weight: float) -> np.ndarray:
    """Exponential moving average (TensorBoard-style, bias-corrected); weight 0 returns y. y (T,) -> (T,)."""
    if weight <= 0 or len(y) == 0:
        return np.asarray(y, dtype=float)
    out = np.empty(len(y))
    acc, norm = 0.0, 0.0
    for i, v in enumerate(np.asarray(y, dtype=float)):
        acc = weight * acc + (1 - weight) * v
        norm = weight * norm + (1 - weight)
        out[i] = acc / norm
    return out


def mean_band(curves: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and std over seeds on the epochs all curves share: each curve (x (T,), y (T,)) -> x, mean, std."""
    common = None
    for x, _ in curves:
        common = set(x.tolist()) if common is None else common & set(x.tolist())
    xs = np.array(sorted(common or ()))
    if len(xs) == 0:
        return xs, np.array([]), np.array([])
    stack = np.stack([y[np.searchsorted(x, xs)] for x, y in curves])
    std = stack.std(0, ddof=1) if len(curves) > 1 else np.zeros(len(xs))
    return xs, stack.mean(0), std


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def _metric_axis(metric: str, lang: str) -> str:
    return t(f"metric.{metric}", lang)


@chart("curves", scope="suite", title_key="chart.curves")
def curves_band(runs: list[RunData], lang: str = "en", metric: str = "test/acc", smoothing: float = 0.0) -> go.Figure:
    """Per group: mean ± std band over seeds (smoothed) with each seed's raw curve faint underneath."""
    fig = go.Figure()
    for gi, (name, members) in enumerate(group_runs(runs, lang).items()):
        color = _GROUP_COLORS[gi % len(_GROUP_COLORS)]
        curves = [series(r, metric) for r in members]
        curves = [(x, y) for x, y in curves if len(x)]
        if not curves:
            continue
        for r, (x, y) in zip(members, curves):
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=f"{r.label} (raw)", legendgroup=name,
                                     showlegend=False, line=dict(color=_rgba(color, 0.25), width=1),
                                     hoverinfo="skip"))
        xs, mean, std = mean_band([(x, smooth(y, smoothing)) for x, y in curves])
        if len(xs) == 0:
            continue
        if len(curves) > 1:
            fig.add_trace(go.Scatter(x=np.concatenate([xs, xs[::-1]]), y=np.concatenate([mean + std, (mean - std)[::-1]]),
                                     fill="toself", fillcolor=_rgba(color, 0.18), line=dict(width=0),
                                     name=f"{name} ± std", legendgroup=name, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=xs, y=mean, mode="lines", name=f"{name} (n={len(curves)})", legendgroup=name,
                                 line=dict(color=color, width=2.5)))
    metric_name = _metric_axis(metric, lang)
    return _layout(fig, t("chart.curves", lang, metric=metric_name), t("axis.epoch", lang), metric_name)


@chart("live_metric", scope="suite", title_key="chart.live_metric")
def live_metric_curves(runs: list[RunData], lang: str = "en", metric: str = "test/acc") -> go.Figure:
    """One line per run, coloured by method (seeds share the colour) — for following runs as they train."""
    fig = go.Figure()
    colors: dict[str, str] = {}
    for r in runs:
        m = str(r.config.get("method"))
        color = colors.setdefault(m, _GROUP_COLORS[len(colors) % len(_GROUP_COLORS)])
        x, y = series(r, metric)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers" if len(x) < 3 else "lines", name=r.label,
                                 legendgroup=m, line=dict(color=color, width=2), marker=dict(size=6)))
    metric_name = _metric_axis(metric, lang)
    return _layout(fig, t("chart.live_metric", lang, metric=metric_name), t("axis.epoch", lang), metric_name)


@chart("train_clean_vs_observed", scope="suite", title_key="chart.train_clean_vs_observed")
def train_clean_vs_observed(runs: list[RunData], lang: str = "en") -> go.Figure:
    """Train accuracy against the true labels (solid) and the observed ones (dotted): the gap is memorization."""
    fig = go.Figure()
    colors: dict[str, str] = {}
    for r in runs:
        m = str(r.config.get("method"))
        color = colors.setdefault(m, _GROUP_COLORS[len(colors) % len(_GROUP_COLORS)])
        for key, dash, word in (("train/acc_clean", "solid", "legend.true_labels"),
                                ("train/acc_observed", "dot", "legend.observed_labels")):
            x, y = series(r, key)
            if len(x):
                fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=f"{r.label} · {t(word, lang)}",
                                         legendgroup=m, line=dict(color=color, dash=dash, width=2)))
    return _layout(fig, t("chart.train_clean_vs_observed", lang), t("axis.epoch", lang), t("axis.accuracy", lang))


@chart("bars", scope="suite", title_key="chart.bars")
def summary_bars(runs: list[RunData], lang: str = "en", key: str = "test_acc_final",
                 metric_key: str = "col.test_final") -> go.Figure:
    """Mean ± std of a summary value per group (completed runs), with each seed's value as a dot."""
    names, means, stds, pts_x, pts_y = [], [], [], [], []
    for name, members in group_runs(runs, lang).items():
        vals = [r.summary[key] for r in members if r.summary and r.summary.get("state") == "completed"
                and isinstance(r.summary.get(key), (int, float))]
        if not vals:
            continue
        names.append(name)
        means.append(float(np.mean(vals)))
        stds.append(float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0)
        pts_x += [name] * len(vals)
        pts_y += vals
    colors = [_GROUP_COLORS[i % len(_GROUP_COLORS)] for i in range(len(names))]
    fig = go.Figure(go.Bar(x=names, y=means, error_y=dict(type="data", array=stds, thickness=2, width=8),
                           marker_color=colors, name=t(metric_key, lang), opacity=0.85))
    fig.add_trace(go.Scatter(x=pts_x, y=pts_y, mode="markers", name="seeds",
                             marker=dict(color="black", size=7, symbol="circle-open")))
    if means:
        lo = min(m - s for m, s in zip(means, stds))
        lo = min(lo, min(pts_y))
        hi = max(max(m + s for m, s in zip(means, stds)), max(pts_y))
        pad = max(0.02, 0.15 * (hi - lo))
        fig.update_yaxes(range=[max(0.0, lo - pad), hi + pad])
    fig.update_layout(showlegend=False)
    return _layout(fig, t("chart.bars", lang, metric=t(metric_key, lang)), t("axis.method", lang), t(metric_key, lang))


# --- diagnostics charts (probes, per-sample views) ---
