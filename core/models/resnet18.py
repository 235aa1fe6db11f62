"""CIFAR-style ResNet-18 (3x3 stem, no max-pool), for image inputs such as 32x32 RGB."""

from __future__ import annotations

import dataclasses

from torch import nn

from core.config import opt
from core.models.base import LabelModel
from core.models.blocks import residual_trunk
from core.registry import register_model


@register_model("resnet18")
class ResNet18(LabelModel):
    help = "CIFAR-style ResNet-18 for images"

    @dataclasses.dataclass(frozen=True)
    class Config:
        width: int = opt(64, "channels of the first stage (ResNet-18 uses 64)", lo=4, hi=256)
        dropout: float = opt(0.0, "dropout before the head", lo=0.0, hi=0.95)

    def __init__(self, input_shape, num_classes, cfg):
        super().__init__()
        if len(input_shape) != 3:
            raise ValueError(f"resnet18 needs image inputs (C, H, W), got shape {input_shape}")
        w = cfg.width
        self.stem, self.stages = residual_trunk(input_shape[0], (w, 2 * w, 4 * w, 8 * w), 2)
        c_in = 8 * w
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(cfg.dropout))
        self.feature_dim = c_in
        self.head = nn.Linear(c_in, num_classes)

    def hidden(self, x):
        x = self.stem(x)
        out = []
        for st in self.stages:
            x = st(x)
            out.append(x)
        out.append(self.pool(x))
        return out
