"""Compare page on a grid over noise rates: the robustness curve, a verdict per noise rate and a noise column."""

from __future__ import annotations


def test_a_grid_shows_the_robustness_curve_and_a_verdict_per_rate(grid_store, open_page):
    page = open_page("pages/compare.py", grid_store)
    figs = [c.proto.spec for c in page.get("plotly_chart")]
    assert len(figs) == 3 and any("noise rate" in f for f in figs)  # curves, robustness, bars
    text = " ".join(m.value for m in page.markdown)
    assert "LaBo (per-sample smoothing) (labo): beat plain training (ce) at 40% and 60%" in text
    df = page.dataframe[0].value
    assert "noise" in df.columns and set(df["noise"]) == {"symmetric 20%", "symmetric 40%", "symmetric 60%"}
