"""Label-averaging eigenstructure of self-distillation (Jeong & Chung, arXiv 2402.10482; METHODS.md section 3).

Linearized closed form P_t = U + M^{t+1}(Y - U), M = G(G + K·N·λI)⁻¹, G = X Xᵀ, evaluated through the
SVD of the (N, D) features X = V S Wᵀ: M = V diag(s²/(s² + KNλ)) Vᵀ (directions outside the column
space of X have σ = 0 and vanish). Cost O(N·D·min(N, D)); no N×N eigendecomposition.

Artifact `artifacts/gram/eNNNNN.npz` (r = min(P, D) eigen-directions, T = rounds + 1, H = heatmap size):
    spectrum (r,) float64   Gram eigenvalues σ_j, descending (features L2-normalized when `normalize`)
    shrink (r,) float64     σ_j / (σ_j + K·N·λ), per round
    energy_observed (r,)    share of ‖Y_obs − U‖² on each eigen-direction (the rest is outside span X)
    energy_true (r,)        the same for the true labels (absent when the truth is unknown)
    acc_observed (T,)       accuracy of argmax P_t vs the observed labels, t = 0 (teacher) .. rounds
    acc_clean (T,), acc_flipped (T,)  accuracy vs the true labels on clean / flipped samples (need truth)
    gram (H, H) float32     cosine Gram of a class-stratified subsample, rows sorted by true (else observed) class
    gram_labels (H,) int64  class of each heatmap row; gram_idx (H,) int64 dataset indices
    lam () float; top_k () int
Scalars: top_energy_observed, top_energy_true (share in the top_k directions), acc_round<t>_observed,
acc_round<t>_clean, acc_round<t>_flipped, true_in_top2 (teacher), shrink_top_k (shrink of the k-th direction).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.config import opt
from core.probes._threads import single_thread
from core.probes.base import Probe, ProbeContext, ProbeResult
from core.registry import register_probe


@dataclasses.dataclass
class LabelAveraging:
    """spectrum σ (r,), shrink (r,), basis V (N, r) (left singular vectors of X),
    soft_labels (rounds + 1, N, K): P_t for t = 0 (teacher) .. rounds."""

    spectrum: np.ndarray
    shrink: np.ndarray
    basis: np.ndarray
    soft_labels: np.ndarray


def label_averaging(
    features: np.ndarray, labels: np.ndarray, num_classes: int, lam: float, rounds: int
) -> LabelAveraging:
    """Linearized self-distillation of one-hot `labels` (N,) on `features` (N, D), float64 throughout."""
    X = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    N, K = len(X), int(num_classes)
    if lam <= 0:
        raise ValueError("lam must be > 0")
    V, s, _ = np.linalg.svd(X, full_matrices=False)
    sigma = s**2
    shrink = sigma / (sigma + K * N * lam)
    R = np.zeros((N, K))
    R[np.arange(N), y] = 1.0
    R -= 1.0 / K
    coef = V.T @ R  # (r, K): label residual in the eigenbasis
    P = np.empty((rounds + 1, N, K))
    for t in range(rounds + 1):
        P[t] = 1.0 / K + V @ (shrink[:, None] ** (t + 1) * coef)
    return LabelAveraging(sigma, shrink, V, P)


def label_energy(basis: np.ndarray, labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Share of ‖Y − U‖²_F on each eigen-direction (r,) (sums to ≤ 1; the rest lies outside span X)."""
    N, K = len(labels), num_classes
    R = np.zeros((N, K))
    R[np.arange(N), np.asarray(labels, np.int64)] = 1.0
    R -= 1.0 / K
    return ((basis.T @ R) ** 2).sum(1) / max((R**2).sum(), 1e-300)


def stratified_sorted(labels: np.ndarray, size: int) -> np.ndarray:
    """Positions of ≤ `size` samples, evenly spaced within each class, sorted by class (deterministic)."""
    labels = np.asarray(labels)
    n = len(labels)
    if n <= size:
        return np.argsort(labels, kind="stable")
    out = []
    for c in np.unique(labels):
        pos = np.flatnonzero(labels == c)
        k = max(1, int(round(size * len(pos) / n)))
        out.append(pos[np.linspace(0, len(pos) - 1, min(k, len(pos))).round().astype(int)])
    return np.concatenate(out)


@register_probe("gram")
class GramProbe(Probe):
    help = "self-distillation as label averaging: Gram spectrum, shrink factors, label energy, per-round accuracy"
    help_ja = "ラベル平均化としての自己蒸留：グラム行列のスペクトル、縮小率、ラベルエネルギー、ラウンドごとの精度"

    @dataclasses.dataclass(frozen=True)
    class Config:
        lam: float = opt(
            1e-3, "λ of the linearized self-distillation (weight decay on a mean loss)", lo=0.0, hi=10.0, lo_open=True
        )
        rounds: int = opt(3, "self-distillation rounds to predict", lo=0, hi=50)
        normalize: bool = opt(True, "L2-normalize the features first (unit Gram diagonal, as in the theory)")
        top_k: int = opt(0, "directions counted as 'top' for the label energy (0 = number of classes)", lo=0, hi=100000)
        heatmap: int = opt(200, "samples in the Gram heatmap", lo=10, hi=2000)

    def run(self, ctx: ProbeContext) -> ProbeResult:
        with single_thread():
            return self._run(ctx)

    def _run(self, ctx: ProbeContext) -> ProbeResult:
        feats, _ = ctx.forward()
        X = feats.cpu().numpy().astype(np.float64)
        if self.cfg.normalize:
            X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
        K = ctx.num_classes
        y_obs = np.asarray(ctx.y_obs, np.int64)
        la = label_averaging(X, y_obs, K, self.cfg.lam, self.cfg.rounds)
        k = min(self.cfg.top_k or K, len(la.spectrum))
        e_obs = label_energy(la.basis, y_obs, K)
        scalars = {"top_energy_observed": float(e_obs[:k].sum()), "shrink_top_k": float(la.shrink[k - 1])}
        arrays = {
            "spectrum": la.spectrum,
            "shrink": la.shrink,
            "energy_observed": e_obs,
            "lam": np.asarray(self.cfg.lam),
            "top_k": np.asarray(k),
        }
        pred = la.soft_labels.argmax(2)  # (T, N)
        arrays["acc_observed"] = (pred == y_obs[None]).mean(1)
        for t, a in enumerate(arrays["acc_observed"]):
            scalars[f"acc_round{t}_observed"] = float(a)
        sort_by = y_obs
        if ctx.y_true is not None:
            y_true = np.asarray(ctx.y_true, np.int64)
            sort_by = y_true
            e_true = label_energy(la.basis, y_true, K)
            arrays["energy_true"] = e_true
            scalars["top_energy_true"] = float(e_true[:k].sum())
            fl = np.asarray(ctx.flipped, bool)
            hit = pred == y_true[None]
            top2 = np.argsort(-la.soft_labels[0], axis=1, kind="stable")[:, :2]
            scalars["true_in_top2"] = float((top2 == y_true[:, None]).any(1).mean())
            for part, mask in (("clean", ~fl), ("flipped", fl)):
                if mask.any():
                    arrays[f"acc_{part}"] = hit[:, mask].mean(1)
                    for t, a in enumerate(arrays[f"acc_{part}"]):
                        scalars[f"acc_round{t}_{part}"] = float(a)
        pos = stratified_sorted(sort_by, self.cfg.heatmap)
        Xn = X[pos] / np.maximum(np.linalg.norm(X[pos], axis=1, keepdims=True), 1e-12)
        arrays.update(
            gram=(Xn @ Xn.T).astype(np.float32), gram_labels=sort_by[pos], gram_idx=np.asarray(ctx.idx, np.int64)[pos]
        )
        return ProbeResult(scalars, arrays)
