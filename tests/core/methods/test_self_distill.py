"""Self-distillation: stages, targets keyed by dataset index, and the label-averaging closed form on gram_blocks."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from core import config as C
from core.data.base import load_dataset
from core.engine.run_config import make_config
from core.engine.trainer import Trainer
from core.methods.base import Batch, MethodContext, StageData
from core.methods.self_distill import SelfDistill
from core.models import build_model
from core.noise import apply_noise
from core.registry import METHODS


def _ctx(N, K, D):
    return MethodContext(
        num_classes=K,
        n_total=N,
        feature_dim=D,
        input_shape=(D,),
        device=torch.device("cpu"),
        seed=0,
        epochs=1,
        n_labeled=N,
        n_unlabeled=0,
    )


def _method(N, K, D, **opts):
    return SelfDistill(C.build(SelfDistill.Config, opts), _ctx(N, K, D))


def test_stages_are_fresh_rounds():
    m = _method(10, 3, 4, rounds=3)
    st = m.stages()
    assert [s.name for s in st] == ["round0", "round1", "round2", "round3"]
    assert all(s.fresh_model for s in st)
    assert METHODS.get("self_distill") is SelfDistill and SelfDistill.help


def test_targets_are_the_previous_softmax_keyed_by_index():
    torch.manual_seed(0)
    N, K, D = 12, 3, 5
    x, y = torch.randn(N, D), torch.randint(0, K, (N,))
    perm = torch.randperm(N)
    teacher = build_model("linear", (D,), K, {})
    data = StageData(x[perm], y[perm], perm, x[:0], perm[:0], predict=lambda mod, xx: mod(xx)[1].detach())
    m = _method(N, K, D, temperature=2.0, label_weight=0.25)
    scal = m.begin_stage(1, m.stages()[1], teacher, teacher, data)
    with torch.no_grad():
        expected = 0.75 * F.softmax(teacher(x)[1] / 2.0, 1) + 0.25 * F.one_hot(y, K)
    torch.testing.assert_close(m.targets, expected)
    assert 0 <= scal["teacher_agree_observed"] <= 1
    # Round 0 trains on the labels; later rounds on the soft targets.
    logits = torch.randn(4, K)
    b = Batch(x[:4], y[:4], torch.arange(4))
    soft = m.loss(b, (x[:4], logits), 0).loss
    assert torch.isclose(soft, -(expected[:4] * F.log_softmax(logits, 1)).sum(1).mean())
    m.begin_stage(0, m.stages()[0], teacher, None, data)
    assert torch.isclose(m.loss(b, (x[:4], logits), 0).loss, F.cross_entropy(logits, y[:4]))


def _fit_full_batch(method, model, X, y, idx, lam):
    """Minimize mean loss + (λ/2)‖W‖² to stationarity with L-BFGS (convex for a bias-free linear model)."""
    opt = torch.optim.LBFGS(
        model.parameters(),
        lr=1,
        max_iter=2000,
        tolerance_grad=1e-12,
        tolerance_change=1e-16,
        history_size=50,
        line_search_fn="strong_wolfe",
    )

    def objective():
        return method.loss(Batch(X, y, idx), model(X), 0).loss + lam / 2 * sum((p**2).sum() for p in model.parameters())

    def closure():
        opt.zero_grad()
        val = objective()
        val.backward()
        return val

    opt.step(closure)
    grads = torch.autograd.grad(objective(), list(model.parameters()))
    return max(float(g.abs().max()) for g in grads)


def test_rounds_follow_the_label_averaging_closed_form():
    """P_t = U + M^{t+1}(Y − U), M = G(G + K·N·λI)⁻¹ (METHODS.md §3; samples as rows here).

    Tolerance: at the exact optimum P = softmax(Z) with Z = G(T − P)/(Nλ), whose rows sum to zero, so
    P = U + Z/K + R with R the softmax linearization remainder, computed from the trained model. Then
    Δ_t = M Δ_{t−1} + A R_t with A = (I + G/(KNλ))⁻¹; M and A have spectral norm ≤ 1, hence
    ‖P_t − U − M^{t+1}(Y − U)‖_F ≤ Σ_{s≤t} ‖R_s‖_F. The wrong exponent M^t must violate the same bound.
    """
    torch.set_default_dtype(torch.float64)
    try:
        ds = load_dataset("gram_blocks", {"per_class": 20}, 0)
        X = torch.as_tensor(ds.X).double()
        N, K, lam = len(X), ds.num_classes, 3e-2
        y = torch.as_tensor(apply_noise(ds.y, K, "symmetric", 0.5, 0)[0])
        idx = torch.arange(N)
        perm = torch.randperm(N, generator=torch.Generator().manual_seed(1))
        data = StageData(X[perm], y[perm], perm, X[:0], perm[:0], predict=lambda mod, xx: mod(xx)[1].detach())
        m = _method(N, K, X.shape[1], rounds=2)
        G = X @ X.T
        M = G @ torch.linalg.inv(G + K * N * lam * torch.eye(N))
        U = torch.full((N, K), 1.0 / K)
        Y = F.one_hot(y, K).double()
        prev, remainder = None, 0.0
        for t, stage in enumerate(m.stages()):
            torch.manual_seed(t)
            model = build_model("linear", (X.shape[1],), K, {"bias": False}).double()
            m.begin_stage(t, stage, model, prev, data)
            assert _fit_full_batch(m, model, X, y, idx, lam) < 1e-8
            with torch.no_grad():
                z = model(X)[1]
                P = F.softmax(z, 1)
            T = Y if m.targets is None else m.targets
            assert float((P - F.softmax(G @ (T - P) / (N * lam), 1)).abs().max()) < 1e-6  # exact fixed point
            zc = z - z.mean(1, keepdim=True)
            remainder += float(torch.linalg.norm(P - (1 + zc) / K))
            err = float(torch.linalg.norm(P - U - torch.linalg.matrix_power(M, t + 1) @ (Y - U)))
            err_wrong = float(torch.linalg.norm(P - U - torch.linalg.matrix_power(M, t) @ (Y - U)))
            assert err <= remainder + 1e-6, (t, err, remainder)
            assert err_wrong > remainder, (t, err_wrong, remainder)
            assert err < 0.2 * float(torch.linalg.norm(P - U))
            prev = model
    finally:
        torch.set_default_dtype(torch.float32)


def test_engine_logs_each_round(tmp_path):
    cfg = make_config(
        {
            "dataset": "blobs",
            "noise": "symmetric",
            "noise_rate": 0.3,
            "method": "self_distill",
            "method_options": {"rounds": 1},
            "model": "mlp",
            "epochs": 1,
            "probes": [],
            "seed": 0,
        }
    )
    t = Trainer(cfg, str(tmp_path))
    s = t.run()
    assert s["state"] == "completed", s.get("error")
    assert [r["stage"] for r in t.history] == [0, 1]
    assert "stage/teacher_agree_observed" in t.history[1]
    for r in t.history:
        assert {"train/acc_true_clean", "train/acc_true_flipped", "train/acc_observed"} <= set(r)
