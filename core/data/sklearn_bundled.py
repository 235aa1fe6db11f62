"""Real datasets that scikit-learn ships (no network): digits (8x8 images), wine and breast_cancer (tabular)."""

from __future__ import annotations

import numpy as np
from sklearn import datasets as skd

from core.data.base import Dataset, DatasetLoader
from core.registry import register_dataset


def _standardize(X: np.ndarray) -> np.ndarray:
    # Whole-dataset standardization is label-free, so it leaks nothing about the split's labels.
    sd = X.std(0)
    return (X - X.mean(0)) / np.where(sd > 0, sd, 1.0)


@register_dataset("digits")
class Digits(DatasetLoader):
    help = "1,797 real 8x8 handwritten digits (10 classes), kept as 1x8x8 images"

    def load(self, cfg, seed):
        d = skd.load_digits()
        X = (d.images.astype(np.float32) / 16.0 - 0.5)[:, None, :, :]
        return Dataset("digits", X, d.target, tuple(str(c) for c in range(10)), kind="image", pixel_stats=(0.5, 1.0))


@register_dataset("wine")
class Wine(DatasetLoader):
    help = "178 wines, 13 chemical measurements, 3 cultivars (tabular)"

    def load(self, cfg, seed):
        d = skd.load_wine()
        return Dataset("wine", _standardize(d.data), d.target, tuple(d.target_names))


@register_dataset("breast_cancer")
class BreastCancer(DatasetLoader):
    help = "569 tumours, 30 cell-nucleus features, malignant vs benign (tabular)"

    def load(self, cfg, seed):
        d = skd.load_breast_cancer()
        return Dataset("breast_cancer", _standardize(d.data), d.target, tuple(d.target_names))
