"""Every registered probe: leaves mode, grads and RNG untouched, returns finite scalars and readable arrays."""

import math

import numpy as np
import pytest
import torch

from core.config import build
from core.registry import PROBES
from core.store.reader import RunReader
from core.store.writer import RunWriter


@pytest.mark.parametrize("name", PROBES.names())
@pytest.mark.parametrize("model_name,truth,training", [("mlp", True, True), ("cnn_small", False, False)])
def test_probe_contract(name, model_name, truth, training, tmp_path, make_ctx):
    model, ctx = make_ctx(model_name, truth)
    model.train(training)
    loss = model(ctx.x[:8])[1].sum()
    loss.backward()
    grads = [p.grad.clone() for p in model.parameters()]
    params = [p.detach().clone() for p in model.parameters()]
    torch.manual_seed(123)
    rng = torch.get_rng_state()
    threads = torch.get_num_threads()
    probe = PROBES.get(name)(build(PROBES.get(name).Config, {}))
    res = probe.run(ctx)
    assert model.training is training
    assert torch.equal(torch.get_rng_state(), rng)
    assert torch.get_num_threads() == threads
    for p, g, v in zip(model.parameters(), grads, params):
        assert torch.equal(p.grad, g) and torch.equal(p.detach(), v)
    assert res.scalars, f"probe {name} logged no scalars"
    for k, v in res.scalars.items():
        assert isinstance(v, float) and math.isfinite(v), (name, k, v)
    writer = RunWriter(str(tmp_path), "run")
    writer.save_arrays(name, ctx.epoch, res.arrays)
    back = RunReader(str(tmp_path / "run")).load_artifact(name, ctx.epoch)
    assert set(back) == set(res.arrays)
    for k, v in res.arrays.items():
        np.testing.assert_array_equal(back[k], np.asarray(v))


def test_probes_in_a_real_run(tiny_suite):
    """The engine saves every probe's artifact and logs its cost (the shared tiny comparison on digits)."""
    reader = RunReader(f"{tiny_suite['runs_dir']}/{tiny_suite['run_ids'][0]}")
    rows = reader.metrics()
    assert not [k for r in rows for k in r if k.startswith("probe_error/")]
    last = [r for r in rows if "time/probes_s" in r][-1]
    for name in PROBES.names():
        assert f"time/probe/{name}" in last
        assert reader.load_artifact(name) is not None, name
    assert 0.0 <= last["probe/noise_detection/auroc_model_loss"] <= 1.0


def test_engine_hands_probes_the_evaluation_forward(tmp_path):
    """The features/logits the engine passes to the probes equal a fresh eval-mode forward of the subset."""
    from core.engine.run_config import make_config
    from core.engine.trainer import Trainer

    cfg = make_config(
        {"dataset": "wine", "noise": "symmetric", "noise_rate": 0.2, "method": "ce", "epochs": 1, "probe_size": 40}
    )
    tr = Trainer(cfg, str(tmp_path))
    a = tr.setup()
    model = a.build_model(0)
    assert a.evaluator.outputs_of(a.probe_idx) is None
    a.evaluator(model)
    feats, logits = a.evaluator.outputs_of(a.probe_idx)
    model.eval()
    with torch.no_grad():
        f, z = model(a.X[torch.as_tensor(a.probe_idx)])
    torch.testing.assert_close(feats, f.float())
    torch.testing.assert_close(logits, z.float())
    tr.writer.close()
