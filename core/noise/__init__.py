"""Label noise: `apply_noise` dispatches to registered kinds; every kind is a pure function of (labels, rate, seed).

Each kind declares `uses_rate`, `pickable` (offered by the Set up page), `injects` (False: the labels as given),
`needs_features` and `options` (its `--set` keys); everything else reads these, never a kind's name."""

from __future__ import annotations

import numpy as np

from core.errors import UserError
from core.registry import NOISE


def apply_noise(
    labels: np.ndarray, num_classes: int, kind: str, rate: float, seed: int, **options
) -> tuple[np.ndarray, np.ndarray]:
    """labels (N,) int -> (observed (N,) int64, flipped (N,) bool). Deterministic in `seed`.

    Options by kind: `matrix` takes `matrix` (K, K) row-stochastic; `instance` takes `features` (N, ...).
    """
    labels = np.asarray(labels, dtype=np.int64)
    if not (0.0 <= float(rate) < 1.0):
        raise UserError(f"noise rate {rate} is out of range; valid range: [0, 1)")
    fn = NOISE.get(kind)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x6E015E]))
    observed = np.asarray(fn(labels, int(num_classes), float(rate), rng, **options), dtype=np.int64)
    return observed, observed != labels


def transition_matrix(true: np.ndarray, observed: np.ndarray, num_classes: int) -> np.ndarray:
    """Empirical row-stochastic T[i, j] = P(observed=j | true=i), (K, K); empty rows are identity."""
    T = np.zeros((num_classes, num_classes))
    np.add.at(T, (np.asarray(true), np.asarray(observed)), 1.0)
    rows = T.sum(1, keepdims=True)
    eye = np.eye(num_classes)
    return np.where(rows > 0, T / np.where(rows > 0, rows, 1), eye)


def noise_help() -> dict[str, str]:
    return {name: fn.help for name, fn in NOISE.items()}


def injects(kind: str | None) -> bool:
    """Whether noise of `kind` was injected (so which labels are wrong is known). A config without a kind injected
    nothing; a kind this install does not have (an old run) was an injected one."""
    if not kind:
        return False
    return bool(NOISE.get(kind).injects) if kind in NOISE else True


def no_noise() -> str:
    """The one kind that injects nothing: the value of real-labels mode."""
    names = [name for name, fn in NOISE.items() if not fn.injects]
    if len(names) != 1:
        raise RuntimeError(f"exactly one noise kind must declare injects = False; found {names or 'none'}")
    return names[0]


def pickable_kinds() -> list[str]:
    """The kinds a user picks from a list (those needing extra input, such as a matrix, are left to --set)."""
    return [name for name, fn in NOISE.items() if fn.pickable]


def option_keys() -> set[str]:
    """Every `--set` key some noise kind declares in `options` (e.g. `matrix`)."""
    return {key for _, fn in NOISE.items() for key in fn.options}
