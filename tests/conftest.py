"""Shared fixtures: a dashboard page opened through the router, a tiny real comparison on digits (made once per
test session), a finished grid written straight to the store."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "2")

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dashboard", "app.py")


@pytest.fixture
def open_page(monkeypatch):
    """open_page(path, runs_dir) -> AppTest switched to `path` (e.g. "pages/live.py"), checked for exceptions."""

    from streamlit.testing.v1 import AppTest

    def _open(path: str, runs_dir: str) -> AppTest:
        monkeypatch.setenv("LABELSCOPE_RUNS", runs_dir)
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.switch_page(path).run()
        assert not at.exception
        return at

    return _open


@pytest.fixture(scope="session")
def tiny_suite(tmp_path_factory):
    """A finished comparison: ce and label_smoothing x seeds 0, 1 on digits, 40% symmetric, 3 epochs.

    Returns dict(runs_dir, suite_id, run_ids).
    """
    from core.engine.run_config import make_config
    from core.engine.suite import plan_suite, run_suite

    runs_dir = str(tmp_path_factory.mktemp("runs"))
    base = make_config(
        {
            "dataset": "digits",
            "noise": "symmetric",
            "noise_rate": 0.4,
            "method": "ce",
            "model": "mlp",
            "epochs": 3,
            "monitors": ["rlp"],
            "probe_every": 1,
            "probe_size": 300,
        }
    )
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


@pytest.fixture
def grid_store(tmp_path):
    """A finished grid written straight to the store: ce, labo x symmetric 20/40/60% x seeds 0, 1 (suite
    `grid1`), each with a 2-point learning curve; labo is 10 points better at 40% and 60%, equal at 20%.
    Returns the runs folder."""
    from core.store.writer import RunWriter, write_suite

    run_ids = []
    for rate in (0.2, 0.4, 0.6):
        for method in ("ce", "labo"):
            for seed in (0, 1):
                acc = 0.9 - rate / 2 + (0.1 if method == "labo" and rate >= 0.4 else 0.0) + 0.01 * seed
                rid = f"r-{rate}-{method}-{seed}"
                w = RunWriter(
                    str(tmp_path),
                    rid,
                    {
                        "method": method,
                        "seed": seed,
                        "noise": "symmetric",
                        "noise_rate": rate,
                        "dataset": "digits",
                        "suite": "grid1",
                        "created": 1.0,
                    },
                )
                for ep in (1, 2):
                    w.log({"epoch": ep, "step": ep, "time": float(ep), "test/acc": acc - 0.1 / ep})
                w.write_summary(
                    {
                        "state": "completed",
                        "test_acc_final": acc,
                        "test_acc_best": acc + 0.01,
                        "wall_time_s": 1.0,
                        "epoch_time_s": 0.5,
                    }
                )
                w.set_status("completed")
                w.close()
                run_ids.append(rid)
    write_suite(
        str(tmp_path),
        "grid1",
        {
            "run_ids": run_ids,
            "methods": ["ce", "labo"],
            "seeds": [0, 1],
            "grid": {"methods": ["ce", "labo"], "seeds": [0, 1], "noise": ["symmetric"], "noise_rate": [0.2, 0.4, 0.6]},
            "setting": {"dataset": "digits", "noise": "symmetric", "noise_rate": 0.2},
        },
    )
    return str(tmp_path)


@pytest.fixture
def font_em():
    """font_em(text, family, bold) -> the text's advance width in ems in the real font as fontconfig finds it;
    a skip when the machine lacks that font."""
    import shutil
    import subprocess

    from PIL import ImageFont

    if not shutil.which("fc-match"):
        pytest.skip("fontconfig's fc-match is not installed")

    def measure(text: str, family: str, bold: bool = False) -> float:
        style = "bold" if bold else "regular"
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", f"{family}:{style}"], capture_output=True, text=True
        )
        path, index = found.stdout.split("|")
        font = ImageFont.truetype(path, 100, index=int(index or 0))
        if font.getname()[0] != family:
            pytest.skip(f"{family} is not installed (fontconfig offers {font.getname()[0]})")
        return font.getlength(text) / 100

    return measure
