"""Benchmark 5: wall time of the dashboard's demo comparison, trained as the dashboard trains it.

The preset is a `DEMO` dict (dataset, noise, noise_rate, methods, seeds, epochs) in `core.presets`
when the dashboard defines one there; until then the fallback below, which the report names.
Runs go through `plan_suite` + `run_suite` with one worker process per CPU core (the dashboard
launcher's default), every probe at its default cadence and the `rlp` monitor when registered.
"""

from __future__ import annotations

import importlib
import os
import time

from core.bench.common import BenchSettings, scratch_dir
from core.engine.run_config import make_config
from core.monitors.base import default_monitors
from core.registry import METHODS
from core.store.reader import RunReader

FALLBACK = {
    "dataset": "digits",
    "noise": "symmetric",
    "noise_rate": 0.4,
    "methods": ["ce", "label_smoothing", "labo"],
    "seeds": [0, 1],
    "epochs": 15,
}


def preset() -> tuple[dict, str]:
    try:
        demo = getattr(importlib.import_module("core.presets"), "DEMO", None)
    except ImportError:
        demo = None
    if isinstance(demo, dict) and demo.get("methods"):
        return {**FALLBACK, **demo}, "core.presets.DEMO"
    return dict(FALLBACK), "fallback (no dashboard preset defined): ce,label_smoothing,labo x 2 seeds x 15 epochs"


def run(s: BenchSettings) -> dict:
    from core.engine.suite import plan_suite, run_suite

    p, source = preset()
    if s.demo:
        p, source = {**p, **s.demo}, source + " with overrides " + ", ".join(sorted(s.demo))
    methods = [m for m in p["methods"] if m in METHODS]
    missing = [m for m in p["methods"] if m not in METHODS]
    seeds = [int(x) for x in p["seeds"]]
    values = {k: p[k] for k in ("dataset", "noise", "noise_rate", "epochs", "model", "lr") if k in p}
    values.update(method=methods[0], device=s.device, monitors=default_monitors())
    base = make_config(values)
    n_runs = len(methods) * len(seeds)
    workers = max(1, min(n_runs, os.cpu_count() or 1))
    with scratch_dir() as d:
        t0 = time.perf_counter()
        _, run_ids = plan_suite(base, methods, seeds, d)
        run_suite(d, run_ids, workers=workers)
        wall = time.perf_counter() - t0
        sums = [RunReader(os.path.join(d, r)).summary() or {} for r in run_ids]
    states = [x.get("state", "missing") for x in sums]
    run_walls = [x.get("wall_time_s") for x in sums if isinstance(x.get("wall_time_s"), (int, float))]
    return {
        "wall_s": wall,
        "preset": {**p, "methods": methods},
        "preset_source": source,
        "methods_not_registered": missing,
        "runs": n_runs,
        "workers": workers,
        "completed": states.count("completed"),
        "states": states,
        "run_wall_s_sum": sum(run_walls) if run_walls else None,
        "monitors": base.monitors,
    }
