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


def residual_trunk(c_in: int, widths: tuple[int, ...], blocks: int) -> tuple[nn.Sequential, nn.ModuleList]:
    """(stem, stages) of a CIFAR-style ResNet: a 3x3 stem to widths[0], then one stage of `blocks` basic
    blocks per width, the first block of every stage after the first halving H and W."""
    stem = nn.Sequential(nn.Conv2d(c_in, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
    stages, prev = nn.ModuleList(), widths[0]
    for i, c in enumerate(widths):
        stages.append(
            nn.Sequential(
                *[BasicBlock(prev if j == 0 else c, c, 2 if (i > 0 and j == 0) else 1) for j in range(blocks)]
            )
        )
        prev = c
    return stem, stages
