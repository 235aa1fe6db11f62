"""CIFAR ResNet-20-like net (He et al. 2016, section 4.2): 3x3 stem, three stages of `blocks` basic residual
blocks at widths w, 2w, 4w (strides 1, 2, 2), global pooling, linear head. Defaults give ResNet-20
(w=16, 3 blocks per stage, 0.27M parameters), the usual small reference for 32x32 colour images.
"""

from __future__ import annotations

import dataclasses

from torch import nn

from core.config import opt
from core.models.base import LabelModel
from core.models.blocks import residual_trunk
from core.registry import register_model


@register_model("resnet_small")
class ResNetSmall(LabelModel):
    help = "CIFAR ResNet-20-like residual net for 32x32 colour images (0.27M parameters)"

    @dataclasses.dataclass(frozen=True)
    class Config:
        width: int = opt(16, "channels of the first stage (ResNet-20 uses 16)", lo=2, hi=256)
        blocks: int = opt(3, "residual blocks per stage (3 = ResNet-20, 5 = ResNet-32)", lo=1, hi=18)
        dropout: float = opt(0.0, "dropout before the head", lo=0.0, hi=0.95)

    def __init__(self, input_shape, num_classes, cfg):
        super().__init__()
        if len(input_shape) != 3:
            raise ValueError(f"resnet_small needs image inputs (C, H, W), got shape {input_shape}")
        w = cfg.width
        self.stem, self.stages = residual_trunk(input_shape[0], (w, 2 * w, 4 * w), cfg.blocks)
        c_in = 4 * w
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
