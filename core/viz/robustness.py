"""The robustness curve: test accuracy against noise rate, one line per method with a band over seeds,
one panel per noise kind.

The question a grid answers is "which method holds up as our labels get worse?": final test accuracy
(solid, with a ± std band over seeds) and best test accuracy (dotted) of completed runs, read from
each run's summary.json. A method has its one colour (core.viz.style) in every panel.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.store.run_data import RunData
from core.viz.registry import chart
from core.viz.style import empty, layout, method_colour, method_label, method_name, noise_name, rgba

LINES = (("test_acc_final", "legend.final", "solid"), ("test_acc_best", "legend.best", "dot"))


def robustness_table(runs: list[RunData]) -> dict[str, dict[str, dict[float, dict[str, list[float]]]]]:
    """noise kind -> method -> rate -> summary key -> values over seeds (completed runs only)."""
    out: dict = {}
    for r in runs:
        s = r.summary or {}
        if s.get("state") != "completed":
            continue  # a stopped or failed run's partial accuracy would bias the curve
        kind, rate = str(r.config.get("noise")), float(r.config.get("noise_rate") or 0.0)
        cell = out.setdefault(kind, {}).setdefault(str(r.config.get("method")), {}).setdefault(rate, {})
        for key, _, _ in LINES:
            if isinstance(s.get(key), (int, float)):
                cell.setdefault(key, []).append(float(s[key]))
    return out


@chart("robustness", scope="suite", view="compare")
def robustness_curve(runs: list[RunData], lang: str = "en") -> go.Figure:
    """x = noise rate, y = mean test accuracy over seeds (traces '<method in words> · <final|best>'), each seed's
    final accuracy as a faint dot ('<method in words> · seeds'). A single rate draws points; pages show it for grids."""
    table = robustness_table(runs)
    kinds = list(table)
    fig = make_subplots(
        rows=1,
        cols=max(1, len(kinds)),
        subplot_titles=[noise_name(k, lang) for k in kinds] if len(kinds) > 1 else None,
        shared_yaxes=True,
        horizontal_spacing=0.06,
    )
    for col, kind in enumerate(kinds, start=1):
        for method, per_rate in table[kind].items():
            colour, words, ident = method_colour(method), method_name(method, lang), method_label(method, lang)
            rates = sorted(per_rate)
            for key, word, dash in LINES:
                pts = [(x, per_rate[x][key]) for x in rates if per_rate[x].get(key)]
                if not pts:
                    continue
                xs = np.array([x for x, _ in pts])
                mean = np.array([np.mean(v) for _, v in pts])
                std = np.array([np.std(v, ddof=1) if len(v) > 1 else 0.0 for _, v in pts])
                name = f"{words} · {t(word, lang)}"  # legend in words, hover with the id
                if dash == "solid" and (std > 0).any():
                    fig.add_trace(
                        go.Scatter(
                            x=np.concatenate([xs, xs[::-1]]),
                            y=np.concatenate([mean + std, (mean - std)[::-1]]),
                            fill="toself",
                            fillcolor=rgba(colour, 0.18),
                            line={"width": 0},
                            name=f"{name} ± std",
                            legendgroup=method,
                            showlegend=False,
                            hoverinfo="skip",
                        ),
                        row=1,
                        col=col,
                    )
                n = [len(v) for _, v in pts]
                if dash == "solid":  # the stored numbers themselves, under the mean
                    fig.add_trace(
                        go.Scatter(
                            x=[x for x, v in pts for _ in v],
                            y=[y for _, v in pts for y in v],
                            mode="markers",
                            name=f"{words} · seeds",
                            legendgroup=method,
                            showlegend=False,
                            marker={"color": rgba(colour, 0.45), "size": 6},
                            hovertemplate=f"{ident}<br>%{{x:.0%}}: %{{y:.3f}}<extra></extra>",
                        ),
                        row=1,
                        col=col,
                    )
                fig.add_trace(
                    go.Scatter(
                        x=xs,
                        y=mean,
                        mode="lines+markers",
                        name=name,
                        legendgroup=method,
                        showlegend=col == 1,
                        line={"color": colour, "width": 2.5 if dash == "solid" else 1.5, "dash": dash},
                        marker={"size": 7 if dash == "solid" else 5},
                        customdata=np.c_[std, n],
                        hovertemplate=f"{ident} · {t(word, lang)}<br>%{{x:.0%}}: %{{y:.3f}} ± %{{customdata[0]:.3f}}"
                        " (n=%{customdata[1]})<extra></extra>",
                    ),
                    row=1,
                    col=col,
                )
        fig.update_xaxes(tickformat=".0%", title_text=t("axis.noise_rate", lang), row=1, col=col)
    fig.update_yaxes(title_text=t("axis.accuracy", lang), row=1, col=1)
    if not kinds:
        empty(fig, lang)
    return layout(fig, t("chart.robustness", lang), t("axis.noise_rate", lang), t("axis.accuracy", lang))


def spans_rates(runs: list[RunData]) -> bool:
    """True when some noise kind of these runs has two or more rates: then the robustness curve is a curve."""
    rates: dict[str, set] = {}
    for r in runs:
        rates.setdefault(str(r.config.get("noise")), set()).add(float(r.config.get("noise_rate") or 0.0))
    return any(len(v) > 1 for v in rates.values())
