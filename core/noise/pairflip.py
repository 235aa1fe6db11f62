"""Pair-flip (asymmetric) noise: with probability `rate` class c becomes c+1 mod K."""

import numpy as np

from core.registry import register_noise


@register_noise("pairflip")
def pairflip(labels: np.ndarray, num_classes: int, rate: float, rng: np.random.Generator, **_) -> np.ndarray:
    flip = rng.random(len(labels)) < rate
    return np.where(flip, (labels + 1) % num_classes, labels)


pairflip.help = "asymmetric: class c is mislabelled as c+1 (mod K)"
pairflip.uses_rate = True
pairflip.pickable = True
pairflip.injects = True
pairflip.needs_features = False
pairflip.options = ()
