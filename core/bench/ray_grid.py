"""Benchmark 6: a 12-run grid on the local backend vs the Ray backend on this machine (target: Ray <= 1.15x).

The grid is ce, label_smoothing, labo x seeds 0, 1 x symmetric 20%, 40% on digits. Local trains one
process per run, one per CPU core at a time (the dashboard's default); Ray runs a private instance
with one CPU per run. Ray's start-up (ray.init) is timed apart, and both ratios are reported: with it
(what a user of `--backend ray` without an address waits) and without it (a running cluster).
Per-run scheduling overhead = (wall x slots - sum of the runs' own training wall times) / runs: the
time a slot spends not training a run (process start, imports, queueing, record streaming).
"""

from __future__ import annotations

import os
import time

from core import config as C
from core.bench.common import BenchSettings, scratch_dir
from core.engine.run_config import make_config
from core.registry import BACKENDS
from core.store.reader import RunReader

GRID = {
    "dataset": "digits",
    "methods": ["ce", "label_smoothing", "labo"],
    "seeds": [0, 1],
    "noise": "symmetric",
    "rates": [0.2, 0.4],
    "epochs": 10,
}
TARGET = 1.15


def _grid(s: BenchSettings, d: str, slots: int, backend: str) -> dict:
    from core.engine.suite import plan_suite, run_suite

    g = {**GRID, **(getattr(s, "ray_grid", None) or {})}
    base = make_config(
        {
            "dataset": g["dataset"],
            "noise": g["noise"],
            "noise_rate": g["rates"][0],
            "method": g["methods"][0],
            "epochs": g["epochs"],
            "device": s.device,
            "threads": 1,
        }
    )
    _, run_ids = plan_suite(base, g["methods"], g["seeds"], d, rates=g["rates"])
    # Each backend takes the options its Config declares: a worker count, or the CPUs reserved per run.
    fields = C.field_names(BACKENDS.get(backend).Config)
    opts = {k: v for k, v in {"workers": slots, "cpus_per_run": 1.0}.items() if k in fields}
    t0 = time.perf_counter()
    run_suite(d, run_ids, workers=slots, backend=backend, options=opts)
    wall = time.perf_counter() - t0
    sums = [RunReader(os.path.join(d, r)).summary() or {} for r in run_ids]
    run_wall = sum(x.get("wall_time_s") or 0.0 for x in sums)
    accs = [x.get("test_acc_final") for x in sums]
    return {
        "wall_s": wall,
        "runs": len(run_ids),
        "completed": sum(x.get("state") == "completed" for x in sums),
        "run_wall_s_sum": run_wall,
        "overhead_per_run_s": (wall * slots - run_wall) / len(run_ids),
        "test_acc_final": accs,
        "grid": g,
    }


def run(s: BenchSettings) -> dict:
    try:
        import ray
    except ImportError:
        from core.engine.backends.ray_backend import INSTALL_HINT

        return {"skipped": INSTALL_HINT}
    from core.engine.backends.ray_backend import init_kwargs

    slots = os.cpu_count() or 1
    load = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    with scratch_dir() as d:
        local = _grid(s, os.path.join(d, "local"), slots, "local")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    with scratch_dir() as d:
        t0 = time.perf_counter()
        ray.init(**init_kwargs("", num_cpus=slots))
        start_s = time.perf_counter() - t0
        try:
            on_ray = _grid(s, os.path.join(d, "ray"), slots, "ray")
        finally:
            t1 = time.perf_counter()
            ray.shutdown()
            stop_s = time.perf_counter() - t1
    total = on_ray["wall_s"] + start_s + stop_s
    return {
        "local": local,
        "ray": on_ray,
        "ray_start_s": start_s,
        "ray_shutdown_s": stop_s,
        "slots": slots,
        "ratio": total / local["wall_s"],
        "ratio_running_cluster": on_ray["wall_s"] / local["wall_s"],
        "target": TARGET,
        "met": total / local["wall_s"] <= TARGET,
        "same_accuracy": local["test_acc_final"] == on_ray["test_acc_final"],
        "loadavg_start": load,
    }
