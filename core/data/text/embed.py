"""Texts -> features through a text encoder, cached on disk per (texts, encoder, options) in the shared
feature cache, so a second run (and every run of a comparison) skips the encoder."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from core.data.text.base import make_encoder


def texts_hash(texts: Sequence[str]) -> str:
    """sha256 of the texts in order (24 hex digits). Labels and other columns are not part of it: the features
    do not depend on them, so relabelling a file reuses its embedding."""
    h = hashlib.sha256(str(len(texts)).encode())
    for s in texts:
        b = str(s).encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little") + b)
    return h.hexdigest()[:24]


def scale(E: np.ndarray) -> np.ndarray:
    """(N, D) -> centred columns and one overall scale (unit mean variance): unlike a per-column scale, this
    keeps the weak SVD directions weak instead of blowing their noise up to the strong ones' size."""
    E = E.astype(np.float64)
    E = E - E.mean(0)
    sd = float(E.std())
    return (E / (sd if sd > 0 else 1.0)).astype(np.float32)


def embed_texts(
    texts: Sequence[str], spec: str, options: dict | str | None = None, cache_dir: str | None = None
) -> tuple[np.ndarray, bool]:
    """(features (N, D) float32, cache hit). Without `cache_dir` the encoder always runs."""
    enc = make_encoder(spec, options)
    parts = {"kind": "text-embedding", "texts": texts_hash(texts), **enc.parts()}
    if not cache_dir:
        return scale(enc.encode(texts)), False
    from core.features.cache import FeatureCache

    E, hit = FeatureCache(cache_dir).get_or_compute(parts, lambda: enc.encode(texts))
    return scale(E), hit
