"""SIGKILL at random moments: workers in each phase, the dashboard's scheduler, the CLI's comparison.

Every run ends terminal within 10 s of its process's death, every file stays readable, and a killed
scheduler leaves no zombie under the process that started it.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from core.bench.faults.common import DEAD_WITHIN_S, file_problems, tiny_config
from core.bench.faults.kills import kill_scheduler, kill_workers
from core.store.reader import TERMINAL, RunReader


@pytest.mark.parametrize("phase", ["queued", "setup", "writing"])
def test_workers_killed_in_each_phase_end_at_once(tmp_path, phase, fault_n, nothing_lost):
    N = fault_n
    out = kill_workers(str(tmp_path), phase, N, seed=hash(phase) % 1000)
    nothing_lost(out, tried=N)
    seen = dict(part.split(": ") for part in out.notes[0].removeprefix("killed in phase ").split(", "))
    assert int(seen.get(phase, 0)) >= N // 2, out.notes  # most kills landed in the phase under test


def test_cli_comparison_killed_mid_way_leaves_no_run_active(tmp_path, nothing_lost):
    out = kill_scheduler(str(tmp_path), 1)
    nothing_lost(out)
    assert out.tried >= 4, out.notes


def test_dashboard_scheduler_killed_no_zombie_and_every_run_ends(tmp_path):
    from dashboard import launcher

    runs_dir = str(tmp_path / "runs")
    suite_id, run_ids = launcher.start_comparison(
        tiny_config(epochs=30, probes=["embedding"]), ["ce"], [0, 1, 2, 3, 4], runs_dir, workers=2
    )
    proc = launcher._PROCS[-1]
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120 and not any(
        RunReader(os.path.join(runs_dir, r)).raw_status().get("state") == "running" for r in run_ids
    ):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    killed = time.monotonic()
    queued = [r for r in run_ids if RunReader(os.path.join(runs_dir, r)).raw_status().get("state") == "queued"]
    # A queued run without a worker reads failed at once, not after a timeout. A worker forked in the
    # moment before the kill takes its run on: "ends failed or is resumed" is the rule.
    dead = []
    for rid in queued:
        st = RunReader(os.path.join(runs_dir, rid)).status()
        while st["state"] not in TERMINAL and time.monotonic() - killed < DEAD_WITHIN_S:
            time.sleep(0.05)
            st = RunReader(os.path.join(runs_dir, rid)).status()
        if st["state"] == "failed":
            assert "scheduler" in st["error"], st
            dead.append(rid)
        else:
            assert st["state"] in ("running", "completed"), st
    # Known race (docs/RELIABILITY.md): a worker forked in the last milliseconds is not named in the queued
    # status, so its run can read failed for an instant before the worker marks it running. Such a run is
    # resumed, not dead; a forked worker marks its run within milliseconds, so one second settles it.
    time.sleep(1.0)
    for rid in list(dead):
        st = RunReader(os.path.join(runs_dir, rid)).status()
        if st["state"] in ("running", "completed"):
            dead.remove(rid)
    assert dead, "with 2 workers and 5 runs, some runs had no worker when the scheduler died"
    time.sleep(0.5)
    assert not os.path.exists(f"/proc/{proc.pid}"), "the killed scheduler is a zombie under its parent"
    # Stop all: the dead ones end as stopped at once, the running ones see STOP within a step.
    launcher.stop_runs(runs_dir, run_ids)
    for rid in dead:
        assert RunReader(os.path.join(runs_dir, rid)).raw_status()["state"] == "stopped"
    end = time.monotonic() + 120
    while time.monotonic() < end and any(
        RunReader(os.path.join(runs_dir, r)).status()["state"] not in TERMINAL for r in run_ids
    ):
        time.sleep(0.1)
    for rid in run_ids:
        assert RunReader(os.path.join(runs_dir, rid)).status()["state"] in TERMINAL
        assert not file_problems(os.path.join(runs_dir, rid))
    assert launcher.wait_all(timeout=30)
    # Orphaned workers (own sessions) have ended too: nothing of this test keeps running.
    for rid in run_ids:
        pid = RunReader(os.path.join(runs_dir, rid)).raw_status().get("pid")
        if pid and pid != os.getpid() and os.path.exists(f"/proc/{pid}"):
            end = time.monotonic() + 30
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
                time.sleep(0.1)
    assert suite_id
