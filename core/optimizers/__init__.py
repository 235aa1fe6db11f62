"""Optimizers: each registered with `@register_optimizer(name)`; the name is the RunConfig `optimizer` value.

An optimizer plug-in has `help` and `build(params, lr, weight_decay, momentum) -> torch.optim.Optimizer`.
"""
