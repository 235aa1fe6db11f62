"""Probe interface: `run(ctx) -> ProbeResult(scalars, arrays)`; the engine saves arrays as npz artifacts."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from core.config import EmptyConfig


@dataclasses.dataclass
class ProbeContext:
    """The probe subset (P samples, fixed for the run) and what is known about it.

    x (P, ...) on the model's device; idx (P,) dataset indices; y_obs (P,) observed labels;
    y_true (P,) or None; flipped (P,) bool or None (None when the truth is unknown);
    per_sample: the method's per-sample values over the whole dataset, name -> (N,) float (NaN = none);
    per_sample_meaning: what each of them is, as the method declares it (core.outputs.PerSample, by key);
    history: the metric records logged so far.
    """

    model: nn.Module
    x: torch.Tensor
    idx: np.ndarray
    y_obs: np.ndarray
    y_true: np.ndarray | None
    flipped: np.ndarray | None
    num_classes: int
    epoch: int
    method: str
    weight_decay: float
    per_sample: dict[str, np.ndarray]
    history: list[dict]
    class_names: tuple[str, ...] = ()
    kind: str = "tabular"
    seed: int = 0
    per_sample_meaning: dict = dataclasses.field(default_factory=dict)

    # (features (P, D), logits (P, K)) of x in eval mode, when already computed (the engine passes its
    # evaluation's); otherwise filled by the first `forward` call.
    cached: tuple | None = dataclasses.field(default=None, repr=False, compare=False)

    def forward(self, batch_size: int = 2048) -> tuple[torch.Tensor, torch.Tensor]:
        """Penultimate features (P, D) and logits (P, K), float32, no grad.

        Computed once per context: the probes of one log point share it (the model does not change
        between them). Callers must not modify the returned tensors in place.
        """
        if self.cached is not None:
            return self.cached
        feats, logits = [], []
        with torch.no_grad():
            for i in range(0, len(self.x), batch_size):
                f, z = self.model(self.x[i : i + batch_size])
                feats.append(f.float())
                logits.append(z.float())
        self.cached = (torch.cat(feats), torch.cat(logits))
        return self.cached


@dataclasses.dataclass
class ProbeResult:
    """scalars -> logged as `probe/<probe>/<key>`; arrays -> `artifacts/<probe>/e<epoch>.npz`."""

    scalars: dict[str, float] = dataclasses.field(default_factory=dict)
    arrays: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)


class Probe:
    name: ClassVar[str] = ""
    help: ClassVar[str] = ""
    Config: ClassVar[type] = EmptyConfig

    def __init__(self, cfg: Any = None):
        self.cfg = cfg if cfg is not None else self.Config()

    def run(self, ctx: ProbeContext) -> ProbeResult:
        raise NotImplementedError
