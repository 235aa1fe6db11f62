"""What a plug-in is told about the run it joins (`MethodContext`) and the extra optimizer it may ask the engine
for (`OptimGroup`); shared by methods and monitors."""

from __future__ import annotations

import dataclasses

import torch


@dataclasses.dataclass(frozen=True)
class MethodContext:
    num_classes: int
    n_total: int
    feature_dim: int
    input_shape: tuple[int, ...]
    device: torch.device
    seed: int
    epochs: int
    n_labeled: int
    n_unlabeled: int
    model_name: str = ""
    batch_size: int = 0  # the run's mini-batch size (0 = unknown), e.g. to turn epochs into steps


@dataclasses.dataclass(frozen=True)
class OptimGroup:
    """An extra optimizer the engine owns for a method's own parameters (e.g. a meta-net)."""

    name: str
    params: list
    kind: str = "sgd"  # a registered optimizer (core/optimizers/)
    lr: float = 1e-3
    weight_decay: float = 0.0
    momentum: float = 0.9
