"""`--model hf:<dir>`: a tiny ResNet saved with save_pretrained trains through the CLI on cached features;
the second run hits the cache and never runs the backbone; offline without a copy fails fast with one line."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest
import torch

from core import cli
from core.errors import UserError
from core.models import hf_backbone as hb


@pytest.fixture
def tiny_resnet(tiny_hf_model):
    return tiny_hf_model


def _train(capsys, runs, model, *extra):
    rc = cli.main(
        [
            "train",
            "--dataset",
            "digits",
            "--noise-rate",
            "0.2",
            "--model",
            model,
            "--epochs",
            "2",
            "--runs-dir",
            runs,
            "--set",
            "image_size=16",
            "--set",
            "probe_size=200",
            *extra,
        ]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 0, out
    run_id = out[-2]
    with open(os.path.join(runs, run_id, "data.json")) as f:
        return run_id, json.load(f), json.loads(out[-1])


def test_frozen_trains_and_second_run_hits_cache(tiny_resnet, tmp_path, capsys, monkeypatch):
    runs = str(tmp_path / "runs")
    _, data1, s1 = _train(capsys, runs, f"hf:{tiny_resnet}")
    feats = data1["features"]
    assert feats["cache"] == "computed" and feats["mode"] == "frozen"
    assert os.path.isfile(feats["cache_file"]) and feats["cache_file"].startswith(os.path.join(runs, "_features"))
    assert data1["input_shape"] == [feats["feature_dim"]] and data1["kind"] == "embedding"
    assert s1["state"] == "completed" and s1["model"] == "hf"
    mtime = os.path.getmtime(feats["cache_file"])

    def no_backbone(*a, **k):
        raise AssertionError("the backbone ran again on cached data")

    monkeypatch.setattr(hb, "encode_images", no_backbone)
    monkeypatch.setattr(hb, "load_backbone", no_backbone)
    _, data2, s2 = _train(capsys, runs, f"hf:{tiny_resnet}", "--method", "label_smoothing")
    assert data2["features"]["cache"] == "hit" and data2["features"]["cache_file"] == feats["cache_file"]
    assert os.path.getmtime(feats["cache_file"]) == mtime and s2["state"] == "completed"
    with open(os.path.join(runs, s2["run_id"], "config.json")) as f:
        cfg = json.load(f)
    assert cfg["model"] == "hf" and cfg["model_options"]["source"] == tiny_resnet
    assert cfg["model_options"]["mode"] == "frozen"


def test_other_preprocessing_is_another_cache_entry(tiny_resnet, tmp_path, capsys):
    runs = str(tmp_path / "runs")
    _, a, _ = _train(capsys, runs, f"hf:{tiny_resnet}")
    _, b, _ = _train(capsys, runs, f"hf:{tiny_resnet}", "--set", "image_size=24")
    assert a["features"]["cache_file"] != b["features"]["cache_file"] and b["features"]["cache"] == "computed"


@pytest.mark.slow
def test_finetune_trains_the_backbone(tiny_resnet, tmp_path, capsys):
    _, data, s = _train(capsys, str(tmp_path / "runs"), f"hf:{tiny_resnet}", "--set", "mode=finetune")
    assert data["kind"] == "image" and s["state"] == "completed"


def test_grey_images_become_rgb_with_the_stated_default():
    from transformers import ResNetConfig

    pre = hb.image_preprocess(None, ResNetConfig(num_channels=3), side=16)
    assert "default" in pre.origin and pre.mean == hb.IMAGENET_MEAN
    out = pre(torch.rand(2, 1, 8, 8))
    assert out.shape == (2, 3, 16, 16)
    np.testing.assert_allclose(
        out[:, 0].numpy() * pre.std[0] + pre.mean[0],
        out[:, 1].numpy() * pre.std[1] + pre.mean[1],
        atol=1e-5,
    )


def test_offline_without_cache_fails_fast_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("huggingface_hub.try_to_load_from_cache", lambda *a, **k: None)
    t0 = time.perf_counter()
    with pytest.raises(UserError) as e:
        hb.locate("someorg/not-cached-model")
    assert time.perf_counter() - t0 < 2.0
    msg = str(e.value)
    assert "someorg/not-cached-model" in msg and "hf:/path/to/folder" in msg and "\n" not in msg


def test_cli_offline_error_is_one_line_and_creates_no_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("huggingface_hub.try_to_load_from_cache", lambda *a, **k: None)
    runs = tmp_path / "runs"
    rc = cli.main(
        [
            "train",
            "--dataset",
            "digits",
            "--model",
            "hf:someorg/none",
            "--runs-dir",
            str(runs),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "someorg/none" in err[0]
    assert not runs.exists() or not any(p for p in runs.iterdir() if not p.name.startswith("_"))


def test_folder_without_safetensors_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"pickle")
    with pytest.raises(UserError, match="safetensors"):
        hb.locate(str(tmp_path))
    with pytest.raises(UserError, match="does not exist"):
        hb.locate(str(tmp_path / "missing"))
