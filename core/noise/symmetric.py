"""Symmetric noise: with probability `rate` a label moves to a class drawn uniformly from the *other* classes."""

import numpy as np

from core.registry import register_noise


@register_noise("symmetric")
def symmetric(labels: np.ndarray, num_classes: int, rate: float, rng: np.random.Generator, **_) -> np.ndarray:
    flip = rng.random(len(labels)) < rate
    # An offset in 1..K-1 guarantees the new class differs from the old one.
    offset = rng.integers(1, num_classes, size=len(labels))
    return np.where(flip, (labels + offset) % num_classes, labels)


symmetric.help = "a flipped label goes to a uniformly chosen other class"
symmetric.uses_rate = True
symmetric.pickable = True
symmetric.injects = True
symmetric.needs_features = False
symmetric.options = ()
