"""Building blocks shared by the image models: the basic residual block of He et al. 2016."""

from __future__ import annotations

from torch import nn


class BasicBlock(nn.Module):
    """Two 3x3 convs with batch norm, plus the input; a 1x1 projection where the shape changes (option B)."""

    def __init__(self, c_in: int, c_out: int, stride: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False),
            nn.BatchNorm2d(c_out),
        )
        self.skip = (
            nn.Identity()
            if stride == 1 and c_in == c_out
            else nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))
        )
        self.act = nn.ReLU()

    def forward(self, x):
        """x (B, c_in, H, W) -> (B, c_out, H/stride, W/stride)."""
        return self.act(self.body(x) + self.skip(x))
