"""The layer-divergence chart plots every `probe/layer_divergence/*` scalar against test accuracy."""

from __future__ import annotations

import numpy as np

from core.store.run_data import series
from core.viz.layers import layer_divergence


def test_layer_divergence_plots_clid_against_test_accuracy(run):
    fig = layer_divergence(run)
    by_name = {tr.name: tr for tr in fig.data}
    x, y = series(run, "probe/layer_divergence/clid")
    assert len(y) > 0
    np.testing.assert_allclose(by_name["last hidden layer vs output"].y, y)  # 'clid' in words
    xt, yt = series(run, "test/acc")
    acc = [tr for tr in fig.data if tr.yaxis == "y2"]
    assert len(acc) == 1
    np.testing.assert_allclose(acc[0].y, yt)
