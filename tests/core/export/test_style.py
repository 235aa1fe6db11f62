"""Slide-friendly chart defaults: 16:9, CJK-capable fonts of readable size, the setting as subtitle, legend off the data."""

from __future__ import annotations

import plotly.graph_objects as go

from core.export.style import BASE_FONT, HEIGHT, WIDTH, presentable


def test_presentable_styles_a_copy():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="ce s0"))
    fig.update_layout(title="t", font=dict(size=10), legend=dict(x=0.1, y=0.5))
    out = presentable(fig, "Test accuracy", "digits · symmetric noise 40% · seeds 0, 1")
    assert (out.layout.width, out.layout.height) == (WIDTH, HEIGHT) and WIDTH * 9 == HEIGHT * 16
    assert "Noto Sans CJK JP" in out.layout.font.family and out.layout.font.size >= 16 == BASE_FONT - 2
    assert out.layout.title.text == "Test accuracy"
    assert out.layout.title.subtitle.text.startswith("digits")
    assert out.layout.legend.x > 1 and out.layout.legend.xanchor == "left"  # right of the plot area
    assert fig.layout.font.size == 10 and fig.layout.title.text == "t"  # the original is untouched


def test_title_can_be_left_to_the_slide():
    out = presentable(go.Figure(go.Bar(x=["a"], y=[1])), None, "setting")
    assert not out.layout.title.text
    assert out.layout.margin.t < 80
