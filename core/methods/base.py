"""The method plug-in interface. Methods never see clean labels: only observed labels and dataset indices.

A method has a frozen `Config` (field metadata builds its dashboard form) and either
`loss(batch, out, step)` or, for bi-level methods, `train_step(batch, model, step, opt)`.
Multi-stage methods list `stages()`; the engine runs and logs each one and calls `begin_stage`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

import torch
import torch.nn.functional as F
from torch import nn

from core.config import EmptyConfig
from core.context import MethodContext, OptimGroup  # noqa: F401  (part of the method interface)
from core.outputs import Produces


@dataclasses.dataclass
class Batch:
    """x (B, ...) inputs; y (B,) observed labels; idx (B,) dataset indices.

    x_u (B_u, ...) / idx_u (B_u,): unlabeled inputs, only for methods with `uses_unlabeled`.
    """

    x: torch.Tensor
    y: torch.Tensor
    idx: torch.Tensor
    x_u: torch.Tensor | None = None
    idx_u: torch.Tensor | None = None


@dataclasses.dataclass
class StepOutput:
    """loss: scalar; scalars: 0-d tensors averaged over the epoch's steps (logged as `method/<key>`);
    per_sample: (B,) tensors keyed by `idx` (or `idx_u` for keys in `per_sample_unlabeled`).
    Methods that override `train_step` should set `features` from their forward of batch.x."""

    loss: torch.Tensor
    scalars: dict[str, torch.Tensor] = dataclasses.field(default_factory=dict)
    per_sample: dict[str, torch.Tensor] = dataclasses.field(default_factory=dict)
    per_sample_unlabeled: dict[str, torch.Tensor] = dataclasses.field(default_factory=dict)
    features: torch.Tensor | None = None  # (B, D) penultimate features of batch.x, for monitors


@dataclasses.dataclass(frozen=True)
class Stage:
    """One training of a multi-stage method. `fresh_model`: re-initialize the model (and optimizer)."""

    name: str
    fresh_model: bool = True


@dataclasses.dataclass
class StageData:
    """What a method may look at between stages: labeled training inputs and observed labels, no truth.

    x (N_l, ...), y (N_l,), idx (N_l,); x_u (N_u, ...), idx_u (N_u,) the unlabeled part (may be empty);
    `predict(x) -> logits (n, K)` evaluates a model in eval mode without gradients, in batches.
    """

    x: torch.Tensor
    y: torch.Tensor
    idx: torch.Tensor
    x_u: torch.Tensor
    idx_u: torch.Tensor
    predict: Callable[[nn.Module, torch.Tensor], torch.Tensor]


class Optimizers(Protocol):
    """The engine's handle: methods ask it to step; only the engine touches optimizers."""

    def step(self, loss: torch.Tensor, group: str = "model") -> None: ...

    def lr(self, group: str = "model") -> float: ...


class Method:
    name: ClassVar[str] = ""
    help: ClassVar[str] = ""  # one plain-language sentence, shown in the UI and `labelscope list`
    help_ja: ClassVar[str] = ""  # the same in Japanese
    produces: ClassVar[Produces] = Produces()  # its per-sample values and scalars (core/outputs.py)
    Config: ClassVar[type] = EmptyConfig
    uses_unlabeled: ClassVar[bool] = False  # needs labeled_fraction < 1
    needs_features: ClassVar[bool] = False  # informational
    cost_target: ClassVar[float | None] = None  # `labelscope bench` target: time per step relative to the baseline
    # The method every other one is measured against (verdict, cost column, bench); exactly one declares it.
    baseline: ClassVar[bool] = False

    def __init__(self, cfg: Any, ctx: MethodContext):
        self.cfg = cfg
        self.ctx = ctx

    # --- structure -----------------------------------------------------------------------------
    def stages(self) -> list[Stage]:
        return [Stage("train")]

    def modules(self) -> dict[str, nn.Module]:
        """Extra modules trained together with the model (joined to the model's optimizer)."""
        return {}

    def optim_groups(self) -> list[OptimGroup]:
        """Extra, separately stepped optimizers (built after `modules()` are moved to the device)."""
        return []

    def begin_stage(
        self, index: int, stage: Stage, model: nn.Module, prev_model: nn.Module | None, data: StageData
    ) -> dict[str, float]:
        """Called before each stage; returns scalars to log (e.g. teacher agreement)."""
        return {}

    def end_epoch(
        self, epoch: int, model: nn.Module, data: StageData
    ) -> tuple[dict[str, float], dict[str, torch.Tensor]]:
        """Optional per-epoch scalars and per-sample tensors keyed by data.idx_u / data.idx (name -> (N,))."""
        return {}, {}

    # --- training ------------------------------------------------------------------------------
    def loss(self, batch: Batch, out: tuple[torch.Tensor, torch.Tensor], step: int) -> StepOutput:
        raise NotImplementedError

    def train_step(self, batch: Batch, model: nn.Module, step: int, opt: Optimizers) -> StepOutput:
        out = model(batch.x)
        res = self.loss(batch, out, step)
        opt.step(res.loss)
        res.features = out[0]
        return res


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy for hard (B,) or soft (B, K) targets."""
    if targets.dim() == 1:
        return F.cross_entropy(logits, targets)
    return -(targets * F.log_softmax(logits, dim=1)).sum(1).mean()
