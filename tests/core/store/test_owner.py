"""Owners of unfinished runs: a queued or running run whose process is gone reads as failed at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from core.store.owner import Owner, identity, process_alive
from core.store.reader import RunReader
from core.store.writer import RunWriter


def _dead_pid() -> dict:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    rec = identity(p.pid)
    p.wait()
    return rec


def test_process_alive_knows_the_living_the_dead_and_a_reused_pid():
    assert process_alive(identity())
    assert not process_alive(_dead_pid())
    assert not process_alive({**identity(), "pid_start": "1"})  # same pid, another process
    assert not process_alive({"pid": "x"}) and not process_alive(None)
    assert process_alive({"host": "elsewhere", "heartbeat": time.time()})
    assert not process_alive({"host": "elsewhere", "heartbeat": time.time() - 3600})


def test_a_killed_unreaped_process_is_dead_not_alive():
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    rec = identity(p.pid)
    assert process_alive(rec)
    p.kill()
    time.sleep(0.3)  # not waited for: a zombie still answers kill(pid, 0)
    assert not process_alive(rec)
    p.wait()


def test_queued_run_follows_its_owner(tmp_path):
    runs = str(tmp_path)
    with Owner(runs, kind="test") as owner:
        RunWriter(runs, "r1", {"method": "ce"}, owner=owner.owner_id)
        assert RunReader(os.path.join(runs, "r1")).status()["state"] == "queued"
    st = RunReader(os.path.join(runs, "r1")).status()  # the owner finished without training it
    assert st["state"] == "failed" and st["dead"] and "scheduler" in st["error"]


def test_queued_run_whose_owner_record_names_a_dead_process(tmp_path):
    runs = str(tmp_path)
    dead = _dead_pid()
    Owner(runs, "sched-x", pid=dead["pid"]).write()
    RunWriter(runs, "r1", {"method": "ce"}, owner="sched-x")
    assert RunReader(os.path.join(runs, "r1")).status()["state"] == "failed"
    RunWriter(runs, "r2", {"method": "ce"}, owner="not-written-yet")  # the scheduler is still starting
    assert RunReader(os.path.join(runs, "r2")).status()["state"] == "queued"


def test_running_run_with_a_dead_worker_fails_at_once(tmp_path):
    runs = str(tmp_path)
    w = RunWriter(runs, "r1", {"method": "ce"})
    w.set_status("running")
    assert RunReader(os.path.join(runs, "r1")).status()["state"] == "running"
    st = dict(w._status, **_dead_pid())
    from core.store.files import atomic_write_json

    atomic_write_json(os.path.join(runs, "r1", "status.json"), st)
    st = RunReader(os.path.join(runs, "r1")).status()
    assert st["state"] == "failed" and "died" in st["error"]


def test_stop_on_an_unowned_run_ends_it_at_once(tmp_path):
    from core.engine.launch import request_stop

    runs = str(tmp_path)
    Owner(runs, "gone", pid=_dead_pid()["pid"]).write()
    RunWriter(runs, "r1", {"method": "ce"}, owner="gone")
    assert request_stop(runs, "r1") is True
    raw = RunReader(os.path.join(runs, "r1")).raw_status()
    assert raw["state"] == "stopped" and "stopped by the user" in raw["error"]
    assert request_stop(runs, "r1") is False  # already ended
