"""2-D maps of the probe subset's penultimate features: PCA every cadence; the features are stored for UMAP.

UMAP is computed later, off the training path, by `core.analysis.umap_map` from this artifact.

Artifact `artifacts/embedding/eNNNNN.npz` (P probe samples, D feature dimension):
    pca (P, 2) float32         first two principal-component coordinates (sign fixed: largest loading > 0)
    explained (2,) float64     share of the feature variance on each of the two components
    features (P, D) float16|32 penultimate features (absent when `store_features` is off)
    idx (P,) int64; y_obs (P,) int64; y_true (P,) int64 (-1 unknown); flipped (P,) bool; pred (P,) int64
Scalars: explained_2d (share of variance in the 2-D map), pca_class_separation (between-class share of the
2-D variance by true, else observed, class).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.config import opt
from core.probes._threads import single_thread
from core.probes.base import Probe, ProbeContext, ProbeResult
from core.registry import register_probe


def pca_2d(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (P, 2) on the top two principal axes and their variance shares (2,).

    Signs are fixed (each axis's largest-magnitude loading is positive) so maps do not flip between epochs.
    """
    X = np.asarray(features, np.float64)
    X = X - X.mean(0)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    Vt = Vt[:2]
    if len(Vt) < 2:  # one feature: the second axis is empty
        Vt = np.vstack([Vt, np.zeros_like(Vt)])
        s = np.concatenate([s, [0.0]])
    sign = np.sign(Vt[np.arange(2), np.abs(Vt).argmax(1)])
    Vt = Vt * np.where(sign == 0, 1.0, sign)[:, None]
    total = (s**2).sum()
    share = (s[:2] ** 2) / total if total > 0 else np.zeros(2)
    return X @ Vt.T, share


def between_class_share(coords: np.ndarray, labels: np.ndarray) -> float:
    """Between-class sum of squares / total sum of squares of `coords` (n, d) grouped by `labels` (n,)."""
    c = coords - coords.mean(0)
    total = (c**2).sum()
    if total <= 0:
        return 0.0
    between = sum(((c[labels == k].mean(0)) ** 2).sum() * (labels == k).sum() for k in np.unique(labels))
    return float(between / total)


@register_probe("embedding")
class Embedding(Probe):
    help = "2-D map of the penultimate features (PCA now, UMAP on request) with observed/true labels and flips"
    help_ja = "最終層手前の特徴の 2 次元マップ（PCA、要求に応じて UMAP）：観測・真のラベルと反転"

    @dataclasses.dataclass(frozen=True)
    class Config:
        store_features: bool = opt(True, "store the features so a UMAP map can be computed later")
        feature_dtype: str = opt("float16", "precision of the stored features", choices=("float16", "float32"))

    def run(self, ctx: ProbeContext) -> ProbeResult:
        with single_thread():
            return self._run(ctx)

    def _run(self, ctx: ProbeContext) -> ProbeResult:
        feats, logits = ctx.forward()
        F = feats.cpu().numpy()
        coords, share = pca_2d(F)
        y_obs = np.asarray(ctx.y_obs, np.int64)
        y_true = np.asarray(ctx.y_true, np.int64) if ctx.y_true is not None else np.full(len(y_obs), -1, np.int64)
        flipped = np.asarray(ctx.flipped, bool) if ctx.flipped is not None else np.zeros(len(y_obs), bool)
        arrays = {
            "pca": coords.astype(np.float32),
            "explained": share,
            "idx": np.asarray(ctx.idx, np.int64),
            "y_obs": y_obs,
            "y_true": y_true,
            "flipped": flipped,
            "pred": logits.argmax(1).cpu().numpy().astype(np.int64),
        }
        if self.cfg.store_features:
            # float16 would overflow past 65504; such features keep full precision.
            dtype = self.cfg.feature_dtype if np.abs(F).max(initial=0.0) < 6e4 else "float32"
            arrays["features"] = F.astype(dtype)
        by = y_true if ctx.y_true is not None else y_obs
        scalars = {"explained_2d": float(share.sum()), "pca_class_separation": between_class_share(coords, by)}
        return ProbeResult(scalars, arrays)
