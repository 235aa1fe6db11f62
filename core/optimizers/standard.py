"""The standard torch optimizers (SGD with momentum, Adam, AdamW); torch is imported only when one is built."""

from __future__ import annotations

from core.registry import register_optimizer


@register_optimizer("adamw")
class AdamW:
    help = "AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, ICLR 2019)."
    help_ja = "AdamW：重み減衰を勾配から切り離した Adam（Loshchilov & Hutter, ICLR 2019）。"

    @staticmethod
    def build(params: list, lr: float, weight_decay: float, momentum: float):
        import torch

        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)


@register_optimizer("adam")
class Adam:
    help = "Adam with L2 weight decay added to the gradient (Kingma & Ba, ICLR 2015)."
    help_ja = "勾配に L2 重み減衰を加える Adam（Kingma & Ba, ICLR 2015）。"

    @staticmethod
    def build(params: list, lr: float, weight_decay: float, momentum: float):
        import torch

        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)


@register_optimizer("sgd")
class SGD:
    help = "Stochastic gradient descent with (heavy-ball) momentum and L2 weight decay."
    help_ja = "モーメンタム（heavy-ball）と L2 重み減衰付きの確率的勾配降下法。"

    @staticmethod
    def build(params: list, lr: float, weight_decay: float, momentum: float):
        import torch

        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
