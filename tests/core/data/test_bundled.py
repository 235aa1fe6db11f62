"""Bundled datasets, gram_blocks' prescribed Gram, and the seeded stratified split."""

import numpy as np
import pytest

from core.data import load_dataset
from core.data.gram_blocks import block_gram, block_gram_eigenvalues
from core.data.split import make_split
from core.errors import UserError
from core.registry import DATASETS


@pytest.mark.parametrize("name", [n for n in DATASETS.names() if not DATASETS.get(n).online])
def test_every_bundled_dataset_loads(name):
    """Every dataset that ships with the package; downloaded ones (`online`) are tested on small files in
    test_cifar.py, since tests run without a network."""
    ds = load_dataset(name)
    assert len(ds.X) == len(ds.y) > 0 and ds.X.dtype == np.float32
    assert np.isfinite(ds.X).all() and set(np.unique(ds.y)) == set(range(ds.num_classes))
    assert ds.content_hash == load_dataset(name).content_hash


def test_digits_stay_images():
    assert load_dataset("digits").X.shape[1:] == (1, 8, 8)


def test_gram_blocks_has_the_prescribed_gram_and_spectrum():
    ds = load_dataset("gram_blocks", {"classes": 3, "per_class": 20, "within": 0.5, "between": 0.2, "jitter": 0.0})
    G = ds.X.astype(np.float64) @ ds.X.T.astype(np.float64)
    assert np.allclose(G, block_gram(3, 20, 0.5, 0.2), atol=1e-5)
    eig = np.sort(np.linalg.eigvalsh(G))
    expected = np.sort(np.concatenate([np.full(m, v) for v, m in block_gram_eigenvalues(3, 20, 0.5, 0.2).items()]))
    assert np.allclose(eig, expected, atol=1e-4)


def test_split_is_stratified_disjoint_and_seeded():
    y = np.repeat(np.arange(4), 50)
    a = make_split(y, seed=0, labeled_fraction=0.3)
    b = make_split(y, seed=0, labeled_fraction=0.3)
    c = make_split(y, seed=1, labeled_fraction=0.3)
    parts = [a.train, a.val, a.test, a.unlabeled]
    assert sum(map(len, parts)) == len(y) and len(np.unique(np.concatenate(parts))) == len(y)
    assert all(np.array_equal(p, q) for p, q in zip(parts, [b.train, b.val, b.test, b.unlabeled]))
    assert not np.array_equal(a.test, c.test)
    assert set(np.bincount(y[a.test])) == {10}
    assert abs(len(a.train) / (len(a.train) + len(a.unlabeled)) - 0.3) < 0.05


def test_single_class_is_refused():
    with pytest.raises(UserError, match="single class"):
        make_split(np.zeros(30, int), seed=0)


def test_mnist5k_is_real_28x28_digits_with_restorable_pixels():
    from core.data.base import load_dataset

    ds = load_dataset("mnist5k")
    assert ds.X.shape == (5000, 1, 28, 28) and ds.kind == "image" and ds.num_classes == 10
    assert np.bincount(ds.y).tolist() == [500] * 10
    mean, sd = ds.pixel_stats
    raw = ds.X * sd + mean
    assert abs(raw.min()) < 1e-5 and abs(raw.max() - 1) < 1e-5
