"""Registered dataset loaders (`DatasetLoader`) and name-or-path loading; the `Dataset` record is core/data/dataset.py."""

from __future__ import annotations

import os
from typing import Any

from core import config as C
from core.data.dataset import Dataset, content_hash  # noqa: F401  (loaders import the record from here)
from core.data.files import load_file
from core.errors import UserError
from core.registry import DATASETS


class DatasetLoader:
    """Base of registered bundled datasets: a frozen `Config` and `load(cfg, seed) -> Dataset`."""

    name = ""
    help = ""
    Config: type = C.EmptyConfig
    online = False  # True: the data is downloaded on first use (tests cover such loaders with small local files)
    cache_dir: str | None = None  # set by `load_dataset`: where computed features (text embeddings) are cached

    def load(self, cfg: Any, seed: int) -> Dataset:
        raise NotImplementedError


def is_path(name: str) -> bool:
    return os.sep in name or "." in os.path.basename(name) or os.path.exists(name)


def load_dataset(
    name_or_path: str, options: dict | None = None, seed: int = 0, cache_dir: str | None = None
) -> Dataset:
    """A registered dataset by name, or a user file by path (CSV/Parquet/NPZ/NPY/ZIP). `cache_dir` (a runs
    folder) holds cached features (text embeddings) where a dataset computes them."""
    options = dict(options or {})
    if name_or_path in DATASETS:
        loader = DATASETS.get(name_or_path)()
        loader.cache_dir = cache_dir
        return loader.load(C.build(loader.Config, options), seed)
    if is_path(name_or_path):
        return load_file(name_or_path, options, cache_dir)
    raise UserError(
        f"unknown dataset '{name_or_path}'; valid choices: {', '.join(DATASETS.names())} "
        "or a path to a .csv/.parquet/.npz/.npy/.zip file"
    )
