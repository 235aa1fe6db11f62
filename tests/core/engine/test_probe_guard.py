"""The probe guard leaves training as it was: RNG streams, the model's mode and the thread count."""

from __future__ import annotations

import random

import numpy as np
import torch

from core.engine.probe_guard import probe_guard


def test_guard_restores_rng_mode_and_threads():
    model = torch.nn.Linear(3, 2)
    model.train()
    threads = torch.get_num_threads()
    torch.manual_seed(0)
    np.random.seed(0)
    random.seed(0)
    expect = (torch.rand(3), np.random.rand(3), random.random())
    torch.manual_seed(0)
    np.random.seed(0)
    random.seed(0)
    with probe_guard(model, torch.device("cpu")):
        assert not model.training and not torch.is_grad_enabled() and torch.get_num_threads() == 1
        torch.rand(100), np.random.rand(100), random.random()
    assert model.training and torch.is_grad_enabled() and torch.get_num_threads() == threads
    got = (torch.rand(3), np.random.rand(3), random.random())
    torch.testing.assert_close(got[0], expect[0])
    np.testing.assert_array_equal(got[1], expect[1])
    assert got[2] == expect[2]


def test_guard_restores_even_when_a_probe_raises():
    model = torch.nn.Linear(3, 2).train()
    try:
        with probe_guard(model, torch.device("cpu")):
            raise ValueError("broken probe")
    except ValueError:
        pass
    assert model.training and torch.is_grad_enabled()
