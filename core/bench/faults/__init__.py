"""`labelscope bench --faults`: fault injection against the run store and the processes that write it.

Each scenario returns `Outcome(tried, survived, lost, notes)`; a trial survives when every run it
touched ends terminal in time and every file stays readable, and nothing lands outside the runs or
export folder. tests/reliability/ runs the same scenarios with smaller counts and asserts lost == 0.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from core.bench.faults.common import Outcome
from core.bench.faults.disk import full_disk
from core.bench.faults.files import corrupt_files, crafted_ids, hostile_names
from core.bench.faults.kills import kill_scheduler, kill_workers, two_writers
from core.bench.faults.ray_driver import kill_ray_driver

__all__ = ["SCENARIOS", "Outcome", "main", "run_faults"]

# name -> (function(workdir, n) -> Outcome, trials at full size)
SCENARIOS = {
    "kill worker: queued": (lambda d, n: kill_workers(d, "queued", n), 20),
    "kill worker: set-up": (lambda d, n: kill_workers(d, "setup", n), 20),
    "kill worker: writing": (lambda d, n: kill_workers(d, "writing", n), 20),
    "kill scheduler mid-comparison": (kill_scheduler, 3),
    "kill Ray driver mid-comparison": (kill_ray_driver, 2),
    "full disk": (full_disk, 4),
    "two writers on one runs folder": (two_writers, 2),
    "corrupted files in one run": (corrupt_files, 1),
    "crafted ids": (crafted_ids, 1),
    "hostile class names": (hostile_names, 1),
}


def run_faults(workdir: str, scale: float = 1.0, only: list[str] | None = None, echo=None) -> dict[str, Outcome]:
    """Every scenario (or those in `only`) with max(1, trials * scale) trials, each in its own sub-folder."""
    echo = echo or (lambda s: None)
    out = {}
    for i, (name, (fn, trials)) in enumerate(SCENARIOS.items()):
        if only and name not in only:
            continue
        d = os.path.join(workdir, f"s{i}")
        os.makedirs(d, exist_ok=True)
        t0 = time.perf_counter()
        echo(f"faults: {name} ...")
        res = fn(d, max(1, int(round(trials * scale))))
        res.seconds = time.perf_counter() - t0
        echo(f"faults: {name}: {res.tried} tried, {res.survived} survived, {res.lost} lost ({res.seconds:.0f} s)")
        out[name] = res
    return out


def format_table(results: dict[str, Outcome]) -> str:
    lines = ["| test | tried | survived | lost | notes |", "|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r.tried} | {r.survived} | {r.lost} | {'; '.join(r.notes)[:300]} |")
    return "\n".join(lines)


def main(args) -> int:
    """`labelscope bench --faults [--quick] [--json]`: 0 when nothing was lost."""
    scale = 0.25 if getattr(args, "quick", False) else 1.0
    with tempfile.TemporaryDirectory(prefix="labelscope-faults-") as d:
        res = run_faults(d, scale, echo=lambda m: print(m, file=sys.stderr, flush=True))
    load = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    if getattr(args, "json", False):
        print(json.dumps({"loadavg": load, "results": {k: vars(v) for k, v in res.items()}}))
    else:
        print(format_table(res))
        print(f"\nload average at the end: {load}")
    return 0 if all(r.lost == 0 for r in res.values()) else 1
