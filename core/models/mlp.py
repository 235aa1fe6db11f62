"""Multi-layer perceptron on flattened inputs (tabular data, embeddings or small images)."""

from __future__ import annotations

import dataclasses
import math

from torch import nn

from core.config import opt
from core.models.base import LabelModel
from core.registry import register_model


@register_model("mlp")
class MLP(LabelModel):
    help = "multi-layer perceptron on flattened inputs"

    @dataclasses.dataclass(frozen=True)
    class Config:
        width: int = opt(256, "units per hidden layer", lo=1, hi=16384)
        depth: int = opt(2, "number of hidden layers", lo=1, hi=16)
        dropout: float = opt(0.0, "dropout after each hidden layer", lo=0.0, hi=0.95)

    def __init__(self, input_shape, num_classes, cfg):
        super().__init__()
        d_in = math.prod(input_shape)
        self.blocks = nn.ModuleList()
        for _ in range(cfg.depth):
            self.blocks.append(nn.Sequential(nn.Linear(d_in, cfg.width), nn.ReLU(), nn.Dropout(cfg.dropout)))
            d_in = cfg.width
        self.feature_dim = cfg.width
        self.head = nn.Linear(cfg.width, num_classes)

    def hidden(self, x):
        h, out = x.flatten(1), []
        for blk in self.blocks:
            h = blk(h)
            out.append(h)
        return out
