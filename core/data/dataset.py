"""The `Dataset` record every loader returns and its content hash (its own module: both the registered loaders
in core/data/base.py and the user-file reader in core/data/files.py build one, and neither imports the other's)."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np


@dataclasses.dataclass
class Dataset:
    """X (N, ...) float32 keeps its shape (images stay (N, C, H, W)); y (N,) int64 labels as given.

    `labels_are_truth`: the given labels are ground truth (bundled data), so injected noise can be
    scored. `y_clean` (N,) holds separate ground truth when a file provides one. `texts` (N,) str: the raw
    texts of a text dataset (kind "text"), whose embedding X is.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...]
    labels_are_truth: bool = True
    y_clean: np.ndarray | None = None
    kind: str = "tabular"  # tabular | image | embedding | text
    source: str = "bundled"
    content_hash: str = ""
    # Images only: (mean, std) of the loader's standardization, so raw pixels in [0, 1] are X * std + mean
    # (pretrained backbones need them). None: unknown.
    pixel_stats: tuple[float, float] | None = None
    texts: np.ndarray | None = None
    text_column: str = ""

    def __post_init__(self) -> None:
        self.X = np.ascontiguousarray(self.X, dtype=np.float32)
        self.y = np.asarray(self.y, dtype=np.int64)
        if not self.content_hash:
            self.content_hash = content_hash(self.X, self.y, self.y_clean)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.X.shape[1:])

    @property
    def truth(self) -> np.ndarray | None:
        """Ground-truth labels (N,) if known, else None (real-noise data without a clean column)."""
        if self.y_clean is not None:
            return np.asarray(self.y_clean, dtype=np.int64)
        return self.y if self.labels_are_truth else None


def content_hash(X: np.ndarray, y: np.ndarray, y_clean: np.ndarray | None = None) -> str:
    h = hashlib.sha256()
    for a in (X, y) + ((y_clean,) if y_clean is not None else ()):
        a = np.ascontiguousarray(a)
        h.update(str(a.shape).encode() + str(a.dtype).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]
