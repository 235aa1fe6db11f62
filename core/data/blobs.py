"""Synthetic Gaussian clusters (tabular), one cluster per class."""

from __future__ import annotations

import dataclasses

from sklearn.datasets import make_blobs

from core.config import opt
from core.data.base import Dataset, DatasetLoader
from core.registry import register_dataset


@register_dataset("blobs")
class Blobs(DatasetLoader):
    help = "synthetic Gaussian clusters, one per class"

    @dataclasses.dataclass(frozen=True)
    class Config:
        n_samples: int = opt(1200, "number of samples", lo=20, hi=200000)
        n_classes: int = opt(4, "number of classes", lo=2, hi=100)
        n_features: int = opt(16, "feature dimension", lo=2, hi=4096)
        cluster_std: float = opt(2.0, "spread of each cluster (larger overlaps more)", lo=0.01, hi=100.0)
        data_seed: int = opt(0, "seed of the generated data (the run seed varies split, noise and init only)", lo=0)

    def load(self, cfg, seed):
        X, y = make_blobs(
            n_samples=cfg.n_samples,
            centers=cfg.n_classes,
            n_features=cfg.n_features,
            cluster_std=cfg.cluster_std,
            random_state=cfg.data_seed,
        )
        X = (X - X.mean(0)) / X.std(0)
        return Dataset("blobs", X, y, tuple(f"c{k}" for k in range(cfg.n_classes)))
