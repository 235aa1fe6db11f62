"""UMAP map of a stored embedding artifact: subsampled, cached by atomic rename, thread-safe."""

import os
import threading

import numpy as np
import pytest

from core.analysis import umap_map as um
from core.errors import UserError
from core.store.writer import RunWriter


@pytest.fixture
def run_dir(tmp_path):
    rng = np.random.default_rng(0)
    n, K = 300, 3
    y = np.arange(n) % K
    feats = (rng.normal(size=(n, 8)) * 0.3 + np.eye(K, 8)[y] * 4).astype(np.float16)
    w = RunWriter(str(tmp_path), "run")
    w.save_arrays(
        "embedding",
        10,
        {
            "features": feats,
            "idx": np.arange(n) * 2,
            "y_obs": y,
            "y_true": y,
            "flipped": np.zeros(n, bool),
            "pred": y,
            "pca": np.zeros((n, 2)),
        },
    )
    return str(tmp_path / "run")


def test_subsample_is_stratified_and_bounded():
    y = np.repeat([0, 1, 2], [500, 300, 200])
    pos = um.subsample(y, 100, seed=0)
    assert len(pos) == 100 and np.all(np.diff(pos) > 0)
    assert np.bincount(y[pos]).tolist() == [50, 30, 20]
    assert np.array_equal(pos, um.subsample(y, 100, seed=0))


def test_umap_computes_caches_and_separates(run_dir, monkeypatch):
    assert um.cached_umap(run_dir, 10, max_points=200) is None
    out = {}
    t = threading.Thread(target=lambda: out.update(um.umap_map(run_dir, None, max_points=200)))
    t.start()
    t.join(timeout=120)
    assert not t.is_alive()
    xy, y = out["xy"], out["y_obs"]
    assert xy.shape == (200, 2) and np.isfinite(xy).all() and int(out["epoch"]) == 10
    assert os.path.exists(os.path.join(run_dir, "artifacts", "umap", "e00010.npz"))
    # Well-separated clusters stay separated: every point's nearest neighbour shares its class.
    d = ((xy[:, None] - xy[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    assert (y[d.argmin(1)] == y).mean() > 0.95
    monkeypatch.setattr(um, "_embed", lambda *a: (_ for _ in ()).throw(AssertionError("recomputed")))
    again = um.umap_map(run_dir, 10, max_points=200)
    np.testing.assert_array_equal(again["xy"], xy)
    assert um.cached_umap(run_dir, 10, max_points=150) is None  # other parameters are not a hit


def test_missing_epoch_is_a_clear_error(run_dir):
    with pytest.raises(UserError, match="stored epochs: 10"):
        um.umap_map(run_dir, 3)
