"""RunRecord: the one run-record type, the same whether read from the store or from a RunData snapshot."""

from __future__ import annotations

import ast
import dataclasses
import os

import pytest

from core.engine.suite import suite_rows
from core.store import RunWriter, list_runs
from core.store.reader import RunReader
from core.store.record import RunRecord
from core.store.run_data import load_run

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def _store(tmp_path) -> str:
    runs = str(tmp_path)
    for i, (method, acc) in enumerate((("ce", 0.7), ("labo", 0.8))):
        w = RunWriter(runs, f"r{i}", {"method": method, "seed": 0, "created": 10.0 + i})
        w.write_summary({"state": "completed", "method": method, "test_acc_final": acc, "epoch_time_s": 1.0})
        w.set_status("completed")
    RunWriter(runs, "no-created", {"method": "ce", "seed": 1})  # queued, no `created`: the folder's mtime
    return runs


def test_list_runs_gives_frozen_records_with_what_the_reader_reads(tmp_path):
    runs = _store(tmp_path)
    listed = list_runs(runs)
    assert all(isinstance(r, RunRecord) for r in listed)
    by = {r.run_id: r for r in listed}
    r0 = by["r0"]
    reader = RunReader(os.path.join(runs, "r0"))
    assert (r0.config, r0.summary, r0.dir, r0.created) == (reader.config, reader.summary(), reader.dir, 10.0)
    assert r0.status["state"] == "completed" and r0.method == "ce"
    assert by["no-created"].created == pytest.approx(os.stat(os.path.join(runs, "no-created")).st_mtime)
    assert by["no-created"].summary is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        r0.summary = {}


def test_a_snapshot_gives_the_same_record_as_the_reader(tmp_path):
    runs = _store(tmp_path)
    for rid in ("r0", "r1"):
        run = load_run(runs, rid)
        read = RunRecord.read(RunReader(os.path.join(runs, rid)))
        assert run.record() == read and read.status is None
        status = run.reader.status()
        assert run.record(status) == dataclasses.replace(read, status=status)
    listed = sorted(list_runs(runs), key=lambda r: r.run_id)[:2]
    snap = [load_run(runs, r.run_id).record() for r in listed]
    assert suite_rows(listed) == suite_rows(snap)  # the table reads the same from either


def test_a_method_missing_from_the_config_comes_from_the_summary():
    assert RunRecord("x", {}, {"method": "labo"}).method == "labo"
    assert RunRecord("x", {"method": "ce"}, {"method": "labo"}).method == "ce"


def _hand_built_records(path: str) -> list[int]:
    """Lines of dict literals shaped like a run record (an id with its config, summary or status, or two of those)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            parts = keys & {"config", "summary", "status"}
            if len(parts) >= 2 or ("run_id" in keys and parts):
                hits.append(node.lineno)
    return hits


def test_no_run_record_is_built_by_hand_in_core_or_the_dashboard():
    found = []
    for top in ("core", "dashboard"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if f.endswith(".py"):
                    path = os.path.join(d, f)
                    found += [f"{os.path.relpath(path, ROOT)}:{n}" for n in _hand_built_records(path)]
    assert not found, f"build a RunRecord instead: {found}"
