"""Benchmark 1: a `ce` epoch through the engine against the plain PyTorch loop (target <= 1.10x).

Both run `epochs` epochs per repeat, alternating which goes first; the first epoch of each is
warm-up. The engine's time is its own `time/train_epoch_s` (evaluation and logging are outside it).
"""
from __future__ import annotations

from core.bench.common import BenchSettings, engine_run, median, paired_ratio, scratch_dir
from core.bench.plain_loop import plain_epochs

TARGET = 1.10
# (model, dataset): the MLP on flattened digits and the small CNN on digits as 1x8x8 images.
CASES = (("mlp", "digits"), ("cnn_small", "digits"))


def run(s: BenchSettings) -> dict:
    rows = []
    for model, dataset in CASES:
        values = {"method": "ce", "model": model, "dataset": dataset, "epochs": s.epochs}
        eng, plain = [], []
        with scratch_dir() as d:
            for r in range(s.repeats):
                order = ("engine", "plain") if r % 2 == 0 else ("plain", "engine")
                for who in order:
                    if who == "engine":
                        eng.append(engine_run(values, s.device, d).epoch_median())
                    else:
                        plain.append(median(plain_epochs(values, s.device)[1:]))
        ratio = paired_ratio(eng, plain)
        rows.append({"model": model, "dataset": dataset, "engine_epoch_s": median(eng),
                     "plain_epoch_s": median(plain), "ratio": ratio, "target": TARGET,
                     "met": bool(ratio <= TARGET), "repeats": s.repeats, "epochs_per_repeat": s.epochs})
    return {"rows": rows}
