"""UMAP 2-D maps of a run's stored penultimate features (`artifacts/embedding`), cached per (run, epoch).

Meant for a background thread (no UI code here). The cache is `artifacts/umap/eNNNNN.npz`, written by
atomic rename, with arrays:
    xy (m, 2) float32        UMAP coordinates of a class-stratified subsample of m ≤ `max_points` samples
    idx (m,) int64; y_obs (m,) int64; y_true (m,) int64 (-1 unknown); flipped (m,) bool; pred (m,) int64
    epoch () int64; params (4,) float64 = (max_points, n_neighbors, min_dist, seed)
A cache made with other parameters is recomputed.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from core.errors import UserError
from core.store.files import atomic_write_npz
from core.store.reader import RunReader

CACHE = "umap"
SOURCE = "embedding"
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(path: str) -> threading.Lock:
    # One computation per cache file at a time; a second caller waits and then reads the cache.
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def subsample(labels: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Sorted positions of ≤ max_points samples, stratified by label, deterministic in `seed`."""
    n = len(labels)
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x0A1B]))
    out = []
    for c in np.unique(labels):
        pos = np.flatnonzero(labels == c)
        k = max(1, int(round(max_points * len(pos) / n)))
        out.append(rng.choice(pos, size=min(k, len(pos)), replace=False))
    return np.sort(np.concatenate(out))[:max_points]


def _cache_path(run_dir: str, epoch: int) -> str:
    return os.path.join(run_dir, "artifacts", CACHE, f"e{epoch:05d}.npz")


def _resolve_epoch(reader: RunReader, epoch: int | None) -> int:
    epochs = reader.artifact_epochs(SOURCE)
    if not epochs:
        raise UserError(f"run '{reader.run_id}' has no stored embeddings (probe 'embedding' did not run)")
    if epoch is None:
        return epochs[-1]
    if epoch not in epochs:
        raise UserError(
            f"run '{reader.run_id}' has no embedding at epoch {epoch}; stored epochs: {', '.join(map(str, epochs))}"
        )
    return epoch


def cached_umap(
    run_dir: str,
    epoch: int | None = None,
    max_points: int = 1000,
    n_neighbors: int = 15,
    min_dist: float = 0.1,
    seed: int = 0,
) -> dict[str, np.ndarray] | None:
    """The cached map for these parameters, or None when it has not been computed (never computes)."""
    reader = RunReader(run_dir)
    try:
        epoch = _resolve_epoch(reader, epoch)
    except UserError:
        return None
    path = _cache_path(run_dir, epoch)
    if not os.path.exists(path):
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            out = {k: z[k] for k in z.files}
    except (OSError, ValueError):
        return None
    want = np.asarray([max_points, n_neighbors, min_dist, seed], np.float64)
    return out if np.allclose(out.get("params", np.zeros(0)), want) else None


def umap_map(
    run_dir: str,
    epoch: int | None = None,
    max_points: int = 1000,
    n_neighbors: int = 15,
    min_dist: float = 0.1,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """UMAP of the stored penultimate features at `epoch` (latest if None), computed once and cached.

    Raises UserError when the run has no stored features for that epoch.
    """
    reader = RunReader(run_dir)
    epoch = _resolve_epoch(reader, epoch)
    path = _cache_path(run_dir, epoch)
    with _lock_for(path):
        hit = cached_umap(run_dir, epoch, max_points, n_neighbors, min_dist, seed)
        if hit is not None:
            return hit
        art = reader.load_artifact(SOURCE, epoch)
        if art is None or "features" not in art:
            raise UserError(
                f"run '{reader.run_id}' stored no features at epoch {epoch} "
                "(probe option embedding.store_features is off)"
            )
        y_obs = art["y_obs"]
        pos = subsample(y_obs, max_points, seed)
        X = art["features"][pos].astype(np.float32)
        xy = _embed(X, n_neighbors, min_dist, seed)
        out = {
            "xy": xy.astype(np.float32),
            "idx": art["idx"][pos],
            "y_obs": y_obs[pos],
            "y_true": art["y_true"][pos],
            "flipped": art["flipped"][pos],
            "pred": art["pred"][pos],
            "epoch": np.asarray(epoch, np.int64),
            "params": np.asarray([max_points, n_neighbors, min_dist, seed], np.float64),
        }
        atomic_write_npz(path, out)
        return out


def _embed(X: np.ndarray, n_neighbors: int, min_dist: float, seed: int) -> np.ndarray:
    """(m, D) -> (m, 2); fewer than 4 points (too few for UMAP) are laid out on a line."""
    m = len(X)
    if m < 4:
        return np.stack([np.arange(m, dtype=np.float32), np.zeros(m, np.float32)], 1)
    import umap  # heavy import (numba), kept off module import

    reducer = umap.UMAP(
        n_components=2,
        n_neighbors=min(n_neighbors, m - 1),
        min_dist=min_dist,
        random_state=seed,
        n_jobs=1,
        init="spectral" if m > n_neighbors + 1 else "random",
    )
    return reducer.fit_transform(X)
