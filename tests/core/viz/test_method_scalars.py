"""The method-scalars chart plots every numeric `method/*` metric of a run, titled as the method declares."""

from __future__ import annotations

import json
import shutil

import numpy as np

from core.store.run_data import load_run
from core.viz.method_scalars import method_scalars


def test_method_scalars_plots_every_method_scalar(run, tmp_path):
    dst = tmp_path / "drift-run"
    shutil.copytree(run.reader.dir, dst)
    rows = [json.loads(line) for line in (dst / "metrics.jsonl").read_text().splitlines()]
    rng = np.random.default_rng(0)
    for r in rows:
        r.update({"method/flip_rate": float(rng.random()), "method/weight_mean": float(rng.random())})
    (dst / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    drift = load_run(str(tmp_path), "drift-run")
    fig = method_scalars(drift)
    by_name = {tr.name: tr for tr in fig.data}
    np.testing.assert_allclose(by_name["flip_rate"].y, [r["method/flip_rate"] for r in rows])
    np.testing.assert_allclose(by_name["weight_mean"].y, [r["method/weight_mean"] for r in rows])


def test_declared_scalars_take_the_method_label_and_axis(run, tmp_path):
    from core.registry import METHODS

    dst = tmp_path / "drift-run"
    shutil.copytree(run.reader.dir, dst)
    cfg = json.loads((dst / "config.json").read_text())
    (dst / "config.json").write_text(json.dumps({**cfg, "method": "drift"}))
    rows = [json.loads(line) for line in (dst / "metrics.jsonl").read_text().splitlines()]
    for i, r in enumerate(rows):
        r["method/pseudo_flip_rate"] = 0.5 / (i + 1)
    (dst / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    fig = method_scalars(load_run(str(tmp_path), "drift-run"), "ja")
    spec = METHODS.get("drift").produces.scalar("pseudo_flip_rate")
    assert [tr.name for tr in fig.data] == [spec.label["ja"]]
    assert tuple(fig.layout.yaxis.range) == (0, 1.02)  # a declared share
