"""`labelscope bench`: the engine against plain PyTorch, each method and probe against `ce`, Gram SVD vs dense.

Each benchmark is one module with `run(settings) -> dict`; `run_all` runs them in order and
`main(args)` prints a table or, with `--json`, one JSON object with every ratio (`ratios`).
See docs/BENCHMARKS.md for the recorded figures.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

from core.bench import (
    demo_wall,
    engine_overhead,
    first_point,
    frozen_features,
    gram_svd,
    image_models,
    method_cost,
    probe_cost,
    ray_grid,
)
from core.bench.common import BenchSettings, discover, machine_info, settings_for, torch_threads
from core.bench.report import flat_ratios, flat_spreads, format_report
from core.engine.device import pick_device
from core.errors import UserError
from core.registry import METHODS, MONITORS, PROBES

DEVICES = ("auto", "cpu", "cuda", "mps")
BENCHMARKS = {
    "engine": engine_overhead.run,
    "methods": method_cost.run,
    "probes": probe_cost.run,
    "gram": gram_svd.run,
    "demo": demo_wall.run,
    "ray": ray_grid.run,
    "image_models": image_models.run,
    "frozen": frozen_features.run,
    "live": first_point.run,
}


def run_all(s: BenchSettings, only: tuple[str, ...] | None = None, echo=None) -> dict:
    """Run the benchmarks (all, or those named in `only`); a failing one is recorded under `errors`."""
    echo = echo or (lambda msg: None)
    plugin_errors = {reg.kind: e for reg in (METHODS, PROBES, MONITORS) if (e := discover(reg))}
    dev = pick_device(s.device)
    out = {
        "quick": s.quick,
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(s).items()},
        "machine": machine_info(dev),
        "results": {},
        "errors": {},
        "plugin_errors": plugin_errors,
        "seconds": {},
    }
    for name, fn in BENCHMARKS.items():
        if only and name not in only:
            continue
        echo(f"bench: {name} ...")
        t0 = time.perf_counter()
        try:
            with torch_threads(s.threads):
                out["results"][name] = fn(s)
        except Exception as e:  # one broken benchmark must not hide the others' figures
            out["errors"][name] = f"{type(e).__name__}: {e}"
            echo(traceback.format_exc())
        out["seconds"][name] = time.perf_counter() - t0
        echo(f"bench: {name} done in {out['seconds'][name]:.1f} s")
    out["machine"]["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    out["ratios"] = flat_ratios(out["results"])
    out["spreads"] = flat_spreads(out["results"])
    return out


def main(args) -> int:
    """Entry of `labelscope bench [--quick] [--json] [--device ...]`; 0 when every benchmark ran."""
    s = settings_for(bool(getattr(args, "quick", False)), getattr(args, "device", "auto") or "auto")
    if s.device not in DEVICES:
        raise UserError(f"unknown device '{s.device}'; valid choices: {', '.join(DEVICES)}")
    pick_device(s.device)  # an unavailable device fails here with one line
    only = tuple(x for x in (getattr(args, "only", "") or "").split(",") if x) or None
    res = run_all(s, only, echo=lambda m: print(m, file=sys.stderr, flush=True))
    if getattr(args, "json", False):
        print(json.dumps(res, default=str))
    else:
        print(format_report(res))
    return 1 if res["errors"] else 0
