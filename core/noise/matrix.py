"""Noise from a user transition matrix T (K, K), row-stochastic: observed ~ T[true]. `rate` is not used."""

import json

import numpy as np

from core.errors import UserError
from core.registry import register_noise


def validate_matrix(matrix, num_classes: int) -> np.ndarray:
    if isinstance(matrix, str):
        try:
            matrix = json.loads(matrix)
        except json.JSONDecodeError:
            raise UserError("noise matrix must be JSON, e.g. [[0.8,0.2],[0.1,0.9]]") from None
    if matrix is None:
        raise UserError("noise kind 'matrix' needs a transition matrix (option 'matrix')")
    T = np.asarray(matrix, dtype=np.float64)
    if T.shape != (num_classes, num_classes):
        raise UserError(f"noise matrix has shape {T.shape}; it must be ({num_classes}, {num_classes})")
    if not np.isfinite(T).all() or (T < 0).any():
        raise UserError("noise matrix entries must be finite and non-negative")
    bad = np.flatnonzero(np.abs(T.sum(1) - 1) > 1e-6)
    if len(bad):
        raise UserError(f"noise matrix row {bad[0]} sums to {T[bad[0]].sum():.4g}; every row must sum to 1")
    return T


@register_noise("matrix")
def matrix(labels: np.ndarray, num_classes: int, rate: float, rng: np.random.Generator, matrix=None, **_) -> np.ndarray:
    T = validate_matrix(matrix, num_classes)
    cum = np.cumsum(T, axis=1)
    u = rng.random(len(labels))
    out = (u[:, None] > cum[labels]).sum(1)
    return np.minimum(out, num_classes - 1)


matrix.help = "observed label drawn from a given row-stochastic transition matrix (rate unused)"
matrix.uses_rate = True  # kept one cell per rate in a grid, as before (the rate itself is unused)
matrix.pickable = False  # needs a (K, K) matrix, which only --set matrix=... gives
matrix.injects = True
matrix.needs_features = False
matrix.options = ("matrix",)  # its --set keys (RunConfig.noise_options)
