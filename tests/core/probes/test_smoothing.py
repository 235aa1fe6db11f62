"""Softness values, clean/flipped histograms and their AUROC."""

import numpy as np

from core.outputs import CLASS, SCORE, PerSample
from core.probes.smoothing import Smoothing, clean_flipped_histograms
from core.scores import auroc


def test_histograms_count_finite_values():
    v = np.array([0.0, 0.5, 1.0, np.nan, 0.25])
    fl = np.array([True, False, False, True, False])
    edges, c, f = clean_flipped_histograms(v, fl, 4)
    assert len(edges) == 5 and c.sum() == 3 and f.sum() == 1


def test_method_values_and_auroc(make_ctx):
    _, ctx = make_ctx("mlp")
    ctx.per_sample["labo_temperature"] = np.full(2 * len(ctx.idx) + 1, np.nan)
    ctx.per_sample["labo_temperature"][ctx.idx] = ctx.flipped * 2.0 + np.linspace(0, 1, len(ctx.idx))
    ctx.per_sample["guess"] = np.zeros(2 * len(ctx.idx) + 1)
    ctx.per_sample_meaning["labo_temperature"] = PerSample("labo_temperature", SCORE, {"en": "T", "ja": "T"})
    ctx.per_sample_meaning["guess"] = PerSample("guess", CLASS, {"en": "c", "ja": "c"}, metric="train/guess_acc")
    res = Smoothing().run(ctx)
    names = list(res.arrays["names"])
    assert names[0] == "entropy" and "method_labo_temperature" in names
    assert "method_guess" not in names  # a declared class index is not a softness
    i = names.index("method_labo_temperature")
    assert res.arrays["auroc"][i] == 1.0 == res.scalars["auroc_method_labo_temperature"]
    j = names.index("entropy")
    assert res.arrays["auroc"][j] == auroc(res.arrays["values"][j], ctx.flipped)
    assert res.arrays["hist_flipped"][i].sum() == ctx.flipped.sum()
