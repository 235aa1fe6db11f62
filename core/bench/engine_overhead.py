"""Benchmark 1: a `ce` epoch through the engine against the plain PyTorch loop (target <= 1.10x).

Both run `epochs` epochs per repeat, alternating which goes first; the first epoch of each is
warm-up, and so is the first repeat (imports, allocator, caches). The engine's time is its own
`time/train_epoch_cpu_s` / `time/train_epoch_s` (evaluation and logging are outside it).
"""

from __future__ import annotations

from core.bench.common import BenchSettings, engine_run, median, ratio_stats, scratch_dir
from core.bench.plain_loop import plain_epoch_times

TARGET = 1.10
# (model, dataset): the MLP on flattened digits and the small CNN on digits as 1x8x8 images.
CASES = (("mlp", "digits"), ("cnn_small", "digits"))


def run(s: BenchSettings) -> dict:
    rows = []
    for model, dataset in CASES:
        values = {"method": "ce", "model": model, "dataset": dataset, "epochs": s.epochs}
        eng = {"cpu": [], "wall": []}
        plain = {"cpu": [], "wall": []}
        with scratch_dir() as d:
            for r in range(s.repeats + 1):  # repeat 0 warms up and is discarded
                order = ("engine", "plain") if r % 2 == 0 else ("plain", "engine")
                for who in order:
                    if who == "engine":
                        er = engine_run(values, s.device, d)
                        times = {"cpu": er.epoch_median("cpu"), "wall": er.epoch_median("wall")}
                        dst = eng
                    else:
                        wall, cpu = plain_epoch_times(values, s.device)
                        times = {"cpu": median(cpu[1:]), "wall": median(wall[1:])}
                        dst = plain
                    if r > 0:
                        for clock, t in times.items():
                            dst[clock].append(t)
        st = ratio_stats(eng, plain)
        rows.append(
            {
                "model": model,
                "dataset": dataset,
                "engine_epoch_s": median(eng["wall"]),
                "plain_epoch_s": median(plain["wall"]),
                "engine_epoch_cpu_s": median(eng["cpu"]),
                "plain_epoch_cpu_s": median(plain["cpu"]),
                **st,
                "target": TARGET,
                "met": bool(st["ratio"] <= TARGET),
                "repeats": s.repeats,
                "epochs_per_repeat": s.epochs,
            }
        )
    return {"rows": rows}
