"""Suspicion scores of samples and how well they find the flipped labels: AUROC, the model's own scores and a
method's declared per-sample values oriented by their declaration (core/outputs.py). Used by the probes and
the engine alike."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from core.outputs import PerSample


def auroc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve of `scores` (N,) for detecting `positive` (N,) bool; ties count 1/2.

    Mann-Whitney form: the probability that a random positive outscores a random negative.
    Non-finite scores are left out; NaN when either class is empty.
    """
    s = np.asarray(scores, dtype=np.float64)
    pos = np.asarray(positive, dtype=bool)
    keep = np.isfinite(s)
    s, pos = s[keep], pos[keep]
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    from scipy.stats import rankdata  # deferred: scipy.stats slows every worker's start-up by ~1 s

    ranks = rankdata(s)  # average ranks handle ties
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def model_scores(logits: torch.Tensor, y_obs: np.ndarray) -> dict[str, np.ndarray]:
    """Suspicion scores any model gives, (P,) each, from logits (P, K) and observed labels (P,).

    model_loss: cross-entropy on the observed label; model_margin: max_{k != y} p_k - p_y (in [-1, 1]);
    model_entropy: prediction entropy / log K (in [0, 1]).
    """
    z = logits.detach().float().cpu()
    y = torch.as_tensor(y_obs, dtype=torch.long)
    logp = F.log_softmax(z, 1)
    p = logp.exp()
    p_y = p.gather(1, y[:, None]).squeeze(1)
    other = p.scatter(1, y[:, None], -1.0).max(1).values
    ent = -(p * logp).sum(1) / max(np.log(z.shape[1]), 1e-12)
    return {
        "model_loss": (-logp.gather(1, y[:, None]).squeeze(1)).numpy(),
        "model_margin": (other - p_y).numpy(),
        "model_entropy": ent.numpy(),
    }


def method_scores(
    per_sample: dict[str, np.ndarray], meaning: dict[str, PerSample], idx: np.ndarray
) -> dict[str, np.ndarray]:
    """The method's declared suspicion values (scores, weights) at dataset indices idx (P,), each (P,) and oriented
    so that higher = more suspicious, as `method_<key>`; class indices, plain values and undeclared keys are left out."""
    out = {}
    for key, v in sorted(per_sample.items()):
        spec = meaning.get(key)
        if spec is None or not spec.is_suspicion:
            continue
        vals = np.asarray(v, dtype=np.float64)[idx]
        if np.isfinite(vals).any():
            out[f"method_{key}"] = spec.oriented(vals)
    return out
