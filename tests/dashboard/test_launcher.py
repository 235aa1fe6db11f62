"""The launcher trains comparisons in detached processes and stops them on request."""

from __future__ import annotations

import os
import time

import pytest

from core.engine.run_config import make_config
from core.store.reader import RunReader, read_suite
from dashboard import launcher


def wait_terminal(runs_dir: str, run_ids: list[str], timeout: float) -> list[str]:
    end = time.time() + timeout
    while True:
        states = [RunReader(os.path.join(runs_dir, r)).status().get("state") for r in run_ids]
        if all(s in launcher.TERMINAL for s in states) or time.time() > end:
            return states
        time.sleep(0.2)


def _cfg(epochs):
    return make_config(
        {
            "dataset": "blobs",
            "noise": "symmetric",
            "noise_rate": 0.2,
            "method": "ce",
            "model": "mlp",
            "epochs": epochs,
            "probes": [],
            "log_every": 1,
        }
    )


def test_start_comparison_trains_every_run_in_its_own_session(tmp_path):
    runs = str(tmp_path)
    suite_id, run_ids = launcher.start_comparison(
        _cfg(2), ["ce", "label_smoothing"], [0], runs, method_options={"label_smoothing": {"eps": 0.2}}, workers=1
    )
    try:
        assert launcher.suite_run_ids(runs, suite_id) == run_ids
        assert read_suite(runs, suite_id)["methods"] == ["ce", "label_smoothing"]
        proc = launcher._PROCS[-1]
        assert os.getsid(proc.pid) != os.getsid(0)  # closing the app's session does not reach it
        assert launcher.wait_all(timeout=120)
        states = [RunReader(os.path.join(runs, r)).status()["state"] for r in run_ids]
        assert states == ["completed", "completed"]
        ls = RunReader(os.path.join(runs, run_ids[1])).config
        assert ls["method"] == "label_smoothing" and ls["method_options"]["eps"] == 0.2
    finally:
        launcher.stop_runs(runs, run_ids)
        launcher.wait_all(timeout=60)


def test_stop_runs_stops_running_and_queued(tmp_path):
    runs = str(tmp_path)
    _, run_ids = launcher.start_comparison(_cfg(100000), ["ce"], [0, 1, 2], runs, workers=1)
    try:
        end = time.time() + 60
        while RunReader(os.path.join(runs, run_ids[0])).status()["state"] != "running" and time.time() < end:
            time.sleep(0.2)
        assert set(launcher.stop_runs(runs, run_ids)) == set(run_ids)
        assert launcher.wait_all(timeout=90)
        states = wait_terminal(runs, run_ids, 10)
        assert states == ["stopped"] * 3
        assert launcher.stop_runs(runs, run_ids) == []  # finished runs are not asked again
    finally:
        launcher.stop_runs(runs, run_ids)
        launcher.wait_all(timeout=60)


def test_default_workers_bounded_by_runs_and_cores():
    assert launcher.default_workers(1) == 1
    assert 1 <= launcher.default_workers(100) <= (os.cpu_count() or 1)


def test_warm_launcher_forks_the_comparison_and_leaves_on_request(tmp_path):
    runs = str(tmp_path)
    server = launcher.start_server(runs)
    try:
        assert launcher.wait_server(runs, timeout=120)
        t0 = time.time()
        _, run_ids = launcher.start_comparison(_cfg(2), ["ce", "label_smoothing"], [0], runs, workers=2)
        assert launcher._PROCS == [] or all(p.poll() is not None for p in launcher._PROCS)  # no new interpreter
        states = wait_terminal(runs, run_ids, 120)
        assert states == ["completed", "completed"]
        started = [RunReader(os.path.join(runs, r)).status()["started"] for r in run_ids]
        assert min(started) - t0 < 5.0  # forked from the preloaded launcher: no import of torch on the way
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not launcher.server_alive(runs)
    # Without a warm launcher a comparison still starts (its own scheduler process).
    _, more = launcher.start_comparison(_cfg(1), ["ce"], [1], runs, workers=1)
    try:
        assert launcher.wait_all(timeout=120) and wait_terminal(runs, more, 10) == ["completed"]
    finally:
        launcher.stop_runs(runs, more)
        launcher.wait_all(timeout=60)


@pytest.mark.slow
def test_a_comparison_sent_to_ray_writes_the_store_live_and_stops(tmp_path):
    pytest.importorskip("ray")
    runs = str(tmp_path)
    # No address: the scheduler process starts a private Ray instance and is the runs' driver.
    _, run_ids = launcher.start_comparison(
        _cfg(100000),
        ["ce"],
        [0],
        runs,
        noises=["symmetric"],
        rates=[0.2, 0.4],
        backend="ray",
        backend_options={"cpus_per_run": 1.0},
    )
    try:
        end = time.time() + 120
        readers = [RunReader(os.path.join(runs, r)) for r in run_ids]
        while not all(r.metrics() for r in readers) and time.time() < end:
            time.sleep(0.3)
        assert all(r.status()["state"] == "running" and r.status()["worker"]["pid"] for r in readers)
        assert [r.config["noise_rate"] for r in readers] == [0.2, 0.4]
        assert set(launcher.stop_runs(runs, run_ids)) == set(run_ids)
        assert wait_terminal(runs, run_ids, 15) == ["stopped", "stopped"]
        assert launcher.wait_all(timeout=60)
    finally:
        launcher.stop_runs(runs, run_ids)
        launcher.wait_all(timeout=60)
