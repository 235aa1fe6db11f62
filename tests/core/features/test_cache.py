"""The generic feature cache: key parts -> array, computed once, atomic files, damaged entries recomputed."""

from __future__ import annotations

import os

import numpy as np

from core.features.cache import FeatureCache, cache_key


def test_key_ignores_order_and_changes_with_parts():
    assert cache_key({"a": 1, "b": "x"}) == cache_key({"b": "x", "a": 1})
    assert cache_key({"a": 1}) != cache_key({"a": 2})


def test_get_or_compute_computes_once(tmp_path):
    cache, calls = FeatureCache(str(tmp_path)), []
    parts = {"data": "abc", "model": "m", "revision": "r1"}

    def compute():
        calls.append(1)
        return np.arange(6, dtype=np.float32).reshape(3, 2)

    a, hit1 = cache.get_or_compute(parts, compute)
    b, hit2 = cache.get_or_compute(parts, compute)
    assert (hit1, hit2) == (False, True) and len(calls) == 1
    np.testing.assert_array_equal(a, b)
    assert os.path.isfile(cache.path(parts)) and cache.path(parts).startswith(str(tmp_path / "_features"))
    assert cache.get({**parts, "revision": "r2"}) is None


def test_damaged_entry_is_recomputed(tmp_path):
    cache = FeatureCache(str(tmp_path))
    parts = {"k": 1}
    cache.put(parts, np.ones((2, 2), np.float32))
    with open(cache.path(parts), "wb") as f:
        f.write(b"not an npy file")
    arr, hit = cache.get_or_compute(parts, lambda: np.zeros((2, 2), np.float32))
    assert not hit and arr.sum() == 0
