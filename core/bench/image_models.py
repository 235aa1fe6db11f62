"""Benchmark: test accuracy of each bundled image model, trained by the engine, next to a plain-PyTorch
reference net at the same budget (data, split, noise, epochs, AdamW, cosine schedule), as a ratio.

The reference is the architecture of PyTorch's own MNIST example (two 3x3 convs of 32 and 64 channels,
2x2 max-pool, dropout 0.25, a 128-unit dense layer, dropout 0.5), written here in plain PyTorch with its
own loop. Cases: mnist5k at 20% symmetric noise, and a CIFAR-10 subset where a local or cached copy exists
(skipped with the reason otherwise: the benchmark never downloads).
"""

from __future__ import annotations

import math
import time

import torch
import torch.nn.functional as F
from torch import nn

from core.bench.common import BenchSettings, engine_run, make_run_config, scratch_dir
from core.data.prepare import prepare
from core.engine.device import pick_device
from core.errors import UserError

MODELS = ("cnn_small", "resnet_small")
FULL_MODELS = ("cnn_small", "resnet_small", "resnet18")


def reference_net(input_shape: tuple[int, ...], k: int) -> nn.Module:
    """PyTorch MNIST-example architecture for (C, H, W) inputs."""
    c, h, w = input_shape
    flat = 64 * ((h - 4) // 2) * ((w - 4) // 2)
    return nn.Sequential(
        nn.Conv2d(c, 32, 3),
        nn.ReLU(),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(flat, 128),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(128, k),
    )


def reference_accuracy(values: dict, device: str) -> tuple[float, float]:
    """(test accuracy against the truth, seconds) of the reference net trained by a plain loop on `values`."""
    cfg = make_run_config(values, device)
    dev = pick_device(cfg.device)
    prep = prepare(cfg)
    ds = prep.dataset
    torch.manual_seed(cfg.seed)
    X = torch.as_tensor(ds.X, device=dev)
    tr = torch.as_tensor(prep.split.train, device=dev)
    x_tr, y_tr = X[tr], torch.as_tensor(prep.observed, device=dev)[tr]
    net = reference_net(ds.input_shape, ds.num_classes).to(dev)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(cfg.seed)
    n, bs = len(y_tr), min(cfg.batch_size, len(y_tr))
    steps, total = math.ceil(n / bs), cfg.epochs * math.ceil(n / bs)
    t0, step = time.perf_counter(), 0
    for _ in range(cfg.epochs):
        net.train()
        perm = torch.randperm(n, generator=gen).to(dev)
        for b in range(steps):
            for g in opt.param_groups:  # the engine's cosine schedule, per step
                g["lr"] = cfg.lr * 0.5 * (1 + math.cos(math.pi * step / total))
            i = perm[b * bs : (b + 1) * bs]
            loss = F.cross_entropy(net(x_tr[i]), y_tr[i])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
    net.eval()
    te = torch.as_tensor(prep.split.test, device=dev)
    with torch.no_grad():
        pred = torch.cat([net(X[te][j : j + 1024]).argmax(1) for j in range(0, len(te), 1024)])
    acc = float((pred.cpu().numpy() == prep.truth[prep.split.test]).mean())
    return acc, time.perf_counter() - t0


def cases(s: BenchSettings) -> list[tuple[str, dict]]:
    epochs = 8
    out = [
        (
            "mnist5k",
            {
                "dataset": "mnist5k",
                "noise": "symmetric",
                "noise_rate": 0.2,
                "epochs": epochs,
            },
        )
    ]
    out.append(
        (
            "cifar10 subset 5000",
            {
                "dataset": "cifar10",
                "noise": "symmetric",
                "noise_rate": 0.2,
                "epochs": epochs,
                "dataset_options": {"subset": 5000},
            },
        )
    )
    return out


def run(s: BenchSettings) -> dict:
    rows, skipped = [], {}
    models = (s.image_models or {}).get("models") or (MODELS if s.quick else FULL_MODELS)
    for label, values in cases(s):
        try:
            make_run_config(values, s.device)
            prepare(make_run_config(values, s.device))
        except UserError as e:  # e.g. no CIFAR copy on an offline machine
            skipped[label] = str(e)
            continue
        ref_acc, ref_s = reference_accuracy(values, s.device)
        with scratch_dir() as d:
            for m in models:
                run_ = engine_run({**values, "method": "ce", "model": m}, s.device, d)
                acc = run_.summary.get("test_acc_final")
                rows.append(
                    {
                        "case": label,
                        "model": m,
                        "test_acc": acc,
                        "reference_acc": ref_acc,
                        "ratio": acc / ref_acc if ref_acc else None,
                        "gap_points": 100 * (ref_acc - acc),
                        "train_s": run_.summary.get("train_time_s"),
                        "reference_s": ref_s,
                        "epochs": values["epochs"],
                        "noise_rate": values["noise_rate"],
                    }
                )
    return {
        "rows": rows,
        "skipped": skipped,
        "reference": "PyTorch MNIST-example net, plain loop",
    }
