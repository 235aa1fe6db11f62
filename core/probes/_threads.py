"""Thread limits for the probes' small matrix work: on a shared CPU, threaded BLAS and torch intra-op
pools spin-wait far longer than these (≤ 2000 × D) computations take (measured ~50x on 2 busy cores)."""

from __future__ import annotations

import contextlib
import functools

import torch


@functools.lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finding the BLAS libraries once, not per call


@contextlib.contextmanager
def single_thread():
    """One BLAS thread and one torch thread inside the block; the previous settings are restored."""
    prev = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with _controller().limit(limits=1):
            yield
    finally:
        torch.set_num_threads(prev)
