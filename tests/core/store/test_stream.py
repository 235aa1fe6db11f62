"""Streamed run records: what a StreamWriter emits, replayed by a RunWriter, is the folder a RunWriter writes itself."""

import os

import numpy as np
import pytest

from core.store.reader import RunReader
from core.store.stream import StreamWriter, replay
from core.store.writer import RunWriter


def _write(w):
    w.set_status("running", progress={"epoch": 0})
    w.log({"epoch": 1, "train/loss": 0.5})
    w.heartbeat(progress={"epoch": 1})
    w.save_arrays("gram", 1, {"eig": np.arange(3.0)})
    w.write_json("data.json", {"n": 3})
    w.write_summary({"state": "completed", "test_acc_final": 0.9})
    w.set_status("completed")
    w.close()


def test_replayed_records_make_the_same_run_folder(tmp_path):
    RunWriter(str(tmp_path), "direct", {"method": "ce"})
    _write(RunWriter(str(tmp_path), "direct"))
    records = []
    stream = StreamWriter("streamed", records.append, lambda: False)
    _write(stream)
    driver = RunWriter(str(tmp_path), "streamed", {"method": "ce"})
    for rec in records:
        replay(driver, rec)
    a, b = RunReader(str(tmp_path / "direct")), RunReader(str(tmp_path / "streamed"))
    assert (
        a.metrics() == b.metrics()
        and a.summary() == b.summary()
        and a.read_json("data.json") == b.read_json("data.json")
    )
    np.testing.assert_array_equal(a.load_artifact("gram")["eig"], b.load_artifact("gram")["eig"])
    st = b.status()
    assert st["state"] == "completed" and st["pid"] == os.getpid() and st["worker"]["pid"] == os.getpid()


def test_a_record_cannot_write_outside_its_run_folder(tmp_path):
    w = RunWriter(str(tmp_path), "r", {"method": "ce"})
    for bad in (
        ("write_json", ("../evil.json", {}), {}),
        ("save_arrays", ("../x", 1, {}), {}),
        ("unlink", ("config.json",), {}),
    ):
        with pytest.raises(ValueError):
            replay(w, bad)
    assert sorted(os.listdir(tmp_path)) == ["r"]
