"""The Ray backend on a local Ray instance (2 CPUs): a grid ends in the store like the local backend's, a killed
worker fails only its run, Stop ends a run `stopped` within seconds."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from core.engine.run_config import make_config
from core.engine.suite import plan_suite, run_suite
from core.store.reader import RunReader, list_runs

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow

TIME_KEYS = ("time",)  # wall-clock values differ between any two runs


@pytest.fixture(scope="module")
def local_ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(
        num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False, _node_ip_address="127.0.0.1"
    )
    yield ray
    ray.shutdown()


def _base(epochs: int = 3, **extra):
    return make_config(
        {
            "dataset": "digits",
            "noise": "symmetric",
            "noise_rate": 0.2,
            "method": "ce",
            "model": "mlp",
            "epochs": epochs,
            "threads": 1,
            "probe_every": 2,
            "probe_size": 200,
            **extra,
        }
    )


def _metrics(runs_dir: str, rid: str) -> list[dict]:
    rows = RunReader(os.path.join(runs_dir, rid)).metrics()
    return [{k: v for k, v in r.items() if not k.startswith(TIME_KEYS)} for r in rows]


def _by_cell(runs_dir: str, run_ids: list[str]) -> dict:
    out = {}
    for rid in run_ids:
        c = RunReader(os.path.join(runs_dir, rid)).config
        out[(c["method"], c["noise_rate"], c["seed"])] = rid
    return out


def _wait(cond, timeout: float, what: str):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        value = cond()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _in_thread(fn) -> threading.Thread:
    th = threading.Thread(target=fn, daemon=True)
    th.start()
    return th


def test_a_grid_on_ray_ends_like_the_local_backend(local_ray, tmp_path):
    ray_dir, local_dir = str(tmp_path / "ray"), str(tmp_path / "local")
    cells = {}
    for runs_dir, backend in ((ray_dir, "ray"), (local_dir, "local")):
        _, run_ids = plan_suite(_base(), ["ce", "labo"], [0], runs_dir, rates=[0.2, 0.4])
        run_suite(runs_dir, run_ids, backend=backend)
        cells[backend] = _by_cell(runs_dir, run_ids)
    # The dashboard's reader sees 4 completed runs, with the grid's settings.
    listed = list_runs(ray_dir)
    assert len(listed) == 4 and {r.status["state"] for r in listed} == {"completed"}
    assert {(r.config["method"], r.config["noise_rate"]) for r in listed} == {
        ("ce", 0.2),
        ("ce", 0.4),
        ("labo", 0.2),
        ("labo", 0.4),
    }
    st = listed[0].status
    assert st["pid"] == os.getpid() and st["worker"]["pid"] != os.getpid()  # the driver owns, a Ray worker trains
    assert set(cells["ray"]) == set(cells["local"])
    for cell, rid in cells["ray"].items():
        lrid = cells["local"][cell]
        assert _metrics(ray_dir, rid) == _metrics(local_dir, lrid), cell
        s_ray = RunReader(os.path.join(ray_dir, rid)).summary()
        s_loc = RunReader(os.path.join(local_dir, lrid)).summary()
        assert s_ray["test_acc_final"] == s_loc["test_acc_final"] and s_ray["noise_auroc"] == s_loc["noise_auroc"]
        # Probe artifacts travelled too.
        assert (
            RunReader(os.path.join(ray_dir, rid)).artifact_names()
            == RunReader(os.path.join(local_dir, lrid)).artifact_names()
        )


def test_a_killed_worker_fails_its_run_and_the_others_complete(local_ray, tmp_path):
    runs_dir = str(tmp_path)
    _, (long_id,) = plan_suite(_base(epochs=5000), ["ce"], [0], runs_dir)
    _, (short_id,) = plan_suite(_base(epochs=3), ["ce"], [1], runs_dir)
    th = _in_thread(lambda: run_suite(runs_dir, [long_id, short_id], backend="ray"))
    reader = RunReader(os.path.join(runs_dir, long_id))

    def training():
        st = reader.status()
        return st if st.get("state") == "running" and reader.metrics() else None

    st = _wait(training, 90, "the long run to train")
    os.kill(st["worker"]["pid"], signal.SIGKILL)
    th.join(90)
    assert not th.is_alive()
    st = reader.status()
    assert st["state"] == "failed" and "died" in st["error"], st
    assert reader.summary()["state"] == "failed"
    assert RunReader(os.path.join(runs_dir, short_id)).status()["state"] == "completed"


def test_stop_ends_a_ray_run_stopped_within_seconds(local_ray, tmp_path):
    from core.engine.launch import request_stop

    runs_dir = str(tmp_path)
    _, (rid,) = plan_suite(_base(epochs=5000), ["ce"], [0], runs_dir)
    th = _in_thread(lambda: run_suite(runs_dir, [rid], backend="ray"))
    reader = RunReader(os.path.join(runs_dir, rid))
    _wait(lambda: reader.status().get("state") == "running" and reader.metrics(), 90, "the run to train")
    t0 = time.monotonic()
    request_stop(runs_dir, rid)
    _wait(lambda: reader.status().get("state") == "stopped", 5, "the run to stop")
    assert time.monotonic() - t0 < 5
    th.join(30)
    assert not th.is_alive()
    s = reader.summary()
    assert s["state"] == "stopped" and s["epochs"] >= 1  # the engine's own summary of what it trained
