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
import threading

from core.engine.launch import request_stop
from core.engine.run_config import RunConfig
from core.engine.suite import plan_suite, run_suite
from core.errors import UserError
from core.store.owner import Owner, new_owner_id
from core.store.paths import is_run_id
from core.store.reader import TERMINAL, read_suite  # noqa: F401 (TERMINAL: the pages' import)

OWNER_ENV = "LABELSCOPE_OWNER"  # the owner id the scheduler's runs were queued under
_PROCS: list[subprocess.Popen] = []  # schedulers started by this process (tests join them)
_REAPERS: list[threading.Thread] = []


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
    owner_id = new_owner_id("scheduler")
    suite_id, run_ids = plan_suite(base, methods, seeds, runs_dir, method_options=method_options, noises=noises,
                                   rates=rates, owner=owner_id)
    workers = workers or default_workers(len(run_ids))
    log = open(os.path.join(runs_dir, "_suites", f"{suite_id}.log"), "ab")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard.launcher", runs_dir, str(workers),
                                 "--backend", backend, json.dumps(backend_options or {}), *run_ids],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env={**os.environ, OWNER_ENV: owner_id})
    finally:
        log.close()
    # The runs are owned by the scheduler from this moment, before it has written its own record.
    Owner(runs_dir, owner_id, pid=proc.pid).write()
    _PROCS[:] = [p for p in _PROCS if p.poll() is None]
    _PROCS.append(proc)
    # Reap the scheduler the moment it exits (also when killed): no zombie lingers under Streamlit, and
    # its runs read as dead at once.
    reaper = threading.Thread(target=proc.wait, name=f"reap-{proc.pid}", daemon=True)
    reaper.start()
    _REAPERS[:] = [r for r in _REAPERS if r.is_alive()] + [reaper]
    return suite_id, run_ids


def suite_run_ids(runs_dir: str, suite_id: str) -> list[str]:
    """The comparison's run ids that name a folder directly under the runs folder (others are refused)."""
    try:
        info = read_suite(runs_dir, suite_id) or {}
    except UserError:
        return []
    return [r for r in info.get("run_ids", []) if is_run_id(runs_dir, r)]


def stop_runs(runs_dir: str, run_ids: list[str]) -> list[str]:
    """Stop every unfinished run (a queued one before it starts, one nobody owns at once); returns those asked."""
    asked = []
    for rid in run_ids:
        if is_run_id(runs_dir, rid) and request_stop(runs_dir, rid):
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
    for r in list(_REAPERS):
        r.join(timeout=1.0)
        if not r.is_alive():
            _REAPERS.remove(r)
    return ok


def main(argv: list[str]) -> int:
    """`RUNS_DIR WORKERS [--backend NAME OPTIONS_JSON] RUN_ID...`"""
    runs_dir, workers, rest = argv[0], int(argv[1]), argv[2:]
    backend, options = "local", {}
    if rest[:1] == ["--backend"]:
        backend, options, rest = rest[1], json.loads(rest[2]), rest[3:]
    # Local, workers == 1 trains in this (already detached) process; more start one process per run.
    run_suite(runs_dir, rest, workers=workers, echo=lambda s: print(s, flush=True), backend=backend, options=options,
              owner=os.environ.get(OWNER_ENV))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
