"""Engine: a contract test over every registered method and model, determinism, NaN, STOP, truth isolation."""

import dataclasses
import json
import math
import time

import numpy as np
import pytest

from core.engine.launch import create_run, request_stop, spawn
from core.engine.run_config import make_config
from core.engine.trainer import Trainer, train
from core.registry import METHODS, MODELS
from core.store import RunReader

TINY = {
    "dataset": "digits",
    "noise": "symmetric",
    "noise_rate": 0.3,
    "epochs": 2,
    "probes": [],
    "batch_size": 64,
    "model_options": {},
}


def _cfg(**kw):
    v = dict(TINY)
    v.update(kw)
    return make_config(v)


def _method_cfg(name, **kw):
    if METHODS.get(name).uses_unlabeled:
        kw.setdefault("labeled_fraction", 0.5)
    return _cfg(method=name, model="mlp", model_options={"width": 32}, **kw)


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS.names())
def test_every_method_trains_and_logs_finite_metrics(method, tmp_path):
    run_id, s = train(_method_cfg(method), str(tmp_path))
    assert s["state"] == "completed", s.get("error")
    r = RunReader(str(tmp_path / run_id))
    rows = r.metrics()
    assert rows and rows[-1]["epoch"] == s["epochs"]
    for key in ("train/loss", "test/acc", "train/acc_clean", "train/memorized"):
        assert math.isfinite(rows[-1][key]), key
    assert 0.0 <= s["test_acc_final"] <= 1.0
    assert r.status()["state"] == "completed"
    # Everything the method reports is declared (core/outputs.py): the engine, probes and charts read only that.
    declared = METHODS.get(method).produces
    per_sample = r.load_artifact("per_sample") or {}
    assert set(per_sample) - {"idx"} <= set(declared.per_sample_by_key()), method
    scalars = {k.removeprefix("method/") for row in rows for k in row if k.startswith("method/")}
    assert scalars <= {sc.key for sc in declared.scalars}, method


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS.names())
def test_every_model_trains(model, tmp_path, request):
    opts = {
        "resnet18": {"width": 8},
        "mlp": {"width": 32},
        "cnn_small": {"channels": 8},
        "resnet_small": {"width": 4, "blocks": 1},
        "hf": {"source": request.getfixturevalue("tiny_hf_model") if model == "hf" else "", "image_size": 16},
    }.get(model, {})
    _, s = train(_cfg(model=model, model_options=opts, epochs=1), str(tmp_path))
    assert s["state"] == "completed", s.get("error")


def _values(run_dir):
    return [{k: v for k, v in m.items() if not k.startswith("time")} for m in RunReader(run_dir).metrics()]


def test_same_config_and_seed_give_identical_metrics_on_cpu(tmp_path):
    cfg = _cfg(method="ce", model="cnn_small", model_options={"channels": 8})
    a, _ = train(cfg, str(tmp_path))
    b, _ = train(cfg, str(tmp_path))
    va, vb = _values(str(tmp_path / a)), _values(str(tmp_path / b))
    assert va == vb and len(va) == 2


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS.names())
def test_methods_never_see_the_truth(method, tmp_path, monkeypatch):
    """Scrambling the ground truth changes only the evaluation, never what a method does."""
    import core.engine.assemble as T

    real_prepare = T.prepare

    def scrambled(cfg, *args, **kwargs):
        p = real_prepare(cfg, *args, **kwargs)
        truth = np.random.default_rng(1).permutation(p.truth)
        return dataclasses.replace(p, truth=truth, flipped=p.observed != truth)

    cfg = _method_cfg(method, epochs=1)
    a, _ = train(cfg, str(tmp_path))
    monkeypatch.setattr(T, "prepare", scrambled)
    b, sb = train(cfg, str(tmp_path))
    assert sb["state"] == "completed", sb.get("error")  # a failed run would compare nothing
    keep = lambda rows: [
        {k: v for k, v in m.items() if k == "train/loss" or k.startswith("method/")}  # noqa: E731
        for m in rows
    ]
    assert keep(_values(str(tmp_path / a))) == keep(_values(str(tmp_path / b)))


def test_nan_loss_fails_the_run_with_the_reason(tmp_path, monkeypatch):
    from core.methods import ce

    orig = ce.CrossEntropy.loss

    def nan_loss(self, batch, out, step):
        res = orig(self, batch, out, step)
        res.loss = res.loss * float("nan")
        return res

    monkeypatch.setattr(ce.CrossEntropy, "loss", nan_loss)
    run_id, s = train(_cfg(method="ce"), str(tmp_path))
    st = RunReader(str(tmp_path / run_id)).status()
    assert s["state"] == "failed" and st["state"] == "failed"
    assert "nan" in st["error"].lower()


def test_stop_file_stops_within_one_step(tmp_path):
    cfg = _cfg(method="ce", epochs=50)
    t = Trainer(cfg, str(tmp_path))
    open(t.writer.stop_file, "w").close()
    s = t.run()
    assert s["state"] == "stopped" and s["epochs"] == 0
    assert RunReader(t.writer.dir).status()["state"] == "stopped"


@pytest.mark.slow
def test_a_spawned_run_stops_on_request_and_records_its_state(tmp_path):
    cfg = _cfg(method="ce", epochs=500, model="mlp")
    rid = create_run(cfg, str(tmp_path))
    proc = spawn(str(tmp_path), rid)
    try:
        r = RunReader(str(tmp_path / rid))
        deadline = time.time() + 60
        while not r.metrics() and time.time() < deadline:
            time.sleep(0.2)
        assert r.metrics(), "the worker never logged"
        request_stop(str(tmp_path), rid)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    st = r.status()
    assert st["state"] == "stopped"
    assert r.summary()["state"] == "stopped"
    assert r.summary()["epochs"] < 500


def test_run_folder_is_complete(tmp_path):
    run_id, s = train(_cfg(method="ce"), str(tmp_path))
    d = tmp_path / run_id
    for f in ("config.json", "status.json", "metrics.jsonl", "summary.json", "data.json", "split.json"):
        assert (d / f).exists(), f
    cfg = json.loads((d / "config.json").read_text())
    assert cfg["model"] == "cnn_small" and cfg["method"] == "ce"
    for k in ("test_acc_final", "test_acc_best", "noise_auroc", "wall_time_s", "epochs", "noise_rate_realized"):
        assert s.get(k) is not None, k
    data = json.loads((d / "data.json").read_text())
    T = np.array(data["noise"]["transition_matrix"])
    assert np.allclose(T.sum(1), 1)


def test_hooks_see_every_step_and_every_record(tmp_path):
    from core.engine.hooks import Hook

    class Count(Hook):
        def __init__(self):
            self.steps, self.records, self.ended = 0, [], False

        def on_step(self, loop, batch, out):
            self.steps += 1

        def on_record(self, loop, rec):
            self.records.append(rec["epoch"])

        def on_end(self, loop):
            self.ended = True

    h = Count()
    t = Trainer(_cfg(method="ce", model="mlp", model_options={"width": 16}), str(tmp_path), hooks=[h])
    s = t.run()
    assert s["state"] == "completed", s.get("error")
    assert h.steps == t.step > 0 and h.records == [r["epoch"] for r in t.history] == [1, 2] and h.ended
