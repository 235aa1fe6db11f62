"""Random-label prediction heads as a memorization measure (Becker & Risse, arXiv 2411.19640), attachable to any run.

H linear heads learn fixed random labels (M classes) from the *detached* penultimate features; their
train accuracy estimates how much sample-specific information the features carry. H and M are not
given in the abstract (reconstruction); the label draw and the chance normalization follow METHODS.md §2.
"""
from __future__ import annotations

import dataclasses
import hashlib
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.config import opt
from core.methods.base import OptimGroup
from core.monitors.base import Monitor
from core.registry import register_monitor

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


@register_monitor("rlp")
class RandomLabelHeads(Monitor):
    help = "Measures memorization: how well small side-heads can learn random labels from the model's features."

    @dataclasses.dataclass(frozen=True)
    class Config:
        heads: int = opt(10, "number of random-label heads H", lo=1, hi=1000)
        classes: int = opt(10, "random label range M (chance accuracy is 1/M)", lo=2, hi=100000)
        lr: float = opt(1e-2, "learning rate of the heads (Adam)", lo=0.0, hi=10.0, lo_open=True)

    group = "rlp_monitor"

    def __init__(self, cfg, ctx):
        super().__init__(cfg, ctx)
        self.labels = torch.as_tensor(random_labels(ctx.seed, ctx.n_total, cfg.heads, cfg.classes))
        self.bank = HeadBank(ctx.feature_dim, cfg.heads, cfg.classes, ctx.seed)

    def begin_stage(self, index, fresh_model):
        # Heads read one model's features; a stage that trains a new model (self_distill's rounds, a fresh
        # pll student) gets new heads, so its head accuracy measures that model and not the heads' memory
        # of the previous one. A stage that continues the same model keeps its heads.
        if index > 0 and fresh_model:
            self.bank = HeadBank(self.ctx.feature_dim, self.cfg.heads, self.cfg.classes, self.ctx.seed)

    def modules(self):
        return {"rlp_heads": self.bank}

    def optim_groups(self):
        return [OptimGroup(self.group, list(self.bank.parameters()), kind="adam", lr=self.cfg.lr)]

    def _labels(self, idx: torch.Tensor) -> torch.Tensor:
        if self.labels.device != idx.device:
            self.labels = self.labels.to(idx.device)
        return self.labels[idx]

    def loss(self, features: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        """L_rlp on detached features (B, D): it trains the heads only."""
        return rlp_loss(self.bank(features.detach().float()), self._labels(idx))

    def observe(self, features, idx, step, opt):
        loss = self.loss(features, idx)
        opt.step(loss, self.group)
        return {"rlp/loss": loss.detach()}

    @torch.no_grad()
    def evaluate(self, features_by_split, idx_by_split):
        accs = {}
        for split in ("train", "heldout"):
            f, i = features_by_split.get(split), idx_by_split.get(split)
            if f is not None and len(f):
                accs[split] = head_accuracy(self.bank(f.float()), self._labels(i))
        if not accs:
            return {}
        vals = dict(zip(accs, torch.stack(list(accs.values())).tolist()))  # one host sync
        out = {f"rlp/acc_{k}": v for k, v in vals.items()}
        if "train" in vals:
            out["rlp/acc_train_norm"] = chance_normalized(vals["train"], self.cfg.classes)
        if "heldout" in vals:
            out["rlp/acc_heldout_norm"] = chance_normalized(vals["heldout"], self.cfg.classes)
        return out
