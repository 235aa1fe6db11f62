"""Plain cross-entropy on the observed labels: the baseline (weight decay and dropout are its knobs)."""

from __future__ import annotations

import torch.nn.functional as F

from core.methods.base import Method, StepOutput
from core.outputs import LOSS, Produces
from core.registry import register_method


@register_method("ce")
class CrossEntropy(Method):
    help = "Plain training on the labels as given (the baseline everyone starts from)."
    help_ja = "ラベルをそのまま使う通常の学習（誰もが最初に試す基準）。"
    baseline = True
    produces = Produces(
        per_sample=(LOSS,),
    )

    def loss(self, batch, out, step):
        _, logits = out
        per = F.cross_entropy(logits.float(), batch.y, reduction="none")
        return StepOutput(per.mean(), per_sample={"loss": per.detach()})
