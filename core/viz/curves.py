"""Learning curves and summary bars across the runs of a comparison (Compare and Live pages, export).

Seeds of one method are one group (one colour, `core.viz.style.method_colour`); a comparison mixing noise
settings splits groups by setting too, drawn with one dash style per setting.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import t
from core.noise import injects
from core.store.run_data import RunData, series
from core.viz.registry import chart
from core.viz.style import (
    DASHES,
    empty,
    hover,
    layout,
    method_colour,
    method_label,
    method_name,
    metric_axis,
    noise_name,
    rgba,
)

CURVE_METRICS = (
    "test/acc",
    "train/acc_clean",
    "train/acc_observed",
    "train/memorized",
    "train/loss",
    "val/acc",
    "rlp/acc_train",
)


def setting_label(config: dict, lang: str = "en") -> str:
    """The noise setting of a run in words, e.g. 'symmetric 40%' or 'real labels'."""
    if not injects(config.get("noise")):
        return t("noise.real", lang)
    kind = noise_name(str(config.get("noise")), lang)
    return t("noise.desc", lang, kind=kind, rate=float(config.get("noise_rate") or 0.0))


def group_runs(runs: list[RunData], lang: str = "en") -> dict[str, list[RunData]]:
    """Runs grouped by method, and by noise setting too when the runs mix settings (insertion-ordered)."""
    settings = {setting_label(r.config, lang) for r in runs}
    out: dict[str, list[RunData]] = {}
    for r in runs:
        name = r.method
        if len(settings) > 1:
            name = f"{name} · {setting_label(r.config, lang)}"
        out.setdefault(name, []).append(r)
    return out


def group_words(groups: dict[str, list[RunData]], lang: str = "en") -> dict[str, str]:
    """Each group's name for legends and bar labels: the method in words (core.viz.style), then its noise
    setting when the groups mix settings ("label smoothing · symmetric 40%")."""
    mixed = len({setting_label(m[0].config, lang) for m in groups.values()}) > 1
    return {
        name: method_name(m[0].method, lang) + (f" · {setting_label(m[0].config, lang)}" if mixed else "")
        for name, m in groups.items()
    }


def _group_style(groups: dict[str, list[RunData]], lang: str) -> dict[str, tuple[str, str]]:
    """(colour, dash) per group: the method's colour, one dash per noise setting."""
    settings: list[str] = []
    out = {}
    for name, members in groups.items():
        s = setting_label(members[0].config, lang)
        if s not in settings:
            settings.append(s)
        out[name] = (method_colour(members[0].method), DASHES[settings.index(s) % len(DASHES)])
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


@chart("curves", scope="suite", view="compare")
def curves(runs: list[RunData], lang: str = "en", metric: str = "test/acc", smoothing: float = 0.0) -> go.Figure:
    """Per group: mean ± std band over seeds (smoothed) with each seed's raw curve faint underneath."""
    fig = go.Figure()
    notes: list[str] = []
    groups = group_runs(runs, lang)
    style, words = _group_style(groups, lang), group_words(groups, lang)
    for name, members in groups.items():
        color, dash = style[name]
        shown, ident = words[name], method_label(members[0].method, lang)  # legend in words, hover with the id
        found = [series(r, metric) for r in members]
        found = [(x, y) for x, y in found if len(x)]
        if not found:
            continue
        # All seeds' raw curves in one trace, split by NaN gaps: a page of many runs stays cheap to draw.
        gap = np.array([np.nan])
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([np.concatenate([x, gap]) for x, _ in found]),
                y=np.concatenate([np.concatenate([y, gap]) for _, y in found]),
                mode="lines",
                name=f"{shown} (raw)",
                legendgroup=name,
                showlegend=False,
                line=dict(color=rgba(color, 0.25), width=1, dash=dash),
                hoverinfo="skip",
                connectgaps=False,
            )
        )
        xs, mean, std, n = mean_band([(x, smooth(y, smoothing)) for x, y in found])
        if len(xs) == 0:
            continue
        if n.min() < len(found):  # say so: later points average fewer seeds
            fewer = int(np.argmax(n < len(found)))
            notes.append(
                t(
                    "chart.curves.fewer_seeds",
                    lang,
                    name=shown,
                    n=int(n[fewer:].min()),
                    total=len(found),
                    epoch=int(xs[max(0, fewer - 1)]),
                )
            )
        if len(found) > 1:
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([xs, xs[::-1]]),
                    y=np.concatenate([mean + std, (mean - std)[::-1]]),
                    fill="toself",
                    fillcolor=rgba(color, 0.18),
                    line=dict(width=0),
                    name=f"{shown} ± std",
                    legendgroup=name,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=mean,
                mode="lines",
                name=f"{shown} (n={len(found)})",
                legendgroup=name,
                line=dict(color=color, width=2.5, dash=dash),
                customdata=n,
                hovertemplate=f"{ident}<br>%{{x}}: %{{y:.3f}} (n=%{{customdata}})<extra></extra>",
            )
        )
    metric_name = metric_axis(metric, lang)
    if not fig.data:
        empty(fig, lang)
    title = t("chart.curves", lang, metric=metric_name)
    if notes:
        title += "<br><sup>" + " · ".join(notes) + "</sup>"
    return layout(fig, title, t("axis.epoch", lang), metric_name)


def _by_method(runs: list[RunData]):
    """(run, method, colour, first run of its method) per run: seeds of one method share a colour and a legend entry."""
    seen: set[str] = set()
    for r in runs:
        first = r.method not in seen
        seen.add(r.method)
        yield r, r.method, method_colour(r.method), first


@chart("live_metric", scope="suite", view="live")
def live_metric(runs: list[RunData], lang: str = "en", metric: str = "test/acc") -> go.Figure:
    """One line per run, coloured by method (seeds share the colour) — for following runs as they train."""
    fig = go.Figure()
    for r, m, color, first in _by_method(runs):
        x, y = series(r, metric)
        if not len(x):
            continue
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines+markers" if len(x) < 3 else "lines",
                name=m,
                legendgroup=m,
                showlegend=first,
                line=dict(color=color, width=2),
                marker=dict(size=6),
                hovertemplate=hover(r.label),
            )
        )
    metric_name = metric_axis(metric, lang)
    if not fig.data:
        empty(fig, lang)
    for tr in fig.data:  # legend in words; the hover keeps the run id
        tr.name = method_name(tr.name, lang)
    return layout(fig, t("chart.live_metric", lang, metric=metric_name), t("axis.epoch", lang), metric_name)


@chart("train_clean_vs_observed", scope="suite", view="compare")
def train_clean_vs_observed(runs: list[RunData], lang: str = "en") -> go.Figure:
    """Train accuracy against the true labels (solid) and the observed ones (dotted): the gap is memorization."""
    fig = go.Figure()
    for r, m, color, first in _by_method(runs):
        for key, dash, word in (
            ("train/acc_clean", "solid", "legend.true_labels"),
            ("train/acc_observed", "dot", "legend.observed_labels"),
        ):
            x, y = series(r, key)
            if len(x):
                fig.add_trace(
                    go.Scatter(
                        x=x,
                        y=y,
                        mode="lines",
                        name=method_name(m, lang),
                        legendgroup=m,
                        showlegend=first and dash == "solid",
                        hovertemplate=hover(f"{r.label} · {t(word, lang)}"),
                        line=dict(color=color, dash=dash, width=2),
                    )
                )
    if not fig.data:
        empty(fig, lang)
    return layout(fig, t("chart.train_clean_vs_observed", lang), t("axis.epoch", lang), t("axis.accuracy", lang))


@chart("bars", scope="suite", view="compare")
def bars(
    runs: list[RunData], lang: str = "en", key: str = "test_acc_final", metric_key: str = "col.test_acc_final"
) -> go.Figure:
    """Mean ± std of a summary value per group (completed runs), with each seed's value as a dot."""
    names, ids, colors, means, stds, pts_x, pts_y = [], [], [], [], [], [], []
    groups = group_runs(runs, lang)
    words = group_words(groups, lang)
    for name, members in groups.items():
        vals = [
            r.summary[key]
            for r in members
            if r.summary and r.summary.get("state") == "completed" and isinstance(r.summary.get(key), (int, float))
        ]
        if not vals:
            continue
        names.append(words[name])  # the bar's label in words; its hover adds the id
        ids.append(members[0].method)
        colors.append(method_colour(members[0].method))
        means.append(float(np.mean(vals)))
        stds.append(float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0)
        pts_x += [words[name]] * len(vals)
        pts_y += vals
    fig = go.Figure()
    title = t("chart.bars", lang, metric=t(metric_key, lang))
    if not means:
        return layout(empty(fig, lang), title, t("axis.method", lang), t(metric_key, lang))
    fig.add_trace(
        go.Bar(
            x=names,
            y=means,
            error_y=dict(type="data", array=stds, thickness=2, width=8),
            marker_color=colors,
            name=t(metric_key, lang),
            opacity=0.85,
            customdata=ids,
            hovertemplate="%{x} (%{customdata})<br>%{y:.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=pts_x, y=pts_y, mode="markers", name="seeds", marker=dict(color="black", size=7, symbol="circle-open")
        )
    )
    lo = min(min(m - s for m, s in zip(means, stds)), min(pts_y))
    hi = max(max(m + s for m, s in zip(means, stds)), max(pts_y))
    pad = max(0.02, 0.15 * (hi - lo))
    # From 0: a cut axis makes a one-point gap look like a landslide; the dots show the spread.
    fig.update_yaxes(range=[min(0.0, lo - pad), hi + pad])
    fig.update_layout(showlegend=False)
    return layout(fig, title, t("axis.method", lang), t(metric_key, lang))
