"""Functional-model helpers shared by the bi-level methods (CLID-MU, DRIFT): run a model with
substituted parameters and copied buffers, and take differentiable virtual SGD steps."""

from __future__ import annotations

import contextlib

import torch
from torch import nn
from torch.func import functional_call

Params = dict[str, torch.Tensor]


def params_of(model: nn.Module) -> Params:
    """The model's trainable parameters by name (the live tensors, so gradients reach the model)."""
    return {k: p for k, p in model.named_parameters() if p.requires_grad}


def buffers_copy(model: nn.Module) -> Params:
    """Copies of the model's buffers (BatchNorm running stats): a pass run with them in train mode
    updates the copies, never the model."""
    return {k: b.detach().clone() for k, b in model.named_buffers()}


@contextlib.contextmanager
def mode(model: nn.Module, training: bool):
    """Temporarily put the model in train or eval mode (e.g. an eval-mode teacher pass)."""
    was = model.training
    model.train(training)
    try:
        yield model
    finally:
        model.train(was)


def fcall(model: nn.Module, params: Params, buffers: Params, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """`model(x)` with `params` and `buffers` substituted: (features (B, D), logits (B, K)).
    Parameters missing from `params` (frozen ones) are taken from the model."""
    return functional_call(model, {**params, **buffers}, (x,), strict=False)


def sgd_step(params: Params, loss: torch.Tensor, lr: float | torch.Tensor, create_graph: bool = True) -> Params:
    """theta' = theta - lr * d loss / d theta (plain SGD: no momentum, no weight decay).

    With `create_graph` the result stays a differentiable function of whatever `loss` depends on
    (e.g. the meta-net's weights), which is what the second-order meta-gradient needs."""
    names = list(params)
    grads = torch.autograd.grad(loss, [params[k] for k in names], create_graph=create_graph, allow_unused=True)
    return {k: (params[k] if g is None else params[k] - lr * g) for k, g in zip(names, grads)}
