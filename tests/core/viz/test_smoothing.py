"""The smoothing histogram plots the probe's histograms and AUROC, or all samples when truth is unknown."""

from __future__ import annotations

import numpy as np

from core.viz.smoothing import smoothing_hist


def test_smoothing_hist_uses_the_probe_histograms_and_auroc(run):
    a = run.reader.load_artifact("smoothing")
    fig = smoothing_hist(run)
    np.testing.assert_array_equal(fig.data[0].y, a["hist_clean"][0])
    np.testing.assert_array_equal(fig.data[1].y, a["hist_flipped"][0])
    edges = a["hist_edges"][0]
    np.testing.assert_allclose(fig.data[0].x, (edges[:-1] + edges[1:]) / 2)
    assert f"{a['auroc'][0]:.2f}" in fig.layout.title.text


def test_smoothing_hist_without_truth_shows_all_samples_only(run, real_noise_copy):
    real = real_noise_copy(run)
    a = real.reader.load_artifact("smoothing")
    fig = smoothing_hist(real)
    assert len(fig.data) == 1
    np.testing.assert_array_equal(fig.data[0].y, a["hist_clean"][0] + a["hist_flipped"][0])
    assert "AUROC" not in fig.layout.title.text
