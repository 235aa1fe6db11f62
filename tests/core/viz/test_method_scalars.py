"""The method-scalars chart plots every numeric `method/*` metric of a run."""
from __future__ import annotations

import json
import shutil

import numpy as np

from core.store.run_data import load_run
from core.viz.method_scalars import drift_teacher


def test_drift_teacher_plots_every_method_scalar(run, tmp_path):
    dst = tmp_path / "drift-run"
    shutil.copytree(run.reader.dir, dst)
    rows = [json.loads(line) for line in (dst / "metrics.jsonl").read_text().splitlines()]
    rng = np.random.default_rng(0)
    for r in rows:
        r.update({"method/flip_rate": float(rng.random()), "method/weight_mean": float(rng.random())})
    (dst / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    drift = load_run(str(tmp_path), "drift-run")
    fig = drift_teacher(drift)
    by_name = {tr.name: tr for tr in fig.data}
    np.testing.assert_allclose(by_name["flip_rate"].y, [r["method/flip_rate"] for r in rows])
    np.testing.assert_allclose(by_name["weight_mean"].y, [r["method/weight_mean"] for r in rows])
