"""Slide-friendly look for exported charts: 16:9 size, readable fonts (CJK-capable), setting subtitle, legend outside the data."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# Latin text (digits included) in Arial, or Liberation Sans, its metric twin on Linux: Chromium embeds these
# TrueType fonts as subsets with a full character map. Noto Sans CJK JP is a CFF font collection that Chromium
# embeds as Type 3 glyphs, and its digits then had no text behind them in the PDF (numbers could not be searched
# or copied). Japanese falls through to the CJK fonts (Debian's fonts-noto-cjk first), never to boxes.
FONT_FAMILY = (
    'Arial, "Liberation Sans", "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif'
)
PPTX_FONT = {"en": "Arial", "ja": "Noto Sans CJK JP"}
EA_FONT = "Noto Sans CJK JP"  # east-Asian text in the deck, whatever the language

WIDTH, HEIGHT = 1280, 720  # CSS px, 16:9 like the slides
PNG_SCALE = 2  # 2560 x 1440 pixels: sharp on a projector, still small
# A deck's chart fills the area under the slide title (12.1 x 5.5 in); drawn at this CSS size the 16 px
# ticks come out near 13 pt on the slide.
SLIDE_CHART_SIZE = (1100, 500)
SLIDE_CHART_SCALE = 2.5
BASE_FONT, TITLE_FONT, TICK_FONT = 18, 26, 16


def presentable(
    fig: go.Figure, title: str | None, subtitle: str | None, size: tuple[int, int] = (WIDTH, HEIGHT)
) -> go.Figure:
    """A copy of `fig` styled for a slide; `title=None` drops the title (the slide carries it)."""
    out = go.Figure(fig)
    _without_webgl(out)
    top = 40
    if title is not None:
        out.update_layout(
            title=dict(
                text=title,
                x=0.01,
                xanchor="left",
                font=dict(size=TITLE_FONT),
                subtitle=dict(text=subtitle or "", font=dict(size=BASE_FONT - 2, color="#555")),
            )
        )
        top = (120 + 24 * subtitle.count("<br>")) if subtitle else 80
    else:
        out.update_layout(title=dict(text=""))
    # Legend to the right, outside the plot area, so it never sits on the data.
    out.update_layout(
        width=size[0],
        height=size[1],
        template="plotly_white",
        font=dict(family=FONT_FAMILY, size=BASE_FONT, color="#222"),
        legend=dict(
            orientation="v",
            x=1.02,
            xanchor="left",
            y=1.0,
            yanchor="top",
            font=dict(size=BASE_FONT - 2),
            bgcolor="rgba(255,255,255,0)",
        ),
        margin=dict(l=90, r=40, t=top, b=80),
    )
    if _small_integer_x(out):
        out.update_xaxes(dtick=1)  # epochs 1..10: no "1.5 epochs" ticks
    out.update_xaxes(title_font=dict(size=BASE_FONT + 2), tickfont=dict(size=TICK_FONT), automargin=True)
    out.update_yaxes(title_font=dict(size=BASE_FONT + 2), tickfont=dict(size=TICK_FONT), automargin=True)
    return out


def _small_integer_x(fig: go.Figure) -> bool:
    """Whether every trace's x is numeric, whole and spans at most 10 (e.g. a few epochs)."""
    xs = []
    for tr in fig.data:
        x = getattr(tr, "x", None) if "x" in tr else None
        if x is None or len(x) == 0:
            continue
        a = np.asarray(x)
        if a.dtype.kind not in "iuf" or not np.all(np.isfinite(a)) or not np.all(a == np.round(a)):
            return False
        xs.append(a)
    return bool(xs) and float(np.ptp(np.concatenate(xs))) <= 10


def _without_webgl(fig: go.Figure) -> None:
    """Draw WebGL scatter traces as SVG ones: a headless browser without a GPU renders WebGL ~10x slower."""
    if not any(tr.type == "scattergl" for tr in fig.data):
        return
    data = []
    for tr in fig.data:
        if tr.type == "scattergl":
            js = {k: v for k, v in tr.to_plotly_json().items() if k != "type"}
            tr = go.Scatter(js, skip_invalid=True)
        data.append(tr)
    fig.data = ()
    fig.add_traces(data)
