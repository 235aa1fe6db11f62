"""random_heads: which parameters each loss reaches, gradient reversal, and λ = 0 equals plain training."""

from __future__ import annotations

import math

import pytest
import torch

from core import config as C
from core.engine.run_config import make_config
from core.engine.trainer import Trainer
from core.methods.base import Batch, MethodContext
from core.methods.random_heads import RandomHeads, kl_uniform_to_softmax
from core.monitors.rlp import RandomLabelHeads, labels_hash
from core.registry import METHODS


def _ctx(K=3, dim=8, n=40, seed=0):
    return MethodContext(
        num_classes=K,
        n_total=n,
        feature_dim=dim,
        input_shape=(dim,),
        device=torch.device("cpu"),
        seed=seed,
        epochs=1,
        n_labeled=n,
        n_unlabeled=0,
    )


def _method(ctx=None, **opts):
    return RandomHeads(C.build(RandomHeads.Config, opts), ctx or _ctx())


def _data(n=16, dim=8, K=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, dim, generator=g), torch.randint(0, K, (n,), generator=g), torch.arange(n)


@pytest.mark.parametrize("per_class", [False, True])
def test_rlp_reaches_heads_only_and_unl_reaches_features_only(per_class):
    m = _method(per_class=per_class)
    x, y, idx = _data()
    f = x.clone().requires_grad_(True)
    parts = m.losses(f, y, idx)
    g_f, g_w = torch.autograd.grad(parts["rlp"].mean(), [f, m.bank.weight], allow_unused=True)
    assert g_f is None and g_w.abs().sum() > 0
    g_f, g_w = torch.autograd.grad(parts["unl"].mean(), [f, m.bank.weight], allow_unused=True)
    assert g_w is None and g_f.abs().sum() > 0


def test_reversal_sends_minus_lambda_times_the_head_gradient():
    lam = 0.7
    m = _method(unlearn="reversal", lam=lam)
    x, y, idx = _data()
    f = x.clone().requires_grad_(True)
    (g_rev,) = torch.autograd.grad(m.losses(f, y, idx)["rlp"].mean(), [f])
    # The plain gradient of the same head loss with respect to the features:
    f2 = x.clone().requires_grad_(True)
    z = m.head_logits(f2, y)
    plain = torch.nn.functional.cross_entropy(z.transpose(1, 2), m.labels[idx], reduction="none").mean(1).mean()
    (g_plain,) = torch.autograd.grad(plain, [f2])
    torch.testing.assert_close(g_rev, -lam * g_plain)


def test_unlearning_term_is_kl_to_uniform():
    z = torch.randn(5, 4, 7, dtype=torch.float64)
    p = torch.softmax(z, -1)
    ref = (1 / 7 * (torch.log(torch.tensor(1 / 7, dtype=torch.float64)) - torch.log(p))).sum(-1)
    torch.testing.assert_close(kl_uniform_to_softmax(z), ref)
    assert torch.allclose(kl_uniform_to_softmax(torch.zeros(3, 7)), torch.zeros(3), atol=1e-6)


def test_labels_fixed_and_distinct_from_the_monitor():
    ctx = _ctx()
    a, b = _method(ctx), _method(ctx)
    assert labels_hash(a.labels) == labels_hash(b.labels)
    mon = RandomLabelHeads(C.build(RandomLabelHeads.Config, {}), ctx)
    assert labels_hash(a.labels) != labels_hash(mon.labels)


def test_method_outputs():
    assert METHODS.get("random_heads") is RandomHeads and RandomHeads.help
    m = _method()
    x, y, idx = _data()
    logits = torch.randn(16, 3, requires_grad=True)
    res = m.loss(Batch(x, y, idx), (x.requires_grad_(True), logits), 0)
    assert {"l_cls", "l_rlp", "l_unl", "head_acc"} <= set(res.scalars)
    expected = res.scalars["l_cls"] + res.scalars["l_rlp"] + m.cfg.lam * res.scalars["l_unl"]
    assert res.loss.item() == pytest.approx(expected.item(), rel=1e-6)
    assert 0 <= res.scalars["head_acc"].item() <= 1 and res.scalars["l_unl"].item() >= 0


def _run(tmp_path, method, opts):
    cfg = make_config(
        {
            "dataset": "blobs",
            "noise": "symmetric",
            "noise_rate": 0.3,
            "method": method,
            "method_options": opts,
            "model": "mlp",
            "epochs": 2,
            "probes": [],
            "seed": 1,
            "batch_size": 64,
            "model_options": {"dropout": 0.1},
        }
    )
    t = Trainer(cfg, str(tmp_path / method))
    s = t.run()
    assert s["state"] == "completed", s.get("error")
    return t.history


def test_lambda_zero_trains_exactly_like_plain_cross_entropy(tmp_path):
    rh = _run(tmp_path, "random_heads", {"lam": 0.0})
    ce = _run(tmp_path, "ce", {})
    keys = ("test/acc", "test/loss", "train/acc_observed", "train/acc_clean", "val/acc")
    for a, b in zip(rh, ce):
        assert {k: a[k] for k in keys} == {k: b[k] for k in keys}
    assert not math.isclose(rh[-1]["train/loss"], ce[-1]["train/loss"])  # L_rlp is part of the method's loss
