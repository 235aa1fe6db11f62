"""Multi-round self-distillation (Jeong & Chung, arXiv 2402.10482, ICLR 2025; code github.com/Hyeonsu-Jeong/SelfPLL).

Round 0 trains on the observed labels; round t+1 trains a freshly initialized model on round t's softmax
outputs over the same labeled inputs (pure distillation targets at temperature 1, as in the authors' code [V]).
Options beyond the code: a teacher temperature and a share of the observed one-hot mixed into the targets.
"""

from __future__ import annotations

import dataclasses

import torch
import torch.nn.functional as F

from core.config import opt
from core.methods.base import Method, Stage, StepOutput
from core.outputs import LOSS, SCORE, PerSample, Produces
from core.registry import register_method


def soft_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Per-sample CE(targets, softmax(logits)): logits (B, K), targets (B, K) rows on the simplex -> (B,)."""
    return -(targets * F.log_softmax(logits, dim=1)).sum(1)


@register_method("self_distill")
class SelfDistill(Method):
    help = (
        "Train, then retrain a fresh copy on the first model's own soft predictions, several rounds: "
        "similar samples end up sharing their labels."
    )
    help_ja = "一度学習し、その予測（ソフトラベル）で新しいモデルを学習し直すことを数回繰り返す：似たサンプル同士がラベルを共有する。"
    produces = Produces(
        per_sample=(
            LOSS,
            PerSample(
                "sd_target_observed",
                SCORE,
                {"en": "teacher target mass on the observed label", "ja": "教師ターゲットの観測ラベルへの質量"},
                high_is_suspicious=False,
            ),
        ),
    )

    @dataclasses.dataclass(frozen=True)
    class Config:
        rounds: int = opt(
            2, "distillation rounds after the first training on the labels (total trainings = rounds + 1)", lo=0, hi=20
        )
        temperature: float = opt(
            1.0, "temperature of the previous round's softmax used as targets", lo=0.0, hi=100.0, lo_open=True
        )
        label_weight: float = opt(
            0.0, "share of the observed one-hot mixed into the targets (0 = pure distillation)", lo=0.0, hi=1.0
        )

    def __init__(self, cfg, ctx):
        super().__init__(cfg, ctx)
        self.targets: torch.Tensor | None = None  # (n_total, K) soft targets keyed by dataset index

    def stages(self):
        return [Stage(f"round{t}", fresh_model=True) for t in range(self.cfg.rounds + 1)]

    @torch.no_grad()
    def begin_stage(self, index, stage, model, prev_model, data):
        if index == 0 or prev_model is None:
            self.targets = None
            return {}
        logits = data.predict(prev_model, data.x)
        p = F.softmax(logits / self.cfg.temperature, dim=1)
        one_hot = F.one_hot(data.y, p.shape[1]).to(p.dtype)
        t = (1 - self.cfg.label_weight) * p + self.cfg.label_weight * one_hot
        self.targets = torch.zeros(self.ctx.n_total, p.shape[1], dtype=p.dtype, device=p.device)
        self.targets[data.idx] = t
        ent = -(p * p.clamp(min=1e-30).log()).sum(1)
        return {
            "teacher_agree_observed": (logits.argmax(1) == data.y).float().mean().item(),
            "teacher_confidence": p.max(1).values.mean().item(),
            "teacher_entropy": ent.mean().item(),
        }

    def loss(self, batch, out, step):
        _, logits = out
        z = logits.to(torch.promote_types(logits.dtype, torch.float32))
        if self.targets is None:
            per = F.cross_entropy(z, batch.y, reduction="none")
            return StepOutput(per.mean(), per_sample={"loss": per.detach()})
        t = self.targets[batch.idx].to(z.dtype)
        per = soft_cross_entropy(z, t)
        return StepOutput(
            per.mean(),
            per_sample={"loss": per.detach(), "sd_target_observed": t.gather(1, batch.y[:, None]).squeeze(1)},
        )
