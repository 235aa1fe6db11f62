"""The random-label heads chart plots each run's `rlp/acc_train` and the chance line."""

from __future__ import annotations

import numpy as np
import pytest

from core.store.run_data import series
from core.viz.random_labels import rlp_heads


def test_rlp_heads_plots_each_run_and_the_chance_line(runs):
    fig = rlp_heads(runs)
    assert len(fig.data) == len(runs)
    for r, tr in zip(runs, fig.data):
        x, y = series(r, "rlp/acc_train")
        np.testing.assert_allclose(tr.y, y)
        np.testing.assert_array_equal(tr.x, x)
    from core.registry import MONITORS

    chance = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert chance and chance[0].y0 == pytest.approx(1.0 / MONITORS.get("rlp").Config().classes)
