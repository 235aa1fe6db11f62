"""Monitor interface: trains its own modules on *detached* features, with its own RNG, so the run is unchanged."""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn

from core.config import EmptyConfig
from core.context import MethodContext, OptimGroup
from core.outputs import Produces


def default_monitors() -> list[str]:
    """The monitors that declare `default_on`: what a comparison attaches unless told otherwise."""
    from core.registry import MONITORS

    return [name for name, cls in MONITORS.items() if cls.default_on]


class Monitor:
    name: ClassVar[str] = ""
    help: ClassVar[str] = ""
    help_ja: ClassVar[str] = ""
    default_on: ClassVar[bool] = False  # attached to every comparison unless the user turns monitors off
    produces: ClassVar[Produces] = Produces()  # the scalars it logs (under its own prefix) and how to read them
    Config: ClassVar[type] = EmptyConfig

    def __init__(self, cfg: Any, ctx: MethodContext):
        self.cfg = cfg
        self.ctx = ctx

    def modules(self) -> dict[str, nn.Module]:
        return {}

    def begin_stage(self, index: int, fresh_model: bool) -> None:
        """Called before each stage's optimizers are built; `fresh_model`: the stage trains a new model."""

    def optim_groups(self) -> list[OptimGroup]:
        """Separate optimizers (the engine steps them via `opt.step(loss, group)`)."""
        return []

    def observe(self, features: torch.Tensor, idx: torch.Tensor, step: int, opt) -> dict[str, torch.Tensor]:
        """features (B, D) detached penultimate features of the step's labeled batch, idx (B,)."""
        return {}

    def evaluate(
        self, features_by_split: dict[str, torch.Tensor], idx_by_split: dict[str, torch.Tensor]
    ) -> dict[str, float]:
        """At log points: features (n, D) of e.g. 'train' and 'heldout' samples -> scalars to log."""
        return {}
