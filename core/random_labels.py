"""Random-label heads (Becker & Risse, arXiv 2411.19640): fixed random labels per dataset index and a bank of
linear heads that learn them from features. Shared by the `rlp` monitor (a memorization measure) and the
`random_heads` method (a regularizer against it); H and M are reconstructions (docs/METHODS.md §2).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# Distinct streams from the split/noise/init seeds, so the measurement never shares randomness with training.
_LABEL_STREAM = 0x524C50  # "RLP"
_HEAD_STREAM = 0x48454144  # "HEAD"


def random_labels(seed: int, n_total: int, heads: int, classes: int) -> np.ndarray:
    """(n_total, heads) int64 labels in [0, classes), one row per dataset index, drawn once from `seed`."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), _LABEL_STREAM]))
    return rng.integers(0, classes, size=(n_total, heads), dtype=np.int64)


def labels_hash(labels: np.ndarray | torch.Tensor) -> str:
    """sha256 of the label table (to check it is identical across epochs and restarts)."""
    a = labels.detach().cpu().numpy() if isinstance(labels, torch.Tensor) else np.asarray(labels)
    return hashlib.sha256(np.ascontiguousarray(a.astype(np.int64)).tobytes()).hexdigest()


def chance_normalized(acc: float, classes: int) -> float:
    """(a - 1/M) / (1 - 1/M): 0 at chance, 1 at perfect memorization (2a - 1 for M = 2)."""
    return (acc - 1.0 / classes) / (1.0 - 1.0 / classes)


class HeadBank(nn.Module):
    """H linear heads as one (H*M, D) weight. forward(features (B, D)) -> logits (B, H, M).

    Initialized like `nn.Linear` but from its own `torch.Generator`, so building it leaves the global
    RNG (and with it the main model's initialization and batches) untouched.
    """

    def __init__(self, dim: int, heads: int, classes: int, seed: int):
        super().__init__()
        self.heads, self.classes = heads, classes
        gen = torch.Generator().manual_seed(int(np.random.SeedSequence([int(seed), _HEAD_STREAM]).generate_state(1)[0]))
        bound = 1.0 / math.sqrt(max(1, dim))
        self.weight = nn.Parameter((torch.rand(heads * classes, dim, generator=gen) * 2 - 1) * bound)
        self.bias = nn.Parameter((torch.rand(heads * classes, generator=gen) * 2 - 1) * bound)

    def forward(self, features: torch.Tensor, frozen: bool = False) -> torch.Tensor:
        w, b = (self.weight.detach(), self.bias.detach()) if frozen else (self.weight, self.bias)
        return F.linear(features, w, b).view(len(features), self.heads, self.classes)


def rlp_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean CE over heads and samples: logits (B, H, M), labels (B, H)."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))


def head_accuracy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """0-d mean accuracy over heads and samples: logits (n, H, M), labels (n, H)."""
    return (logits.argmax(-1) == labels).float().mean()
