"""The tiny comparison's runs loaded for chart tests (shared by the topic test modules)."""

from __future__ import annotations

import json
import shutil

import pytest

from core.store.run_data import RunData, load_run


@pytest.fixture(scope="module")
def runs(tiny_suite):
    return [load_run(tiny_suite["runs_dir"], rid) for rid in tiny_suite["run_ids"]]


@pytest.fixture
def run(runs):
    return runs[0]


@pytest.fixture
def real_noise_copy(tmp_path):
    """Copy a run and mark it as real-noise data (truth unknown), as a user file without a clean column gives."""

    def make(run: RunData) -> RunData:
        dst = tmp_path / run.run_id
        shutil.copytree(run.reader.dir, dst)
        data = json.loads((dst / "data.json").read_text())
        data["noise"] = {"kind": "none", "rate": 0.0, "truth_known": False}
        (dst / "data.json").write_text(json.dumps(data))
        return load_run(str(tmp_path), run.run_id)

    return make
