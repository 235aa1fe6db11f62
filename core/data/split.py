"""Stratified train/val/test split fixed by the seed, and the labeled/unlabeled split of the training part."""

from __future__ import annotations

import dataclasses

import numpy as np

from core.errors import UserError


@dataclasses.dataclass(frozen=True)
class Split:
    """Index arrays into the dataset. `train` are the labeled training samples; `unlabeled` their hidden peers."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    unlabeled: np.ndarray


def _stratified_take(
    idx: np.ndarray, y: np.ndarray, frac: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Split `idx` into (taken, rest) with ~frac of each class taken (at least one per class if frac > 0)."""
    taken, rest = [], []
    for c in np.unique(y[idx]):
        members = idx[y[idx] == c]
        members = members[rng.permutation(len(members))]
        k = int(round(frac * len(members)))
        if frac > 0:
            k = max(1, min(k, len(members) - 1))
        taken.append(members[:k])
        rest.append(members[k:])
    return np.sort(np.concatenate(taken)), np.sort(np.concatenate(rest))


def make_split(
    y: np.ndarray, seed: int, val_fraction: float = 0.1, test_fraction: float = 0.2, labeled_fraction: float = 1.0
) -> Split:
    """Deterministic in `seed`. y (N,) are the labels to stratify by."""
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise UserError("the data has a single class; at least two are needed")
    if counts.min() < 3:
        bad = classes[counts.argmin()]
        raise UserError(
            f"class {bad} has only {counts.min()} sample(s); each class needs at least 3 "
            "to be split into train/val/test"
        )
    rng = np.random.default_rng(seed)
    idx = np.arange(len(y))
    test, rest = _stratified_take(idx, y, test_fraction, rng)
    val, train = _stratified_take(rest, y, val_fraction / max(1e-9, 1 - test_fraction), rng)
    if labeled_fraction < 1.0:
        train, unlabeled = _stratified_take(train, y, labeled_fraction, rng)
    else:
        unlabeled = np.zeros(0, dtype=np.int64)
    return Split(train, val, test, unlabeled)
