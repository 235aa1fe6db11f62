"""Curves and comparison charts: what they plot is the numbers of the runs (bands, smoothing, bars)."""

from __future__ import annotations

import numpy as np
import pytest

from core.store.run_data import RunData
from core.viz import CHARTS
from core.viz import curves as C
from core.viz.style import method_colour, method_name


def _run(method, seed, accs, noise="symmetric", rate=0.4, final=None, state="completed"):
    metrics = [
        {"epoch": i + 1, "test/acc": a, "train/acc_clean": a, "train/acc_observed": a / 2, "train/loss": 1 - a}
        for i, a in enumerate(accs)
    ]
    cfg = {"method": method, "seed": seed, "noise": noise, "noise_rate": rate}
    summary = {"state": state, "test_acc_final": accs[-1] if final is None else final}
    return RunData(f"{method}-{seed}", cfg, summary, metrics, reader=None)


def test_smooth_is_identity_at_zero_and_matches_closed_form():
    y = np.array([1.0, 0.0, 0.0])
    assert np.array_equal(C.smooth(y, 0.0), y)
    w = 0.5
    # bias-corrected EMA: s_t = sum_i w^(t-i)(1-w) y_i / (1 - w^(t+1))
    expect = [1.0, (0.5 * 0.5) / 0.75, (0.25 * 0.5) / 0.875]
    assert C.smooth(y, w) == pytest.approx(expect)


def test_mean_band_averages_the_seeds_present_at_each_epoch():
    x1, y1 = np.array([1, 2, 3]), np.array([0.1, 0.2, 0.3])
    x2, y2 = np.array([1, 2]), np.array([0.3, 0.4])
    xs, mean, std, n = C.mean_band([(x1, y1), (x2, y2)])
    assert xs.tolist() == [1, 2, 3] and n.tolist() == [2, 2, 1]
    assert mean == pytest.approx([0.2, 0.3, 0.3])
    assert std == pytest.approx([np.std([0.1, 0.3], ddof=1), np.std([0.2, 0.4], ddof=1), 0.0])


def test_curves_band_says_when_a_seed_stops_early():
    runs = [_run("ce", 0, [0.5, 0.6, 0.7, 0.8]), _run("ce", 1, [0.7, 0.8])]
    fig = C.curves(runs, "en", metric="test/acc")
    mean = next(tr for tr in fig.data if tr.name == "plain training (n=2)")
    assert len(mean.x) == 4 and list(mean.customdata) == [2, 2, 1, 1]
    assert "seeds present at each epoch" in fig.layout.title.text


def test_curves_band_holds_mean_band_and_faint_raw_curves():
    runs = [_run("ce", 0, [0.5, 0.6]), _run("ce", 1, [0.7, 0.8]), _run("labo", 0, [0.6, 0.9])]
    fig = C.curves(runs, "en", metric="test/acc")
    means = [tr for tr in fig.data if tr.name and tr.name.startswith("plain training (n=2)")]
    assert len(means) == 1 and list(means[0].y) == pytest.approx([0.6, 0.7])
    band = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(band) == 1  # labo has one seed: no band
    raw = {tr.name: tr for tr in fig.data if tr.name.endswith("(raw)")}
    assert set(raw) == {"plain training (raw)", "LaBo (per-sample smoothing) (raw)"}
    assert all(tr.showlegend is False for tr in raw.values())
    # each seed's raw curve, separated by a gap
    assert np.array_equal(
        np.asarray(raw["plain training (raw)"].y, float), [0.5, 0.6, np.nan, 0.7, 0.8, np.nan], equal_nan=True
    )
    assert "test accuracy" in fig.layout.title.text


def test_groups_split_by_noise_setting_only_when_mixed():
    same = [_run("ce", 0, [0.5]), _run("ce", 1, [0.6])]
    assert list(C.group_runs(same)) == ["ce"]
    mixed = same + [_run("ce", 0, [0.7], noise="none", rate=0.0)]
    assert list(C.group_runs(mixed)) == ["ce · symmetric 40%", "ce · real labels"]


def test_summary_bars_mean_std_and_seed_dots_skip_unfinished():
    runs = [
        _run("ce", 0, [0.5], final=0.70),
        _run("ce", 1, [0.5], final=0.74),
        _run("labo", 0, [0.5], final=0.80),
        _run("labo", 1, [0.5], final=0.99, state="running"),
    ]
    fig = C.bars(runs, "ja")
    bar, dots = fig.data
    assert list(bar.x) == ["通常の学習", "LaBo（サンプルごとの平滑化）"]  # the methods in words
    assert list(bar.customdata) == ["ce", "labo"]  # the ids, for the hover
    assert list(bar.y) == pytest.approx([0.72, 0.80])
    assert list(bar.error_y.array) == pytest.approx([np.std([0.70, 0.74], ddof=1), 0.0])
    assert sorted(dots.y) == pytest.approx([0.70, 0.74, 0.80])
    assert "手法" in fig.layout.xaxis.title.text


def test_live_and_clean_vs_observed_curves():
    runs = [_run("ce", 0, [0.5, 0.6]), _run("labo", 0, [0.4, 0.9])]
    fig = C.live_metric(runs, "en", metric="train/loss")
    assert [list(tr.y) for tr in fig.data] == [pytest.approx([0.5, 0.4]), pytest.approx([0.6, 0.1])]
    fig = C.train_clean_vs_observed(runs, "en")
    assert len(fig.data) == 4
    assert {tr.line.dash for tr in fig.data} == {"solid", "dot"}
    # one legend entry per method, in words
    assert [tr.name for tr in fig.data if tr.showlegend] == ["plain training", "LaBo (per-sample smoothing)"]


def test_my_charts_are_registered_for_export():
    for cid in ("curves", "live_metric", "train_clean_vs_observed", "bars"):
        assert CHARTS[cid].scope == "suite"


def test_a_method_has_one_colour_in_every_chart():
    runs = [_run("ce", 0, [0.5, 0.6], final=0.6), _run("labo", 0, [0.6, 0.9], final=0.9)]
    colours = {"ce": method_colour("ce"), "labo": method_colour("labo")}
    assert colours["ce"] != colours["labo"]
    mean = {tr.legendgroup: tr.line.color for tr in C.curves(runs).data if "(n=" in tr.name}
    live = {tr.legendgroup: tr.line.color for tr in C.live_metric(runs).data}  # names are words, groups ids
    bar = dict(zip(C.bars(runs).data[0].customdata, C.bars(runs).data[0].marker.color))
    assert mean == live == bar == colours


def test_mixed_settings_keep_the_method_colour_and_differ_by_dash():
    runs = [_run("ce", 0, [0.5, 0.6]), _run("ce", 1, [0.7, 0.8], noise="none", rate=0.0)]
    means = [tr for tr in C.curves(runs).data if "(n=" in tr.name]
    assert {tr.line.color for tr in means} == {method_colour("ce")}
    assert len({tr.line.dash for tr in means}) == 2


def test_suite_charts_without_data_say_no_data():
    runs = [RunData("ce-0", {"method": "ce", "seed": 0}, None, [], None)]
    for fn in (C.curves, C.live_metric, C.train_clean_vs_observed, C.bars):
        fig = fn(runs, "ja")
        assert not fig.data and fig.layout.annotations[0].text == C.t("chart.no_data", "ja")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_compare_charts_name_methods_in_words_with_the_id_in_the_hover(lang):
    """The curves legend and the bar labels say what the Set up page says ("label smoothing"), not the id."""
    runs = [_run("label_smoothing", 0, [0.5, 0.6]), _run("label_smoothing", 1, [0.6, 0.7]), _run("ce", 0, [0.4, 0.5])]
    words = method_name("label_smoothing", lang)
    assert words not in ("label_smoothing", "method.label_smoothing")
    legend = [tr.name for tr in C.curves(runs, lang).data if tr.showlegend is not False]
    assert legend == [f"{words} (n=2)", f"{method_name('ce', lang)} (n=1)"]
    assert all("label_smoothing" not in name for name in legend)
    mean = next(tr for tr in C.curves(runs, lang).data if tr.name == f"{words} (n=2)")
    assert "label_smoothing" in mean.hovertemplate  # the id stays, where it is useful
    bar = C.bars(runs, lang).data[0]
    assert list(bar.x) == [words, method_name("ce", lang)] and list(bar.customdata) == ["label_smoothing", "ce"]
    mixed = runs + [_run("label_smoothing", 0, [0.7], noise="none", rate=0.0)]
    assert f"{words} · {C.setting_label({'noise': 'none'}, lang)}" in list(C.bars(mixed, lang).data[0].x)
