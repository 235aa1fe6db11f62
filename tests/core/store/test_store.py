"""Run store: append-only metrics, partial last line, reading while writing, listing, dead runs."""

import json
import os
import time

import numpy as np

from core.store import RunReader, RunWriter, list_runs
from core.store.files import atomic_write_json


def test_reader_tolerates_a_half_written_last_line(tmp_path):
    w = RunWriter(str(tmp_path), "r1", {"method": "ce", "created": 1.0})
    w.log({"epoch": 1, "test/acc": 0.5})
    with open(tmp_path / "r1" / "metrics.jsonl", "a") as f:
        f.write('{"epoch": 2, "test/ac')  # a writer caught mid-line
    r = RunReader(str(tmp_path / "r1"))
    assert [m["epoch"] for m in r.metrics()] == [1]
    with open(tmp_path / "r1" / "metrics.jsonl", "a") as f:
        f.write('c": 0.6}\n')
    assert [m["epoch"] for m in r.metrics()] == [1, 2]


def test_reading_while_writing_is_incremental(tmp_path):
    w = RunWriter(str(tmp_path), "r1", {"created": 1.0})
    r = RunReader(str(tmp_path / "r1"))
    assert r.metrics() == []
    for e in range(1, 6):
        w.log({"epoch": e})
        assert [m["epoch"] for m in r.metrics()] == list(range(1, e + 1))


def test_status_heartbeat_and_states(tmp_path):
    w = RunWriter(str(tmp_path), "r1", {"created": 1.0})
    r = RunReader(str(tmp_path / "r1"))
    assert r.status()["state"] == "queued"
    w.set_status("running")
    st = r.status()
    assert st["state"] == "running" and abs(st["heartbeat"] - time.time()) < 5
    w.set_status("failed", error="boom")
    assert r.status()["error"] == "boom"


def test_a_dead_running_run_reads_as_failed(tmp_path):
    RunWriter(str(tmp_path), "r1", {"created": 1.0})
    atomic_write_json(
        str(tmp_path / "r1" / "status.json"),
        {"state": "running", "heartbeat": time.time() - 3600, "pid": 2**22 + 12345},
    )
    st = RunReader(str(tmp_path / "r1")).status()
    assert st["state"] == "failed" and "died" in st["error"]


def test_listing_skips_suites_and_sorts_newest_first(tmp_path):
    RunWriter(str(tmp_path), "old", {"created": 1.0})
    RunWriter(str(tmp_path), "new", {"created": 2.0})
    os.makedirs(tmp_path / "_suites")
    (tmp_path / "_suites" / "s.json").write_text(json.dumps({"suite_id": "s"}))
    assert [r.run_id for r in list_runs(str(tmp_path))] == ["new", "old"]


def test_artifacts_round_trip_without_pickle(tmp_path):
    w = RunWriter(str(tmp_path), "r1", {"created": 1.0})
    w.save_arrays("gram", 3, {"sigma": np.arange(4.0)})
    w.save_arrays("gram", 7, {"sigma": np.arange(5.0)})
    r = RunReader(str(tmp_path / "r1"))
    assert r.artifact_epochs("gram") == [3, 7]
    assert len(r.load_artifact("gram")["sigma"]) == 5
    assert len(r.load_artifact("gram", 3)["sigma"]) == 4
    assert not [f for f in os.listdir(tmp_path / "r1" / "artifacts" / "gram") if f.startswith(".tmp")]
