"""Features with a prescribed block Gram matrix: the synthetic setting of Jeong & Chung (arXiv 2402.10482).

<x_i, x_i> = 1, <x_i, x_j> = within (same class) or between (different classes), plus a symmetric
uniform perturbation of +-jitter on the off-diagonal. Features are a square-root factor of that Gram.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.config import opt
from core.data.base import Dataset, DatasetLoader
from core.errors import UserError
from core.registry import register_dataset


def block_gram(num_classes: int, per_class: int, within: float, between: float) -> np.ndarray:
    """(N, N) Gram with unit diagonal, `within` inside a class block and `between` across blocks."""
    y = np.repeat(np.arange(num_classes), per_class)
    G = np.where(y[:, None] == y[None, :], within, between).astype(np.float64)
    np.fill_diagonal(G, 1.0)
    return G


def block_gram_eigenvalues(num_classes: int, per_class: int, within: float, between: float) -> dict:
    """Closed-form spectrum of `block_gram` (METHODS.md section 3): value -> multiplicity."""
    K, n = num_classes, per_class
    s_w = 1 - within
    s_b = s_w + n * (within - between)
    s_1 = s_b + K * n * between
    return {s_w: K * n - K, s_b: K - 1, s_1: 1}


@register_dataset("gram_blocks")
class GramBlocks(DatasetLoader):
    help = "synthetic features with prescribed within/between-class correlation (self-distillation theory)"

    @dataclasses.dataclass(frozen=True)
    class Config:
        classes: int = opt(4, "number of classes K", lo=2, hi=50)
        per_class: int = opt(100, "samples per class n", lo=2, hi=2000)
        within: float = opt(0.4, "correlation of two samples of the same class", lo=-1.0, hi=1.0)
        between: float = opt(0.1, "correlation of two samples of different classes", lo=-1.0, hi=1.0)
        jitter: float = opt(0.05, "uniform +- perturbation of the off-diagonal Gram entries", lo=0.0, hi=0.5)
        data_seed: int = opt(0, "seed of the jitter (the run seed varies split, noise and init only)", lo=0)

    def load(self, cfg, seed):
        if not (cfg.between <= cfg.within < 1):
            raise UserError(f"gram_blocks needs between <= within < 1, got within={cfg.within}, between={cfg.between}")
        K, n = cfg.classes, cfg.per_class
        G = block_gram(K, n, cfg.within, cfg.between)
        if cfg.jitter > 0:
            rng = np.random.default_rng(cfg.data_seed)
            E = rng.uniform(-cfg.jitter, cfg.jitter, size=G.shape)
            E = np.triu(E, 1)
            G = G + E + E.T
        w, V = np.linalg.eigh(G)
        # Jitter can make tiny eigenvalues negative; clipping keeps the nearest PSD Gram.
        X = V * np.sqrt(np.clip(w, 0, None))[None, :]
        y = np.repeat(np.arange(K), n)
        return Dataset("gram_blocks", X, y, tuple(f"c{k}" for k in range(K)), kind="embedding")
