"""A tiny probe context: a fresh model, probe inputs, noisy labels with known flips and method values."""

import numpy as np
import pytest
import torch

from core.models import build_model
from core.outputs import LOSS, WEIGHT, PerSample
from core.probes.base import ProbeContext

WEIGHT_LABEL = {"en": "sample weight", "ja": "サンプル重み"}


def _make_ctx(model_name="mlp", truth=True, seed=0, n=60, K=3):
    """(model, ProbeContext) with n probe samples at even dataset indices; every 4th label flipped."""
    torch.manual_seed(seed)
    shape = (1, 8, 8) if model_name == "cnn_small" else (6,)
    model = build_model(model_name, shape, K, {})
    x = torch.randn(n, *shape)
    y_true = np.arange(n) % K
    y_obs = y_true.copy()
    y_obs[::4] = (y_obs[::4] + 1) % K
    idx = np.arange(0, 2 * n, 2)
    N = 2 * n + 1
    per = {"loss": np.full(N, np.nan), "clid_weight": np.full(N, np.nan)}
    per["loss"][idx] = np.linspace(0, 2, n)
    per["clid_weight"][idx[::2]] = np.linspace(1, 0, len(idx[::2]))
    ctx = ProbeContext(
        model=model,
        x=x,
        idx=idx,
        y_obs=y_obs,
        y_true=y_true if truth else None,
        flipped=(y_obs != y_true) if truth else None,
        num_classes=K,
        epoch=5,
        method="ce",
        weight_decay=5e-4,
        per_sample=per,
        history=[],
        seed=seed,
        per_sample_meaning={"loss": LOSS, "clid_weight": PerSample("clid_weight", WEIGHT, WEIGHT_LABEL)},
    )
    return model, ctx


@pytest.fixture
def make_ctx():
    return _make_ctx
