"""Random-label prediction heads as a memorization measure (Becker & Risse, arXiv 2411.19640), attachable to any run.

H linear heads learn fixed random labels (M classes) from the *detached* penultimate features; their
train accuracy estimates how much sample-specific information the features carry. H and M are not
given in the abstract (reconstruction); the label draw and the chance normalization follow METHODS.md §2.
"""

from __future__ import annotations

import dataclasses

import torch

from core.config import opt
from core.context import OptimGroup
from core.monitors.base import Monitor
from core.outputs import Produces, Scalar
from core.random_labels import (
    HeadBank,
    chance_normalized,
    head_accuracy,
    labels_hash,  # noqa: F401
    random_labels,
    rlp_loss,
)
from core.registry import register_monitor


@register_monitor("rlp")
class RandomLabelHeads(Monitor):
    help = "Measures memorization: how well small side-heads can learn random labels from the model's features."
    help_ja = "丸暗記の度合いを測る：モデルの特徴から小さな補助ヘッドがランダムなラベルをどれだけ覚えられるか。"
    default_on = True  # cheap, and the comparison charts read it: attached to every comparison unless turned off
    produces = Produces(
        scalars=(
            Scalar(
                "rlp/acc_train",
                {"en": "random-label head acc", "ja": "ランダムラベルヘッド精度"},
                unit="share",
                summary=True,
                column=True,
            ),
            Scalar(
                "rlp/acc_heldout",
                {"en": "random-label head accuracy (held out)", "ja": "ランダムラベルヘッド精度（検証・テスト）"},
                unit="share",
                summary=True,
            ),
            Scalar(
                "rlp/acc_train_norm",
                {"en": "train accuracy above chance, normalized", "ja": "偶然水準からの学習精度（正規化）"},
                summary=True,
            ),
            Scalar(
                "rlp/acc_heldout_norm",
                {"en": "held-out accuracy above chance, normalized", "ja": "偶然水準からの検証精度（正規化）"},
            ),
            Scalar("rlp/chance", {"en": "chance accuracy 1/M", "ja": "偶然の精度 1/M"}, unit="share"),
            Scalar("rlp/loss", {"en": "random-label heads loss", "ja": "ランダムラベルヘッド損失"}),
        )
    )

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
        out = {f"rlp/acc_{k}": v for k, v in vals.items()} | {"rlp/chance": 1.0 / self.cfg.classes}
        if "train" in vals:
            out["rlp/acc_train_norm"] = chance_normalized(vals["train"], self.cfg.classes)
        if "heldout" in vals:
            out["rlp/acc_heldout_norm"] = chance_normalized(vals["heldout"], self.cfg.classes)
        return out
