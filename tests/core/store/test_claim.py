"""A run's claim: held by the worker process that inherited it, released when that process dies, and read by
the reader so that a queued run whose scheduler died after starting its worker is not read as failed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from core.store.claim import claim, claimed
from core.store.owner import Owner, identity
from core.store.reader import RunReader
from core.store.writer import RunWriter


def _holder(fd: int) -> subprocess.Popen:
    """A process that inherits the claim `fd` and sleeps (a worker still importing)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=(fd,))


def _dead_owner(runs: str) -> str:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    rec = identity(p.pid)
    p.wait()
    Owner(runs, "sched-dead", pid=rec["pid"]).write()
    return "sched-dead"


def test_the_claim_lives_exactly_as_long_as_the_process_that_inherited_it(tmp_path):
    d = str(tmp_path)
    assert not claimed(d)  # no claim file: nobody ever started a worker
    with claim(d) as fd:
        assert claimed(d)
        proc = _holder(fd)
    try:
        assert claimed(d)  # the caller's copy is closed; the worker's keeps the lock
        proc.kill()
        proc.wait()
        assert not claimed(d)  # the kernel released it with the process
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with claim(d):  # free again for the next worker
        pass


def test_a_queued_run_with_a_dead_scheduler_but_a_started_worker_is_not_failed(tmp_path):
    runs = str(tmp_path)
    RunWriter(runs, "r1", {"method": "ce"}, owner=_dead_owner(runs))
    run_dir = os.path.join(runs, "r1")
    assert RunReader(run_dir).status()["state"] == "failed"  # nobody will train it
    RunWriter(runs, "r2", {"method": "ce"}, owner="sched-dead")
    run_dir = os.path.join(runs, "r2")
    with claim(run_dir) as fd:
        proc = _holder(fd)
    try:
        for _ in range(20):  # the scheduler is gone; its worker is loading: queued, never failed
            assert RunReader(run_dir).status()["state"] == "queued"
            time.sleep(0.01)
        proc.kill()
        proc.wait()
        st = RunReader(run_dir).status()  # the worker died before writing: failed at once
        assert st["state"] == "failed" and st["dead"] and "scheduler" in st["error"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
