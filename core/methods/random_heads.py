"""Random-label heads with the unlearning regularizer (Becker & Risse, arXiv 2411.19640; ICLR 2026 submission 12749).

L = L_cls + L_rlp + λ·L_unl: the heads learn fixed random labels from detached features (L_rlp), and the
extractor is pushed so that the frozen heads see chance (L_unl = mean_h KL(U_M || softmax(h(f)))).
Reconstructions [R] (METHODS.md §2): the form of L_unl (default), the gradient-reversal alternative
(`unlearn=reversal`), per-class heads (`per_class`), H, M and λ (the authors' README defaults λ to 0, off).
The method's random labels are a different draw from the `rlp` monitor's, so the monitor stays an independent measure.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch
import torch.nn.functional as F

from core.config import opt
from core.methods.base import Method, StepOutput
from core.outputs import LOSS, SCORE, PerSample, Produces, Scalar
from core.random_labels import HeadBank, random_labels
from core.registry import register_method

_METHOD_STREAM = 0x554E4C  # "UNL": seed offset so these labels differ from the monitor's


class _Reverse(torch.autograd.Function):
    """Identity forward; multiplies the incoming gradient by -scale."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return -ctx.scale * g, None


def reverse_gradient(x: torch.Tensor, scale: float) -> torch.Tensor:
    return _Reverse.apply(x, scale)


def kl_uniform_to_softmax(logits: torch.Tensor) -> torch.Tensor:
    """KL(U_M || softmax(logits)) per row over the last axis: logits (..., M) -> (...)."""
    M = logits.shape[-1]
    return -math.log(M) - F.log_softmax(logits, dim=-1).mean(-1)


@register_method("random_heads")
class RandomHeads(Method):
    help = (
        "Adds side-heads that try to learn random labels, and trains the model so that they cannot: "
        "a brake on memorizing individual samples."
    )
    help_ja = "ランダムなラベルを覚えようとする補助ヘッドを付け、それが覚えられないように学習する：個々のサンプルの丸暗記を抑える。"
    cost_target = 1.3  # time per step relative to ce (docs/DESIGN.md "Targets")
    produces = Produces(
        per_sample=(
            LOSS,
            PerSample(
                "rlp_head_acc",
                SCORE,
                {
                    "en": "random-label heads correct on the sample (memorized)",
                    "ja": "ランダムラベルヘッドの正解率（丸暗記）",
                },
            ),
        ),
        scalars=(
            Scalar("l_cls", {"en": "classification loss", "ja": "分類損失"}),
            Scalar("l_rlp", {"en": "random-label heads loss", "ja": "ランダムラベルヘッド損失"}),
            Scalar("l_unl", {"en": "unlearning loss", "ja": "忘却損失"}),
            Scalar(
                "head_acc",
                {"en": "random-label head accuracy (train batch)", "ja": "ランダムラベルヘッド精度（学習バッチ）"},
                unit="share",
            ),
        ),
    )

    @dataclasses.dataclass(frozen=True)
    class Config:
        lam: float = opt(
            1.0, "weight λ of the unlearning term (0 = measure only, same training as plain)", lo=0.0, hi=100.0
        )
        heads: int = opt(10, "number of random-label heads H", lo=1, hi=1000)
        classes: int = opt(10, "random label range M (chance is 1/M)", lo=2, hi=100000)
        unlearn: str = opt(
            "uniform",
            "how the extractor unlearns: push frozen heads to uniform, or reverse their gradient",
            choices=("uniform", "reversal"),
        )
        per_class: bool = opt(False, "one set of heads per observed class (a sample is seen by its class's heads)")

    def __init__(self, cfg, ctx):
        super().__init__(cfg, ctx)
        n_sets = ctx.num_classes if cfg.per_class else 1
        seed = int(np.random.SeedSequence([int(ctx.seed), _METHOD_STREAM]).generate_state(1)[0])
        self.labels = torch.as_tensor(random_labels(seed, ctx.n_total, cfg.heads, cfg.classes))
        self.bank = HeadBank(ctx.feature_dim, n_sets * cfg.heads, cfg.classes, seed)

    def modules(self):
        return {"random_heads": self.bank}

    def head_logits(self, features: torch.Tensor, y: torch.Tensor, frozen: bool = False) -> torch.Tensor:
        """features (B, D) -> logits (B, H, M) of the heads that see each sample."""
        z = self.bank(features, frozen=frozen)
        if not self.cfg.per_class:
            return z
        z = z.view(len(features), self.ctx.num_classes, self.cfg.heads, self.cfg.classes)
        return z[torch.arange(len(features), device=z.device), y]

    def losses(self, features: torch.Tensor, y: torch.Tensor, idx: torch.Tensor) -> dict[str, torch.Tensor]:
        """Per-sample (B,) L_rlp (heads only) and L_unl (extractor only, or reversal of L_rlp)."""
        if self.labels.device != idx.device:
            self.labels = self.labels.to(idx.device)
        r = self.labels[idx]  # (B, H)
        f = features.float()
        reversal = self.cfg.unlearn == "reversal"
        # Reversal: heads train on the features as usual and the extractor receives -λ times their gradient.
        f_heads = reverse_gradient(f, self.cfg.lam) if reversal else f.detach()
        z = self.head_logits(f_heads, y)
        l_rlp = F.cross_entropy(z.transpose(1, 2), r, reduction="none").mean(1)
        if reversal:
            with torch.no_grad():
                l_unl = kl_uniform_to_softmax(z).mean(1)
        else:
            l_unl = kl_uniform_to_softmax(self.head_logits(f, y, frozen=True)).mean(1)
        acc = (z.detach().argmax(-1) == r).float().mean(1)
        return {"rlp": l_rlp, "unl": l_unl, "acc": acc}

    def loss(self, batch, out, step):
        feats, logits = out
        l_cls = F.cross_entropy(logits.float(), batch.y, reduction="none")
        parts = self.losses(feats, batch.y, batch.idx)
        total = l_cls.mean() + parts["rlp"].mean()
        if self.cfg.unlearn == "uniform" and self.cfg.lam > 0:
            total = total + self.cfg.lam * parts["unl"].mean()
        return StepOutput(
            total,
            scalars={
                "l_cls": l_cls.mean().detach(),
                "l_rlp": parts["rlp"].mean().detach(),
                "l_unl": parts["unl"].mean().detach(),
                "head_acc": parts["acc"].mean(),
            },
            per_sample={"loss": l_cls.detach(), "rlp_head_acc": parts["acc"]},
        )
