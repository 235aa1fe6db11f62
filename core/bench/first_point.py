"""Benchmark 6: seconds from Run to the first live point, through the dashboard's own launcher.

What Run does: `dashboard.launcher.start_comparison` of the demo preset; the clock stops when any run's
`metrics.jsonl` holds its first record (the Live page then shows it at its next poll). Measured with
the warm launcher that `labelscope dashboard` starts (the product's path) and without it (a fresh
scheduler process, the fallback), on this machine as it is and with `LOAD_PROCS` CPU-bound processes
started by the bench beside it (`BenchSettings.live_busy`). Each figure lists the load average it was taken at.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from core.bench.common import BenchSettings, scratch_dir
from core.bench.demo_wall import preset
from core.engine.run_config import make_config
from core.monitors.base import default_monitors
from core.registry import METHODS

TARGETS = {0: 5.0, 2: 10.0}  # seconds: the targets on a quiet 2-core CPU and under two busy processes
POLL_S = 0.02


def _busy(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL) for _ in range(n)]


def _first_record_s(runs_dir: str, run_ids: list[str], t0: float, timeout: float) -> tuple[float | None, float | None]:
    """(seconds to the first 'running' status, seconds to the first metrics record) of any run."""
    from core.store.reader import RunReader

    running = None
    end = t0 + timeout
    while time.perf_counter() < end:
        for rid in run_ids:
            d = os.path.join(runs_dir, rid)
            try:
                if os.path.getsize(os.path.join(d, "metrics.jsonl")) > 0:
                    return running, time.perf_counter() - t0
            except OSError:
                pass
            if running is None and RunReader(d).status().get("state") == "running":
                running = time.perf_counter() - t0
        time.sleep(POLL_S)
    return running, None


def _one(base, methods: list[str], seeds: list[int], warm: bool, timeout: float) -> dict:
    from dashboard import launcher

    with scratch_dir() as d:
        server = None
        if warm:
            server = launcher.start_server(d)
            if not launcher.wait_server(d, timeout=120):
                server.kill()
                server.wait()
                return {"error": "the warm launcher did not come up"}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        t0 = time.perf_counter()
        _, run_ids = launcher.start_comparison(base, methods, seeds, d)
        running, first = _first_record_s(d, run_ids, t0, timeout)
        launcher.stop_runs(d, run_ids)
        from core.store.reader import RunReader

        end = time.time() + 60
        while time.time() < end and any(
            RunReader(os.path.join(d, r)).status().get("state") not in launcher.TERMINAL for r in run_ids
        ):
            time.sleep(0.1)
        launcher.wait_all(timeout=30)
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return {"first_running_s": running, "first_point_s": first, "loadavg_1min": load}


def run(s: BenchSettings) -> dict:
    p, source = preset()
    if s.demo:
        p, source = {**p, **s.demo}, source + " with overrides " + ", ".join(sorted(s.demo))
    methods = [m for m in p["methods"] if m in METHODS]
    seeds = [int(x) for x in p["seeds"]]
    values = {k: p[k] for k in ("dataset", "noise", "noise_rate", "epochs") if k in p}
    values.update({k: p[k] for k in ("model", "lr") if k in p})
    # What Run attaches: the monitors that declare `default_on` (core/monitors/base.py).
    values.update(method=methods[0], device=s.device, monitors=default_monitors())
    base = make_config(values)
    repeats = 1 if s.quick else 2
    rows = []
    for n_load in s.live_busy:
        hogs = _busy(n_load)
        try:
            time.sleep(1.0 if n_load else 0.0)  # let the busy processes take their cores
            for warm in (True, False) if s.live_cold else (True,):
                for _ in range(repeats):
                    r = _one(base, methods, seeds, warm, timeout=120.0)
                    target = TARGETS.get(n_load)
                    met = None if r.get("first_point_s") is None or target is None else r["first_point_s"] <= target
                    rows.append(
                        {
                            "launcher": "warm" if warm else "cold",
                            "busy_processes": n_load,
                            "target_s": target,
                            "met": met if warm else None,
                            **r,
                        }
                    )
        finally:
            for h in hogs:
                h.kill()
                h.wait()
    return {"rows": rows, "preset_source": source, "methods": methods, "seeds": seeds}
