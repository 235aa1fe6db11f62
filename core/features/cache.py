"""On-disk cache of computed arrays, keyed by the parts that determine them (data hash, model, revision, ...).

Generic on purpose: image-backbone features and text embeddings use the same cache. Entries live in
`<runs_dir>/_features/<key>.npy` with a `<key>.json` beside it naming the parts; writes are atomic
(rename) and a per-key lock makes parallel runs wait for the first one instead of computing twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator

import numpy as np

FOLDER = "_features"


def cache_key(parts: dict) -> str:
    """A stable 24-hex-digit key of JSON-serializable `parts` (order of keys does not matter)."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


class FeatureCache:
    """`get(parts)`, `put(parts, array)`, `get_or_compute(parts, fn)`; arrays are plain numeric .npy files."""

    def __init__(self, runs_dir: str):
        self.root = os.path.join(runs_dir, FOLDER)

    def path(self, parts: dict) -> str:
        return os.path.join(self.root, cache_key(parts) + ".npy")

    def get(self, parts: dict) -> np.ndarray | None:
        p = self.path(parts)
        if not os.path.isfile(p):
            return None
        try:
            return np.load(p, allow_pickle=False)
        except (OSError, ValueError):  # a damaged entry is recomputed, never trusted
            return None

    def put(self, parts: dict, array: np.ndarray) -> str:
        os.makedirs(self.root, exist_ok=True)
        p = self.path(parts)
        tmp = f"{p}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            np.save(f, np.ascontiguousarray(array), allow_pickle=False)
        meta = {
            "parts": parts,
            "shape": list(array.shape),
            "dtype": str(array.dtype),
            "created": time.time(),
        }
        with open(tmp + ".json", "w") as f:
            json.dump(meta, f, default=str)
        os.replace(tmp + ".json", p[:-4] + ".json")
        os.replace(tmp, p)  # the array last: its presence means the entry is complete
        return p

    @contextlib.contextmanager
    def _lock(self, parts: dict) -> Iterator[None]:
        os.makedirs(self.root, exist_ok=True)
        with open(self.path(parts)[:-4] + ".lock", "w") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def get_or_compute(self, parts: dict, compute: Callable[[], np.ndarray]) -> tuple[np.ndarray, bool]:
        """(array, hit): the cached array, or `compute()` stored under `parts`; hit is False when computed."""
        got = self.get(parts)
        if got is not None:
            return got, True
        with self._lock(parts):
            got = self.get(parts)  # another process may have finished it while we waited
            if got is not None:
                return got, True
            arr = np.asarray(compute())
            self.put(parts, arr)
            return arr, False
