"""Random-label heads monitor: fixed labels, no gradient into the features, training unchanged, chance held-out."""

from __future__ import annotations

import math

import pytest
import torch

from core import config as C
from core.engine.optim import Optimizers, make_optimizer
from core.engine.run_config import make_config
from core.engine.trainer import Trainer
from core.methods.base import MethodContext
from core.monitors.rlp import RandomLabelHeads, labels_hash, random_labels
from core.registry import MONITORS


def _ctx(n_total=200, dim=16, seed=0):
    return MethodContext(
        num_classes=3,
        n_total=n_total,
        feature_dim=dim,
        input_shape=(dim,),
        device=torch.device("cpu"),
        seed=seed,
        epochs=1,
        n_labeled=n_total,
        n_unlabeled=0,
    )


def _monitor(ctx, **opts):
    return RandomLabelHeads(C.build(RandomLabelHeads.Config, opts), ctx)


def _engine_opts(mon):
    opts = Optimizers()
    for g in mon.optim_groups():
        opts.add(g.name, make_optimizer(g.kind, g.params, g.lr, g.weight_decay, g.momentum), g.params)
    return opts


def test_registered():
    assert MONITORS.get("rlp") is RandomLabelHeads
    assert RandomLabelHeads.help


def test_labels_identical_across_restarts_and_epochs():
    ctx = _ctx()
    a, b = _monitor(ctx), _monitor(ctx)
    assert labels_hash(a.labels) == labels_hash(b.labels)
    assert labels_hash(a.labels) != labels_hash(_monitor(_ctx(seed=1)).labels)
    assert a.labels.shape == (ctx.n_total, 10) and int(a.labels.min()) >= 0 and int(a.labels.max()) < 10
    before = labels_hash(a.labels)
    opts = _engine_opts(a)
    feats = torch.randn(ctx.n_total, ctx.feature_dim)
    for _epoch in range(3):
        for s in range(0, ctx.n_total, 50):
            a.observe(feats[s : s + 50], torch.arange(s, s + 50), s, opts)
    assert labels_hash(a.labels) == before
    # Heads also start identical on a restart (their own generator), and training moved them.
    assert torch.equal(b.bank.weight, _monitor(ctx).bank.weight)
    assert not torch.equal(a.bank.weight, b.bank.weight)


def test_building_the_monitor_leaves_the_global_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(5)
    torch.manual_seed(123)
    _monitor(_ctx())
    random_labels(0, 100, 4, 3)
    assert torch.equal(torch.rand(5), expected)


def test_no_gradient_from_heads_to_features():
    ctx = _ctx()
    mon = _monitor(ctx)
    feats = torch.randn(32, ctx.feature_dim, requires_grad=True)
    loss = mon.loss(feats, torch.arange(32))
    (g,) = torch.autograd.grad(loss, [feats], allow_unused=True)
    assert g is None
    gw = torch.autograd.grad(mon.loss(feats, torch.arange(32)), [mon.bank.weight])[0]
    assert gw.abs().sum() > 0


def test_wide_features_memorize_and_heldout_stays_at_chance():
    # Tiny N with wide (random) features: the random labels are linearly separable, so train acc -> 1,
    # while held-out samples' labels are independent of everything the heads saw.
    n_tr, n_ho, dim, M, H = 64, 600, 256, 4, 10
    ctx = _ctx(n_total=n_tr + n_ho, dim=dim)
    mon = _monitor(ctx, heads=H, classes=M, lr=0.05)
    g = torch.Generator().manual_seed(0)
    feats = torch.randn(n_tr + n_ho, dim, generator=g)
    opts = _engine_opts(mon)
    tr, ho = torch.arange(n_tr), torch.arange(n_tr, n_tr + n_ho)
    for step in range(300):
        mon.observe(feats[tr], tr, step, opts)
    res = mon.evaluate({"train": feats[tr], "heldout": feats[ho]}, {"train": tr, "heldout": ho})
    assert res["rlp/acc_train"] == 1.0
    assert res["rlp/acc_train_norm"] == pytest.approx(1.0)
    sigma = math.sqrt((1 / M) * (1 - 1 / M) / (n_ho * H))  # heads have independent labels
    assert abs(res["rlp/acc_heldout"] - 1 / M) < 3 * sigma


def _run(tmp_path, name, monitors):
    cfg = make_config(
        {
            "dataset": "blobs",
            "noise": "symmetric",
            "noise_rate": 0.3,
            "method": "ce",
            "model": "mlp",
            "epochs": 2,
            "monitors": monitors,
            "probes": [],
            "seed": 3,
            "batch_size": 64,
            "model_options": {"dropout": 0.2},
        }
    )
    t = Trainer(cfg, str(tmp_path / name))
    s = t.run()
    assert s["state"] == "completed", s.get("error")
    return t.history, s


def test_training_identical_with_and_without_monitor(tmp_path):
    on, s_on = _run(tmp_path, "on", ["rlp"])
    off, s_off = _run(tmp_path, "off", [])
    assert len(on) == len(off) > 0
    for r_on, r_off in zip(on, off):
        main = {k: v for k, v in r_off.items() if not k.startswith(("time", "rlp/"))}
        assert {k: r_on[k] for k in main} == main  # bitwise equal floats
        assert {"rlp/acc_train", "rlp/acc_heldout", "rlp/acc_train_norm"} <= set(r_on)
        assert not any(k.startswith("rlp/") for k in r_off)
    assert s_on["test_acc_final"] == s_off["test_acc_final"]
    assert "rlp_acc_train_final" in s_on


def test_heads_are_fresh_for_a_fresh_model_and_kept_for_a_continued_one():
    mon = _monitor(_ctx())
    init = mon.bank.weight.detach().clone()
    with torch.no_grad():
        mon.bank.weight.add_(1.0)  # as after training on the previous stage's features
    mon.begin_stage(1, fresh_model=False)
    assert torch.equal(mon.bank.weight, init + 1.0)
    mon.begin_stage(1, fresh_model=True)
    assert torch.equal(mon.bank.weight, init)


def test_engine_gives_each_self_distill_round_new_heads(tmp_path, monkeypatch):
    calls = []
    orig = RandomLabelHeads.begin_stage

    def spy(self, index, fresh_model):
        calls.append((index, fresh_model))
        orig(self, index, fresh_model)

    monkeypatch.setattr(RandomLabelHeads, "begin_stage", spy)
    cfg = make_config(
        {
            "dataset": "blobs",
            "method": "self_distill",
            "model": "mlp",
            "epochs": 1,
            "monitors": ["rlp"],
            "probes": [],
            "seed": 0,
            "method_options": {"rounds": 1},
        },
        [],
    )
    t = Trainer(cfg, str(tmp_path))
    assert t.run()["state"] == "completed"
    assert calls == [(0, True), (1, True)]
    # The heads the last round trained are the ones whose parameters the optimizer stepped.
    assert t.a.monitors[0].bank.weight.grad is not None
