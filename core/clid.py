"""CLID, the cross-layer information divergence (Hu et al., KDD 2025, arXiv 2507.11807; follows the authors'
`clid_loss`): how far the output's sample affinities are from the penultimate features' neighbourhoods.
Shared by the `clid_mu` method (its meta objective) and the `layer_divergence` probe (a diagnostic)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

CLID_EPS = 1e-7  # the authors' guard inside log(S + eps)


def feature_neighbours(features: torch.Tensor, tau: float) -> torch.Tensor:
    """Feature-side neighbour distribution S (B, B), no gradient.

    features (B, D). Negative cosine similarities are clipped to 0 (not masked), so they still
    contribute e^0 to each row's softmax; the diagonal is included, as in the authors' code.
    """
    with torch.no_grad():
        h = F.normalize(features.detach(), dim=1)
        a = (h @ h.T).clamp(min=0) / tau
        return torch.softmax(a, dim=1)


def output_affinities(logits: torch.Tensor) -> torch.Tensor:
    """Output-side affinities W~ (B, B): cosine of the probability vectors, rows divided by their
    detached sums (so each row sums to 1 in value but its normaliser carries no gradient). logits (B, K)."""
    p = F.normalize(torch.softmax(logits, dim=1), dim=1)
    w = p @ p.T
    return w / w.sum(1, keepdim=True).detach()


def clid(features: torch.Tensor, logits: torch.Tensor, tau: float = 0.5, variant: str = "ce") -> torch.Tensor:
    """Cross-layer information divergence of one batch: a scalar.

    features (B, D) penultimate activations; logits (B, K). Gradients flow only through the logits.
    variant "ce" (authors' code): mean_i sum_j W~_ij * (-log(S_ij + 1e-7)) = mean_i H(W~_i, S_i).
    variant "kl": mean_i sum_j W~_ij * (log W~_ij - log(S_ij + 1e-7)) = CE - H(W~_i); 0 when W~ = S
    (up to the 1e-7 guard). The two are not gradient-equivalent since H(W~_i) depends on the model.
    """
    if features.dim() != 2 or logits.dim() != 2 or len(features) != len(logits):
        raise ValueError(
            f"clid needs features (B, D) and logits (B, K); got {tuple(features.shape)}, {tuple(logits.shape)}"
        )
    s = feature_neighbours(features, tau)
    w = output_affinities(logits)
    neg_log_s = -torch.log(s + CLID_EPS)
    ce = (w * neg_log_s).sum(1)
    if variant == "ce":
        return ce.mean()
    if variant == "kl":
        # W~ > 0 always (softmax probabilities are positive), so the log is finite.
        return (ce + (w * torch.log(w)).sum(1)).mean()
    raise ValueError(f"unknown CLID variant '{variant}'; valid: ce, kl")


# --- the meta-reweighting method -----------------------------------------------------------------
