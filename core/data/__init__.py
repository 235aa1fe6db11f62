"""Datasets: bundled loaders (registered) and user files, returning a `Dataset`; see `prepare` for splits and noise."""

from core.data.base import Dataset, load_dataset  # noqa: F401
