"""Small CNN for image inputs (C, H, W) of any size down to 8x8: conv blocks, then a pooled spatial grid that
is flattened (it keeps the layout: where a stroke is, not only that it exists), a dense layer and the head.

Pooling globally right after two small blocks (the first version) loses the layout and cannot tell
digits apart (0.50 test accuracy on 28x28 MNIST at 20% noise); the flattened grid is what LeNet-style
reference nets do.
"""

from __future__ import annotations

import dataclasses

from torch import nn

from core.config import opt
from core.models.base import LabelModel
from core.registry import register_model


@register_model("cnn_small")
class CNNSmall(LabelModel):
    help = "small CNN for images of any size down to 8x8 (conv blocks, flattened 4x4 grid, dense layer)"

    @dataclasses.dataclass(frozen=True)
    class Config:
        channels: int = opt(32, "channels of the first conv block (doubled per block)", lo=1, hi=512)
        blocks: int = opt(2, "conv blocks (each halves the resolution while it is >= 8)", lo=1, hi=6)
        grid: int = opt(4, "side of the pooled grid that is flattened before the dense layer", lo=1, hi=16)
        feature_dim: int = opt(128, "penultimate feature dimension", lo=2, hi=4096)
        dropout: float = opt(0.0, "dropout before the head", lo=0.0, hi=0.95)

    def __init__(self, input_shape, num_classes, cfg):
        super().__init__()
        if len(input_shape) != 3:
            raise ValueError(f"cnn_small needs image inputs (C, H, W), got shape {input_shape}")
        c_in, h, _ = input_shape
        self.convs = nn.ModuleList()
        ch = cfg.channels
        for _ in range(cfg.blocks):
            pool = nn.MaxPool2d(2) if h >= 8 else nn.Identity()
            h = h // 2 if h >= 8 else h
            self.convs.append(nn.Sequential(nn.Conv2d(c_in, ch, 3, padding=1), nn.BatchNorm2d(ch), nn.ReLU(), pool))
            c_in, ch = ch, ch * 2
        g = min(cfg.grid, h)
        self.proj = nn.Sequential(
            nn.AdaptiveAvgPool2d(g),
            nn.Flatten(),
            nn.Linear(c_in * g * g, cfg.feature_dim),
            nn.ReLU(),
            nn.Dropout(cfg.dropout),
        )
        self.feature_dim = cfg.feature_dim
        self.head = nn.Linear(cfg.feature_dim, num_classes)

    def hidden(self, x):
        out = []
        for conv in self.convs:
            x = conv(x)
            out.append(x)
        out.append(self.proj(x))
        return out
