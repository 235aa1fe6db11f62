"""Every chart of labelscope, built from run-store data; the dashboard and export call the same functions.

A chart is registered with `@chart(id, scope)`: scope "suite" charts take several runs, "run" charts
take one. Each returns a plotly Figure whose traces hold all plotted data (export derives CSV from them).
"""
from __future__ import annotations

import dataclasses
import html
import os
from typing import Callable

import numpy as np
import plotly.graph_objects as go

from core.i18n import t
from core.store.reader import RunReader

CHARTS: dict[str, dict] = {}
# For st.plotly_chart(config=...) and exported HTML: the toolbar's camera icon saves a 3x PNG, sharp on slides.
PLOT_CONFIG: dict = {"displaylogo": False,
                     "toImageButtonOptions": {"format": "png", "scale": 3, "filename": "labelscope-chart"}}


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


def mean_band(curves: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean and std over the seeds present at each epoch: curves (x (T,), y (T,)) -> x, mean, std, n (each (E,)).

    A seed whose metrics stop early (a killed run, a truncated file) leaves the later epochs to the
    others instead of cutting every seed's mean there; `n` says how many seeds each point averages.
    """
    xs = np.array(sorted(set().union(*(x.tolist() for x, _ in curves)))) if curves else np.array([])
    if len(xs) == 0:
        return xs, np.array([]), np.array([]), np.array([], int)
    stack = np.full((len(curves), len(xs)), np.nan)
    for i, (x, y) in enumerate(curves):
        stack[i, np.searchsorted(xs, x)] = y
    n = np.sum(~np.isnan(stack), axis=0)
    mean = np.nanmean(stack, axis=0)
    dev = np.where(np.isnan(stack), 0.0, stack - mean) ** 2
    std = np.sqrt(dev.sum(0) / np.maximum(n - 1, 1))
    return xs, mean, std, n


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def _hover(label: str) -> str:
    return f"{label}<br>%{{x}}: %{{y:.3f}}<extra></extra>"


def _metric_axis(metric: str, lang: str) -> str:
    return t(f"metric.{metric}", lang)


@chart("curves", scope="suite", title_key="chart.curves")
def curves_band(runs: list[RunData], lang: str = "en", metric: str = "test/acc", smoothing: float = 0.0) -> go.Figure:
    """Per group: mean ± std band over seeds (smoothed) with each seed's raw curve faint underneath."""
    fig = go.Figure()
    notes: list[str] = []
    for gi, (name, members) in enumerate(group_runs(runs, lang).items()):
        color = _GROUP_COLORS[gi % len(_GROUP_COLORS)]
        curves = [series(r, metric) for r in members]
        curves = [(x, y) for x, y in curves if len(x)]
        if not curves:
            continue
        # All seeds' raw curves in one trace, split by NaN gaps: a page of many runs stays cheap to draw.
        gap = np.array([np.nan])
        fig.add_trace(go.Scatter(x=np.concatenate([np.concatenate([x, gap]) for x, _ in curves]),
                                 y=np.concatenate([np.concatenate([y, gap]) for _, y in curves]),
                                 mode="lines", name=f"{name} (raw)", legendgroup=name, showlegend=False,
                                 line=dict(color=_rgba(color, 0.25), width=1), hoverinfo="skip", connectgaps=False))
        xs, mean, std, n = mean_band([(x, smooth(y, smoothing)) for x, y in curves])
        if len(xs) == 0:
            continue
        if n.min() < len(curves):  # say so: later points average fewer seeds
            fewer = int(np.argmax(n < len(curves)))
            notes.append(t("chart.curves.fewer_seeds", lang, name=name, n=int(n[fewer:].min()), total=len(curves),
                           epoch=int(xs[max(0, fewer - 1)])))
        if len(curves) > 1:
            fig.add_trace(go.Scatter(x=np.concatenate([xs, xs[::-1]]), y=np.concatenate([mean + std, (mean - std)[::-1]]),
                                     fill="toself", fillcolor=_rgba(color, 0.18), line=dict(width=0),
                                     name=f"{name} ± std", legendgroup=name, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=xs, y=mean, mode="lines", name=f"{name} (n={len(curves)})", legendgroup=name,
                                 line=dict(color=color, width=2.5), customdata=n,
                                 hovertemplate=f"{name}<br>%{{x}}: %{{y:.3f}} (n=%{{customdata}})<extra></extra>"))
    metric_name = _metric_axis(metric, lang)
    title = t("chart.curves", lang, metric=metric_name)
    if notes:
        title += "<br><sup>" + " · ".join(notes) + "</sup>"
    return _layout(fig, title, t("axis.epoch", lang), metric_name)


def _by_method(runs: list[RunData]):
    """(run, method, colour, first run of its method) per run: seeds of one method share a colour and a legend entry."""
    colors: dict[str, str] = {}
    for r in runs:
        m = str(r.config.get("method"))
        first = m not in colors
        yield r, m, colors.setdefault(m, _GROUP_COLORS[len(colors) % len(_GROUP_COLORS)]), first


@chart("live_metric", scope="suite", title_key="chart.live_metric")
def live_metric_curves(runs: list[RunData], lang: str = "en", metric: str = "test/acc") -> go.Figure:
    """One line per run, coloured by method (seeds share the colour) — for following runs as they train."""
    fig = go.Figure()
    for r, m, color, first in _by_method(runs):
        x, y = series(r, metric)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers" if len(x) < 3 else "lines", name=m,
                                 legendgroup=m, showlegend=first, line=dict(color=color, width=2),
                                 marker=dict(size=6), hovertemplate=_hover(r.label)))
    metric_name = _metric_axis(metric, lang)
    return _layout(fig, t("chart.live_metric", lang, metric=metric_name), t("axis.epoch", lang), metric_name)


@chart("train_clean_vs_observed", scope="suite", title_key="chart.train_clean_vs_observed")
def train_clean_vs_observed(runs: list[RunData], lang: str = "en") -> go.Figure:
    """Train accuracy against the true labels (solid) and the observed ones (dotted): the gap is memorization."""
    fig = go.Figure()
    for r, m, color, first in _by_method(runs):
        for key, dash, word in (("train/acc_clean", "solid", "legend.true_labels"),
                                ("train/acc_observed", "dot", "legend.observed_labels")):
            x, y = series(r, key)
            if len(x):
                fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=m, legendgroup=m,
                                         showlegend=first and dash == "solid",
                                         hovertemplate=_hover(f"{r.label} · {t(word, lang)}"),
                                         line=dict(color=color, dash=dash, width=2)))
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
# Run-scope charts take (run, lang, epoch=None): epoch None is the latest recorded one. Probe artifacts
# are read through `artifact(...)`; array keys follow the probes' module docstrings.

from plotly.subplots import make_subplots  # noqa: E402

# Array keys follow the probes' module docstrings (core/probes/gram.py, smoothing.py, embedding.py,
# noise_detection.py, layer_divergence.py).
LAYER_MAIN = "clid"
RANK_TOL = 1e-10  # eigenvalues below this share of the largest are round-off

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf")
_CLEAN, _FLIPPED = "#1f77b4", "#d62728"


def artifact(run: RunData, name: str, epoch: int | None = None, exact: bool = False) -> dict[str, np.ndarray]:
    """Arrays of probe `name` at `epoch` (nearest readable recorded; latest if None; only that one with
    `exact`); {} when none was recorded or none is readable (the reader notes which files it passed over)."""
    return run.reader.load_artifact(name, epoch, exact=exact) or {}


def _first(arrays: dict, *names: str) -> np.ndarray | None:
    for n in names:
        if n in arrays:
            return np.asarray(arrays[n])
    return None


def _empty(fig: go.Figure, lang: str) -> go.Figure:
    fig.add_annotation(text=t("chart.no_data", lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def _legend_below(fig: go.Figure) -> go.Figure:
    """The legend under the x-axis title, so it never covers the chart title in a narrow column."""
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.22, x=0, xanchor="left"),
                      margin=dict(b=90))
    return fig


def _colour(i: int) -> str:
    return _PALETTE[i % len(_PALETTE)]


def truth_known(run: RunData) -> bool:
    """Whether the run knows which labels were flipped (False for real-noise runs)."""
    noise = (run.reader.read_json("data.json", {}) or {}).get("noise") or {}
    return bool(noise.get("truth_known", run.config.get("noise", "none") != "none"))


@chart("gram_spectrum", scope="run", title_key="chart.gram_spectrum")
def gram_spectrum(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Eigenvalues σ_j (log scale, left) and the kept share shrink_j^(t+1) after round t (right), t = 0 the teacher."""
    a = artifact(run, "gram", epoch)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    if "spectrum" not in a:
        return _layout(_empty(fig, lang), t("chart.gram_spectrum", lang), t("axis.eigen_index", lang), "")
    sigma = np.asarray(a["spectrum"], float)
    # Directions at round-off level (beyond the features' rank) would stretch the log axis over 30 decades.
    sigma = sigma[sigma > (sigma.max(initial=0.0) * RANK_TOL)]
    j = np.arange(1, len(sigma) + 1)
    fig.add_trace(go.Scatter(x=j, y=sigma, mode="lines+markers", name=t("legend.spectrum", lang),
                             marker=dict(size=4), line=dict(color="#444")), secondary_y=False)
    if "shrink" in a:
        shrink = np.asarray(a["shrink"], float)
        rounds = len(a.get("acc_observed", ())) or 1
        for r in range(rounds):
            fig.add_trace(go.Scatter(x=j, y=shrink[: len(j)] ** (r + 1), mode="lines", name=t("legend.round", lang, n=r),
                                     line=dict(color=_colour(r + 1), dash="dot")), secondary_y=True)
    fig.update_yaxes(type="log", title_text=t("axis.eigenvalue", lang), secondary_y=False)
    fig.update_yaxes(range=[0, 1.05], title_text=t("axis.shrink", lang), secondary_y=True)
    fig.update_xaxes(type="log")
    return _legend_below(_layout(fig, t("chart.gram_spectrum", lang), t("axis.eigen_index", lang),
                                 t("axis.eigenvalue", lang)))


@chart("gram_rounds", scope="run", title_key="chart.gram_rounds")
def gram_rounds(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Label-averaging predicted accuracy after round t (0 = teacher) on clean and on flipped probe samples."""
    a = artifact(run, "gram", epoch)
    fig = go.Figure()
    if "acc_clean" not in a:
        return _layout(_empty(fig, lang), t("chart.gram_rounds", lang), t("axis.round", lang), t("axis.accuracy", lang))
    for key, name, colour in (("acc_clean", "legend.clean", _CLEAN), ("acc_flipped", "legend.flipped", _FLIPPED)):
        if key in a:
            y = np.asarray(a[key], float)
            fig.add_trace(go.Scatter(x=np.arange(len(y)), y=y, mode="lines+markers", name=t(name, lang),
                                     line=dict(color=colour)))
    fig.update_yaxes(range=[0, 1.02])
    fig.update_xaxes(dtick=1)
    return _legend_below(_layout(fig, t("chart.gram_rounds", lang), t("axis.round", lang), t("axis.accuracy", lang)))


def _rlp_chance(run: RunData) -> float | None:
    classes = ((run.config.get("monitor_options") or {}).get("rlp") or {}).get("classes")
    if classes is None:
        try:
            from core.registry import MONITORS

            classes = MONITORS.get("rlp").Config().classes
        except Exception:  # the monitor may be absent in a stripped-down install
            return None
    return 1.0 / float(classes)


@chart("rlp_heads", scope="suite", title_key="chart.rlp")
def rlp_heads(runs: list[RunData], lang: str = "en") -> go.Figure:
    """Random-label head train accuracy per run over epochs, one colour per method, with the chance line."""
    fig = go.Figure()
    methods: list[str] = []
    chance = None
    for r in runs:
        x, y = series(r, "rlp/acc_train")
        if not len(x):
            continue
        m = str(r.config.get("method"))
        if m not in methods:
            methods.append(m)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=r.label, legendgroup=m,
                                 line=dict(color=_colour(methods.index(m)))))
        chance = chance or _rlp_chance(r)
    if not fig.data:
        return _layout(_empty(fig, lang), t("chart.rlp", lang), t("axis.epoch", lang), t("axis.accuracy", lang))
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color="#888", dash="dash"), annotation_text=t("legend.chance", lang),
                      annotation_position="bottom right")
    return _legend_below(_layout(fig, t("chart.rlp", lang), t("axis.epoch", lang), t("axis.accuracy", lang)))


def smoothing_names(a: dict) -> list[str]:
    """Names of the per-sample values of a smoothing artifact ("entropy", "method_<key>", ...)."""
    return [str(n) for n in a.get("names", ())]


@chart("smoothing_hist", scope="run", title_key="chart.smoothing_nt")
def smoothing_hist(run: RunData, lang: str = "en", epoch: int | None = None, value: str | None = None) -> go.Figure:
    """The probe's histogram of one per-sample value on clean vs flipped samples, its AUROC in the title.

    Without truth only the all-sample histogram is drawn (clean + flipped counts, which are then all clean).
    """
    a = artifact(run, "smoothing", epoch)
    names = smoothing_names(a)
    fig = go.Figure()
    if not names:
        return _layout(_empty(fig, lang), t("chart.smoothing_nt", lang, name=""), t("axis.value", lang), t("axis.count", lang))
    i = names.index(value) if value in names else 0
    name = names[i]
    edges = np.asarray(a["hist_edges"][i], float)
    centers, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    clean, flipped = np.asarray(a["hist_clean"][i]), np.asarray(a["hist_flipped"][i])
    if truth_known(run):
        fig.add_trace(go.Bar(x=centers, y=clean, width=widths, name=t("legend.clean", lang), marker_color=_CLEAN,
                             opacity=0.6))
        fig.add_trace(go.Bar(x=centers, y=flipped, width=widths, name=t("legend.flipped", lang),
                             marker_color=_FLIPPED, opacity=0.6))
        au = float(a["auroc"][i]) if "auroc" in a else float("nan")
        title = t("chart.smoothing", lang, name=name, auroc=f"{au:.2f}" if np.isfinite(au) else "–")
    else:
        fig.add_trace(go.Bar(x=centers, y=clean + flipped, width=widths, name=t("legend.all", lang),
                             marker_color="#777", opacity=0.8))
        title = t("chart.smoothing_nt", lang, name=name)
    fig.update_layout(barmode="overlay", bargap=0)
    return _legend_below(_layout(fig, title, name, t("axis.count", lang)))


@chart("layer_divergence", scope="run", title_key="chart.layer_div")
def layer_divergence(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Every `probe/layer_divergence/*` scalar over epochs (left axis) against test accuracy (right axis)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    prefix = "probe/layer_divergence/"
    keys = sorted({k for m in run.metrics for k in m if k.startswith(prefix)},
                  key=lambda k: (k != prefix + LAYER_MAIN, k))
    for i, k in enumerate(keys):
        x, y = series(run, k)
        main = k == prefix + LAYER_MAIN
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers" if main else "lines", name=k[len(prefix):],
                                 line=dict(color=_colour(i), width=3 if main else 1.5,
                                           dash=None if main else "dot")), secondary_y=False)
    if not keys:
        return _layout(_empty(fig, lang), t("chart.layer_div", lang), t("axis.epoch", lang), t("axis.divergence", lang))
    x, y = series(run, "test/acc")
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=t("legend.test_acc", lang),
                             line=dict(color="#111", dash="dash")), secondary_y=True)
    if epoch is not None:
        fig.add_vline(x=epoch, line=dict(color="#aaa", width=1))
    fig.update_yaxes(title_text=t("axis.divergence", lang), secondary_y=False)
    fig.update_yaxes(title_text=t("axis.accuracy", lang), secondary_y=True)
    return _legend_below(_layout(fig, t("chart.layer_div", lang), t("axis.epoch", lang), t("axis.divergence", lang)))


def _class_names(run: RunData) -> list[str]:
    """The user's class names, HTML-escaped: plotly draws `<b>`, `<a href>`... in labels, and a name is plain text."""
    info = run.reader.read_json("data.json", {})
    names = info.get("class_names") if isinstance(info, dict) else None
    return [html.escape(str(n), quote=False) for n in names] if isinstance(names, list) else []


@chart("embedding", scope="run", title_key="chart.embedding")
def embedding_map(run: RunData, lang: str = "en", epoch: int | None = None, umap: dict | None = None) -> go.Figure:
    """2-D map of the probe samples' features coloured by observed label; flipped samples drawn as crosses.

    Draws the embedding probe's PCA, or `umap` (a `core.analysis.umap_map.umap_map` result: xy, y_obs, flipped).
    """
    a = umap if umap is not None else artifact(run, "embedding", epoch)
    xy = _first(a, "xy" if umap is not None else "pca")
    fig = go.Figure()
    title = t("chart.embedding", lang, map="UMAP" if umap is not None else "PCA")
    if xy is None or len(xy) == 0:
        return _layout(_empty(fig, lang), title, t("axis.pc1", lang), t("axis.pc2", lang))
    xy = np.asarray(xy, float)
    y_obs = _first(a, "y_obs")
    y_obs = y_obs.astype(int) if y_obs is not None else np.zeros(len(xy), int)
    flipped = _first(a, "flipped")
    flipped = flipped.astype(bool) if flipped is not None and truth_known(run) else np.zeros(len(xy), bool)
    names = _class_names(run)
    for c in np.unique(y_obs):
        for fl in (False, True):
            m = (y_obs == c) & (flipped == fl)
            if not m.any():
                continue
            label = names[c] if c < len(names) else str(c)
            fig.add_trace(go.Scattergl(
                x=xy[m, 0], y=xy[m, 1], mode="markers", legendgroup=str(c), showlegend=not fl,
                name=t("legend.label", lang, name=label) if not fl else f"{label} ({t('legend.flipped', lang)})",
                marker=dict(color=_colour(int(c)), size=9 if fl else 6, symbol="x" if fl else "circle",
                            opacity=1.0 if fl else 0.6)))
    fig = _layout(fig, title, t("axis.pc1", lang), t("axis.pc2", lang))
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1.0, x=1.02, xanchor="left"))
    return fig


@chart("drift_teacher", scope="run", title_key="chart.drift")
def drift_teacher(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """DRIFT's `method/*` teacher scalars over epochs, one panel per quantity."""
    keys = [k for k in sorted({k for m in run.metrics for k in m if k.startswith("method/")})
            if any(isinstance(m.get(k), (int, float)) for m in run.metrics)]
    if not keys:
        return _layout(_empty(go.Figure(), lang), t("chart.drift", lang), t("axis.epoch", lang), t("axis.value", lang))
    cols = 2 if len(keys) > 1 else 1
    rows = -(-len(keys) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[k[len("method/"):] for k in keys],
                        vertical_spacing=0.12 if rows > 1 else 0.1)
    for i, k in enumerate(keys):
        x, y = series(run, k)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=k[len("method/"):], showlegend=False,
                                 line=dict(color=_colour(i))), row=i // cols + 1, col=i % cols + 1)
    fig = _layout(fig, t("chart.drift", lang), "", "")
    fig.update_layout(height=max(360, 260 * rows))
    return fig


def suspicious(run: RunData, epoch: int | None = None) -> dict[str, np.ndarray]:
    """Every probe sample ranked by the noise-detection probe's `rank_by` score, most suspicious first.

    Keys: index, observed, predicted, score, flipped, true (true = -1 when unknown); {} when not recorded.
    """
    a = artifact(run, "noise_detection", epoch)
    score = _rank_score(a)
    if score is None:
        return {}
    order = np.argsort(-np.where(np.isfinite(score), score, -np.inf), kind="stable")
    cols = {"index": "idx", "observed": "y_obs", "predicted": "pred", "flipped": "flipped", "true": "y_true"}
    out = {k: np.asarray(a[v])[order] for k, v in cols.items() if v in a}
    out["score"] = score[order]
    return out


def _rank_score(a: dict) -> np.ndarray | None:
    """The (P,) score row that orders the probe's most-suspicious list."""
    if "scores" not in a or "score_names" not in a:
        return None
    names = [str(n) for n in a["score_names"]]
    key = str(a["rank_by"]) if "rank_by" in a else "model_loss"
    row = names.index(key) if key in names else 0
    return np.asarray(a["scores"][row], float)


@chart("transition_matrices", scope="run", title_key="chart.transition")
def transition_matrices(run: RunData, lang: str = "en", epoch: int | None = None) -> go.Figure:
    """Heatmaps of the estimated (cleanlab) and the injected noise transition matrices, rows = true class."""
    est = artifact(run, "noise_detection", epoch).get("T_estimated")
    noise = (run.reader.read_json("data.json", {}) or {}).get("noise") or {}
    inj = noise.get("transition_matrix")
    inj = np.asarray(inj, float) if inj is not None and noise.get("kind", "none") != "none" else None
    mats = [(t("legend.estimated", lang), est), (t("legend.injected", lang), inj)]
    mats = [(n, np.asarray(m, float)) for n, m in mats if m is not None]
    if not mats:
        return _layout(_empty(go.Figure(), lang), t("chart.transition", lang), t("axis.observed", lang), t("axis.true", lang))
    names = _class_names(run)
    fig = make_subplots(rows=1, cols=len(mats), subplot_titles=[n for n, _ in mats], horizontal_spacing=0.08)
    for i, (n, m) in enumerate(mats):
        labels = names if len(names) == len(m) else [str(c) for c in range(len(m))]
        fig.add_trace(go.Heatmap(z=m, x=labels, y=labels, zmin=0, zmax=1, colorscale="Blues", name=n,
                                 showscale=i == len(mats) - 1, text=np.round(m, 2), texttemplate="%{text}",
                                 hovertemplate="%{y} → %{x}: %{z:.3f}<extra></extra>"), row=1, col=i + 1)
        fig.update_yaxes(autorange="reversed", title_text=t("axis.true", lang) if i == 0 else None, row=1, col=i + 1)
        fig.update_xaxes(title_text=t("axis.observed", lang), row=1, col=i + 1)
    fig = _layout(fig, t("chart.transition", lang), "", "")
    fig.update_layout(xaxis_title=t("axis.observed", lang))
    return fig


@chart("sample_topk", scope="run", title_key="chart.sample_topk")
def sample_topk(run: RunData, lang: str = "en", epoch: int | None = None, index: int | None = None,
                k: int = 5) -> go.Figure:
    """Top-k out-of-sample probabilities (cleanlab's cross-validated model) of dataset `index`
    (default: the most suspicious sample)."""
    a = artifact(run, "noise_detection", epoch)
    if index is None:
        ranked = suspicious(run, epoch)
        index = int(ranked["index"][0]) if ranked else None
    pos = _sample_pos(a, index)
    fig = go.Figure()
    title = t("chart.sample_topk", lang, k=k)
    if "cleanlab_pred_probs" not in a or pos is None:
        return _layout(_empty(fig, lang), title, t("axis.class", lang), t("axis.probability", lang))
    p = np.asarray(a["cleanlab_pred_probs"][pos], float)
    top = np.argsort(-p, kind="stable")[:k]
    names = _class_names(run)
    labels = [names[c] if c < len(names) else str(c) for c in top]
    fig.add_trace(go.Bar(x=labels, y=p[top], marker_color=[_colour(int(c)) for c in top],
                         text=[f"{v:.2f}" for v in p[top]], textposition="outside"))
    fig.update_yaxes(range=[0, 1.15])
    fig.update_xaxes(type="category")
    return _layout(fig, title, t("axis.class", lang), t("axis.probability", lang))


def _sample_pos(a: dict, index: int | None) -> int | None:
    if "idx" not in a or index is None:
        return None
    hits = np.flatnonzero(np.asarray(a["idx"]) == index)
    return int(hits[0]) if len(hits) else None


def sample_score_history(run: RunData, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, score) of dataset `index` at every recorded noise-detection epoch (ranking score)."""
    xs, ys = [], []
    for ep in run.reader.artifact_epochs("noise_detection"):
        a = artifact(run, "noise_detection", ep, exact=True)  # a damaged epoch is a gap, not a neighbour's copy
        score, pos = _rank_score(a), _sample_pos(a, index)
        if score is not None and pos is not None:
            xs.append(ep)
            ys.append(float(score[pos]))
    return np.array(xs, int), np.array(ys, float)


@chart("sample_history", scope="run", title_key="chart.sample_history")
def sample_history(run: RunData, lang: str = "en", epoch: int | None = None, index: int | None = None) -> go.Figure:
    """One sample's suspicion score at every recorded epoch (default: the most suspicious sample)."""
    if index is None:
        ranked = suspicious(run, epoch)
        index = int(ranked["index"][0]) if ranked else None
    fig = go.Figure()
    x, y = sample_score_history(run, index) if index is not None else (np.array([]), np.array([]))
    if not len(x):
        return _layout(_empty(fig, lang), t("chart.sample_history", lang), t("axis.epoch", lang), t("axis.score", lang))
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=str(index), line=dict(color=_FLIPPED)))
    if epoch is not None:
        fig.add_vline(x=epoch, line=dict(color="#aaa", width=1))
    return _layout(fig, t("chart.sample_history", lang), t("axis.epoch", lang), t("axis.score", lang))
