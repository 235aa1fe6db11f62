"""The probe guard: probes observe a run and must leave its training exactly as it was.

Inside the guard the model is in eval mode, gradients are off and BLAS/torch use one thread (the probes'
small matrix work is slower threaded on a shared CPU, see core/probes/_threads.py); on exit the torch
(CPU and CUDA), numpy and Python RNG states, the model's mode and the thread count are restored.
"""

from __future__ import annotations

import contextlib
import random

import numpy as np
import torch

from core.probes._threads import single_thread


@contextlib.contextmanager
def probe_guard(model: torch.nn.Module, device: torch.device):
    cpu_rng = torch.get_rng_state()
    cuda_rng = torch.cuda.get_rng_state_all() if device.type == "cuda" else None
    np_rng, py_rng = np.random.get_state(), random.getstate()
    was = model.training
    model.eval()
    try:
        with torch.no_grad(), single_thread():
            yield
    finally:
        model.train(was)
        torch.set_rng_state(cpu_rng)
        if cuda_rng is not None:
            torch.cuda.set_rng_state_all(cuda_rng)
        np.random.set_state(np_rng)
        random.setstate(py_rng)
