"""DRIFT: soft pseudo-labels and weights, the Stackelberg gradient through the follower, and the run wiring."""

from __future__ import annotations

import math
import os

import pytest
import torch

from core.config import build
from core.errors import UserError
from core.methods.base import Batch, MethodContext
from core.methods.drift import Drift, ema_follower, leader_objective, pseudo_targets, unrolled_follower
from core.methods.functional import fcall, params_of
from core.registry import METHODS, MODELS


def test_pseudo_labels_on_simplex_and_weights_in_unit_interval():
    z = torch.randn(50, 6, generator=torch.Generator().manual_seed(0), dtype=torch.float64) * 4
    for kind in ("entropy", "maxprob"):
        for temp in (0.3, 1.0, 5.0):
            y, w = pseudo_targets(z, temp, kind)
            assert bool((y >= 0).all()) and torch.allclose(y.sum(1), torch.ones(50, dtype=torch.float64))
            assert bool(((w >= 0) & (w <= 1)).all())
    _, w_uniform = pseudo_targets(torch.zeros(3, 6), 1.0, "entropy")
    assert torch.allclose(w_uniform, torch.zeros(3), atol=1e-6)
    _, w_sure = pseudo_targets(torch.tensor([[80.0, 0, 0, 0, 0, 0]]), 1.0, "entropy")
    assert float(w_sure) == pytest.approx(1.0, abs=1e-6)
    zr = z.clone().requires_grad_()
    y, w = pseudo_targets(zr, 0.5, "entropy")
    (y[:, 0].sum() + w.sum()).backward()
    assert zr.grad.abs().max() > 1e-6  # differentiable functions of the teacher


def _setup(follower="ema", detach=False, **kw):
    torch.manual_seed(0)
    model = MODELS.get("mlp")((3,), 3, build(MODELS.get("mlp").Config, {"width": 5, "depth": 1})).double()
    ctx = MethodContext(
        num_classes=3,
        n_total=20,
        feature_dim=5,
        input_shape=(3,),
        device=torch.device("cpu"),
        seed=0,
        epochs=1,
        n_labeled=4,
        n_unlabeled=16,
    )
    cfg = build(
        Drift.Config,
        {
            "follower": follower,
            "detach_teacher": detach,
            "ema_decay": 0.6,
            "unroll_steps": 2,
            "unroll_lr": 0.5,
            "temperature": 0.7,
        }
        | kw,
    )
    method = METHODS.get("drift")(cfg, ctx)
    method.begin_stage(0, None, model, None, None)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():  # a teacher that differs from the student, as after some training
        for t in method.teacher.values():
            t.add_(0.5 * torch.randn(t.shape, generator=g, dtype=t.dtype))
    batch = Batch(
        torch.randn(4, 3, generator=g, dtype=torch.float64),
        torch.randint(0, 3, (4,), generator=g),
        torch.arange(4),
        torch.randn(7, 3, generator=g, dtype=torch.float64),
        torch.arange(4, 11),
    )
    return model, method, batch


def _grads(f, model):
    return torch.autograd.grad(f, list(model.parameters()), retain_graph=True)


def test_detached_teacher_equals_plain_soft_self_training():
    model, method, batch = _setup(detach=True)
    f, *_ = method.objective(model, batch)
    got = _grads(f, model)
    with torch.no_grad():
        theta_t = ema_follower(params_of(model), method.teacher, 0.6)
        y_hat, w = pseudo_targets(fcall(model, theta_t, {}, batch.x_u)[1], 0.7, "entropy")
    z = model(torch.cat([batch.x, batch.x_u]))[1]
    plain = (
        torch.nn.functional.cross_entropy(z[:4], batch.y) + (w * -(y_hat * torch.log_softmax(z[4:], 1)).sum(1)).mean()
    )
    want = _grads(plain, model)
    assert all(torch.allclose(a, b, rtol=1e-12, atol=1e-14) for a, b in zip(got, want))
    # With the follower path on, the gradient is different.
    model2, method2, batch2 = _setup(detach=False)
    f2, *_ = method2.objective(model2, batch2)
    assert max(float((a - b).abs().max()) for a, b in zip(_grads(f2, model2), got)) > 1e-6


@pytest.mark.parametrize("follower", ["ema", "unroll"])
def test_total_gradient_matches_finite_differences_of_leader_objective(follower):
    model, method, batch = _setup(follower)
    f, *_ = method.objective(model, batch)
    auto = _grads(f, model)
    names = [k for k, _ in model.named_parameters()]
    base = {k: p.detach().clone() for k, p in model.named_parameters()}

    def leader(theta):
        """F(theta_S) with the teacher recomputed from theta_S by the follower map."""
        with torch.enable_grad():
            th = {k: v.clone().requires_grad_() for k, v in theta.items()}
            if follower == "ema":
                tt = ema_follower(th, method.teacher, 0.6)
            else:
                tt = unrolled_follower(model, th, {}, batch.x, batch.y, 2, 0.5, create_graph=False)
            z = fcall(model, th, {}, torch.cat([batch.x, batch.x_u]))[1]
            zt = fcall(model, {k: v.detach() for k, v in tt.items()}, {}, batch.x_u)[1]
            val, _ = leader_objective(z[:4], batch.y, z[4:], zt, 0.7, "entropy", 1.0)
        return float(val.detach())

    assert leader(base) == pytest.approx(float(f.detach()), rel=1e-12)
    eps = 1e-6
    for name, ga in zip(names, auto):
        fd = torch.zeros_like(ga)
        for i in range(ga.numel()):
            plus = {k: v.clone() for k, v in base.items()}
            minus = {k: v.clone() for k, v in base.items()}
            plus[name].view(-1)[i] += eps
            minus[name].view(-1)[i] -= eps
            fd.view(-1)[i] = (leader(plus) - leader(minus)) / (2 * eps)
        assert torch.allclose(ga, fd, rtol=1e-5, atol=1e-8), name


def test_ema_follower_path_is_one_minus_decay_times_teacher_gradient():
    model, method, batch = _setup("ema")
    f, _, student, theta_t, _ = method.objective(model, batch)
    names = list(student)
    g = torch.autograd.grad(f, [student[k] for k in names] + [theta_t[k] for k in names], retain_graph=True)
    total, g_t = g[: len(names)], g[len(names) :]
    _, m_det, _ = _setup("ema", detach=True)
    f_det, *_ = m_det.objective(model, batch)
    direct = torch.autograd.grad(f_det, [student[k] for k in names])
    for tot, gt, d in zip(total, g_t, direct):
        assert torch.allclose(tot - d, 0.4 * gt, rtol=1e-10, atol=1e-14)
    share = float(method.follower_share(f, student, theta_t))
    want = math.sqrt(sum(float((0.4 * gt).pow(2).sum()) for gt in g_t)) / math.sqrt(
        sum(float(t.pow(2).sum()) for t in total)
    )
    assert share == pytest.approx(want, rel=1e-10) and share > 0


def test_needs_unlabeled_data_with_a_clear_message():
    from core.engine.run_config import make_config

    with pytest.raises(UserError, match="labeled_fraction below 1"):
        make_config({"method": "drift", "dataset": "digits"})


def test_run_logs_pseudo_label_accuracy_and_drift_scalars(tmp_path):
    from core.engine.run_config import make_config
    from core.engine.trainer import train
    from core.store.reader import RunReader

    cfg = make_config(
        {
            "method": "drift",
            "dataset": "digits",
            "model": "mlp",
            "epochs": 2,
            "probes": [],
            "batch_size": 512,
            "threads": 1,
        },
        ["labeled_fraction=0.1", "model.width=16"],
    )
    run_id, summary = train(cfg, str(tmp_path))
    assert summary["state"] == "completed", summary.get("error")
    last = RunReader(os.path.join(str(tmp_path), run_id)).metrics()[-1]
    for key in (
        "unlabeled/pseudo_acc",
        "method/pseudo_flip_rate",
        "method/follower_share",
        "method/teacher_disagreement",
        "method/weight_mean",
        "method/weight_std",
    ):
        assert key in last and math.isfinite(last[key]), key
    assert 0.0 <= last["unlabeled/pseudo_acc"] <= 1.0


def test_ema_teacher_stores_the_follower_of_the_pre_step_student():
    """t <- a t + (1 - a) theta_S with theta_S before the step: the current student weighs 1 - a = 0.4
    in the stored teacher, not (1 - a)(1 + a) as when the updated student is mixed in after the step."""
    model, method, batch = _setup("ema")

    class _Opt:  # the engine's handle: one plain SGD step on the model
        def step(self, loss, group="model"):
            grads = torch.autograd.grad(loss, list(model.parameters()))
            with torch.no_grad():
                for p, g in zip(model.parameters(), grads):
                    p.sub_(0.5 * g)

        def lr(self, group="model"):
            return 0.5

    old_teacher = {k: v.clone() for k, v in method.teacher.items()}
    before = {k: v.detach().clone() for k, v in params_of(model).items()}
    method.train_step(batch, model, 0, _Opt())
    after = params_of(model)
    for k, t in method.teacher.items():
        assert not torch.allclose(before[k], after[k])  # the step moved the student
        assert torch.allclose(t, 0.6 * old_teacher[k] + 0.4 * before[k], atol=1e-12)
