"""SIGKILL the driver of a Ray comparison (a private local Ray with 2 CPUs, started and left by the CLI
subprocess): every run it owned reads failed with a reason within 10 s, and Ray's processes go with it."""

from __future__ import annotations

import pytest

from core.bench.faults.ray_driver import kill_ray_driver

pytest.importorskip("ray")


def test_killed_ray_driver_ends_every_run_and_leaves_no_ray_process(tmp_path, nothing_lost):
    out = kill_ray_driver(str(tmp_path), 1, n_runs=3)
    nothing_lost(out)
    assert out.tried == 3 + 1, out.notes  # three runs, and the trial's Ray processes
