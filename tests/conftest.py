"""Shared fixtures: a tiny real comparison on digits (CPU, seconds), made once per test session."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "2")


@pytest.fixture(scope="session")
def tiny_suite(tmp_path_factory):
    """A finished comparison: ce and label_smoothing x seeds 0, 1 on digits, 40% symmetric, 3 epochs.

    Returns dict(runs_dir, suite_id, run_ids).
    """
    from core.engine.run_config import make_config
    from core.engine.suite import plan_suite, run_suite

    runs_dir = str(tmp_path_factory.mktemp("runs"))
    base = make_config({"dataset": "digits", "noise": "symmetric", "noise_rate": 0.4, "method": "ce",
                        "model": "mlp", "epochs": 3, "monitors": ["rlp"], "probe_every": 1,
                        "probe_size": 300})
    suite_id, run_ids = plan_suite(base, ["ce", "label_smoothing"], [0, 1], runs_dir)
    run_suite(runs_dir, run_ids, workers=1)
    return {"runs_dir": runs_dir, "suite_id": suite_id, "run_ids": run_ids}


@pytest.fixture(scope="session")
def tiny_hf_model(tmp_path_factory):
    """A tiny random ResNet written by transformers' save_pretrained (config.json + model.safetensors)."""
    import torch
    from transformers import ResNetConfig, ResNetModel

    torch.manual_seed(0)
    cfg = ResNetConfig(num_channels=3, embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], layer_type="basic")
    d = tmp_path_factory.mktemp("tiny_resnet")
    ResNetModel(cfg).save_pretrained(str(d))
    return str(d)
