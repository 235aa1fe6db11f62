"""No injected noise: the labels are taken as given (real-noise mode for a user's own labels)."""

import numpy as np

from core.registry import register_noise


@register_noise("none")
def none(labels: np.ndarray, num_classes: int, rate: float, rng: np.random.Generator, **_) -> np.ndarray:
    return labels.copy()


none.help = "inject nothing: use the labels as given (real-noise mode)"
none.uses_rate = False  # a grid gives this kind one cell, not one per noise rate
none.pickable = False  # the Set up page's real-labels mode, not an injected kind
none.injects = False  # the labels as given: which ones are wrong is unknown
none.needs_features = False
none.options = ()
