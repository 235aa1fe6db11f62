"""PCA map: matches an SVD reference up to sign, fixed signs; class-separation share."""

import numpy as np

from core.probes.embedding import Embedding, between_class_share, pca_2d


def test_pca_matches_reference():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 6)) * np.array([5, 3, 1, 1, 1, 1])
    xy, share = pca_2d(X)
    Xc = X - X.mean(0)
    w, V = np.linalg.eigh(Xc.T @ Xc)
    ref = Xc @ V[:, ::-1][:, :2]
    np.testing.assert_allclose(np.abs(xy), np.abs(ref), atol=1e-8)
    np.testing.assert_allclose(share, w[::-1][:2] / w.sum())
    xy2, _ = pca_2d(-X)  # flipping the data does not flip the map's axes' orientation rule
    np.testing.assert_allclose(xy2, -xy, atol=1e-8)


def test_between_class_share():
    pts = np.array([[0.0, 0], [0, 0], [1, 1], [1, 1]])
    assert between_class_share(pts, np.array([0, 0, 1, 1])) == 1.0
    assert between_class_share(pts, np.array([0, 1, 0, 1])) == 0.0


def test_probe_stores_features(make_ctx):
    _, ctx = make_ctx("mlp")
    res = Embedding().run(ctx)
    assert res.arrays["features"].dtype == np.float16 and res.arrays["features"].shape[0] == len(ctx.idx)
    assert res.arrays["pca"].shape == (len(ctx.idx), 2)
