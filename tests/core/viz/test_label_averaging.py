"""Label-averaging charts plot exactly the Gram probe's arrays of a tiny real comparison."""

from __future__ import annotations

import numpy as np

from core.viz.label_averaging import RANK_TOL, gram_rounds, gram_spectrum


def test_gram_spectrum_plots_the_spectrum_and_shrink_powers(run):
    a = run.reader.load_artifact("gram")
    fig = gram_spectrum(run)
    sigma = a["spectrum"][a["spectrum"] > a["spectrum"].max() * RANK_TOL]
    np.testing.assert_allclose(fig.data[0].y, sigma)
    kept = fig.data[1:]
    assert len(kept) == len(a["acc_observed"])
    for t_, tr in enumerate(kept):
        np.testing.assert_allclose(tr.y, a["shrink"][: len(sigma)] ** (t_ + 1))
        assert tr.yaxis == "y2"


def test_gram_rounds_plots_clean_and_flipped_accuracy(run):
    epochs = run.reader.artifact_epochs("gram")
    a = run.reader.load_artifact("gram", epochs[0])
    fig = gram_rounds(run, epoch=epochs[0])
    np.testing.assert_allclose(fig.data[0].y, a["acc_clean"])
    np.testing.assert_allclose(fig.data[1].y, a["acc_flipped"])
    np.testing.assert_array_equal(fig.data[0].x, np.arange(len(a["acc_clean"])))
    assert fig.layout.xaxis.tickmode == "linear" and fig.layout.xaxis.dtick == 1  # whole rounds, not "0.5"
