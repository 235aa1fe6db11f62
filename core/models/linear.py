"""Linear probe on fixed features or embeddings; the penultimate features are the (flattened) inputs."""

from __future__ import annotations

import dataclasses
import math

from torch import nn

from core.config import opt
from core.models.base import LabelModel
from core.registry import register_model


@register_model("linear")
class Linear(LabelModel):
    help = "linear probe on fixed features or embeddings"

    @dataclasses.dataclass(frozen=True)
    class Config:
        bias: bool = opt(True, "learn a bias (the self-distillation theory uses none)")
        dropout: float = opt(0.0, "dropout on the inputs", lo=0.0, hi=0.95)

    def __init__(self, input_shape, num_classes, cfg):
        super().__init__()
        self.feature_dim = math.prod(input_shape)
        self.drop = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(self.feature_dim, num_classes, bias=cfg.bias)

    def hidden(self, x):
        return [self.drop(x.flatten(1))]
