"""From a RunConfig to training data: load, split (stratified, seeded), inject noise on the non-test part."""

from __future__ import annotations

import dataclasses

import numpy as np

from core.data.base import Dataset, load_dataset
from core.data.split import Split, make_split
from core.noise import apply_noise, injects, transition_matrix
from core.registry import NOISE


@dataclasses.dataclass
class Prepared:
    """observed (N,): labels methods train on (test keeps the given labels); truth (N,) or None;
    flipped (N,) bool: observed != truth (all False when truth is unknown)."""

    dataset: Dataset
    observed: np.ndarray
    truth: np.ndarray | None
    flipped: np.ndarray
    split: Split
    noise: dict


def prepare(cfg, cache_dir: str | None = None) -> Prepared:
    """`cache_dir`: the runs folder, whose feature cache keeps text embeddings between runs."""
    ds = load_dataset(cfg.dataset, cfg.dataset_options, cfg.seed, cache_dir)
    K = ds.num_classes
    # Injecting noise into labels without separate truth means the user vouches for the given labels.
    truth = ds.truth if ds.truth is not None else (ds.y if injects(cfg.noise) else None)
    split = make_split(ds.y, cfg.seed, cfg.val_fraction, cfg.test_fraction, cfg.labeled_fraction)
    observed = ds.y.copy()
    nontest = np.sort(np.concatenate([split.train, split.val, split.unlabeled]))
    opts = dict(cfg.noise_options)
    if NOISE.get(cfg.noise).needs_features:
        opts["features"] = ds.X[nontest]
    obs, _ = apply_noise(ds.y[nontest], K, cfg.noise, cfg.noise_rate, cfg.seed, **opts)
    observed[nontest] = obs
    flipped = (observed != truth) if truth is not None else np.zeros(len(observed), bool)
    info = {"kind": cfg.noise, "rate": cfg.noise_rate, "truth_known": truth is not None}
    if truth is not None:
        tr = split.train
        info["realized_rate"] = float(flipped[tr].mean()) if len(tr) else 0.0
        info["transition_matrix"] = transition_matrix(truth[tr], observed[tr], K).tolist()
    return Prepared(ds, observed, truth, flipped, split, info)
