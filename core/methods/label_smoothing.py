"""Uniform label smoothing (Szegedy et al., 2016): target (1 - eps) one-hot + eps uniform over all K classes."""

from __future__ import annotations

import dataclasses

import torch.nn.functional as F

from core.config import opt
from core.methods.base import Method, StepOutput
from core.outputs import LOSS, Produces
from core.registry import register_method


@register_method("label_smoothing")
class LabelSmoothing(Method):
    help = "Soften every label a little towards 'any class', so the model is less sure of each label."
    help_ja = "すべてのラベルを少しだけ「どのクラスでもありうる」方向へ和らげ、各ラベルを過信しないようにする。"
    cost_target = 1.15  # time per step relative to ce (docs/DESIGN.md "Targets")
    produces = Produces(
        per_sample=(LOSS,),
    )

    @dataclasses.dataclass(frozen=True)
    class Config:
        eps: float = opt(0.1, "share of the target spread uniformly over all classes", lo=0.0, hi=1.0, hi_open=True)

    def loss(self, batch, out, step):
        _, logits = out
        per = F.cross_entropy(logits.float(), batch.y, reduction="none", label_smoothing=self.cfg.eps)
        return StepOutput(per.mean(), per_sample={"loss": per.detach()})
