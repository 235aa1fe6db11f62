"""Starts and stops comparisons for the dashboard: run folders through the engine, training in detached processes.

A comparison is handed to one scheduler process (`python -m dashboard.launcher RUNS_DIR WORKERS RUN_ID...`)
in its own session, which trains the queued runs a few at a time; closing the tab or stopping
Streamlit does not stop training, and the run store lets a reopened app show every run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from core.engine.launch import request_stop
from core.engine.run_config import RunConfig
from core.engine.suite import plan_suite, run_suite
from core.store.reader import RunReader, read_suite

TERMINAL = ("completed", "failed", "stopped")
_PROCS: list[subprocess.Popen] = []  # schedulers started by this process (tests join them)


def default_workers(n_runs: int) -> int:
    """Runs trained at once: one per CPU core (each with one thread), at most the number of runs."""
    return max(1, min(n_runs, os.cpu_count() or 1))


def start_comparison(base: RunConfig, methods: list[str], seeds: list[int], runs_dir: str,
                     method_options: dict[str, dict] | None = None, workers: int | None = None,
                     noises: list[str] | None = None, rates: list[float] | None = None, backend: str = "local",
                     backend_options: dict | None = None) -> tuple[str, list[str]]:
    """Create the comparison's queued runs (methods x seeds x `noises` x `rates`) and start training them in the
    background on `backend` (its scheduler process is the Ray driver for `ray`); returns (suite_id, run_ids)."""
    from core import config as C
    from core.registry import BACKENDS

    C.build(BACKENDS.get(backend).Config, backend_options or {})  # a bad option fails before any run exists
    suite_id, run_ids = plan_suite(base, methods, seeds, runs_dir, method_options=method_options, noises=noises,
                                   rates=rates)
    workers = workers or default_workers(len(run_ids))
    log = open(os.path.join(runs_dir, "_suites", f"{suite_id}.log"), "ab")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard.launcher", runs_dir, str(workers),
                                 "--backend", backend, json.dumps(backend_options or {}), *run_ids],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=dict(os.environ))
    finally:
        log.close()
    _PROCS[:] = [p for p in _PROCS if p.poll() is None]  # reap finished schedulers
    _PROCS.append(proc)
    return suite_id, run_ids


def suite_run_ids(runs_dir: str, suite_id: str) -> list[str]:
    info = read_suite(runs_dir, suite_id) or {}
    return [r for r in info.get("run_ids", []) if os.path.isdir(os.path.join(runs_dir, r))]


def stop_runs(runs_dir: str, run_ids: list[str]) -> list[str]:
    """Ask every unfinished run to stop (queued ones stop as soon as they start); returns those asked."""
    asked = []
    for rid in run_ids:
        if RunReader(os.path.join(runs_dir, rid)).status().get("state") not in TERMINAL:
            request_stop(runs_dir, rid)
            asked.append(rid)
    return asked


def wait_all(timeout: float = 60.0) -> bool:
    """Wait for the schedulers this process started (their runs finish first); True if all ended."""
    ok = True
    for p in list(_PROCS):
        try:
            p.wait(timeout=timeout)
            _PROCS.remove(p)
        except subprocess.TimeoutExpired:
            ok = False
    return ok


def main(argv: list[str]) -> int:
    """`RUNS_DIR WORKERS [--backend NAME OPTIONS_JSON] RUN_ID...`"""
    runs_dir, workers, rest = argv[0], int(argv[1]), argv[2:]
    backend, options = "local", {}
    if rest[:1] == ["--backend"]:
        backend, options, rest = rest[1], json.loads(rest[2]), rest[3:]
    # Local, workers == 1 trains in this (already detached) process; more start one process per run.
    run_suite(runs_dir, rest, workers=workers, echo=lambda s: print(s, flush=True), backend=backend, options=options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
