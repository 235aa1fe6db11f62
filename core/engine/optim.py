"""The engine's optimizers: built from the optimizer registry, one per group, stepped only through `Optimizers`."""

from __future__ import annotations

import torch

from core.registry import OPTIMIZERS


def make_optimizer(kind: str, params: list, lr: float, weight_decay: float, momentum: float) -> torch.optim.Optimizer:
    """The registered optimizer `kind` over `params` (an unknown kind is a UserError listing the valid ones)."""
    return OPTIMIZERS.get(kind).build(params, lr=lr, weight_decay=weight_decay, momentum=momentum)


class Optimizers:
    """The engine's optimizers by group; methods call `step(loss, group)` and never see them directly."""

    def __init__(self):
        self.opts: dict[str, torch.optim.Optimizer] = {}
        self.params: dict[str, list] = {}

    def add(self, name: str, opt: torch.optim.Optimizer, params: list) -> None:
        self.opts[name], self.params[name] = opt, params

    def step(self, loss: torch.Tensor, group: str = "model") -> None:
        opt = self.opts[group]
        if group == "model":
            opt.zero_grad(set_to_none=True)
            loss.backward()
        else:
            # Only this group's parameters get gradients, so a meta-loss leaves no stale grads in the model.
            grads = torch.autograd.grad(loss, self.params[group], allow_unused=True)
            for p, g in zip(self.params[group], grads):
                p.grad = g
        opt.step()

    def lr(self, group: str = "model") -> float:
        return self.opts[group].param_groups[0]["lr"]

    def set_lr(self, lr: float, group: str = "model") -> None:
        for g in self.opts[group].param_groups:
            g["lr"] = lr
