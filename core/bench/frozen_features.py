"""Benchmark: frozen-backbone feature extraction (images/s) and the time to a finished 3-method x 3-seed
comparison on cached features against the same comparison trained from scratch on the images.

The backbone is the ResNet-18 architecture of `microsoft/resnet-18` built from its config with random
weights, saved with save_pretrained to a scratch folder (the speed does not depend on the weights, and
the benchmark never downloads). Extraction runs at the processor's 224 px and at 64 px.
"""

from __future__ import annotations

import os
import time

import numpy as np
import torch

from core.bench.common import BenchSettings, scratch_dir
from core.engine.device import pick_device

METHODS = ("ce", "label_smoothing", "labo")
SEEDS = (0, 1, 2)


def _resnet18_folder(d: str, tiny: bool = False) -> str:
    from transformers import ResNetConfig, ResNetModel

    torch.manual_seed(0)
    sizes, depths = ([8, 16], [1, 1]) if tiny else ([64, 128, 256, 512], [2, 2, 2, 2])
    cfg = ResNetConfig(num_channels=3, embedding_size=sizes[0], hidden_sizes=sizes, depths=depths, layer_type="basic")
    path = os.path.join(d, "resnet18-random")
    ResNetModel(cfg).save_pretrained(path)
    return path


def _images_per_s(folder: str, side: int, n: int, device: torch.device) -> float:
    from core.models import hf_backbone as hb

    bb = hb.load_backbone(folder, "image", side)
    x = np.random.default_rng(0).random((n, 1, 28, 28), dtype=np.float32)
    hb.encode_images(bb, x[:8], device, 8)  # warm-up
    t0 = time.perf_counter()
    hb.encode_images(bb, x, device, 64)
    return n / (time.perf_counter() - t0)


def _comparison_s(values: dict, runs: str, workers: int, methods, seeds) -> float:
    from core.engine.run_config import make_config
    from core.engine.suite import plan_suite, run_suite

    base = make_config({**values, "method": methods[0]})
    t0 = time.perf_counter()
    _, ids = plan_suite(base, list(methods), list(seeds), runs)
    run_suite(runs, ids, workers=workers)
    return time.perf_counter() - t0


def run(s: BenchSettings) -> dict:
    o = s.frozen or {}
    dev = pick_device(s.device)
    n = int(o.get("n", 128 if s.quick else 512))
    methods, seeds = list(o.get("methods", METHODS)), list(o.get("seeds", SEEDS))
    epochs, side = int(o.get("epochs", 10)), int(o.get("image_size", 64))
    workers = max(1, min(len(methods) * len(seeds), os.cpu_count() or 1))
    with scratch_dir() as d:
        folder = _resnet18_folder(d, bool(o.get("tiny")))
        ips = {k: _images_per_s(folder, k, n, dev) for k in o.get("sides", (224, 64))}
        common = {
            "dataset": o.get("dataset", "mnist5k"),
            "noise": "symmetric",
            "noise_rate": 0.4,
            "epochs": epochs,
            "device": s.device,
        }
        runs = os.path.join(d, "runs")
        hf = {**common, "model": f"hf:{folder}", "model_options": {"image_size": side}}
        t_first = _comparison_s(hf, runs, workers, methods, seeds)  # includes the one backbone pass
        t_cached = _comparison_s(hf, runs, workers, methods, seeds)  # every run hits the feature cache
        t_scratch = _comparison_s({**common, "model": "cnn_small"}, runs, workers, methods, seeds)
    return {
        "images_per_s": {str(k): v for k, v in ips.items()},
        "extract_images": n,
        "device": str(dev),
        "comparison": {
            "methods": methods,
            "seeds": seeds,
            "epochs": epochs,
            "dataset": common["dataset"],
            "image_size": side,
            "workers": workers,
            "first_with_extraction_s": t_first,
            "on_cached_features_s": t_cached,
            "from_scratch_cnn_small_s": t_scratch,
        },
    }
