"""One damaged file never hides the other runs: garbage or non-UTF-8 JSON, a bad metrics line, a broken npz."""

from __future__ import annotations

import os

import numpy as np

from core.store.files import atomic_write_npz, read_json
from core.store.reader import UNREADABLE, RunReader, list_runs
from core.store.writer import RunWriter


def _run(runs: str, rid: str) -> str:
    w = RunWriter(runs, rid, {"method": "ce", "seed": 0, "created": 1.0})
    w.log({"epoch": 1, "test/acc": 0.5})
    w.write_summary({"state": "completed"})
    w.set_status("completed")
    w.close()
    return os.path.join(runs, rid)


def test_read_json_survives_bytes_that_are_not_utf8(tmp_path):
    p = tmp_path / "x.json"
    p.write_bytes(b"\x00\xffgarbage")
    assert read_json(str(p), "dflt") == "dflt"


def test_unreadable_status_or_config_reads_unreadable_never_queued(tmp_path):
    runs = str(tmp_path)
    good = _run(runs, "good")
    for rid, name, data in (
        ("a", "status.json", b"\x00\xffgarbage"),
        ("b", "status.json", b"plain text"),
        ("c", "status.json", b'{"state": "bogus"}'),
        ("d", "config.json", b"\xff"),
    ):
        d = _run(runs, rid)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    os.unlink(os.path.join(_run(runs, "e"), "status.json"))
    by = {r.run_id: r.status for r in list_runs(runs)}
    assert set(by) == {"good", "a", "b", "c", "d", "e"}
    assert by["good"]["state"] == "completed"
    for rid in "abcde":
        assert by[rid]["state"] == UNREADABLE and by[rid]["path"].startswith(runs), rid
    assert RunReader(good).status()["state"] == "completed"


def test_bad_metric_lines_are_skipped_not_fatal(tmp_path):
    d = _run(str(tmp_path), "r")
    with open(os.path.join(d, "metrics.jsonl"), "ab") as f:
        f.write(b"\xff\xfe not json\n[1, 2]\n" + b'{"epoch": 2, "test/acc": 0.6}\n{"epoch": 3, "te')
    assert [m["epoch"] for m in RunReader(d).metrics()] == [1, 2]


def test_damaged_npz_falls_back_to_the_nearest_readable_epoch_and_says_which(tmp_path):
    d = _run(str(tmp_path), "r")
    for ep in (1, 2, 3):
        atomic_write_npz(os.path.join(d, "artifacts", "gram", f"e{ep:05d}.npz"), {"v": np.full(2, ep)})
    bad = os.path.join(d, "artifacts", "gram", "e00003.npz")
    open(bad, "wb").close()  # zero bytes
    r = RunReader(d)
    assert r.load_artifact("gram", 3)["v"][0] == 2 and r.skipped == {bad: 2}
    assert r.load_artifact("gram", 3, exact=True) is None
    for ep in (1, 2):
        with open(os.path.join(d, "artifacts", "gram", f"e{ep:05d}.npz"), "wb") as f:
            f.write(b"PK\x03\x04junk")
    r = RunReader(d)
    assert r.load_artifact("gram") is None and all(v is None for v in r.skipped.values()) and len(r.skipped) == 3
