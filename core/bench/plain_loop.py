"""The reference: a minimal hand-written PyTorch training loop on the engine's model, data and optimizer.

Same data (on-device tensors of the run's training split and observed labels), same model class and
initialization seed, same batch size, AdamW with the run's learning rate and weight decay; no
per-sample bookkeeping, no schedule, no STOP check. An untimed evaluation forward follows each
epoch, as the engine's log point does, so both contenders see the same cache state.
"""

from __future__ import annotations

import math
import time

import torch
import torch.nn.functional as F

from core.bench.common import make_run_config, sync
from core.data.prepare import prepare
from core.engine.device import pick_device
from core.models import build_model


def plain_epochs(values: dict, device: str) -> list[float]:
    """Wall seconds of each epoch of the plain loop for the run config `values` (see `make_run_config`)."""
    return plain_epoch_times(values, device)[0]


def plain_epoch_times(values: dict, device: str) -> tuple[list[float], list[float]]:
    """(wall seconds, process CPU seconds) of each epoch of the plain loop."""
    cfg = make_run_config(values, device)
    dev = pick_device(cfg.device)
    prep = prepare(cfg)
    ds = prep.dataset
    torch.manual_seed(cfg.seed)
    X = torch.as_tensor(ds.X, device=dev)
    train = torch.as_tensor(prep.split.train, device=dev)
    x_tr, y_tr = X[train], torch.as_tensor(prep.observed, device=dev)[train]
    model = build_model(cfg.model, ds.input_shape, ds.num_classes, cfg.model_options).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(cfg.seed)
    n, bs = len(y_tr), min(cfg.batch_size, len(y_tr))
    steps = math.ceil(n / bs)
    times, cpu = [], []
    for _ in range(cfg.epochs):
        model.train()
        t0, c0 = time.perf_counter(), time.process_time()
        perm = torch.randperm(n, generator=gen).to(dev)
        loss_sum = torch.zeros((), device=dev)
        for b in range(steps):
            i = perm[b * bs : (b + 1) * bs]
            _, logits = model(x_tr[i])
            loss = F.cross_entropy(logits, y_tr[i])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.detach()
        sync(dev)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        model.eval()
        with torch.no_grad():
            float((model(X)[1].argmax(1) == 0).float().mean() + loss_sum)
    return times, cpu
